"""Issue 13, items 3 (core side), 4 and 5: the collection's surroundings fail — a read-only folder, a
full disk, a lock held by another program, the file deleted or replaced while the app runs.

What a user must see: the true reason in one line ("the disk is full — free some space and start
again", "read-only"), never "damaged" for a healthy file and never an offer to restore a backup over
it; a write is committed whole or raises :class:`CollectionWriteError` with nothing applied; a
read-only check creates nothing beside the collection.

Real conditions where the machine allows it: a tiny tmpfs for a full disk and a read-only bind mount
(root) or ``chmod`` (non-root) for a read-only folder; those tests are skipped elsewhere, and each has
a twin that makes SQLite itself fail the same way (``max_page_count`` gives SQLite's real "database
or disk is full"; ``query_only`` its real "attempt to write a readonly database").
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.cli import main
from quizapp.core.clock import FrozenClock
from quizapp.core.srs import backups as B
from quizapp.core.srs import initialise, surroundings
from quizapp.core.srs.backups import open_collection, take_backup
from quizapp.core.srs.health import CollectionBroken, diagnose
from quizapp.core.srs.migrations import LATEST_VERSION
from quizapp.core.srs.scheduling import new_card
from quizapp.core.srs.store import Collection

from real_conditions import POSIX, fill, listing, read_only_folder, tiny_disk

START = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


def grade(col: Collection, key: str, clock) -> None:
    col.log_review(key, Rating.Good, new_card(key, clock()), answer="x" * 400)


def make_collection(path: Path, clock, reviews: int, backup_after: int | None = None) -> Path:
    with Collection(path, clock) as col:
        for i in range(reviews):
            grade(col, f"d:c{i}", clock)
            if backup_after is not None and i + 1 == backup_after:
                take_backup(col, path.parent / "backups")
    return path


# ---- item 4: a read-only data folder is a permission problem, not damage -------------------------


def test_read_only_empty_data_dir_says_cannot_write_not_damaged(tmp_path, clock, capsys):
    with read_only_folder(tmp_path) as folder:
        assert main(["--data-dir", str(folder), "stats"], clock=clock) == 1
        err = capsys.readouterr().err
        assert "read-only file system" in err and "may not write" in err
        assert "damaged" not in err.replace("Nothing is damaged", "") and "integrity" not in err
        assert "restore" not in err  # no restore or "new collection" offered for a permission problem
        health = diagnose(folder / "collection.sqlite3")
        assert (health.ok, health.problem, health.damaged, health.offers_recovery) == (False, "read_only", False, False)
        assert listing(folder) == []


def test_a_healthy_collection_in_a_read_only_folder_is_read_only_and_untouched(tmp_path, clock, capsys):
    src = tmp_path / "ro-src"
    with read_only_folder(tmp_path) as folder:
        if folder == src:
            src.chmod(0o755)
        make_collection(src / "collection.sqlite3", clock, 3)
        if folder == src:
            src.chmod(0o555)
        before = listing(folder)
        assert main(["--data-dir", str(folder), "stats"], clock=clock) == 1
        err = capsys.readouterr().err
        assert "read-only" in err and "restore" not in err
        assert listing(folder) == before  # not even a -wal/-shm


def test_read_only_as_diagnose_sees_it_when_permissions_say_no(tmp_path, monkeypatch):
    """The twin of the real read-only folder for machines without one: os.access says no."""
    real_access = os.access
    monkeypatch.setattr(surroundings.os, "access",
                        lambda p, mode, **kw: False if mode & os.W_OK else real_access(p, mode, **kw))
    health = diagnose(tmp_path / "data" / "collection.sqlite3")
    assert (health.ok, health.problem) == (False, "read_only")
    assert f"may not create files in {tmp_path}" in health.detail
    with pytest.raises(CollectionBroken) as caught:
        open_collection(tmp_path / "data" / "collection.sqlite3", tmp_path / "backups")
    assert caught.value.health.problem == "read_only"
    assert listing(tmp_path) == []


# ---- item 4: a full disk on the first run creates nothing -----------------------------------------


def test_first_run_on_a_full_disk_creates_nothing_and_works_once_space_is_freed(tmp_path, clock, capsys):
    with tiny_disk(tmp_path, 512) as disk:
        filler = fill(disk)
        data = disk / "data"
        assert main(["--data-dir", str(data), "stats"], clock=clock) == 1
        err = capsys.readouterr().err
        assert "The disk is full — free some space and start again." in err
        assert "gone" not in err and "restore" not in err
        assert not (data / "collection.sqlite3").exists()  # no 0-byte file to be called damaged later
        assert [n for n in listing(data) if "collection" in n] == []
        filler.unlink()
        assert main(["--data-dir", str(data), "stats"], clock=clock) == 0
        health = diagnose(data / "collection.sqlite3", thorough=True)
        assert health.ok and health.problem is None and health.version == LATEST_VERSION


def test_sqlite_full_while_creating_leaves_no_file(tmp_path, clock, monkeypatch):
    """The twin without a tmpfs: SQLite's own "database or disk is full" while setting up."""
    real_connect = sqlite3.connect

    def cramped(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.execute("PRAGMA max_page_count = 3")  # the schema needs more pages than that
        return conn

    monkeypatch.setattr(initialise.sqlite3, "connect", cramped)
    path = tmp_path / "data" / "collection.sqlite3"
    with pytest.raises(CollectionBroken) as caught:
        open_collection(path, tmp_path / "backups", clock=clock)
    health = caught.value.health
    assert (health.problem, health.damaged, health.offers_recovery) == ("no_space", False, False)
    assert health.headline == "The disk is full — free some space and start again."
    assert listing(path.parent) == []  # neither the collection nor a temporary copy
    monkeypatch.undo()
    col, _ = open_collection(path, tmp_path / "backups", clock=clock)
    with col:
        grade(col, "d:a", clock)
        assert col.total_reviews() == 1


@pytest.mark.skipif(not POSIX, reason="uses SIGKILL")
def test_a_first_run_killed_at_any_moment_leaves_no_collection_or_a_whole_one(tmp_path):
    code = "import sys\nfrom quizapp.core.srs.store import Collection\nCollection(sys.argv[1]).close()\n"
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "timed" / "collection.sqlite3")], check=True)
    whole = time.monotonic() - started  # ~0.08 s: start, import, create
    for run in range(16):
        path = tmp_path / f"r{run}" / "collection.sqlite3"
        proc = subprocess.Popen([sys.executable, "-c", code, str(path)])
        time.sleep(whole * (0.5 + 0.6 * run / 15))  # kills land before, during and after the creation
        proc.kill()
        proc.wait(timeout=10)
        if path.exists():
            health = diagnose(path, thorough=True)
            assert health.ok and health.problem is None and health.version == LATEST_VERSION, health
        with Collection(path, lambda: START) as col:  # and the next start always works
            assert col.total_reviews() == 0
        assert [n for n in listing(path.parent) if ".new-" in n] == []  # the dead run's copy is swept


