"""diagnose(): a plain verdict on any file — damaged, foreign, too new, locked — and it never raises."""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.core.srs import health as health_mod
from quizapp.core.srs.backups import open_collection
from quizapp.core.srs.health import CollectionBroken, diagnose
from quizapp.core.srs.migrations import LATEST_VERSION
from quizapp.core.srs.scheduling import new_card
from quizapp.core.srs.store import Collection


def _collection(path: Path, clock, cards: int = 40) -> Path:
    with Collection(path, clock) as col:
        for i in range(cards):
            col.log_review(f"d:c{i}", Rating.Good, new_card(f"d:c{i}", clock()), answer="x" * 200)
    return path


@pytest.fixture
def good(db_path, clock) -> Path:
    return _collection(db_path, clock)


def _assert_refused_untouched(path: Path, tmp_path: Path) -> None:
    """Opening the careful way refuses the file and leaves its bytes alone."""
    before = path.read_bytes()
    with pytest.raises(CollectionBroken):
        open_collection(path, tmp_path / "backups")
    assert path.read_bytes() == before


def test_a_healthy_collection_is_ok_with_its_review_count(good):
    health = diagnose(good, thorough=True)
    assert health.ok and health.problem is None
    assert (health.version, health.reviews) == (LATEST_VERSION, 40)
    assert not health.needs_upgrade
    quick = diagnose(good)  # start-up's check: header, version, tables — no scan, no count
    assert quick.ok and quick.problem is None and quick.reviews is None


def test_missing_is_fine_a_new_collection_is_made(tmp_path):
    health = diagnose(tmp_path / "nope.sqlite3")
    assert health.ok and health.problem == "missing"


