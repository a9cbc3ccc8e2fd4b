"""How SQLite's and the OS's errors become CollectionWriteError kinds, and diagnoses that are true:
a full disk or a read-only place is never "damaged", and a read-only look creates no file."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pytest

from quizapp.core.srs import surroundings
from quizapp.core.srs.health import Health, damage_in, diagnose, health_of_failure
from quizapp.core.srs.readonly import connect_read_only, read_only_uri
from quizapp.core.srs.store import Collection
from quizapp.core.srs.write_errors import (
    SQLITE_READONLY_DBMOVED, CollectionBusy, CollectionDamaged, CollectionFull, CollectionIOError,
    CollectionMoved, CollectionReadOnly, write_error,
)


def sqlite_error(text: str, code: int | None = None, cls=sqlite3.OperationalError) -> sqlite3.Error:
    error = cls(text)
    if code is not None:
        error.sqlite_errorcode = code
    return error


@pytest.fixture
def roomy(monkeypatch):
    monkeypatch.setattr(surroundings, "free_bytes", lambda folder: 10 << 30)


@pytest.fixture
def full(monkeypatch):
    monkeypatch.setattr(surroundings, "free_bytes", lambda folder: 0)


@pytest.mark.parametrize("error, kind", [
    (sqlite_error("database or disk is full", 13), CollectionFull),
    (sqlite_error("attempt to write a readonly database", SQLITE_READONLY_DBMOVED), CollectionMoved),
    (sqlite_error("attempt to write a readonly database", 8), CollectionReadOnly),
    (sqlite_error("database disk image is malformed", 11, sqlite3.DatabaseError), CollectionDamaged),
    (sqlite_error("file is not a database", 26, sqlite3.DatabaseError), CollectionDamaged),
    (sqlite_error("disk I/O error", 10 | (3 << 8)), CollectionIOError),  # room on the disk: a real I/O error
    (sqlite_error("database is locked", 5), CollectionBusy),
    (OSError(errno.ENOSPC, "No space left on device"), CollectionFull),
    (OSError(errno.EROFS, "Read-only file system"), CollectionReadOnly),
    (PermissionError(errno.EACCES, "Permission denied"), CollectionReadOnly),
])
def test_errors_become_one_kind_each(tmp_path, roomy, error, kind):
    found = write_error(error, tmp_path / "collection.sqlite3")
    assert type(found) is kind and found.kind == kind.kind
    assert isinstance(found, sqlite3.OperationalError)  # code catching SQLite's errors still catches it
    assert "\n" not in str(found) and str(found) == found.message


def test_an_io_error_on_a_full_disk_is_no_space(tmp_path, full):
    found = write_error(sqlite_error("disk I/O error", 10 | (19 << 8)), tmp_path / "c.sqlite3")
    assert isinstance(found, CollectionFull) and found.free == 0


def test_unable_to_open_in_a_folder_we_may_not_write_is_read_only(tmp_path, roomy, monkeypatch):
    monkeypatch.setattr(surroundings, "_read_only_fs", lambda folder: True)
    found = write_error(sqlite_error("unable to open database file", 14), tmp_path / "c.sqlite3")
    assert isinstance(found, CollectionReadOnly) and "read-only file system" in found.reason


def test_bugs_and_the_callers_own_errors_are_not_wrapped(tmp_path):
    for error in (sqlite3.ProgrammingError("closed"), sqlite3.IntegrityError("UNIQUE"), ValueError("x")):
        assert write_error(error, tmp_path / "c.sqlite3") is None


def test_damage_in_a_write_still_leads_to_recovery(tmp_path):
    cause = sqlite_error("database disk image is malformed", 11, sqlite3.DatabaseError)
    try:
        raise write_error(cause, tmp_path / "c.sqlite3") from cause
    except CollectionDamaged as error:
        health = damage_in(error, tmp_path / "c.sqlite3")
    assert health is not None and health.problem == "corrupt" and health.damaged
    for other in (CollectionFull(tmp_path), CollectionReadOnly(tmp_path, "x is corrupt-ly named"),
                  CollectionMoved(tmp_path, "it was deleted")):
        assert damage_in(other, tmp_path) is None  # not damage: no recovery screen for these


@pytest.mark.parametrize("problem, damaged, offers", [
    ("corrupt", True, True), ("truncated", True, True), ("not_sqlite", True, True), ("empty", True, True),
    ("too_new", False, True), ("no_space", False, False), ("read_only", False, False), ("locked", False, False),
])
def test_only_damage_offers_to_replace_the_file(problem, damaged, offers):
    health = Health(False, problem)
    assert (health.damaged, health.offers_recovery) == (damaged, offers)


def test_failures_at_opening_read_as_the_place_not_the_file(tmp_path):
    path = tmp_path / "collection.sqlite3"
    full = health_of_failure(CollectionFull(path, free=0), path)
    assert full.headline == "The disk is full — free some space and start again."
    assert "No collection was created" in full.detail and not full.damaged
    path.write_bytes(b"x")
    assert "was not changed" in health_of_failure(CollectionFull(path, free=0), path).detail
    ro = health_of_failure(CollectionReadOnly(path, "/x is on a read-only file system"), path)
    assert ro.problem == "read_only" and ro.detail.startswith("/x is on a read-only file system.")
    busy = health_of_failure(CollectionBusy(path, 2.0), path)
    assert (busy.ok, busy.problem) == (False, "locked") and "2 s" in busy.detail


def test_patience_sets_how_long_sqlite_itself_waits(tmp_path):
    col = Collection(tmp_path / "c.sqlite3", lambda: None, patience=0.25)
    assert col.connection.execute("PRAGMA busy_timeout").fetchone()[0] == 250
    col.patience = 600
    assert col.connection.execute("PRAGMA busy_timeout").fetchone()[0] == 5000  # one attempt: at most 5 s
    col.close()


def test_a_read_only_look_uses_the_logs_only_when_they_are_there(tmp_path):
    path = tmp_path / "c.sqlite3"
    Collection(path, lambda: None).close()
    assert "immutable=1" in read_only_uri(path)  # closed cleanly: no -wal, nobody has it open
    col = Collection(path, lambda: None)
    assert read_only_uri(path).endswith("?mode=ro")  # open: read through its log, see its locks
    conn = connect_read_only(path)
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone() == (0,)
    conn.close()
    col.close()
    assert os.listdir(tmp_path) == ["c.sqlite3"]
    diagnose(path, thorough=True)
    assert os.listdir(tmp_path) == ["c.sqlite3"]


def test_an_unwritable_place_for_a_new_collection_is_read_only_not_missing(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    health = diagnose(afile / "data" / "collection.sqlite3")  # QUIZAPP_HOME naming a file
    assert (health.ok, health.problem) == (False, "read_only") and "is a file, not a folder" in health.detail
    assert not Path(f"{afile}/data").exists()
