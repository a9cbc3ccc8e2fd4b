"""Daily rotating backups (verified before pruning), restore that keeps the broken file aside, and
the `quizapp backup` / `quizapp restore` commands."""

from __future__ import annotations

import os
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.cli import main
from quizapp.core.srs import backups as B
from quizapp.core.srs.backups import (
    KEEP, BackupError, daily_backup, daily_path, list_backups, local_day, move_aside, newest_good_backup,
    open_collection, restore, take_backup,
)
from quizapp.core.srs.health import CollectionBroken, Health, diagnose
from quizapp.core.srs.scheduling import new_card
from quizapp.core.srs.store import Collection


def _review(col: Collection, key: str) -> None:
    col.log_review(key, Rating.Good, new_card(key, col.clock()), duration_ms=1000)


def _reviews_in(path: Path) -> int:
    return diagnose(path, thorough=True).reviews


@pytest.fixture
def backups_dir(tmp_path) -> Path:
    return tmp_path / "backups"


def test_rotation_keeps_the_newest_seven_over_ten_days(collection, clock, backups_dir):
    taken = []
    for day in range(10):
        _review(collection, f"d:c{day}")
        backup = daily_backup(collection, backups_dir)
        assert backup is not None and backup.good
        taken.append(local_day(clock))
        clock.advance(days=1)
    kept = list_backups(backups_dir)
    assert len(kept) == KEEP
    assert [b.day for b in kept] == sorted(taken, reverse=True)[:KEEP]  # newest first
    assert [b.path.name for b in kept][0] == f"collection-{taken[-1].isoformat()}.sqlite3"
    for i, backup in enumerate(kept):  # each one verified, self-contained, with that day's reviews
        assert backup.check().good
        assert _reviews_in(backup.path) == 10 - i
        assert not Path(f"{backup.path}-wal").exists()
    assert sorted(os.listdir(backups_dir)) == sorted(b.path.name for b in kept)  # no temp files left


def test_at_most_one_backup_per_day(collection, clock, backups_dir):
    _review(collection, "d:a")
    first = daily_backup(collection, backups_dir)
    assert first is not None
    stamp = first.path.stat().st_mtime_ns
    _review(collection, "d:b")
    clock.advance(hours=3)
    assert daily_backup(collection, backups_dir) is None  # the cheap check: today's file exists
    assert first.path.stat().st_mtime_ns == stamp and _reviews_in(first.path) == 1
    manual = take_backup(collection, backups_dir)  # `quizapp backup`: replaces today's, verified
    assert manual.path == first.path and _reviews_in(manual.path) == 2
    assert len(list_backups(backups_dir)) == 1


def test_an_empty_collection_is_not_backed_up(collection, backups_dir):
    assert daily_backup(collection, backups_dir) is None
    assert list_backups(backups_dir) == []


def test_a_backup_that_fails_verification_prunes_nothing(collection, clock, backups_dir, monkeypatch):
    for day in range(KEEP):
        _review(collection, f"d:c{day}")
        daily_backup(collection, backups_dir)
        clock.advance(days=1)
    before = sorted(os.listdir(backups_dir))
    real = B.diagnose

    def failing(path, **kwargs):
        if str(path).endswith(".tmp"):
            return Health(False, "corrupt", "SQLite reports: page 3 is broken.", Path(path))
        return real(path, **kwargs)

    monkeypatch.setattr(B, "diagnose", failing)
    _review(collection, "d:late")
    with pytest.raises(BackupError, match="failed verification"):
        daily_backup(collection, backups_dir)
    assert sorted(os.listdir(backups_dir)) == before  # nothing pruned, no half-written copy
    assert not daily_path(backups_dir, local_day(clock)).exists()


