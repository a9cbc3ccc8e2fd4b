"""The collection: an SQLite file holding the append-only review log and a cache of card states.

Durability rules: WAL journal, ``synchronous=FULL``, every write is one ``BEGIN IMMEDIATE`` ...
``COMMIT`` finished before the method returns (a grade is on disk before the next card is shown).
Two processes serialise on the write lock (``busy_timeout`` 5 s, then retries with backoff) instead of
failing with "database is locked". Orphans — history for cards no longer in any deck — are kept.
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import fsrs
from fsrs import Rating, State

from quizapp.core.clock import Clock, as_utc, study_day, study_day_start, utcnow
from quizapp.core.srs import migrations
from quizapp.core.srs.records import (
    KINDS, CardRecord, LogEntry, Replay, apply_event, card_json, parse_ts, ts,
)
from quizapp.core.srs.scheduling import new_card

T = TypeVar("T")
BUSY_TIMEOUT_MS = 5000
_CHUNK = 500  # host parameters per IN (...) query
_EFFECTIVE_REVIEW = (
    "kind = 'review' AND id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)"
)


class QueueState(NamedTuple):
    """The columns of a card's cached state that queues and counts need (see ``queue_states``)."""

    key: str
    due: datetime | None  # None: no fsrs card (new)
    state: State | None
    suspended: bool
    buried_until: datetime | None
    lapses: int

    def is_buried(self, now: datetime) -> bool:
        return self.buried_until is not None and now < self.buried_until


class CollectionBusy(RuntimeError):
    """Another process held the collection's write lock for longer than we are willing to wait."""


class UndoConflict(ValueError):
    """The event cannot be undone (already undone, or the card changed since)."""


