"""Small file-system helpers shared by the store and the backups: fsync, and removing our own copies."""

from __future__ import annotations

import os
from pathlib import Path

SIDECARS = ("-wal", "-shm", "-journal")  # the files SQLite keeps beside a database


def remove_copy(tmp: Path) -> None:
    """Remove a half-written copy of ours and its sidecars (never a user's file: callers pass only
    names they made up, ``*.tmp``/``*.restoring``/``*.new-…``)."""
    for suffix in ("", *SIDECARS):
        try:
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        except OSError:
            pass


def fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: not every platform can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def identity(path: Path) -> tuple[int, int] | None:
    """``(st_dev, st_ino)`` of the file at ``path``, or None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino
