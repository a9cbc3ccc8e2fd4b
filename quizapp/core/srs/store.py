"""The collection: an SQLite file holding the append-only review log and a cache of card states.

:class:`Collection` is three parts: the connection (``connection.py``: opening, the lock and its
patience, one transaction per write, the check that the file was not moved or replaced), the reads
(``reads.py``) and the writes below — each one ``BEGIN IMMEDIATE`` … ``COMMIT``, finished before the
method returns, or a :class:`~quizapp.core.srs.write_errors.CollectionWriteError` with nothing applied.
Orphans — history for cards no longer in any deck — are kept.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import fsrs
from fsrs import Rating

from quizapp.core.clock import as_utc
from quizapp.core.srs.connection import BUSY_TIMEOUT_MS, CollectionConnection
from quizapp.core.srs.reads import CollectionReads, QueueState
from quizapp.core.srs.records import KINDS, CardRecord, LogEntry, Replay, apply_event, card_json, ts
from quizapp.core.srs.scheduling import new_card
from quizapp.core.srs.write_errors import (
    CollectionBusy, CollectionDamaged, CollectionFull, CollectionIOError, CollectionMoved, CollectionReadOnly,
    CollectionWriteError,
)

__all__ = [
    "BUSY_TIMEOUT_MS", "Collection", "CollectionBusy", "CollectionDamaged", "CollectionFull", "CollectionIOError",
    "CollectionMoved", "CollectionReadOnly", "CollectionWriteError", "QueueState", "UndoConflict",
]


class UndoConflict(ValueError):
    """The event cannot be undone (already undone, or the card changed since)."""


class Collection(CollectionConnection, CollectionReads):
    """One collection file. Thread-safe (one connection behind a lock); also a context manager.

    ``patience`` (seconds, default 120) is how long a write waits for another program's lock before
    raising :class:`CollectionBusy`; the app passes a short one."""

    # ---- writes ------------------------------------------------------------------------------

    def _append(self, db: sqlite3.Connection, key: str, kind: str, at: datetime | None, *,
                rating: Rating | None = None, duration_ms: int | None = None, answer: str | None = None,
                undoes: int | None = None, state_after: fsrs.Card | None = None,
                bury_until: datetime | None = None, renamed_from: str | None = None) -> LogEntry:
        if kind not in KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        at = as_utc(at) if at is not None else as_utc(self.clock())
        cursor = db.execute(
            "INSERT INTO reviews (card_key, kind, rating, reviewed_at, duration_ms, answer, undoes,"
            " state_after, bury_until, renamed_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, kind, int(rating) if rating is not None else None, ts(at), duration_ms, answer,
             undoes, card_json(state_after), ts(bury_until) if bury_until else None, renamed_from),
        )
        return LogEntry(cursor.lastrowid, key, kind, rating, at, duration_ms, answer, undoes,
                        state_after, as_utc(bury_until) if bury_until else None, renamed_from)

    @staticmethod
    def _put(db: sqlite3.Connection, key: str, record: CardRecord | None) -> None:
        if record is None:
            db.execute("DELETE FROM card_state WHERE card_key = ?", (key,))
        else:
            db.execute(f"INSERT OR REPLACE INTO card_state ({CardRecord.COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                       record.to_row())


    def _event(self, key: str, kind: str, at: datetime | None = None, **fields: Any) -> tuple[LogEntry, CardRecord | None]:
        def tx(db: sqlite3.Connection) -> tuple[LogEntry, CardRecord | None]:
            prev = self._get(db, key)
            entry = self._append(db, key, kind, at, state_after=_card_of(prev), **fields)
            record = apply_event(prev, entry)
            self._put(db, key, record)
            return entry, record

        return self._write(tx)

    def apply_review(
        self, key: str, rating: Rating, review: Callable[[fsrs.Card | None], fsrs.Card], *,
        at: datetime | None = None, duration_ms: int | None = None, answer: str | None = None,
    ) -> tuple[LogEntry, CardRecord]:
        """Grade ``key``: ``review(current fsrs card or None if new)`` runs inside the write
        transaction, so concurrent graders of the same card serialise instead of overwriting."""
        entry, record, _suspended = self.apply_review_then_suspend(
            key, rating, review, at=at, duration_ms=duration_ms, answer=answer)
        return entry, record

    def apply_review_then_suspend(
        self, key: str, rating: Rating, review: Callable[[fsrs.Card | None], fsrs.Card], *,
        suspend_if: Callable[[fsrs.Card | None, CardRecord], bool] | None = None,
        at: datetime | None = None, duration_ms: int | None = None, answer: str | None = None,
    ) -> tuple[LogEntry, CardRecord, LogEntry | None]:
        """:meth:`apply_review`, and in the same transaction a ``suspend`` event when
        ``suspend_if(card before, record after)`` says so (a leech): both are written or neither, so
        retrying a failed write can never grade the card twice. Returns the suspend entry, if any."""

        def tx(db: sqlite3.Connection) -> tuple[LogEntry, CardRecord, LogEntry | None]:
            prev = self._get(db, key)
            before = prev.card if prev else None
            after = review(before)
            entry = self._append(db, key, "review", at, rating=Rating(rating), duration_ms=duration_ms,
                                 answer=answer, state_after=after)
            record = apply_event(prev, entry)
            suspended = None
            if suspend_if is not None and not record.suspended and suspend_if(before, record):
                suspended = self._append(db, key, "suspend", at, state_after=record.card)
                record = apply_event(record, suspended)
            self._put(db, key, record)
            return entry, record, suspended

        return self._write(tx)

    def log_review(self, key: str, rating: Rating, state_after: fsrs.Card, **kwargs: Any) -> LogEntry:
        """Record a review whose resulting fsrs state was computed by the caller."""
        return self.apply_review(key, rating, lambda _prev: state_after, **kwargs)[0]

    def import_reviews(self, items: Iterable[tuple[str, list[tuple[datetime, Rating, int | None, fsrs.Card]], bool]],
                       at: datetime | None = None) -> int:
        """Reviews made elsewhere (an Anki revlog), each with its own time, rating, duration and the
        fsrs state it leads to, in one transaction; ``True`` in an item also suspends that card (at
        ``at``). Returns the number of reviews written."""
        items = list(items)

        def tx(db: sqlite3.Connection) -> int:
            n = 0
            for key, reviews, suspend in items:
                record = self._get(db, key)
                for when, rating, duration_ms, state in reviews:
                    entry = self._append(db, key, "review", when, rating=Rating(rating), duration_ms=duration_ms,
                                         state_after=state)
                    record = apply_event(record, entry)
                    n += 1
                if suspend and not (record and record.suspended):
                    record = apply_event(record, self._append(db, key, "suspend", at, state_after=_card_of(record)))
                self._put(db, key, record)
            return n

        return self._write(tx)

    def suspend(self, key: str, at: datetime | None = None) -> LogEntry:
        return self._event(key, "suspend", at)[0]

    def unsuspend(self, key: str, at: datetime | None = None) -> LogEntry:
        return self._event(key, "unsuspend", at)[0]

    def bury(self, key: str, until: datetime, at: datetime | None = None) -> LogEntry:
        return self._event(key, "bury", at, bury_until=until)[0]

    def reset(self, key: str, at: datetime | None = None) -> LogEntry:
        """Forget the card's scheduling (it becomes new); its history stays in the log."""
        return self._event(key, "reset", at)[0]

    def log_quiz(self, key: str, *, rating: Rating | None = None, answer: str | None = None,
                 duration_ms: int | None = None, at: datetime | None = None) -> LogEntry:
        """A practice answer that does not affect scheduling."""
        return self._event(key, "quiz", at, rating=rating, answer=answer, duration_ms=duration_ms)[0]

    def log_override(self, key: str, *, answer: str | None = None, at: datetime | None = None,
                     quiz_result: tuple[int, int, dict[str, Any]] | None = None) -> LogEntry:
        """The learner said "I was right" about a typed answer graded wrong: an ``override`` event
        (rating Good, the answer; no effect on scheduling — the grade that follows does that).
        ``quiz_result`` = (row id, correct, detail) corrects a finished quiz's stored score in the
        same transaction."""

        def tx(db: sqlite3.Connection) -> LogEntry:
            prev = self._get(db, key)
            entry = self._append(db, key, "override", at, rating=Rating.Good, answer=answer,
                                 state_after=_card_of(prev))
            self._put(db, key, apply_event(prev, entry))
            if quiz_result is not None:
                row_id, correct, detail = quiz_result
                db.execute("UPDATE quiz_results SET correct = ?, detail = ? WHERE id = ?",
                           (int(correct), json.dumps(detail, sort_keys=True), row_id))
            return entry

        return self._write(tx)

    def log_cram(self, key: str, *, rating: Rating, answer: str | None = None,
                 duration_ms: int | None = None, at: datetime | None = None) -> LogEntry:
        """A review ahead of schedule in a cram session: logged, FSRS state untouched."""
        return self._event(key, "cram", at, rating=rating, answer=answer, duration_ms=duration_ms)[0]

    def make_due_now(self, key: str, at: datetime | None = None) -> LogEntry:
        """Offer ``key`` in the next review (e.g. a card missed in a quiz) by appending a ``due``
        event: the fsrs state keeps its stability, difficulty and last review, only ``due`` moves
        to ``at`` (a never-reviewed card gets a fresh learning card due at ``at``). Nothing is
        rewritten; a card already due earlier keeps its due time; the card is unburied."""
        at = as_utc(at) if at is not None else as_utc(self.clock())

        def tx(db: sqlite3.Connection) -> LogEntry:
            prev = self._get(db, key)
            if prev is None or prev.card is None:
                card = new_card(key, at)
            else:
                card = fsrs.Card.from_dict(prev.card.to_dict())
                card.due = min(as_utc(card.due), at)
            entry = self._append(db, key, "due", at, state_after=card)
            self._put(db, key, apply_event(prev, entry))
            return entry

        return self._write(tx)

    def rename_keys(self, renames: dict[str, str], at: datetime | None = None, *,
                    skip_invalid: bool = False) -> list[LogEntry]:
        """Carry the history of each old key over to its new key (a card whose front was edited, or
        that got an explicit id), all in one transaction: one ``rename`` row per pair (card_key = the
        new key, ``renamed_from`` = the old one); the cached state moves to the new key. The old
        rows are never rewritten: :meth:`history` of the new key follows the rename.

        Raises ValueError (nothing written) when an old key has no history, a new key already has
        history of its own, or a key is used twice; with ``skip_invalid`` such pairs are left out
        instead (the entries returned are those written)."""
        pairs = list(renames.items())
        olds, news = [o for o, _ in pairs], [n for _, n in pairs]
        if len(set(news)) != len(news) or set(olds) & set(news):
            raise ValueError("each key may be renamed once, to a key that is not renamed itself")

        def tx(db: sqlite3.Connection) -> list[LogEntry]:
            valid = []
            for old, new in pairs:
                problem = (f"{old!r} has no history to carry over" if not self._is_active(db, old)
                           else f"{new!r} already has a history of its own" if self._is_active(db, new)
                           else "")
                if problem and not skip_invalid:
                    raise ValueError(problem)
                if not problem:
                    valid.append((old, new))
            entries = []
            for old, new in valid:
                prev = self._get(db, old)
                entries.append(self._append(db, new, "rename", at, state_after=_card_of(prev), renamed_from=old))
                self._put(db, old, None)
                self._put(db, new, prev._replace(key=new) if prev is not None else None)
            return entries

        return self._write(tx) if pairs else []


    # ---- quiz results ------------------------------------------------------------------------

    def add_quiz_result(self, result: dict[str, Any]) -> int:
        """Store one finished quiz; ``result`` has ``started_at``/``finished_at`` (datetimes),
        ``decks``/``kinds`` (lists of str), ``total``, ``correct``, ``seconds``, optional
        ``time_limit_s`` and ``detail`` (JSON-able). Returns the row id."""
        row = (ts(result["started_at"]), ts(result["finished_at"]), json.dumps(list(result["decks"])),
               json.dumps(list(result["kinds"])), int(result["total"]), int(result["correct"]),
               float(result["seconds"]), result.get("time_limit_s"),
               json.dumps(result.get("detail") or {}, sort_keys=True))
        return self._write(lambda db: db.execute(
            "INSERT INTO quiz_results (started_at, finished_at, decks, kinds, total, correct, seconds,"
            " time_limit_s, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row).lastrowid)


    def undo(self, event_id: int, at: datetime | None = None) -> tuple[LogEntry, CardRecord | None]:
        """Cancel event ``event_id`` (it must be its card's latest event in effect) by appending an
        ``undo`` row; the card's state becomes what it was before. Raises :class:`UndoConflict`."""

        def tx(db: sqlite3.Connection) -> tuple[LogEntry, CardRecord | None]:
            row = db.execute("SELECT card_key, kind FROM reviews WHERE id = ?", (event_id,)).fetchone()
            if row is None or row[1] == "undo":
                raise UndoConflict(f"no undoable event {event_id}")
            key = row[0]
            replay = Replay().feed(self._lineage(db, key))
            if replay.undoable(key) != event_id:
                raise UndoConflict(f"event {event_id} is not the latest change of {key!r} in effect")
            before = replay.before(key)
            entry = self._append(db, key, "undo", at, undoes=event_id, state_after=_card_of(before))
            self._put(db, key, before)
            return entry, before

        return self._write(tx)

    def rebuild_state(self) -> int:
        """Recompute the whole ``card_state`` cache from the log (which is left untouched).
        Returns the number of cards with a state."""

        def tx(db: sqlite3.Connection) -> int:
            states = Replay().feed(self._entries(db)).states
            db.execute("DELETE FROM card_state")
            db.executemany(f"INSERT INTO card_state ({CardRecord.COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                           [r.to_row() for r in states.values()])
            return len(states)

        return self._write(tx)



def _card_of(record: CardRecord | None) -> fsrs.Card | None:
    return record.card if record else None
