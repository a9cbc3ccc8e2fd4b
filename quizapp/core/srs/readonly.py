"""Open a collection for reading without creating anything beside it.

A plain (even ``mode=ro``) SQLite connection to a WAL database creates ``-wal`` and ``-shm`` next to
it when they are missing — beside a damaged file, on a full disk, in a folder we may only read. A
diagnosis or ``quizapp check`` must leave the folder exactly as it was, so:

* ``-wal`` and ``-shm`` both exist (quizapp is running, or crashed): ``mode=ro`` uses them, reads
  what the log holds and sees the other program's locks; nothing new is created;
* no ``-wal``: nobody has the file open and everything is in the main file, so it is read as
  ``immutable`` (no locks, no sidecars);
* a ``-wal`` but no ``-shm`` (another program holds it in exclusive locking mode, or a half-copied
  folder): ``mode=ro``, which reports the other program's lock, or may have to create the ``-shm``
  index when there is none — unless the folder cannot be written, then ``immutable`` (the main file
  as it is, without what the log holds).

:func:`connect_read_only` falls back to the last form when even reading needs room or rights we
lack (the ``-shm`` index of a log, on a full disk).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from quizapp.core.srs.write_errors import is_damage, is_lock_error


def _size(path: str) -> int | None:
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """The ``file:`` URI to read ``path`` as described in the module docs (decided now)."""
    path = Path(path).absolute()
    uri = path.as_uri()
    if immutable:
        return f"{uri}?mode=ro&immutable=1"
    wal, shm = _size(f"{path}-wal"), _size(f"{path}-shm")
    if wal is None or (shm is None and not os.access(path.parent, os.W_OK)):
        return f"{uri}?mode=ro&immutable=1"
    return f"{uri}?mode=ro"


def connect_read_only(path: Path, *, timeout: float = 1.0, immutable: bool = False,
                      check_same_thread: bool = True) -> sqlite3.Connection:
    """A read-only connection to ``path`` (see the module docs); ``query_only`` is on as well. The
    first page is read here, so a lock or damage raises now; when reading the log needs room or
    rights we lack (the ``-shm`` index, on a full disk), the main file is read as it is instead."""
    conn = sqlite3.connect(read_only_uri(path, immutable=immutable), uri=True, timeout=timeout,
                           isolation_level=None, check_same_thread=check_same_thread)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT COUNT(*) FROM sqlite_schema").fetchone()
    except sqlite3.OperationalError as error:
        conn.close()
        if immutable or is_lock_error(error) or is_damage(error):
            raise
        return connect_read_only(path, timeout=timeout, immutable=True, check_same_thread=check_same_thread)
    except BaseException:
        conn.close()
        raise
    return conn
