"""What the place a collection lives in allows: is the disk full, may we write there, is it a folder?

These questions are asked only after something failed (or, for a collection that does not exist yet,
before creating it), to tell the user the true reason — "the disk is full", "read-only" — instead of
calling a healthy file damaged. Nothing here writes anything.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

LOW_SPACE_BYTES = 1 << 20  # after a failed write, less free space than this means "the disk is full"


def existing_ancestor(path: Path) -> Path:
    """``path`` itself or its nearest ancestor that exists (what a ``mkdir -p`` would start from)."""
    path = Path(path).absolute()
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate):
            return candidate
    return Path(path.anchor or "/")


def free_bytes(folder: Path) -> int | None:
    """Bytes free for us on the file system holding ``folder`` (or its nearest existing ancestor)."""
    try:
        return shutil.disk_usage(existing_ancestor(folder)).free
    except OSError:
        return None


def disk_full(folder: Path) -> bool:
    """Less than :data:`LOW_SPACE_BYTES` free where ``folder`` is (asked after a write failed)."""
    free = free_bytes(folder)
    return free is not None and free < LOW_SPACE_BYTES


def _read_only_fs(folder: Path) -> bool:
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:  # Windows
        return False
    try:
        return bool(statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1))
    except OSError:
        return False


def not_a_folder(path: Path) -> Path | None:
    """The ancestor of ``path`` that exists but is not a folder (``QUIZAPP_HOME`` naming a file), or None."""
    found = existing_ancestor(Path(path).absolute().parent)
    return None if found.is_dir() else found


def write_blocker(path: Path) -> str | None:
    """Why the collection ``path`` (existing, or to be created) cannot be written, as the end of a
    sentence — "…/data is on a read-only file system" — or None when nothing stands in the way.
    Checks the folder (SQLite writes ``-wal``/``-shm`` beside the file) and, if it exists, the file."""
    path = Path(path).absolute()
    folder = existing_ancestor(path.parent)
    if not folder.is_dir():
        return f"{folder} is a file, not a folder"
    if _read_only_fs(folder):
        return f"{folder} is on a read-only file system"
    if not os.access(folder, os.W_OK):
        return f"permission denied: quizapp may not create files in {folder}"
    if path.exists() and not os.access(path, os.W_OK):
        return f"permission denied: {path} is read-only"
    return None
