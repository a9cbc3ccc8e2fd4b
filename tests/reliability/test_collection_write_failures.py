"""Issue 13, items 3 (core side) and 5: a write to the collection commits whole or raises one
:class:`CollectionWriteError` with nothing applied — never a traceback of some other type, never a
grade reported as done that went nowhere.

* the data folder deleted, or the file replaced (a restore, a copy) while the app runs: the next
  write raises :class:`CollectionMoved` instead of committing into a file nobody reads;
* ``restore`` refuses while a quizapp has the collection open;
* another program holding the lock: :class:`CollectionBusy` after the collection's ``patience``;
* a full disk, a read-only file: :class:`CollectionFull`, :class:`CollectionReadOnly`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from datetime import datetime, timezone

import pytest
from fsrs import Rating

from quizapp.cli import main
from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.content.loader import load_deck
from quizapp.core.study.counts import Study
from quizapp.core.srs import connection as connection_mod
from quizapp.core.srs.backups import BackupError, open_collection, restore, take_backup
from quizapp.core.srs.health import CollectionBroken, diagnose
from quizapp.core.srs.scheduling import new_card
from quizapp.core.srs.store import (
    Collection, CollectionBusy, CollectionFull, CollectionMoved, CollectionReadOnly, CollectionWriteError,
)

from real_conditions import fill, listing, tiny_disk

START = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
DECK = "+++\ndeck = \"k\"\ntitle = \"K\"\n+++\n\n" + "\n".join(
    f"**Q: Question {i}?** <!-- id: q{i} -->\nA: Answer {i}.\n" for i in range(6))


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def study(tmp_path, clock):
    deck = tmp_path / "k.md"
    deck.write_text(DECK, encoding="utf-8")
    data = tmp_path / "data"
    collection = Collection(data / "collection.sqlite3", clock)
    yield Study(collection, [load_deck(deck)], Config(enable_fuzzing=False), clock, tz=timezone.utc)
    collection.close()


def grade(col: Collection, key: str, clock) -> None:
    col.log_review(key, Rating.Good, new_card(key, clock()), answer="x" * 3000)


# ---- item 5: moved or replaced under the open connection -------------------------------------


def test_grading_after_the_data_folder_was_deleted_is_not_reported_as_done(study):
    session = study.start_review()
    first = session.current
    session.grade(Rating.Good)
    second = session.current
    shutil.rmtree(study.collection.path.parent)
    with pytest.raises(CollectionMoved) as caught:
        session.grade(Rating.Good)
    assert "Your collection was moved or replaced while the app was open" in str(caught.value)
    assert "was deleted" in caught.value.why and "quit and start again" in caught.value.message
    assert caught.value.kind == "moved" and not caught.value.saved_elsewhere
    assert session.current == second != first  # the card stays: its grade was not taken
    assert study.collection.total_reviews() == 1  # rolled back, not committed to the deleted file


def test_restore_refuses_while_the_collection_is_open(tmp_path, clock, capsys):
    data = tmp_path / "data"
    col = Collection(data / "collection.sqlite3", clock)
    grade(col, "d:a", clock)
    take_backup(col, data / "backups")
    grade(col, "d:b", clock)
    with pytest.raises(BackupError, match="quit it first"):
        restore(data / "backups" / os.listdir(data / "backups")[0], data / "collection.sqlite3", now=clock())
    assert main(["--data-dir", str(data), "restore", "--force"], clock=clock) == 1
    assert "quit it first" in capsys.readouterr().err
    grade(col, "d:c", clock)  # the app goes on, into the file that is still the collection
    col.close()
    assert diagnose(data / "collection.sqlite3", thorough=True).reviews == 3
    assert main(["--data-dir", str(data), "restore", "--force"], clock=clock) == 0  # closed: allowed
    assert diagnose(data / "collection.sqlite3", thorough=True).reviews == 1


def test_a_file_put_in_its_place_stops_the_next_write(tmp_path, clock):
    """Another tool replaced the file while the app was open (its -wal and -shm left where they
    were): the next grade is refused, and the old log is never replayed into the new file."""
    path = tmp_path / "collection.sqlite3"
    col = Collection(path, clock)
    grade(col, "d:a", clock)
    with Collection(tmp_path / "other.sqlite3", clock):
        pass
    os.link(path, tmp_path / "collection.sqlite3.broken-1")
    os.replace(tmp_path / "other.sqlite3", path)
    with pytest.raises(CollectionMoved) as caught:
        grade(col, "d:b", clock)
    assert "another file was put in place" in caught.value.why
    col.close()
    assert diagnose(path, thorough=True).reviews == 0  # not in the new file
    assert diagnose(tmp_path / "collection.sqlite3.broken-1", thorough=True).reviews == 1  # nor the old


def test_a_restore_that_ignored_the_open_app_stops_the_next_write(tmp_path, clock, monkeypatch):
    """What `restore --force` did while the app was open (before it checked): the old file kept
    aside with its -wal/-shm, the backup put in place."""
    from quizapp.core.srs import backups as B

    path = tmp_path / "collection.sqlite3"
    col = Collection(path, clock)
    grade(col, "d:a", clock)
    take_backup(col, tmp_path / "backups")
    grade(col, "d:b", clock)
    monkeypatch.setattr(B, "refuse_if_open", lambda where: None)
    done = restore(B.list_backups(tmp_path / "backups")[0], path, now=clock())
    with pytest.raises(CollectionMoved):
        grade(col, "d:c", clock)
    col.close()
    assert diagnose(path, thorough=True).reviews == 1  # the backup, and nothing else
    assert diagnose(done.kept_aside, thorough=True).reviews == 2  # d:a and d:b, not the refused d:c


def test_replaced_between_the_check_and_the_commit_is_still_not_reported_done(tmp_path, clock, monkeypatch):
    path = tmp_path / "collection.sqlite3"
    col = Collection(path, clock)
    with Collection(tmp_path / "other.sqlite3", clock):
        pass
    real = connection_mod.moved_reason
    calls = []

    def replaced_right_after_the_check(where, opened):
        calls.append(where)
        if len(calls) == 1:  # the check before COMMIT passes, then the file is replaced
            os.replace(tmp_path / "other.sqlite3", path)
            return None
        return real(where, opened)

    monkeypatch.setattr(connection_mod, "moved_reason", replaced_right_after_the_check)
    with pytest.raises(CollectionMoved) as caught:
        grade(col, "d:a", clock)
    assert caught.value.saved_elsewhere and "went into the file that was moved away" in str(caught.value)
    col.close()


# ---- item 3: busy, full, read-only — one exception type, nothing half-applied -------------------


def test_a_lock_held_by_another_program_gives_busy_after_the_collections_patience(tmp_path, clock):
    path = tmp_path / "collection.sqlite3"
    col = Collection(path, clock, patience=0.3)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(CollectionBusy) as caught:
            grade(col, "d:a", clock)
        assert time.monotonic() - started < 3  # not 120 s, not even the 5 s busy timeout
        assert caught.value.kind == "busy" and caught.value.patience == 0.3
        assert "in use by another program" in str(caught.value) and "\n" not in str(caught.value)
        col.patience = 0.05  # the UI may shorten it on an open collection
        started = time.monotonic()
        with pytest.raises(CollectionBusy):
            col.suspend("d:a")
        assert time.monotonic() - started < 2
    finally:
        other.execute("ROLLBACK")
        other.close()
    grade(col, "d:a", clock)  # the lock is gone: the retry works
    assert col.total_reviews() == 1 and col.history()[0].kind == "review"
    col.close()


def test_opening_a_collection_locked_past_patience_is_locked_not_damaged(tmp_path, clock):
    path = tmp_path / "collection.sqlite3"
    Collection(path, clock).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(CollectionBroken) as caught:
            open_collection(path, tmp_path / "backups", clock=clock, patience=0.2)
        health = caught.value.health
        assert (health.problem, health.damaged, health.offers_recovery) == ("locked", False, False)
    finally:
        other.execute("ROLLBACK")
        other.close()


def _all_writes(col: Collection, clock) -> list:
    """Every kind of write the store offers, as callables (a grade first, so undo has a target)."""
    return [
        lambda: grade(col, "d:new", clock),
        lambda: col.suspend("d:a"), lambda: col.unsuspend("d:a"), lambda: col.reset("d:a"),
        lambda: col.bury("d:a", until=START.replace(year=2025)), lambda: col.make_due_now("d:a"),
        lambda: col.log_quiz("d:a", rating=Rating.Good, answer="y" * 3000),
        lambda: col.rename_keys({f"d:{i}": f"e:{i}" for i in range(5)}),
        lambda: col.undo(col.history("d:a")[-1].id),
        lambda: col.add_quiz_result({"started_at": START, "finished_at": START, "decks": ["d"],
                                     "kinds": ["qa"], "total": 1, "correct": 1, "seconds": 1.0}),
        lambda: col.rebuild_state(), lambda: col.set_meta("k", "v" * 5000),
    ]


@pytest.mark.parametrize("how", ["read_only", "full"])
def test_every_write_raises_one_error_type_and_applies_nothing(tmp_path, clock, how):
    col = Collection(tmp_path / "collection.sqlite3", clock)
    for i in range(5):
        grade(col, f"d:{i}", clock)
    grade(col, "d:a", clock)
    before = (col.history(), col.states(), col.quiz_results(), col.meta("k"))
    pages = col.connection.execute("PRAGMA page_count").fetchone()[0]
    if how == "read_only":  # SQLite's real "attempt to write a readonly database"
        col.connection.execute("PRAGMA query_only = ON")
    else:  # SQLite's real "database or disk is full"
        col.connection.execute(f"PRAGMA max_page_count = {pages}")
    expected = CollectionReadOnly if how == "read_only" else CollectionFull
    failed = 0
    for write in _all_writes(col, clock):
        try:
            write()
        except CollectionWriteError as error:
            assert isinstance(error, expected) and isinstance(error, sqlite3.OperationalError)
            assert error.message == str(error) and "\n" not in error.message and "Nothing was saved" in error.message
            assert (col.history(), col.states(), col.quiz_results(), col.meta("k")) == before  # nothing applied
            failed += 1
        else:  # a full database can still take a write that fits in its free pages
            assert how == "full"
            before = (col.history(), col.states(), col.quiz_results(), col.meta("k"))
    assert failed >= (12 if how == "read_only" else 3)
    if how == "full":
        assert "The disk is full — free some space and start again." in str(expected(col.path))
    col.close()


def test_a_real_full_disk_while_grading_keeps_the_collection_whole(tmp_path, clock):
    with tiny_disk(tmp_path, 1024) as disk:
        path = disk / "collection.sqlite3"
        col = Collection(path, clock)
        grade(col, "d:0", clock)
        filler = fill(disk)
        n = 1
        with pytest.raises(CollectionFull) as caught:
            while n < 500:
                grade(col, f"d:{n}", clock)
                n += 1
        assert caught.value.kind == "no_space" and caught.value.free is not None and caught.value.free < 1 << 20
        assert col.total_reviews() == n  # the failed grade is not there; every earlier one is
        filler.unlink()
        grade(col, "d:after", clock)  # space freed: the same open collection works again
        assert col.total_reviews() == n + 1 and col.integrity_check() == "ok"
        before = col.states()
        col.rebuild_state()
        assert col.states() == before  # the state cache agrees with the log: nothing half-applied
        col.close()
        assert listing(disk) == ["collection.sqlite3"]
