"""The collection's connection: opening, the write lock and its patience, one transaction per write.

Durability rules: WAL journal, ``synchronous=FULL``, every write is one ``BEGIN IMMEDIATE`` ...
``COMMIT`` finished before the method returns (a grade is on disk before the next card is shown).
Two processes serialise on the write lock (``busy_timeout``, then retries with backoff, for at most
``patience`` seconds) instead of failing with "database is locked".

Every write commits or raises a :class:`~quizapp.core.srs.write_errors.CollectionWriteError` with
nothing applied. Before each commit the file at the collection's path must still be the one opened
(same ``(st_dev, st_ino)``): a collection deleted or replaced by a restore while the app runs raises
:class:`~quizapp.core.srs.write_errors.CollectionMoved` instead of writing into a file nobody reads.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from quizapp.core.clock import Clock, utcnow
from quizapp.core.srs import migrations
from quizapp.core.srs.files import identity
from quizapp.core.srs.initialise import ensure_collection_file
from quizapp.core.srs.write_errors import CollectionBusy, CollectionMoved, is_lock_error, write_error

T = TypeVar("T")
BUSY_TIMEOUT_MS = 5000  # the longest one attempt waits inside SQLite (less when patience is shorter)


def moved_reason(path: Path, opened: tuple[int, int]) -> str | None:
    """Why the file at ``path`` is not the file ``opened`` (its ``(st_dev, st_ino)``), or None when
    it still is (or when we may not look: that is no proof it moved)."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        if not path.parent.is_dir():
            return f"its folder {path.parent} was deleted or renamed"
        return f"{path.name} was deleted or renamed"
    except OSError:
        return None
    if (st.st_dev, st.st_ino) != opened:
        return f"another file was put in place of {path.name}, by a restore or a copy"
    return None


class CollectionConnection:
    """One SQLite connection behind a lock (thread-safe), with writes that commit whole or raise."""

    def __init__(self, path: str | Path, clock: Clock = utcnow, *, patience: float = 120.0) -> None:
        self.path = Path(path)
        self.clock = clock
        self._patience = float(patience)  # seconds to keep retrying a locked database before giving up
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._opened: tuple[int, int] | None = None  # (st_dev, st_ino) of the file we write to
        in_memory = str(path) == ":memory:"
        self._where = self.path if in_memory else self.path.absolute()  # immune to a later chdir
        try:
            if not in_memory:
                ensure_collection_file(self._where)
            self._conn = sqlite3.connect(self._where if not in_memory else ":memory:",
                                         timeout=self._busy_ms() / 1000, isolation_level=None,
                                         check_same_thread=False)
            if not in_memory:
                self._opened = identity(self._where)
            self._retry(self._configure)
            self.schema_version = self._retry(lambda: migrations.apply_migrations(self._db))
        except Exception as error:
            self.close()
            failure = write_error(error, self.path)
            if failure is None or failure is error:
                raise
            raise failure from error
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(cls, path: str | Path, clock: Clock = utcnow, *, patience: float = 120.0):
        return cls(path, clock, patience=patience)

    @classmethod
    def reading(cls, connection: sqlite3.Connection, path: str | Path, clock: Clock = utcnow):
        """A collection over an open read-only ``connection`` to a file of the current schema (``quizapp
        check`` reads the user's file in place this way): nothing is configured or migrated, and any
        write fails with :class:`~quizapp.core.srs.write_errors.CollectionReadOnly`."""
        self = cls.__new__(cls)
        self.path, self.clock, self._patience = Path(path), clock, 5.0
        self._where, self._opened = self.path, None
        self._lock = threading.RLock()
        self._conn = connection
        self.journal_mode = None
        self.schema_version = migrations.LATEST_VERSION
        return self

    def _configure(self) -> None:
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {self._busy_ms()}")
        self.journal_mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")

    def __enter__(self):
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

    # ---- patience ----------------------------------------------------------------------------

    @property
    def patience(self) -> float:
        """Seconds a read or write waits for another program's lock before raising
        :class:`~quizapp.core.srs.write_errors.CollectionBusy` (the app passes a short one so the
        screen never freezes; scripts wait longer). Can be changed on an open collection."""
        return self._patience

    @patience.setter
    def patience(self, seconds: float) -> None:
        with self._lock:
            self._patience = max(float(seconds), 0.0)
            if self._conn is not None:
                self._conn.execute(f"PRAGMA busy_timeout = {self._busy_ms()}")

    def _busy_ms(self) -> int:
        return int(min(BUSY_TIMEOUT_MS, max(self._patience, 0.0) * 1000))

    # ---- transactions ------------------------------------------------------------------------

    def _retry(self, fn: Callable[[], T]) -> T:
        """Run ``fn``, retrying with jittered backoff while the database is locked or busy, for at
        most :attr:`patience` seconds (then :class:`CollectionBusy`)."""
        deadline = time.monotonic() + self._patience
        delay = 0.005
        while True:
            try:
                with self._lock:
                    return fn()
            except sqlite3.OperationalError as error:
                if not is_lock_error(error):
                    raise
                if time.monotonic() >= deadline:
                    raise CollectionBusy(self.path, self._patience) from error
                time.sleep(min(delay * (0.5 + random.random()), max(deadline - time.monotonic(), 0.001)))
                delay = min(delay * 2, 0.5)

    def _still_in_place(self, *, committed: bool) -> None:
        """Raise :class:`CollectionMoved` if the file at our path is no longer the one we write to."""
        if self._opened is None:
            return
        why = moved_reason(self._where, self._opened)
        if why is not None:
            raise CollectionMoved(self.path, why, saved_elsewhere=committed)

    def _hand_back_log(self) -> None:
        """Our file lost its name: move what our write-ahead log holds into that file (wherever it
        is now) and empty the log, so SQLite never replays it into the file that took the name (on
        close, SQLite leaves the log of a moved file behind). Best effort."""
        with self._lock:
            try:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass

    def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """``fn`` inside ``BEGIN IMMEDIATE`` … ``COMMIT``; committed (synchronous=FULL) on return.
        Anything else raises a :class:`~quizapp.core.srs.write_errors.CollectionWriteError` (errors
        of ``fn``'s own logic — ``ValueError``, :class:`UndoConflict` — pass through) with the
        transaction rolled back."""

        def attempt() -> T:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                result = fn(db)
                self._still_in_place(committed=False)
                db.execute("COMMIT")
            except BaseException:
                _rollback(db)
                raise
            self._still_in_place(committed=True)
            return result

        try:
            return self._retry(attempt)
        except CollectionMoved:
            self._hand_back_log()
            raise
        except Exception as error:
            failure = write_error(error, self.path)
            if failure is None or failure is error:
                raise
            raise failure from error

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        return self._retry(lambda: self._db.execute(sql, tuple(params)).fetchall())

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


def _rollback(db: sqlite3.Connection) -> None:
    """Roll back if a transaction is open; SQLite may already have rolled back (a full disk, an I/O
    error), and a failing ROLLBACK must not hide the error that caused it."""
    try:
        if db.in_transaction:
            db.execute("ROLLBACK")
    except sqlite3.Error:
        pass
