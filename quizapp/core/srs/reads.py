"""The collection's reads: card states, queues, history (following renames), counts and statistics.

A mixin of :class:`~quizapp.core.srs.store.Collection`; every query runs through the connection's
``_read``/``_retry`` (the lock, and patience while another program writes).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, NamedTuple

import fsrs
from fsrs import State

from quizapp.core.clock import study_day, study_day_start
from quizapp.core.srs.records import CardRecord, LogEntry, parse_ts, ts

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



class CollectionReads:
    """Read queries over the collection's tables (see :class:`~quizapp.core.srs.store.Collection`)."""

    clock: Any  # provided by CollectionConnection, as are _db, _read and _retry

    @staticmethod
    def _get(db: sqlite3.Connection, key: str) -> CardRecord | None:
        row = db.execute(f"SELECT {CardRecord.COLUMNS} FROM card_state WHERE card_key = ?", (key,)).fetchone()
        return CardRecord.from_row(row) if row else None

    @staticmethod
    def _is_active(db: sqlite3.Connection, key: str) -> bool:
        """``key`` has rows in the log and was not renamed away after its last one."""
        last = db.execute("SELECT MAX(id) FROM reviews WHERE card_key = ?", (key,)).fetchone()[0]
        if last is None:
            return False
        away = db.execute("SELECT MAX(id) FROM reviews WHERE renamed_from = ?", (key,)).fetchone()[0]
        return away is None or last > away

    @staticmethod
    def _entries(db: sqlite3.Connection, key: str | None = None) -> Iterable[LogEntry]:
        sql = f"SELECT {LogEntry.COLUMNS} FROM reviews"
        rows = (db.execute(sql + " WHERE card_key = ? ORDER BY id", (key,)) if key is not None
                else db.execute(sql + " ORDER BY id"))
        return (LogEntry.from_row(r) for r in rows)

    def quiz_results(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Stored quizzes, newest first (the same keys ``add_quiz_result`` takes, plus ``id``)."""
        rows = self._read(
            "SELECT id, started_at, finished_at, decks, kinds, total, correct, seconds, time_limit_s,"
            " detail FROM quiz_results ORDER BY finished_at DESC, id DESC LIMIT ?",
            (-1 if limit is None else int(limit),))
        return [{"id": r[0], "started_at": parse_ts(r[1]), "finished_at": parse_ts(r[2]),
                 "decks": json.loads(r[3]), "kinds": json.loads(r[4]), "total": r[5], "correct": r[6],
                 "seconds": r[7], "time_limit_s": r[8], "detail": json.loads(r[9])} for r in rows]


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

    def first_seen_keys(self, since: datetime) -> set[str]:
        """Keys of the cards whose first review in effect happened at or after ``since``."""
        return {r[0] for r in self._read("SELECT card_key FROM card_state WHERE first_seen >= ?", (ts(since),))}

    def keys_reviewed_since(self, since: datetime) -> set[str]:
        """Keys graded at or after ``since`` (reviews in effect; undone ones excluded)."""
        # no DISTINCT: SQLite would then walk the card_key index over the whole log (1 s at 1M rows)
        # instead of the reviewed_at index over today's rows
        sql, params = self._window(f"SELECT card_key FROM reviews WHERE {_EFFECTIVE_REVIEW}", since, None)
        return {r[0] for r in self._read(sql, params)}

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