def test_open_collection_reports_a_failed_daily_backup_but_opens(tmp_path, clock, monkeypatch):
    path = tmp_path / "collection.sqlite3"
    with Collection(path, clock) as col:
        _review(col, "d:a")

    def boom(*_args, **_kwargs):
        raise BackupError("disk full")

    monkeypatch.setattr(B, "daily_backup", boom)
    col, notices = open_collection(path, tmp_path / "backups", clock=clock)
    with col:
        assert col.total_reviews() == 1
    assert notices == ["Today's backup of the collection failed: disk full"]


def test_list_backups_ignores_other_files_and_sorts_newest_first(backups_dir):
    backups_dir.mkdir()
    for name in ("collection-2026-11-01.sqlite3", "collection-2026-11-03.sqlite3", "collection-2026-11-03-v1.sqlite3",
                 "collection-2026-11-02.sqlite3.tmp", "notes.txt", "collection-2026-13-45.sqlite3"):
        (backups_dir / name).write_bytes(b"")
    assert [b.name for b in list_backups(backups_dir)] == [
        "collection-2026-11-03.sqlite3", "collection-2026-11-03-v1.sqlite3", "collection-2026-11-01.sqlite3"]
    assert list_backups(backups_dir / "missing") == []


def test_pruning_keeps_pre_upgrade_copies(backups_dir):
    backups_dir.mkdir()
    (backups_dir / "collection-2026-01-01-v1.sqlite3").write_bytes(b"")
    for day in range(1, 11):
        (backups_dir / f"collection-2026-02-{day:02d}.sqlite3").write_bytes(b"")
    removed = B.prune(backups_dir)
    assert len(removed) == 3 and all("2026-02-0" in p.name for p in removed)
    assert (backups_dir / "collection-2026-01-01-v1.sqlite3").exists()


def test_newest_good_backup_skips_a_damaged_one(collection, clock, backups_dir):
    for key in ("d:a", "d:b", "d:c"):
        _review(collection, key)
        daily_backup(collection, backups_dir)
        clock.advance(days=1)
    newest, middle, _oldest = list_backups(backups_dir)
    newest.path.write_bytes(os.urandom(5000))
    good = newest_good_backup(backups_dir)
    assert good.path == middle.path and good.reviews == 2 and good.good
    assert good.describe() == f"{middle.day.isoformat()} · 2 reviews"
    assert newest_good_backup(backups_dir / "none") is None


def _broken_collection_with_backup(tmp_path: Path, clock) -> tuple[Path, Path, bytes]:
    path = tmp_path / "collection.sqlite3"
    with Collection(path, clock) as col:
        for key in ("d:a", "d:b", "d:c"):
            _review(col, key)
        take_backup(col, tmp_path / "backups")
        _review(col, "d:lost")  # made after the backup: not coming back
    garbage = os.urandom(3000)
    path.write_bytes(garbage)
    Path(f"{path}-wal").write_bytes(b"a stale write-ahead log")
    return path, tmp_path / "backups", garbage


def test_restore_keeps_the_broken_file_aside_and_brings_the_backup_back(tmp_path, clock):
    path, backups_dir, garbage = _broken_collection_with_backup(tmp_path, clock)
    with pytest.raises(CollectionBroken):
        open_collection(path, backups_dir, clock=clock)
    done = restore(newest_good_backup(backups_dir), path, now=clock())
    stamp = clock().astimezone().strftime("%Y%m%d-%H%M%S")
    assert done.kept_aside == path.with_name(f"collection.sqlite3.broken-{stamp}")
    assert done.kept_aside.read_bytes() == garbage  # never deleted
    assert Path(f"{done.kept_aside}-wal").read_bytes() == b"a stale write-ahead log"  # moved with it
    assert not Path(f"{path}-wal").exists()  # so it is never applied to the restored file
    assert not list(tmp_path.glob("*.restoring*"))
    col, _ = open_collection(path, backups_dir, clock=clock)
    with col:
        assert col.total_reviews() == 3 and col.integrity_check() == "ok"
        assert set(col.states()) == {"d:a", "d:b", "d:c"}
    again = restore(newest_good_backup(backups_dir), path, now=clock())  # a second restore, same second
    assert again.kept_aside.name == f"collection.sqlite3.broken-{stamp}-1"


