"""Leeches: a card that keeps lapsing is flagged and suspended automatically (Anki's rule), the
suspension is a logged event, and undoing the grade undoes the suspension too."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fsrs import Rating, State

from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config, parse_config
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.study.review import is_leech_lapse
from quizapp.core.study.counts import Study
from quizapp.core.srs.store import Collection
from quizapp.core.srs.write_errors import CollectionFull

START = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
KEY = "d:c0"


def make_deck(n: int = 2) -> Deck:
    cards = [Card(key=f"d:c{i}", deck="d", kind=CardKind.QA, front=f"Q{i}?", back=f"A{i}", file="d.md",
                  line=i + 1) for i in range(n)]
    return Deck(id="d", title="D", path=Path("d.md"), cards=cards)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def collection(tmp_path, clock):
    with Collection(tmp_path / "collection.sqlite3", clock) as col:
        yield col


def make_study(collection, clock, **config) -> Study:
    return Study(collection, [make_deck()], Config(enable_fuzzing=False, **config), clock, tz=UTC)


def kinds(collection, key=KEY) -> list[str]:
    return [e.kind for e in collection.history(key)]


def grade_key(study, rating):
    """Grade ``KEY`` in a fresh session (it comes first: it is first in deck order, and a card in
    learning or due is shown before new ones)."""
    session = study.start_review()
    assert session.current_key == KEY
    return session, session.grade(rating)


def lapse(study, clock):
    """Bring KEY to Review if needed (Good through the steps), then fail it once: one lapse.
    Returns (session, Graded) of the failing grade."""
    col = study.collection
    while True:
        record = col.state(KEY)
        if record is not None:
            clock.set(max(clock(), record.due))
        if record is not None and record.state == State.Review:
            return grade_key(study, Rating.Again)
        grade_key(study, Rating.Good)


def test_anki_rule_threshold_then_every_half_threshold():
    assert [n for n in range(1, 21) if is_leech_lapse(n, 8)] == [8, 12, 16, 20]
    assert [n for n in range(1, 6) if is_leech_lapse(n, 1)] == [1, 2, 3, 4, 5]
    assert [n for n in range(1, 8) if is_leech_lapse(n, 3)] == [3, 4, 5, 6, 7]
    assert not any(is_leech_lapse(n, 0) for n in range(50))  # 0 turns leeches off


def test_eighth_lapse_suspends_with_a_logged_event(collection, clock):
    study = make_study(collection, clock)
    assert study.config.leech_threshold == 8
    flags = []
    for _ in range(8):
        _, graded = lapse(study, clock)
        flags.append(graded.leech)
    assert flags == [False] * 7 + [True]
    assert graded.lapses == 8 and graded.rating == Rating.Again
    record = collection.state(KEY)
    assert record.suspended and record.lapses == 8
    log = collection.history(KEY)
    assert [e.kind for e in log[-2:]] == ["review", "suspend"]
    assert log[-1].reviewed_at == log[-2].reviewed_at  # suspended at the grade's instant
    assert KEY not in study.start_review()._queue and study.start_review().current_key != KEY
    stats = study.stats()["totals"]
    assert stats["leeches"] == 1 and stats["suspended"] == 1


def test_leech_is_not_requeued_in_the_session(collection, clock):
    study = make_study(collection, clock, leech_threshold=1)  # default relearning step: 10 minutes
    session, graded = lapse(study, clock)
    assert graded.leech and not graded.requeued
    assert session.current_key != KEY
    while not session.finished:
        assert session.current_key != KEY
        session.grade(Rating.Easy)


def test_threshold_comes_from_the_config(collection, clock):
    config, problems = parse_config("leech_threshold = 3\n")
    assert not problems and config.leech_threshold == 3
    study = Study(collection, [make_deck()], config, clock, tz=UTC)
    assert [lapse(study, clock)[1].leech for _ in range(3)] == [False, False, True]
    assert collection.state(KEY).suspended


def test_threshold_zero_never_suspends(collection, clock):
    study = make_study(collection, clock, leech_threshold=0)
    assert not any(lapse(study, clock)[1].leech for _ in range(10))
    assert not collection.state(KEY).suspended
    assert "suspend" not in kinds(collection)
    assert study.stats()["totals"]["leeches"] == 0


def test_undo_restores_the_card_and_undoes_the_suspension(collection, clock):
    study = make_study(collection, clock, leech_threshold=2, relearning_steps=())
    lapse(study, clock)  # without relearning steps the card stays in Review: the next grade lapses
    before = collection.state(KEY)
    session, graded = lapse(study, clock)
    assert graded.leech and collection.state(KEY).suspended
    assert study.stats()["totals"]["leeches"] == 1
    card = session.undo()
    assert card is not None and card.key == KEY and session.current_key == KEY
    assert collection.state(KEY) == before  # lapses, fsrs state and suspension all restored
    assert not collection.state(KEY).suspended and collection.state(KEY).lapses == 1
    assert kinds(collection)[-4:] == ["review", "suspend", "undo", "undo"]
    assert study.stats()["totals"]["leeches"] == 0
    assert collection.rebuild_state() >= 1 and collection.state(KEY) == before  # the log agrees
    # grading it again the same way makes it a leech again
    again = session.grade(Rating.Again)
    assert again.leech and collection.state(KEY).suspended


def test_unsuspended_leech_is_caught_again_half_a_threshold_later(collection, clock):
    study = make_study(collection, clock, leech_threshold=4)
    flags = [lapse(study, clock)[1].leech for _ in range(4)]
    assert flags[-1] and collection.state(KEY).suspended
    collection.unsuspend(KEY)
    assert study.stats()["totals"]["leeches"] == 1  # still a leech, though no longer suspended
    flags = [lapse(study, clock)[1].leech for _ in range(2)]
    assert flags == [False, True] and collection.state(KEY).lapses == 6
    assert collection.state(KEY).suspended


def test_again_on_a_learning_card_is_not_a_lapse(collection, clock):
    study = make_study(collection, clock, leech_threshold=1)
    for _ in range(5):
        _, graded = grade_key(study, Rating.Again)  # a new card failing its learning steps
        assert not graded.leech
        clock.set(collection.state(KEY).due)
    assert collection.state(KEY).lapses == 0 and not collection.state(KEY).suspended


def test_reset_clears_the_leech_count(collection, clock):
    study = make_study(collection, clock, leech_threshold=1)
    lapse(study, clock)
    assert study.stats()["totals"]["leeches"] == 1
    collection.reset(KEY)
    assert study.stats()["totals"]["leeches"] == 0 and collection.state(KEY).suspended


def test_the_leech_grade_and_its_suspension_are_one_write_so_a_retry_never_grades_twice(collection, clock,
                                                                                          monkeypatch):
    """A grade that makes a card a leech and the automatic suspension commit together: when the
    write fails (a full disk, a lock) neither is in the log, and retrying logs each exactly once."""
    study = make_study(collection, clock, leech_threshold=1)
    col = study.collection
    while (record := col.state(KEY)) is None or record.state != State.Review:
        if record is not None:
            clock.set(max(clock(), record.due))
        grade_key(study, Rating.Good)
    clock.set(max(clock(), col.state(KEY).due))
    before = kinds(collection)
    session = study.start_review()
    assert session.current_key == KEY
    original = col._append
    calls = []

    def full_disk_at_the_suspend(db, key, kind, *args, **kwargs):
        calls.append(kind)
        if kind == "suspend":
            raise OSError(28, "No space left on device")
        return original(db, key, kind, *args, **kwargs)

    monkeypatch.setattr(col, "_append", full_disk_at_the_suspend)
    with pytest.raises(CollectionFull, match="Nothing was saved"):
        session.grade(Rating.Again)
    assert calls == ["review", "suspend"]  # the review was written, then the suspension failed …
    assert kinds(collection) == before  # … and the whole transaction rolled back
    assert not collection.state(KEY).suspended
    monkeypatch.setattr(col, "_append", original)
    graded = session.grade(Rating.Again)  # the retry
    assert graded.leech
    assert kinds(collection) == [*before, "review", "suspend"]
    assert collection.state(KEY).suspended
