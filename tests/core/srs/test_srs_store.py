from __future__ import annotations

import json
import random
import sqlite3
from datetime import timedelta

import pytest
from fsrs import Rating, State

from quizapp.core.config import Config
from quizapp.core.srs import migrations
from quizapp.core.srs.scheduling import Scheduler, new_card
from quizapp.core.srs.store import Collection, UndoConflict

SCHED = Scheduler(Config(enable_fuzzing=False))


def grade(col: Collection, key: str, rating: Rating, now, **kwargs):
    return col.apply_review(key, rating, lambda c: SCHED.review(c or new_card(key, now), rating, now),
                            at=now, **kwargs)


def cache_rows(path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT * FROM card_state ORDER BY card_key").fetchall()


def test_pragmas_and_schema(collection, db_path):
    db = collection._db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert collection.schema_version == migrations.LATEST_VERSION == 3
    assert collection.meta("created_at")
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"reviews", "card_state", "meta"} <= tables


def test_refuses_a_collection_from_a_newer_version(db_path):
    Collection(db_path).close()
    with sqlite3.connect(db_path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(migrations.SchemaTooNew):
        Collection(db_path)


def test_reopening_keeps_every_review(db_path, clock):
    with Collection(db_path, clock) as col:
        for i in range(10):
            grade(col, f"d:c{i % 3}", Rating.Good, clock(), duration_ms=1000 + i, answer=f"typed {i}")
            clock.advance(minutes=11)
        before = col.states()
    with Collection.open(db_path, clock) as col:
        history = col.history()
        assert [e.answer for e in history] == [f"typed {i}" for i in range(10)]
        assert [e.duration_ms for e in history] == [1000 + i for i in range(10)]
        assert col.total_reviews() == 10
        assert col.states() == before


def test_undo_restores_state_and_keeps_both_rows(collection, clock):
    now = clock()
    first, _ = grade(collection, "d:a", Rating.Good, now)
    state_after_first = collection.state("d:a")
    clock.advance(minutes=10)
    second, record = grade(collection, "d:a", Rating.Good, clock())
    assert record.card.state == State.Review
    undo, restored = collection.undo(second.id)
    assert restored == state_after_first == collection.state("d:a")
    kinds = [(e.kind, e.undoes) for e in collection.history("d:a")]
    assert kinds == [("review", None), ("review", None), ("undo", second.id)]
    assert collection.total_reviews() == 1
    with pytest.raises(UndoConflict):
        collection.undo(second.id)  # already undone
    collection.undo(first.id)
    assert collection.state("d:a") is None  # new again
    assert len(collection.history()) == 4


def test_undo_only_the_latest_change_of_a_card(collection, clock):
    first, _ = grade(collection, "d:a", Rating.Good, clock())
    grade(collection, "d:a", Rating.Good, clock.advance(minutes=10))
    with pytest.raises(UndoConflict):
        collection.undo(first.id)


def test_suspend_bury_reset_are_logged(collection, clock):
    grade(collection, "d:a", Rating.Easy, clock())
    collection.suspend("d:a")
    assert collection.state("d:a").suspended
    collection.unsuspend("d:a")
    until = clock() + timedelta(hours=16)
    collection.bury("d:a", until)
    assert collection.state("d:a").is_buried(clock())
    assert not collection.state("d:a").is_buried(until)
    collection.suspend("d:new")  # never reviewed, still remembered as suspended
    assert collection.state("d:new").suspended and collection.state("d:new").is_new
    collection.reset("d:a")
    assert collection.state("d:a") is None
    assert [e.kind for e in collection.history()] == [
        "review", "suspend", "unsuspend", "bury", "suspend", "reset"]
    assert collection.history()[3].bury_until == until


def test_state_after_is_the_fsrs_card_json(collection, clock, db_path):
    _, record = grade(collection, "d:a", Rating.Good, clock())
    with sqlite3.connect(db_path) as db:
        text, at = db.execute("SELECT state_after, reviewed_at FROM reviews").fetchone()
    assert json.loads(text) == record.card.to_dict()
    assert at == "2024-05-01T12:00:00.000000+00:00"


def test_rebuild_state_equals_the_cache(collection, clock, db_path):
    rng = random.Random(7)
    keys = [f"d:c{i}" for i in range(12)]
    recent = []
    for _ in range(300):
        key, roll = rng.choice(keys), rng.random()
        if roll < 0.6:
            rating = rng.choice(list(Rating))
            recent.append(grade(collection, key, rating, clock(), duration_ms=rng.randint(1, 9000))[0])
        elif roll < 0.7 and recent:
            try:
                collection.undo(recent.pop().id)
            except UndoConflict:
                pass
        elif roll < 0.8:
            collection.suspend(key) if rng.random() < 0.5 else collection.unsuspend(key)
        elif roll < 0.9:
            collection.bury(key, clock() + timedelta(hours=rng.randint(1, 30)))
        elif roll < 0.93:
            collection.reset(key)
        else:
            collection.log_quiz(key, rating=Rating.Good, answer="x")
        clock.advance(minutes=rng.choice([1, 10, 60, 60 * 24 * 3]))
    log_before = collection.history()
    cached = cache_rows(db_path)
    assert cached
    collection.rebuild_state()
    assert cache_rows(db_path) == cached
    assert collection.history() == log_before  # the log is never rewritten
    # wipe the cache by hand: the log alone brings it back
    collection._db.execute("DELETE FROM card_state")
    collection.rebuild_state()
    assert cache_rows(db_path) == cached


def test_many_keys_and_due_queries(collection, clock):
    keys = [f"d:c{i}" for i in range(1200)]
    for key in keys[:700]:
        grade(collection, key, Rating.Good, clock())
    states = collection.states(keys)
    assert len(states) == 700 and set(states) == set(keys[:700])
    assert collection.due_keys(clock()) == []
    assert len(collection.due_keys(clock() + timedelta(minutes=10))) == 700
    collection.suspend(keys[0])
    collection.bury(keys[1], clock() + timedelta(hours=1))
    assert len(collection.due_keys(clock() + timedelta(minutes=10))) == 698
    counts = collection.counts()
    assert counts["learning"] == 700 and counts["suspended"] == 1 and counts["log_rows"] == 702


def test_reviews_per_day_streak_and_time(collection, clock):
    utc = clock().tzinfo
    for day in (0, 1, 2, 4, 5):  # a gap on day 3
        at = clock.now + timedelta(days=day)
        grade(collection, f"d:{day}", Rating.Good, at, duration_ms=30_000)
    assert sorted(d.day for d in collection.reviews_per_day(4, utc)) == [1, 2, 3, 5, 6]
    assert collection.streak(clock.now + timedelta(days=5), 4, utc) == 2
    assert collection.streak(clock.now + timedelta(days=6), 4, utc) == 2  # yesterday still counts
    assert collection.streak(clock.now + timedelta(days=7), 4, utc) == 0
    assert collection.streak(clock.now + timedelta(days=2), 4, utc) == 3
    # 03:00 the next morning is still the same study day with a 4 am rollover
    late = clock.now + timedelta(days=5, hours=15)
    assert collection.reviews_today(late, 4, utc) == 1
    assert collection.time_today_seconds(late, 4, utc) == 30.0


def test_orphan_history_is_kept(db_path, clock):
    with Collection(db_path, clock) as col:
        grade(col, "gone:card", Rating.Good, clock())
        col.rebuild_state()
    with Collection(db_path, clock) as col:
        assert "gone:card" in col.known_keys()
        assert col.state("gone:card") is not None


def test_backup_is_a_consistent_copy(collection, clock, tmp_path):
    grade(collection, "d:a", Rating.Good, clock())
    copy = collection.backup(tmp_path / "backups" / "b.sqlite3")
    with Collection(copy) as col:
        assert col.total_reviews() == 1 and col.integrity_check() == "ok"