def _is_lock_error(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


class Collection:
    """One collection file. Thread-safe (one connection behind a lock); also a context manager."""

    def __init__(self, path: str | Path, clock: Clock = utcnow, *, patience: float = 120.0) -> None:
        self.path = Path(path)
        self.clock = clock
        self.patience = patience  # seconds to keep retrying a locked database before giving up
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        try:
            self._retry(self._configure)
            self.schema_version = self._retry(lambda: migrations.apply_migrations(self._db))
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(cls, path: str | Path, clock: Clock = utcnow) -> Collection:
        return cls(path, clock)

    @classmethod
    def reading(cls, connection: sqlite3.Connection, path: str | Path, clock: Clock = utcnow) -> Collection:
        """A collection over an open read-only ``connection`` to a file of the current schema (``quizapp
        check`` reads the user's file in place this way): nothing is configured or migrated, and any
        write fails with SQLite's "readonly database" error."""
        self = cls.__new__(cls)
        self.path, self.clock, self.patience = Path(path), clock, 5.0
        self._lock = threading.RLock()
        self._conn = connection
        self.journal_mode = None
        self.schema_version = migrations.LATEST_VERSION
        return self

    def _configure(self) -> None:
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.journal_mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    @property
    def closed(self) -> bool:
        return self._conn is None

    @property
    def connection(self) -> sqlite3.Connection:
        """The underlying connection, for read-only inspection (tests, diagnostics)."""
        return self._db

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise sqlite3.ProgrammingError("the collection is closed")
        return self._conn

    # ---- transactions ------------------------------------------------------------------------

    def _retry(self, fn: Callable[[], T]) -> T:
        """Run ``fn``, retrying with jittered backoff while the database is locked or busy."""
        deadline = time.monotonic() + self.patience
        delay = 0.005
        while True:
            try:
                with self._lock:
                    return fn()
            except sqlite3.OperationalError as error:
                if not _is_lock_error(error):
                    raise
                if time.monotonic() >= deadline:
                    raise CollectionBusy(
                        f"{self.path} is in use by another program and stayed locked for "
                        f"{self.patience:.0f} s; close the other quizapp and try again"
                    ) from error
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 0.5)

    def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """``fn`` inside ``BEGIN IMMEDIATE`` … ``COMMIT``; committed (synchronous=FULL) on return."""

        def attempt() -> T:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                result = fn(db)
                db.execute("COMMIT")
                return result
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

        return self._retry(attempt)

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        return self._retry(lambda: self._db.execute(sql, tuple(params)).fetchall())

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

    @staticmethod
    def _get(db: sqlite3.Connection, key: str) -> CardRecord | None:
        row = db.execute(f"SELECT {CardRecord.COLUMNS} FROM card_state WHERE card_key = ?", (key,)).fetchone()
        return CardRecord.from_row(row) if row else None

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

        def tx(db: sqlite3.Connection) -> tuple[LogEntry, CardRecord]:
            prev = self._get(db, key)
            after = review(prev.card if prev else None)
            entry = self._append(db, key, "review", at, rating=Rating(rating), duration_ms=duration_ms,
                                 answer=answer, state_after=after)
            record = apply_event(prev, entry)
            self._put(db, key, record)
            return entry, record

        return self._write(tx)

    def log_review(self, key: str, rating: Rating, state_after: fsrs.Card, **kwargs: Any) -> LogEntry:
        """Record a review whose resulting fsrs state was computed by the caller."""
        return self.apply_review(key, rating, lambda _prev: state_after, **kwargs)[0]

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

    @staticmethod
    def _is_active(db: sqlite3.Connection, key: str) -> bool:
        """``key`` has rows in the log and was not renamed away after its last one."""
        last = db.execute("SELECT MAX(id) FROM reviews WHERE card_key = ?", (key,)).fetchone()[0]
        if last is None:
            return False
        away = db.execute("SELECT MAX(id) FROM reviews WHERE renamed_from = ?", (key,)).fetchone()[0]
        return away is None or last > away

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

    def quiz_results(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Stored quizzes, newest first (the same keys ``add_quiz_result`` takes, plus ``id``)."""
        rows = self._read(
            "SELECT id, started_at, finished_at, decks, kinds, total, correct, seconds, time_limit_s,"
            " detail FROM quiz_results ORDER BY finished_at DESC, id DESC LIMIT ?",
            (-1 if limit is None else int(limit),))
        return [{"id": r[0], "started_at": parse_ts(r[1]), "finished_at": parse_ts(r[2]),
                 "decks": json.loads(r[3]), "kinds": json.loads(r[4]), "total": r[5], "correct": r[6],
                 "seconds": r[7], "time_limit_s": r[8], "detail": json.loads(r[9])} for r in rows]

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

    @staticmethod
    def _entries(db: sqlite3.Connection, key: str | None = None) -> Iterable[LogEntry]:
        sql = f"SELECT {LogEntry.COLUMNS} FROM reviews"
        rows = (db.execute(sql + " WHERE card_key = ? ORDER BY id", (key,)) if key is not None
                else db.execute(sql + " ORDER BY id"))
        return (LogEntry.from_row(r) for r in rows)

    # ---- reads -------------------------------------------------------------------------------

    def state(self, key: str) -> CardRecord | None:
        return self._retry(lambda: self._get(self._db, key))

    def states(self, keys: Iterable[str] | None = None) -> dict[str, CardRecord]:
        """Current states of ``keys`` (all cards with a state if None); new cards are absent."""
        sql = f"SELECT {CardRecord.COLUMNS} FROM card_state"
        if keys is None:
            return {r[0]: CardRecord.from_row(r) for r in self._read(sql)}
        keys = list(dict.fromkeys(keys))
        out: dict[str, CardRecord] = {}
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i:i + _CHUNK]
            rows = self._read(f"{sql} WHERE card_key IN ({','.join('?' * len(chunk))})", chunk)
            out.update((r[0], CardRecord.from_row(r)) for r in rows)
        return out

    def queue_states(self, keys: Iterable[str], due_by: datetime,
                     leech_lapses: int = 0) -> tuple[dict[str, QueueState], set[str]]:
        """What counting and queueing ``keys`` needs, without decoding any card's fsrs state:
        ``(states, settled)`` where ``states`` holds the :class:`QueueState` of those keys that are
        suspended, buried (now or in the past), without an fsrs card, due at or before ``due_by``, or
        — if ``leech_lapses`` is non-zero — have at least that many lapses; ``settled`` holds (at least)
        every other of the keys that has a state (reviewed, due later: in no queue), and may hold keys
        not asked for. Keys in neither are new. One consistent snapshot; for big key sets two scans of
        the table instead of a look-up per key."""
        keys = list(keys)
        wanted = set(keys)
        where = "(suspended = 1 OR buried_until IS NOT NULL OR state IS NULL OR due <= ?"
        params: list[Any] = [ts(due_by)]
        if leech_lapses:
            where += " OR lapses >= ?"
            params.append(int(leech_lapses))
        where += ")"
        sql = f"SELECT card_key, due, state, suspended, buried_until, lapses FROM card_state WHERE {where}"

        def read() -> tuple[list[tuple], set[str]]:
            db = self._db
            db.execute("BEGIN")  # deferred: a read snapshot, no lock taken
            try:
                if len(keys) > 8 * _CHUNK:  # most of the table: two scans beat many key look-ups
                    return (db.execute(sql, params).fetchall(),
                            {r[0] for r in db.execute("SELECT card_key FROM card_state")})
                rows, present, unique = [], set(), list(wanted)
                for i in range(0, len(unique), _CHUNK):
                    chunk = unique[i:i + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows += db.execute(f"{sql} AND card_key IN ({marks})", [*params, *chunk]).fetchall()
                    present.update(r[0] for r in db.execute(
                        f"SELECT card_key FROM card_state WHERE card_key IN ({marks})", chunk))
                return rows, present
            finally:
                if db.in_transaction:
                    db.execute("COMMIT")

        rows, present = self._retry(read)
        return {r[0]: QueueState(r[0], parse_ts(r[1]), State(r[2]) if r[2] is not None else None, bool(r[3]),
                                 parse_ts(r[4]), r[5]) for r in rows if r[0] in wanted}, present

    def due_keys(self, before: datetime, now: datetime | None = None) -> list[str]:
        """Keys of reviewed cards due at or before ``before``, not suspended nor buried at ``now``."""
        now_ts = ts(now if now is not None else self.clock())
        rows = self._read(
            "SELECT card_key FROM card_state WHERE due IS NOT NULL AND due <= ? AND suspended = 0"
            " AND (buried_until IS NULL OR buried_until <= ?) ORDER BY due, card_key",
            (ts(before), now_ts))
        return [r[0] for r in rows]

    def history(self, key: str | None = None) -> list[LogEntry]:
        """Log entries (of one card, or all) in the order they were written. A card's history
        includes the rows of the keys it was renamed from (up to each rename), not rows written
        under its key before it was itself renamed away."""
        if key is None:
            return self._retry(lambda: list(self._entries(self._db)))
        return self._retry(lambda: self._lineage(self._db, key))

    def _lineage(self, db: sqlite3.Connection, key: str) -> list[LogEntry]:
        """The rows of ``key``'s history, following renames back (see :meth:`history`)."""
        if db.execute("SELECT 1 FROM reviews WHERE renamed_from IS NOT NULL LIMIT 1").fetchone() is None:
            return list(self._entries(db, key))  # no renames at all: the common, cheap case
        sql = f"SELECT {LogEntry.COLUMNS} FROM reviews WHERE card_key = ? AND id > ? AND id < ?"
        rows: dict[int, LogEntry] = {}
        todo: list[tuple[str, int]] = [(key, 1 << 62)]
        while todo:  # every step looks strictly further back, so renames in a cycle end too
            k, upto = todo.pop()
            lower = db.execute("SELECT COALESCE(MAX(id), 0) FROM reviews WHERE renamed_from = ? AND id < ?",
                               (k, upto)).fetchone()[0]  # rows before that belong to k's successor
            for r in db.execute(sql, (k, lower, upto)):
                entry = LogEntry.from_row(r)
                rows[entry.id] = entry
                if entry.kind == "rename" and entry.renamed_from is not None:
                    todo.append((entry.renamed_from, entry.id))
        return [rows[i] for i in sorted(rows)]

    def known_keys(self) -> set[str]:
        """Every card key with history in the log (keys renamed away since are not included)."""

        def read() -> set[str]:
            db = self._db
            keys = {r[0] for r in db.execute("SELECT DISTINCT card_key FROM reviews")}
            for (old,) in db.execute("SELECT DISTINCT renamed_from FROM reviews"
                                     " WHERE renamed_from IS NOT NULL").fetchall():
                if old in keys and not self._is_active(db, old):
                    keys.discard(old)
            return keys

        return self._retry(read)

    def renames(self) -> list[LogEntry]:
        """Every rename row, in log order."""
        return self._read_entries("WHERE renamed_from IS NOT NULL ORDER BY id")

    def _read_entries(self, where: str, params: Iterable[Any] = ()) -> list[LogEntry]:
        return [LogEntry.from_row(r) for r in self._read(f"SELECT {LogEntry.COLUMNS} FROM reviews {where}", params)]

    def counts(self) -> dict[str, int]:
        """Cards with a state by fsrs state name, plus ``suspended`` and ``log_rows``."""
        out = {s.name.lower(): 0 for s in fsrs.State}
        for state, n in self._read("SELECT state, COUNT(*) FROM card_state WHERE state IS NOT NULL GROUP BY state"):
            out[fsrs.State(state).name.lower()] = n
        out["suspended"] = self._read("SELECT COUNT(*) FROM card_state WHERE suspended = 1")[0][0]
        out["log_rows"] = self._read("SELECT COUNT(*) FROM reviews")[0][0]
        return out

    def total_reviews(self, since: datetime | None = None, until: datetime | None = None) -> int:
        """Reviews in effect (undone ones excluded) with ``since <= reviewed_at < until``."""
        sql, params = self._window(f"SELECT COUNT(*) FROM reviews WHERE {_EFFECTIVE_REVIEW}", since, until)
        return self._read(sql, params)[0][0]

    def count_first_seen(self, since: datetime) -> int:
        """Cards whose first review in effect happened at or after ``since`` (new cards started)."""
        return self._read("SELECT COUNT(*) FROM card_state WHERE first_seen >= ?", (ts(since),))[0][0]

    def review_counts_by_key(self, since: datetime | None = None) -> dict[str, int]:
        """Reviews in effect per card key; reviews of a renamed key count for its new key."""
        sql, params = self._window(f"SELECT card_key, COUNT(*) FROM reviews WHERE {_EFFECTIVE_REVIEW}", since, None)
        renames = self.renames()
        if not renames:
            return dict(self._read(sql + " GROUP BY card_key", params))
        sql, params = self._window(f"SELECT id, card_key FROM reviews WHERE {_EFFECTIVE_REVIEW}", since, None)
        events = sorted([(i, k, None) for i, k in self._read(sql, params)]
                        + [(e.id, e.card_key, e.renamed_from) for e in renames])
        counts: Counter[str] = Counter()
        for _id, key, old in events:
            if old is None:
                counts[key] += 1
            elif old in counts:
                counts[key] += counts.pop(old)
        return dict(counts)

    def time_spent_seconds(self, since: datetime | None = None, until: datetime | None = None) -> float:
        """Sum of the recorded durations of reviews in effect in the window."""
        sql, params = self._window(
            f"SELECT COALESCE(SUM(duration_ms), 0) FROM reviews WHERE {_EFFECTIVE_REVIEW}", since, until)
        return self._read(sql, params)[0][0] / 1000

    @staticmethod
    def _window(sql: str, since: datetime | None, until: datetime | None) -> tuple[str, list[str]]:
        params = []
        if since is not None:
            sql += " AND reviewed_at >= ?"
            params.append(ts(since))
        if until is not None:
            sql += " AND reviewed_at < ?"
            params.append(ts(until))
        return sql, params

    def reviews_per_day(self, rollover_hour: int = 4, tz: tzinfo | None = None,
                        since: datetime | None = None) -> dict[date, int]:
        """Reviews in effect per study day (days without reviews are absent)."""
        sql, params = self._window(f"SELECT reviewed_at FROM reviews WHERE {_EFFECTIVE_REVIEW}", since, None)
        days = Counter(study_day(datetime.fromisoformat(r[0]), rollover_hour, tz) for r in self._read(sql, params))
        return dict(sorted(days.items()))

    def reviews_today(self, now: datetime | None = None, rollover_hour: int = 4, tz: tzinfo | None = None) -> int:
        now = now if now is not None else self.clock()
        return self.total_reviews(since=study_day_start(study_day(now, rollover_hour, tz), rollover_hour, tz))

    def time_today_seconds(self, now: datetime | None = None, rollover_hour: int = 4,
                           tz: tzinfo | None = None) -> float:
        now = now if now is not None else self.clock()
        return self.time_spent_seconds(since=study_day_start(study_day(now, rollover_hour, tz), rollover_hour, tz))

    def streak(self, now: datetime | None = None, rollover_hour: int = 4, tz: tzinfo | None = None) -> int:
        """Consecutive study days with at least one review, ending today (or yesterday, so the
        streak survives until you study today)."""
        now = now if now is not None else self.clock()
        days = set(self.reviews_per_day(rollover_hour, tz))
        day = study_day(now, rollover_hour, tz)
        if day not in days:
            day -= timedelta(days=1)
        streak = 0
        while day in days:
            streak += 1
            day -= timedelta(days=1)
        return streak

    # ---- maintenance -------------------------------------------------------------------------

    def integrity_check(self) -> str:
        return "\n".join(r[0] for r in self._read("PRAGMA integrity_check"))

    def backup(self, dest: str | Path) -> Path:
        """A consistent copy of the collection at ``dest`` (online, via SQLite's backup API)."""
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(dest)
        try:
            self._retry(lambda: self._db.backup(target))
        finally:
            target.close()
        return dest

    def meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self._write(lambda db: db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value)))


def _card_of(record: CardRecord | None) -> fsrs.Card | None:
    return record.card if record else None
