"""Real failing conditions for reliability tests: a tiny full disk, a read-only folder.

Made for real where the machine allows it — a tmpfs of a few KiB (needs root to mount), a read-only
bind mount (root) or ``chmod`` (a normal user, whom permissions stop) — and the test is skipped
elsewhere; each such test has a twin that makes SQLite fail the same way without them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

POSIX = sys.platform != "win32"


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def _mount(*args: str) -> bool:
    if not POSIX or os.geteuid() != 0:
        return False
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextmanager
def tiny_disk(tmp_path: Path, kib: int):
    """A real file system of ``kib`` KiB (tmpfs) — or skip the test where none can be mounted."""
    where = tmp_path / "disk"
    where.mkdir()
    if not _mount("-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", str(where)):
        pytest.skip("cannot mount a small tmpfs here (needs root); the SQLite-level twin covers it")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(disk: Path) -> Path:
    """Fill ``disk`` to the last byte (a tmpfs: quick)."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (1 << 16, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler


@contextmanager
def read_only_folder(tmp_path: Path):
    """A folder we may not write: ``chmod`` for a normal user; a read-only bind mount for root
    (permissions do not stop root); else skip."""
    src = tmp_path / "ro-src"
    src.mkdir()
    if POSIX and os.geteuid() != 0:
        src.chmod(0o555)
        try:
            yield src
        finally:
            src.chmod(0o755)
        return
    where = tmp_path / "ro"
    where.mkdir()
    if not (_mount("--bind", str(src), str(where)) and _mount("-o", "remount,bind,ro", str(where))):
        subprocess.run(["umount", str(where)], capture_output=True)
        pytest.skip("cannot make a read-only folder here")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)
