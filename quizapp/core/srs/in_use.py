"""Is the collection open in another connection — a running quizapp, or another program?

``restore`` asks before it puts a backup in place: whatever the running app wrote next would go to
the file moved aside. SQLite's own locks answer: a connection in exclusive locking mode gets its
exclusive lock only while no other connection has a WAL database open (in this process or another).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from quizapp.core.srs.health import diagnose
from quizapp.core.srs.write_errors import is_lock_error


def open_elsewhere(collection_path: Path) -> str | None:
    """Why the collection at ``collection_path`` is in use ("… is open in a running quizapp"), or
    None. A file that is not a healthy collection is not probed — its ``-wal``/``-shm`` must stay as
    they are, for the copy kept aside — and cannot be in use by a working quizapp anyway."""
    health = diagnose(collection_path)
    if health.problem == "locked":
        return f"{collection_path} is in use by another program"
    if not health.ok or health.problem is not None:
        return None
    try:
        probe = sqlite3.connect(f"{Path(collection_path).absolute().as_uri()}?mode=rw", uri=True, timeout=0,
                                isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        probe.execute("PRAGMA locking_mode = EXCLUSIVE")
        probe.execute("BEGIN EXCLUSIVE")
        probe.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        if is_lock_error(error):
            return f"{collection_path} is open in a running quizapp (or another program)"
    except sqlite3.Error:
        pass
    finally:
        probe.close()
    return None