# ---- item 4: a full disk with a healthy collection is not damage ----------------------------------


def test_full_disk_with_a_healthy_collection_says_so_and_offers_no_restore(tmp_path, clock, capsys):
    with tiny_disk(tmp_path, 4096) as disk:
        data = disk / "data"
        data.mkdir()
        path = make_collection(data / "collection.sqlite3", clock, 15, backup_after=5)
        before = path.read_bytes()
        filler = fill(disk)
        assert main(["--data-dir", str(data), "stats"], clock=clock) == 1
        err = capsys.readouterr().err
        assert "The disk is full — free some space and start again." in err
        assert "cannot be read" not in err and "disk I/O error" not in err and "restore" not in err
        assert main(["--data-dir", str(data), "restore"], clock=clock) == 1  # healthy: not replaced
        capsys.readouterr()
        assert path.read_bytes() == before
        assert diagnose(path, thorough=True).reviews == 15
        filler.unlink()
        assert main(["--data-dir", str(data), "stats", "--json"], clock=clock) == 0
        assert '"reviews_total": 15' in capsys.readouterr().out


def test_no_room_for_the_index_is_no_space_even_as_an_io_error(tmp_path, clock, monkeypatch):
    """SQLite reports a file it cannot grow (the ``-shm`` index) as "disk I/O error": with the disk
    full, that is no_space — the twin of the tmpfs test above."""
    path = make_collection(tmp_path / "collection.sqlite3", clock, 2)
    monkeypatch.setattr(B, "Collection", _failing_open(sqlite3.OperationalError("disk I/O error")))
    monkeypatch.setattr(surroundings, "free_bytes", lambda folder: 0)
    with pytest.raises(CollectionBroken) as caught:
        open_collection(path, tmp_path / "backups", clock=clock)
    assert caught.value.health.problem == "no_space" and not caught.value.health.offers_recovery
    monkeypatch.setattr(surroundings, "free_bytes", lambda folder: 10 << 30)  # room: a real I/O error
    with pytest.raises(CollectionBroken) as caught:
        open_collection(path, tmp_path / "backups", clock=clock)
    assert caught.value.health.problem == "unreadable"


def _failing_open(error: Exception):
    """A stand-in for Collection() that fails as SQLite did, classified as the real one does."""
    from quizapp.core.srs.write_errors import write_error

    def collection(path, *args, **kwargs):
        raise write_error(error, Path(path)) from error

    return collection


# ---- item 4: `check` reads without writing, and never calls a damaged collection "0 orphans" ------

DECK = "+++\ndeck = \"d\"\ntitle = \"D\"\n+++\n\n**Q: One?** <!-- id: one -->\nA: 1.\n"


@pytest.fixture
def deck(tmp_path) -> Path:
    path = tmp_path / "d.md"
    path.write_text(DECK, encoding="utf-8")
    return path


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _smash_a_page(path: Path) -> None:
    with sqlite3.connect(path) as db:
        page = db.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    data[3 * page: 3 * page + 600] = b"\x55" * 600
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncate, _smash_a_page])
def test_check_orphans_on_a_damaged_collection_reports_it_and_creates_nothing(tmp_path, clock, deck, capsys,
                                                                              damage):
    data = tmp_path / "data"
    data.mkdir()
    path = make_collection(data / "collection.sqlite3", clock, 40)
    damage(path)
    before, size = listing(data), path.stat().st_size
    assert main(["check", str(deck), "--data-dir", str(data), "--orphans"], clock=clock) == 1
    out = capsys.readouterr().out
    assert "cannot read the collection" in out and "damaged" in out or "cut short" in out
    assert not re.search(r"\d+ orphans? \(history kept", out)
    assert main(["check", str(deck), "--data-dir", str(data), "--orphans", "--json"], clock=clock) == 1
    assert '"problem": "' in capsys.readouterr().out
    assert main(["check", str(deck), "--data-dir", str(data)], clock=clock) == 0  # the deck itself is fine
    capsys.readouterr()
    diagnose(path, thorough=True)
    assert listing(data) == before and path.stat().st_size == size  # no -wal, no -shm, no change


def test_check_of_a_healthy_collection_creates_no_sidecars(tmp_path, clock, deck, capsys):
    data = tmp_path / "data"
    data.mkdir()
    make_collection(data / "collection.sqlite3", clock, 3)
    assert main(["check", str(deck), "--data-dir", str(data), "--orphans"], clock=clock) == 0
    assert "3 orphans" in capsys.readouterr().out
    assert listing(data) == ["collection.sqlite3"]