def test_truncated_collection(good, tmp_path):
    data = good.read_bytes()
    good.write_bytes(data[: len(data) // 2])
    health = diagnose(good)
    assert (health.ok, health.problem) == (False, "truncated")
    assert f"{len(data) // 2:,} bytes" in health.detail and f"{len(data):,}" in health.detail
    assert "cut short" in health.headline
    _assert_refused_untouched(good, tmp_path)


def test_collection_cut_inside_the_header(good, tmp_path):
    good.write_bytes(good.read_bytes()[:60])
    assert diagnose(good).problem == "truncated"
    good.write_bytes(b"SQLite for")
    assert diagnose(good).problem == "truncated"


def test_an_empty_file_was_never_written_and_becomes_a_new_collection(tmp_path, clock):
    path = tmp_path / "collection.sqlite3"
    path.write_bytes(b"")  # what a first run killed (or out of space) while creating it used to leave
    health = diagnose(path)
    assert (health.ok, health.problem, health.damaged) == (True, "empty", False)
    assert "ever saved" in health.detail and "gone" not in health.message()
    col, _ = open_collection(path, tmp_path / "backups", clock=clock)
    with col:
        assert col.total_reviews() == 0 and col.integrity_check() == "ok"


def test_an_empty_file_with_backups_was_emptied_and_is_refused(good, tmp_path, clock):
    from quizapp.core.srs.backups import take_backup

    with Collection(good, clock) as col:
        take_backup(col, tmp_path / "backups")
    good.write_bytes(b"")
    with pytest.raises(CollectionBroken) as caught:
        open_collection(good, tmp_path / "backups", clock=clock)
    health = caught.value.health
    assert (health.ok, health.problem, health.damaged) == (False, "empty", True)
    assert "backups" in health.detail
    assert good.read_bytes() == b""


def test_garbage(tmp_path):
    path = tmp_path / "collection.sqlite3"
    path.write_bytes(random.Random(1).randbytes(3000))
    health = diagnose(path)
    assert (health.ok, health.problem) == (False, "not_sqlite")
    assert "3,000 bytes" in health.detail and "not a database" in health.headline
    _assert_refused_untouched(path, tmp_path)


def test_damaged_pages_are_corrupt(good, tmp_path):
    with sqlite3.connect(good) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = db.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(good.read_bytes())
    data[3 * page: 3 * page + 600] = b"\x55" * 600  # smash the start of a b-tree page
    good.write_bytes(bytes(data))
    health = diagnose(good, thorough=True)
    assert (health.ok, health.problem) == (False, "corrupt")
    assert health.detail.startswith(("SQLite reports:", "SQLite says:"))
    _assert_refused_untouched(good, tmp_path)


def test_big_files_skip_the_page_scan_at_start_up(good, monkeypatch):
    with sqlite3.connect(good) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = db.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(good.read_bytes())
    data[3 * page: 3 * page + 600] = b"\x55" * 600
    good.write_bytes(bytes(data))
    assert diagnose(good).problem == "corrupt"  # small: quick_check at start-up
    monkeypatch.setattr(health_mod, "QUICK_CHECK_MAX_BYTES", 0)
    assert diagnose(good).ok  # big: left to the daily backup's verification
    assert diagnose(good, thorough=True).problem == "corrupt"


def test_another_programs_database_is_wrong_schema(tmp_path):
    path = tmp_path / "collection.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    health = diagnose(path)
    assert (health.ok, health.problem) == (False, "wrong_schema")
    assert "moz_places" in health.detail and "not a quizapp collection" in health.headline
    _assert_refused_untouched(path, tmp_path)


def test_tables_missing_is_wrong_schema(good, tmp_path):
    with sqlite3.connect(good) as db:
        db.execute("DROP TABLE card_state")
    health = diagnose(good)
    assert (health.ok, health.problem) == (False, "wrong_schema")
    assert "'card_state'" in health.detail
    _assert_refused_untouched(good, tmp_path)


def test_an_empty_sqlite_database_is_fine(tmp_path):
    path = tmp_path / "collection.sqlite3"
    sqlite3.connect(path).execute("PRAGMA user_version = 0").connection.close()
    assert diagnose(path).ok


def test_too_new(good, tmp_path):
    with sqlite3.connect(good) as db:
        db.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    health = diagnose(good)
    assert (health.ok, health.problem, health.version) == (False, "too_new", LATEST_VERSION + 1)
    assert "newer version of quizapp" in health.headline and "Upgrade quizapp" in health.detail
    _assert_refused_untouched(good, tmp_path)


def test_a_writer_in_progress_is_fine(good):
    other = sqlite3.connect(good, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
        health = diagnose(good, thorough=True)  # WAL: readers are not blocked by the writer
        assert health.ok and health.problem is None and health.reviews == 40
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_an_exclusive_lock_is_locked_but_fine(good, monkeypatch):
    monkeypatch.setattr(health_mod, "LOCK_WAIT_MS", 50)
    other = sqlite3.connect(good, isolation_level=None)
    try:
        other.execute("PRAGMA locking_mode = EXCLUSIVE")
        other.execute("BEGIN EXCLUSIVE")
        other.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
        health = diagnose(good)
        assert (health.ok, health.problem) == (True, "locked")
        assert "another program" in health.headline
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert diagnose(good).problem is None


def test_diagnose_does_not_change_the_file(good):
    before = good.read_bytes()
    diagnose(good, thorough=True)
    assert good.read_bytes() == before


@pytest.mark.parametrize("seed", range(20))
def test_never_raises_on_mangled_files(good, seed):
    rng = random.Random(seed)
    data = bytearray(good.read_bytes())
    for _ in range(rng.randint(1, 40)):
        i = rng.randrange(len(data))
        data[i] = rng.randrange(256)
    if seed % 3 == 0:
        data = data[: rng.randrange(len(data))]
    good.write_bytes(bytes(data))
    for pathname in (good, good.parent):  # a file and a folder
        health = diagnose(pathname, thorough=bool(seed % 2))
        assert isinstance(health.ok, bool) and health.headline
        if not health.ok:
            assert health.problem and health.detail


def test_a_folder_is_unreadable(tmp_path):
    health = diagnose(tmp_path)
    assert (health.ok, health.problem) == (False, "unreadable")


def test_headline_and_message_are_plain_sentences(tmp_path):
    path = tmp_path / "c.sqlite3"
    path.write_bytes(os.urandom(10) + b"x" * 500)
    message = diagnose(path).message()
    assert message.endswith(".") and "Traceback" not in message