def test_restore_refuses_a_bad_backup_and_changes_nothing(tmp_path, clock):
    path, backups_dir, garbage = _broken_collection_with_backup(tmp_path, clock)
    (backup,) = list_backups(backups_dir)
    backup.path.write_bytes(backup.path.read_bytes()[:2000])
    with pytest.raises(BackupError, match="not usable"):
        restore(backup, path, now=clock())
    assert path.read_bytes() == garbage
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "collection.sqlite3", "collection.sqlite3-wal"]


def test_move_aside_then_a_new_collection(tmp_path, clock):
    path, backups_dir, garbage = _broken_collection_with_backup(tmp_path, clock)
    kept = move_aside(path, now=clock())
    assert kept.read_bytes() == garbage and not path.exists() and not Path(f"{path}-wal").exists()
    col, _ = open_collection(path, backups_dir, clock=clock)
    with col:
        assert col.total_reviews() == 0
    assert move_aside(tmp_path / "nothing.sqlite3") is None


def test_backup_of_a_file_before_upgrading_is_a_verified_copy(tmp_path, clock):
    path = tmp_path / "collection.sqlite3"
    with Collection(path, clock) as col:
        _review(col, "d:a")
    backup = B.backup_before_upgrade(path, tmp_path / "backups", 2, day=date(2026, 1, 2))
    assert backup.path.name == "collection-2026-01-02-v2.sqlite3" and backup.good
    assert "taken before upgrading from schema v2" in backup.describe()


# ---- command line ------------------------------------------------------------------------------


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def _data_dir_with_reviews(tmp_path: Path, n: int = 2) -> Path:
    data = tmp_path / "data"
    with Collection(data / "collection.sqlite3") as col:
        for i in range(n):
            _review(col, f"d:c{i}")
    return data


def test_cli_backup_and_list(tmp_path, capsys):
    data = _data_dir_with_reviews(tmp_path)
    code, out, _ = run(["backup", "--data-dir", str(data)], capsys)
    today = daily_path(data / "backups", local_day())
    assert code == 0 and str(today) in out and "2 reviews" in out and "verified" in out
    code, out, _ = run(["backup", "--data-dir", str(data)], capsys)  # again: replaces today's
    assert code == 0 and len(list_backups(data / "backups")) == 1
    code, out, _ = run(["backup", "--list", "--data-dir", str(data)], capsys)
    assert code == 0 and today.name in out and "2 reviews" in out
    code, out, _ = run(["backup", "--list", "--json", "--data-dir", str(data)], capsys)
    import json

    (entry,) = json.loads(out)
    assert entry["ok"] and entry["reviews"] == 2 and entry["date"] == local_day().isoformat()


def test_cli_restore_on_a_broken_collection(tmp_path, capsys):
    data = _data_dir_with_reviews(tmp_path, 3)
    assert run(["backup", "--data-dir", str(data)], capsys)[0] == 0
    collection = data / "collection.sqlite3"
    collection.write_bytes(b"\x00garbage" * 300)
    code, _, err = run(["stats", "--data-dir", str(data)], capsys)
    assert code == 1 and str(collection) in err and "not a database" in err
    assert "`quizapp restore`" in err and "3 reviews" in err and "Traceback" not in err
    code, out, _ = run(["restore", "--data-dir", str(data)], capsys)
    assert code == 0 and "3 reviews" in out and ".broken-" in out
    (aside,) = data.glob("collection.sqlite3.broken-*")
    assert aside.read_bytes() == b"\x00garbage" * 300
    code, out, _ = run(["stats", "--json", "--data-dir", str(data)], capsys)
    assert code == 0


