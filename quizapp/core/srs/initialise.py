"""A new collection appears whole or not at all.

SQLite creates a database file the moment it is opened and fills it in later, so a full disk (or a
kill) on the first run used to leave a 0-byte ``collection.sqlite3`` that the next start called
damaged. :func:`ensure_collection_file` instead initialises a new collection (WAL mode, every
migration) in a temporary file beside it, syncs it and only then gives it the collection's name: at
every moment the name is either absent or a whole, initialised collection. A 0-byte file found there
never held anything, and is replaced the same way.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from pathlib import Path

from quizapp.core.srs import migrations
from quizapp.core.srs.files import fsync, fsync_dir, remove_copy

_TEMP = re.compile(r"\.new-(\d+)-\d+$")


def never_written(path: Path) -> bool:
    """``path`` is a 0-byte file with no write-ahead log holding data: nothing was ever saved in it."""
    try:
        if path.stat().st_size != 0:
            return False
    except OSError:
        return False
    try:
        return Path(f"{path}-wal").stat().st_size == 0
    except OSError:
        return True


def ensure_collection_file(path: Path) -> bool:
    """Make sure ``path`` holds a collection, creating a whole one if there is none (or only a file
    that was never written). Returns True when it created one. Raises ``OSError``/``sqlite3.Error``
    (the caller classifies them) with ``path`` as it was: nothing half-made is left behind."""
    path = Path(path)
    exists = os.path.lexists(path)
    if exists:
        _sweep_dead_temps(path)  # a run killed between naming its copy and removing the temp name
        if not never_written(path):
            return False
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep_dead_temps(path)
    tmp = path.with_name(f"{path.name}.new-{os.getpid()}-{threading.get_ident()}")
    remove_copy(tmp)
    try:
        _initialise(tmp)
        if exists:  # a 0-byte file: replace it (it held nothing)
            if never_written(path):
                os.replace(tmp, path)
        else:
            _link_unless_present(tmp, path)
        fsync_dir(path.parent)
    finally:
        remove_copy(tmp)
    return True


def _initialise(tmp: Path) -> None:
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = FULL")
        if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise sqlite3.OperationalError("could not switch the new collection to WAL mode")
        migrations.apply_migrations(conn)
        busy, log, done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy or log != done:  # the log must be in the file before the file gets its name
            raise sqlite3.OperationalError("could not write the new collection to disk")
    finally:
        conn.close()
    wal = Path(f"{tmp}-wal")
    if wal.exists() and wal.stat().st_size:
        raise sqlite3.OperationalError("could not write the new collection to disk")
    fsync(tmp)


def _link_unless_present(tmp: Path, path: Path) -> None:
    """Give ``tmp`` the name ``path`` unless a file appeared there meanwhile (another quizapp
    creating it at the same moment: theirs is kept)."""
    try:
        os.link(tmp, path)  # fails if path exists: never clobbers
    except FileExistsError:
        return
    except OSError:  # no hard links on this file system
        if not os.path.lexists(path):
            os.replace(tmp, path)


def _sweep_dead_temps(path: Path) -> None:
    """Remove ``<name>.new-<pid>-…`` files left by a process killed while creating the collection."""
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return
    prefix = path.name + ".new-"
    for entry in entries:
        match = _TEMP.search(entry.name) if entry.name.startswith(prefix) else None
        if match and int(match[1]) != os.getpid() and not _alive(int(match[1])):
            remove_copy(entry)


def _alive(pid: int) -> bool:
    if os.name != "posix":  # os.kill(pid, 0) would end the process on Windows: assume it lives
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, ValueError):
        return True
    return True
