"""Every past schema version has a fixture collection (tests/fixtures/collections/vN.sqlite3, made by
make_fixtures.py) and each upgrades to the current version with all its reviews intact, a clean
integrity check, and a verified copy of the old file taken first."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from quizapp.core.clock import FrozenClock
from quizapp.core.srs import backups as B
from quizapp.core.srs.backups import BackupError, list_backups, local_day, open_collection
from quizapp.core.srs.health import diagnose
from quizapp.core.srs.migrations import LATEST_VERSION, schema_version

FIXTURES = Path(__file__).parents[2] / "fixtures" / "collections"
REVIEW_COLUMNS = "id, card_key, kind, rating, reviewed_at, duration_ms, answer, undoes, state_after, bury_until"
STATE_COLUMNS = "card_key, fsrs, due, state, suspended, buried_until, first_seen, lapses, reps"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def fixture_versions() -> list[int]:
    return sorted(int(p.stem[1:]) for p in FIXTURES.glob("v*.sqlite3"))


def _rows(path: Path, version: int) -> dict[str, list[tuple]]:
    db = sqlite3.connect(path)
    try:
        out = {"reviews": db.execute(f"SELECT {REVIEW_COLUMNS} FROM reviews ORDER BY id").fetchall(),
               "card_state": db.execute(f"SELECT {STATE_COLUMNS} FROM card_state ORDER BY card_key").fetchall(),
               "meta": db.execute("SELECT key, value FROM meta ORDER BY key").fetchall()}
        if version >= 2:
            out["quiz_results"] = db.execute("SELECT * FROM quiz_results ORDER BY id").fetchall()
        return out
    finally:
        db.close()


def test_every_past_schema_version_has_a_fixture():
    missing = sorted(set(range(1, LATEST_VERSION)) - set(fixture_versions()))
    assert not missing, f"run tests/fixtures/collections/make_fixtures.py {' '.join(map(str, missing))}"


@pytest.mark.parametrize("version", fixture_versions())
def test_fixture_is_the_version_it_says(version):
    db = sqlite3.connect(FIXTURES / f"v{version}.sqlite3")
    try:
        assert schema_version(db) == version
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file, no -wal
        assert db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] >= 10
    finally:
        db.close()


@pytest.mark.parametrize("version", fixture_versions())
def test_fixture_upgrades_with_every_review_intact(version, tmp_path):
    source = FIXTURES / f"v{version}.sqlite3"
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    path = tmp_path / "collection.sqlite3"
    shutil.copyfile(source, path)
    before = _rows(path, version)
    health = diagnose(path)
    assert health.ok and health.version == version and health.needs_upgrade == (version < LATEST_VERSION)

    clock = FrozenClock(NOW)
    collection, notices = open_collection(path, tmp_path / "backups", clock=clock)
    with collection:
        assert notices == []
        assert collection.schema_version == LATEST_VERSION
        assert schema_version(collection.connection) == LATEST_VERSION
        assert collection.integrity_check() == "ok"
        after = _rows(path, version)
        assert set(before.pop("meta")) <= set(after.pop("meta"))  # a migration may add settings
        assert after == before  # every review, card state and quiz result, as written
        history = collection.history()
        assert [e.id for e in history] == [r[0] for r in before["reviews"]]
        assert collection.total_reviews() == 9  # 10 reviews, one of them undone
        cached = collection.states()
        collection.rebuild_state()  # the log replays to the cache the old version kept
        assert collection.states() == cached
        assert cached["basics:relu"].lapses == 1 and cached["old-deck:gone"].suspended
        collection.suspend("basics:sigmoid")  # and it takes new writes
        assert collection.state("basics:sigmoid").suspended

    copies = [b for b in list_backups(tmp_path / "backups") if b.schema is not None]
    if version < LATEST_VERSION:  # the upgrade took a verified copy of the old file first
        (copy,) = copies
        assert copy.path.name == f"collection-{local_day(clock).isoformat()}-v{version}.sqlite3"
        assert copy.check().good
        db = sqlite3.connect(copy.path)
        assert schema_version(db) == version
        db.close()
        copied = _rows(copy.path, version)
        del copied["meta"]
        assert copied == before
    else:
        assert copies == []
    assert hashlib.sha256(source.read_bytes()).hexdigest() == digest  # the fixture itself is untouched


@pytest.mark.parametrize("version", [v for v in fixture_versions() if v < LATEST_VERSION])
def test_no_upgrade_without_its_backup(version, tmp_path, monkeypatch):
    path = tmp_path / "collection.sqlite3"
    shutil.copyfile(FIXTURES / f"v{version}.sqlite3", path)

    def fail(*_args, **_kwargs):
        raise BackupError("disk full")

    monkeypatch.setattr(B, "write_backup", fail)
    with pytest.raises(BackupError, match="not upgrading"):
        open_collection(path, tmp_path / "backups", clock=FrozenClock(NOW))
    assert diagnose(path).version == version  # left as it was
