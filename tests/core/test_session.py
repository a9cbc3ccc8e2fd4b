"""Review sessions as a user experiences them: what is due, grading, requeue, undo, bury, limits."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import fsrs
import pytest
from fsrs import Rating, State

from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.study.counts import LEARN_AHEAD, Counts, Study
from quizapp.core.srs.scheduling import card_id_for
from quizapp.core.srs.store import Collection

START = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
UTC = timezone.utc


def make_deck(deck_id: str = "d", n: int = 5) -> Deck:
    cards = [Card(key=f"{deck_id}:c{i}", deck=deck_id, kind=CardKind.QA, front=f"Q{i}?", back=f"A{i}",
                  file=f"{deck_id}.md", line=i + 1) for i in range(n)]
    return Deck(id=deck_id, title=deck_id.upper(), path=Path(f"{deck_id}.md"), cards=cards)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "collection.sqlite3"


@pytest.fixture
def collection(db_path, clock):
    with Collection(db_path, clock) as col:
        yield col


def make_study(collection, clock, decks=None, **config) -> Study:
    config.setdefault("enable_fuzzing", False)
    return Study(collection, decks or [make_deck()], Config(**config), clock, tz=UTC)


def finish(session, rating=Rating.Good) -> None:
    while not session.finished:
        session.grade(rating)


def test_new_cards_in_deck_order_and_counts(collection, clock):
    study = make_study(collection, clock)
    assert study.counts() == study.counts("d") == Counts(new=5, learning=0, due=0)
    session = study.start_review()
    assert [session.current.key, session.remaining, session.done] == ["d:c0", 5, 0]


def test_good_on_new_card_is_due_in_ten_minutes_again_in_one(collection, clock):
    study = make_study(collection, clock)
    session = study.start_review()
    assert session.intervals()[Rating.Good] == timedelta(minutes=10)
    assert session.intervals()[Rating.Again] == timedelta(minutes=1)
    g = session.grade(Rating.Good)
    assert collection.state("d:c0").due == START + timedelta(minutes=10)
    assert g.requeued and g.card.state == State.Learning
    session.grade(Rating.Again)
    assert collection.state("d:c1").due == START + timedelta(minutes=1)


def test_preview_matches_what_grading_produces(collection, clock):
    study = make_study(collection, clock, decks=[make_deck(n=1)])
    session = study.start_review()
    for rating in (Rating.Good, Rating.Good, Rating.Hard, Rating.Again, Rating.Good, Rating.Easy):
        if session.finished:  # a Review card: come back when it is due
            clock.set(collection.state("d:c0").due)
            session = study.start_review()
        expected = session.intervals()[rating]
        session.grade(rating)
        assert collection.state("d:c0").due - clock() == expected


def test_grade_is_committed_before_returning(collection, db_path, clock):
    study = make_study(collection, clock)
    session = study.start_review()
    session.grade(Rating.Good, duration_ms=4200, answer="max(0, z)")
    with Collection(db_path, clock) as other:  # another connection, as after a crash
        [entry] = other.history()
        assert (entry.card_key, entry.rating, entry.duration_ms, entry.answer) == (
            "d:c0", Rating.Good, 4200, "max(0, z)")
    # a fresh session resumes from what was committed: d:c0 is learning (due in 10 min)
    fresh = make_study(collection, clock).start_review()
    assert fresh.remaining == 5
    assert [fresh.current.key, study.counts()] == ["d:c1", Counts(new=4, learning=1, due=0)]


def test_learning_card_comes_back_after_the_others(collection, clock):
    study = make_study(collection, clock, decks=[make_deck(n=3)])
    session = study.start_review()
    session.grade(Rating.Again)  # d:c0 back in 1 minute
    assert session.remaining == 3
    seen = []
    while not session.finished:
        seen.append(session.current.key)
        session.grade(Rating.Easy)
    assert seen == ["d:c1", "d:c2", "d:c0"]


def test_learning_card_due_now_comes_before_the_rest(collection, clock):
    study = make_study(collection, clock, decks=[make_deck(n=4)])
    session = study.start_review()
    session.grade(Rating.Again)  # d:c0 due in 1 minute
    clock.advance(minutes=2)
    session.grade(Rating.Easy)  # d:c1; now d:c0 is due and jumps the queue
    assert session.current.key == "d:c0"


def test_undo_restores_the_card_and_keeps_history(collection, clock):
    study = make_study(collection, clock)
    session = study.start_review()
    session.grade(Rating.Good)
    state_before = collection.state("d:c1")
    session.grade(Rating.Again)
    assert session.done == 2
    card = session.undo()
    assert card.key == "d:c1" and session.current.key == "d:c1"
    assert collection.state("d:c1") == state_before  # None: new again
    assert session.done == 1 and session.remaining == 5
    assert [e.kind for e in collection.history()] == ["review", "review", "undo"]
    assert session.summary.reviewed == 1 and session.summary.again_keys == []
    assert session.undo().key == "d:c0"
    assert session.undo() is None
    assert study.counts() == Counts(new=5, learning=0, due=0)
    assert len(collection.history()) == 4


def test_undo_after_the_last_card_reopens_the_session(collection, clock):
    study = make_study(collection, clock, decks=[make_deck(n=1)], learning_steps=())
    session = study.start_review()
    session.grade(Rating.Good)
    assert session.finished
    assert session.undo().key == "d:c0" and not session.finished


def test_suspend_and_bury_leave_counts_and_bury_ends_at_rollover(collection, clock):
    study = make_study(collection, clock)
    session = study.start_review()
    session.suspend()  # d:c0
    session.bury()  # d:c1
    assert session.current.key == "d:c2"
    assert study.counts() == Counts(new=3, learning=0, due=0)
    assert study.stats()["totals"]["suspended"] == 1 and study.stats()["totals"]["buried"] == 1
    clock.set(datetime(2024, 5, 2, 3, 59, tzinfo=UTC))  # still the same study day (4 am rollover)
    assert study.counts().new == 3
    clock.set(datetime(2024, 5, 2, 4, 0, tzinfo=UTC))  # new study day: the bury is over
    assert study.counts().new == 4
    assert [e.kind for e in collection.history()] == ["suspend", "bury"]


def test_undo_a_suspend(collection, clock):
    study = make_study(collection, clock)
    session = study.start_review()
    session.suspend()
    assert session.undo().key == "d:c0"
    assert not collection.state("d:c0") and study.counts().new == 5


def test_new_per_day_limit_across_decks(collection, clock):
    decks = [make_deck("a", 4), make_deck("b", 4)]
    study = make_study(collection, clock, decks=decks, new_per_day=3)
    assert study.counts() == Counts(3, 0, 0)
    assert study.counts("a") == study.counts("b") == Counts(3, 0, 0)
    session = study.start_review("a")
    assert session.remaining == 3
    session.grade(Rating.Easy)
    session.grade(Rating.Easy)
    assert study.counts("b").new == 1 and study.counts().new == 1
    finish(session, Rating.Easy)
    assert study.counts() == Counts(0, 0, 0) and study.start_review("b").finished
    clock.advance(days=1)  # new study day: a fresh allowance (and the Easy cards are not due yet)
    assert study.counts() == Counts(3, 0, 0)


def test_review_cards_due_by_end_of_study_day(collection, clock):
    study = make_study(collection, clock, decks=[make_deck(n=1)], learning_steps=())
    study.start_review().grade(Rating.Good)
    due = collection.state("d:c0").due
    assert collection.state("d:c0").state == State.Review
    clock.set(due - timedelta(days=1))  # the day before: not due
    assert study.counts().due == 0
    clock.set(datetime.combine(due.date(), datetime.min.time(), UTC) + timedelta(hours=4))
    assert study.counts().due == 1  # due later today counts as due today
    session = study.start_review()
    assert session.current.key == "d:c0"


def test_learning_counts_within_learn_ahead(collection, clock):
    study = make_study(collection, clock, decks=[make_deck(n=1)], learning_steps=(timedelta(minutes=30),))
    study.start_review().grade(Rating.Again)  # due in 30 minutes: beyond learn-ahead
    assert study.counts() == Counts(0, 0, 0)
    clock.advance(timedelta(minutes=30) - LEARN_AHEAD)
    assert study.counts() == Counts(0, 1, 0)
    assert study.start_review().current.key == "d:c0"


def test_queue_order_learning_then_review_then_new(collection, clock):
    def put(key, state, due, step=None):
        card = fsrs.Card(card_id=card_id_for(key), state=state, step=step, stability=3.0, difficulty=5.0,
                         due=due, last_review=START - timedelta(days=3))
        collection.log_review(key, Rating.Good, card, at=START - timedelta(days=3))

    put("d:c0", State.Review, START - timedelta(hours=1))
    put("d:c1", State.Relearning, START - timedelta(minutes=1), step=0)
    put("d:c4", State.Learning, START + timedelta(hours=1), step=1)  # beyond learn-ahead
    put("d:c5", State.Review, START + timedelta(days=30))  # not due
    put("d:c7", State.Learning, START + timedelta(minutes=5), step=1)  # within learn-ahead
    study = make_study(collection, clock, decks=[make_deck(n=8)], new_per_day=2)
    assert study.counts() == Counts(new=2, learning=2, due=1)
    session = study.start_review()
    order = []
    while not session.finished:
        order.append(session.current.key)
        session.grade(Rating.Easy)
    assert order == ["d:c1", "d:c0", "d:c2", "d:c3", "d:c7"]


def test_summary_by_rating_and_time(collection, clock):
    study = make_study(collection, clock, decks=[make_deck(n=3)])
    session = study.start_review()
    session.grade(Rating.Again, duration_ms=2000)
    session.grade(Rating.Easy, duration_ms=1500)
    session.grade(Rating.Easy, duration_ms=500)
    session.grade(Rating.Again, duration_ms=1000)  # d:c0 again
    s = session.summary
    assert s.reviewed == 4 and s.seconds == 5.0 and s.again_keys == ["d:c0"]
    assert s.by_rating == {Rating.Again: 2, Rating.Hard: 0, Rating.Good: 0, Rating.Easy: 2}
    assert study.reviews_today() == 4 and study.time_today_seconds() == 5.0 and study.streak() == 1


def test_stats_json_is_stable(collection, clock):
    study = make_study(collection, clock, decks=[make_deck("a", 2), make_deck("b", 3)])
    session = study.start_review("a")
    session.grade(Rating.Good)
    collection.apply_review("gone:x", Rating.Good, lambda c: c or study.scheduler.new_card("gone:x", clock()))
    stats = json.loads(json.dumps(study.stats()))
    assert list(stats) == ["version", "generated_at", "study_day", "streak", "reviews_today",
                           "time_today_seconds", "new_remaining_today", "orphans", "decks", "totals"]
    assert [d["id"] for d in stats["decks"]] == ["a", "b"]
    assert stats["decks"][0] == {"id": "a", "title": "A", "cards": 2, "new": 1, "unseen": 1, "learning": 1, "due": 0,
                                   "suspended": 0, "buried": 0, "leeches": 0, "reviews_today": 1,
                                   "total_reviews": 1}
    assert stats["totals"]["cards"] == 5 and stats["totals"]["new"] == 4  # 20 - 2 started today
    assert stats["orphans"] == 1 and stats["reviews_today"] == 2 and stats["streak"] == 1
    assert [d["id"] for d in study.stats("b")["decks"]] == ["b"]


def test_orphans_are_kept_when_decks_change(collection, clock):
    study = make_study(collection, clock, decks=[make_deck(n=3)])
    finish(study.start_review(), Rating.Easy)
    study.set_decks([make_deck(n=1)])
    assert study.orphan_keys() == ["d:c1", "d:c2"]
    assert collection.state("d:c2") is not None and collection.total_reviews() == 3
    assert study.counts() == Counts(0, 0, 0)


def test_leech_flag(collection, clock):
    study = make_study(collection, clock, decks=[make_deck(n=1)], leech_threshold=2, learning_steps=(),
                       relearning_steps=())
    results = []
    for _ in range(3):
        session = study.start_review()
        results.append(session.grade(Rating.Good).leech)  # into Review
        clock.set(collection.state("d:c0").due)
        session = study.start_review()
        results.append(session.grade(Rating.Again).leech)  # a lapse
        if collection.state("d:c0").suspended:  # a leech is suspended automatically
            collection.unsuspend("d:c0")
        clock.set(collection.state("d:c0").due)
    assert results == [False, False, False, True, False, True]
    assert study.stats()["totals"]["leeches"] == 1


def test_grading_when_finished_raises(collection, clock):
    session = make_study(collection, clock, decks=[make_deck(n=0)]).start_review()
    assert session.finished and session.current is None and session.remaining == 0
    with pytest.raises(RuntimeError):
        session.grade(Rating.Good)


def test_deck_counts_match_counting_each_deck_on_its_own(collection, clock):
    """Home's one-pass counts are exactly the per-deck counts: new (with the shared daily allowance),
    learning and due, suspended and buried cards left out."""
    decks = [make_deck("a", 6), make_deck("b", 5), make_deck("c", 2)]
    study = make_study(collection, clock, decks=decks, new_per_day=5, learning_steps=())
    session = study.start_review("a")
    for rating in (Rating.Again, Rating.Good, Rating.Easy):
        session.grade(rating)
    session.suspend()
    session.bury()
    study.start_review("b").grade(Rating.Again)
    clock.advance(days=3)
    per_deck, total = study.deck_counts()
    assert per_deck == {d.id: study.counts(d.id) for d in decks}
    assert total == study.counts(None)
    assert per_deck["a"].due == 2 and per_deck["b"].due == 1  # Good and Easy in a; b's Again
    assert total.new == 5 < sum(c.new for c in per_deck.values())  # the daily allowance is shared