def test_cli_restore_refuses_to_replace_a_healthy_collection_without_force(tmp_path, capsys):
    data = _data_dir_with_reviews(tmp_path, 2)
    run(["backup", "--data-dir", str(data)], capsys)
    with Collection(data / "collection.sqlite3") as col:
        _review(col, "d:newer")
    code, _, err = run(["restore", "--data-dir", str(data)], capsys)
    assert code == 1 and "healthy (3 reviews)" in err and "--force" in err
    assert not list(data.glob("*.broken-*"))
    code, out, _ = run(["restore", local_day().isoformat(), "--force", "--data-dir", str(data)], capsys)
    assert code == 0 and len(list(data.glob("collection.sqlite3.broken-*"))) == 1
    assert diagnose(data / "collection.sqlite3", thorough=True).reviews == 2


def test_cli_restore_without_backups(tmp_path, capsys):
    (tmp_path / "collection.sqlite3").write_bytes(b"junk" * 100)
    code, _, err = run(["restore", "--data-dir", str(tmp_path)], capsys)
    assert code == 1 and "no good backup" in err
    code, _, err = run(["restore", "2020-01-01", "--data-dir", str(tmp_path)], capsys)
    assert code == 1 and "no backup '2020-01-01'" in err
    code, _, err = run(["stats", "--data-dir", str(tmp_path)], capsys)
    assert code == 1 and "There is no good backup" in err


def test_cli_stats_on_a_too_new_collection_says_upgrade(tmp_path, capsys):
    data = _data_dir_with_reviews(tmp_path, 1)
    with sqlite3.connect(data / "collection.sqlite3") as db:
        db.execute("PRAGMA user_version = 999")
    code, _, err = run(["stats", "--data-dir", str(data)], capsys)
    assert code == 1 and "newer version of quizapp" in err and "Upgrade quizapp" in err


def test_first_open_of_the_day_takes_the_backup(tmp_path, clock):
    path = tmp_path / "collection.sqlite3"
    with Collection(path, clock) as col:
        _review(col, "d:a")
    for _ in range(3):
        col, _ = open_collection(path, tmp_path / "backups", clock=clock)
        col.close()
    assert [b.day for b in list_backups(tmp_path / "backups")] == [local_day(clock)]
    clock.advance(timedelta(days=1))
    open_collection(path, tmp_path / "backups", clock=clock)[0].close()
    assert len(list_backups(tmp_path / "backups")) == 2


def test_two_processes_taking_the_days_backup_at_once_both_succeed(tmp_path, collection, backups_dir):
    """Two quizapp windows opened on a new day both take the day's backup: each writes its own copy,
    so neither deletes or renames the other's half-written file; the day's backup is good."""
    import subprocess
    import sys

    _review(collection, "d:a")
    collection.close()
    script = (
        "import sys\nfrom quizapp.core.srs.backups import write_backup\n"
        "for _ in range(15):\n"
        "    write_backup(sys.argv[1], sys.argv[2])\n"
    )
    dest = backups_dir / "collection-2026-11-28.sqlite3"
    procs = [subprocess.Popen([sys.executable, "-c", script, str(collection.path), str(dest)],
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert diagnose(dest, thorough=True).ok and _reviews_in(dest) == 1
    assert os.listdir(backups_dir) == [dest.name]  # no copy left behind


def test_pruning_sweeps_copies_left_by_a_killed_backup(backups_dir):
    backups_dir.mkdir()
    stale = backups_dir / "collection-2026-11-27.sqlite3.4242-1.tmp"
    live = backups_dir / "collection-2026-11-28.sqlite3.4243-1.tmp"
    for path in (stale, Path(f"{stale}-journal"), live):
        path.write_bytes(b"x")
    old = os.path.getmtime(live) - B.STALE_COPY_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(f"{stale}-journal", (old, old))
    B.prune(backups_dir)
    assert sorted(os.listdir(backups_dir)) == [live.name]  # a copy being written right now stays
