"""Studying toward an interview date: the new-card quota, intervals shortened so recall on the day
stays at the target, and normal scheduling (the same FSRS state) once the date has passed."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fsrs import Rating, State

from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config, parse_config
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.plan.deadline import DeadlineCap, interview_moment
from quizapp.core.plan.memory import Curve
from quizapp.core.plan.quota import new_quota
from quizapp.core.srs.store import Collection
from quizapp.core.study.counts import Study

UTC = timezone.utc
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday; study days roll over at 04:00 UTC


def make_deck(deck_id: str = "d", n: int = 5) -> Deck:
    cards = [Card(key=f"{deck_id}:c{i}", deck=deck_id, kind=CardKind.QA, front=f"Q{i}?", back=f"A{i}",
                  file=f"{deck_id}.md", line=i + 1) for i in range(n)]
    return Deck(id=deck_id, title=deck_id.upper(), path=Path(f"{deck_id}.md"), cards=cards)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def collection(tmp_path, clock):
    with Collection(tmp_path / "c.sqlite3", clock) as col:
        yield col


def study_of(collection, clock, decks=None, **config) -> Study:
    config.setdefault("enable_fuzzing", False)
    return Study(collection, decks or [make_deck()], Config(**config), clock, tz=UTC)


def graduate(study: Study, clock: FrozenClock, key: str) -> int:
    """Learn ``key``: Good through the learning steps until it is a Review card; returns the grades."""
    from quizapp.core.srs.scheduling import new_card

    n = 0
    while (record := study.collection.state(key)) is None or record.card.state != State.Review:
        now = clock()
        study.collection.apply_review(key, Rating.Good, lambda card: study.scheduler.review(
            card or new_card(key, now), Rating.Good, now), at=now)
        clock.advance(minutes=11)
        n += 1
    return n


# ---- the quota ----------------------------------------------------------------------------------


def test_without_a_date_the_allowance_is_new_per_day(collection, clock):
    study = study_of(collection, clock, [make_deck(n=200)], new_per_day=7)
    assert study.counts().new == 7


def test_the_quota_spreads_what_is_left_over_the_days_left(collection, clock):
    # 10 days to the interview: the last card is introduced 3 days before it, so 8 days introduce 200 cards
    interview = START.date() + timedelta(days=10)
    study = study_of(collection, clock, [make_deck(n=200)], new_per_day=7, interview_date=interview)
    assert study.counts().new == 25  # ceil(200 / 8)
    capped = study_of(collection, clock, [make_deck(n=200)], new_per_day=7, interview_date=interview,
                      interview_new_cap=20)
    assert capped.counts().new == 20  # never above the user's cap


def test_the_quota_never_slows_introducing_down(collection, clock):
    study = study_of(collection, clock, [make_deck(n=30)], new_per_day=20,
                     interview_date=START.date() + timedelta(days=20))
    assert study.counts().new == 20  # 30 cards over 18 days would be 2 a day: new_per_day stays


def test_cards_started_today_count_against_the_quota(collection, clock):
    study = study_of(collection, clock, [make_deck(n=40)], new_per_day=1,
                     interview_date=START.date() + timedelta(days=6))  # 4 intro days: 10 a day
    assert study.counts().new == 10
    session = study.start_review()
    for _ in range(3):
        session.grade(Rating.Good)
    assert study.counts().new == 7  # the quota is fixed for the day; 3 of its 10 were started


def test_on_the_day_and_after_it_the_quota_is_new_per_day_again(collection, clock):
    study = study_of(collection, clock, [make_deck(n=200)], new_per_day=7, interview_date=START.date())
    assert study.counts().new == 7
    assert new_quota(Config(new_per_day=7, interview_date=date(2026, 1, 1)), date(2026, 3, 1), 500, 0) == 7


def test_the_last_days_introduce_everything_left_up_to_the_cap():
    config = Config(new_per_day=10, interview_date=date(2026, 12, 20), interview_new_cap=60)
    assert new_quota(config, date(2026, 12, 19), 45, 0) == 45
    assert new_quota(config, date(2026, 12, 19), 450, 0) == 60


# ---- the interval cap ---------------------------------------------------------------------------


def test_an_interval_crossing_the_date_is_shortened_so_recall_on_the_day_reaches_the_target(collection, clock):
    interview = START.date() + timedelta(days=12)
    plain = study_of(collection, clock)
    graduate(plain, clock, "d:c0")
    planned = study_of(collection, clock, interview_date=interview, interview_retention=0.95)
    clock.advance(days=4)
    session = planned.start_review()
    assert session.current_key == "d:c0"
    natural = plain.scheduler.preview(collection.state("d:c0").card, clock())[Rating.Good]
    shown = session.intervals()[Rating.Good]
    graded = session.grade(Rating.Good)
    moment = interview_moment(planned.config, UTC)
    assert clock() + natural > moment  # without the plan the next review would be after the interview
    assert graded.card.due < moment  # with it, before
    assert graded.card.due - clock() == shown  # the grade button said so
    # reviewed when due, the card is recalled on the day with at least the target probability
    curve = Curve()
    days = (moment - graded.card.due).total_seconds() / 86400
    assert curve.retrievability(graded.card.stability, days) == pytest.approx(0.95, abs=1e-6)


def test_the_cap_moves_only_the_due_time_never_the_memory_state(collection, clock, tmp_path):
    interview = START.date() + timedelta(days=12)
    study = study_of(collection, clock, interview_date=interview)
    graduate(study, clock, "d:c0")
    clock.advance(days=4)
    card = collection.state("d:c0").card
    with Collection(tmp_path / "other.sqlite3", clock) as other:
        without = study_of(other, clock).scheduler.review(card, Rating.Good, clock())
    with_plan = study.scheduler.review(card, Rating.Good, clock())
    assert (with_plan.stability, with_plan.difficulty, with_plan.last_review, with_plan.state) == (
        without.stability, without.difficulty, without.last_review, without.state)
    assert with_plan.due < without.due


def test_after_the_date_scheduling_is_exactly_normal(collection, clock):
    interview = START.date() + timedelta(days=3)
    study = study_of(collection, clock, interview_date=interview)
    graduate(study, clock, "d:c0")
    clock.set(START + timedelta(days=5))
    card = collection.state("d:c0").card
    plain = study_of(collection, clock).scheduler
    assert study.scheduler.review(card, Rating.Good, clock()) == plain.review(card, Rating.Good, clock())
    assert study.scheduler.preview(card, clock()) == plain.preview(card, clock())


def test_a_card_that_will_be_remembered_on_the_day_keeps_its_interval():
    moment = datetime(2026, 12, 20, 4, tzinfo=UTC)
    cap = DeadlineCap(moment, 0.9)
    from fsrs import Card as FsrsCard

    now = moment - timedelta(days=10)
    strong = FsrsCard(card_id=1, state=State.Review, stability=400.0, difficulty=5.0, last_review=now,
                      due=now + timedelta(days=400))
    assert cap(strong, now) is strong  # R on the day ≈ 0.997: nothing to shorten
    learning = FsrsCard(card_id=2, state=State.Learning, step=1, due=now + timedelta(minutes=10))
    assert cap(learning, now) is learning


def test_interview_decks_limit_the_plan_to_those_decks(collection, clock):
    interview = START.date() + timedelta(days=12)
    decks = [make_deck("a", 3), make_deck("b", 3)]
    study = study_of(collection, clock, decks, interview_date=interview, interview_decks=("a",))
    for key in ("a:c0", "b:c0"):
        graduate(study, clock, key)
    clock.advance(days=4)
    after = {k: study.scheduler.review(collection.state(k).card, Rating.Good, clock()) for k in ("a:c0", "b:c0")}
    moment = interview_moment(study.config, UTC)
    assert after["a:c0"].due < moment < after["b:c0"].due


def test_plan_settings_are_read_and_checked():
    config, problems = parse_config('interview_date = 2026-12-20\ninterview_decks = ["a", "b"]\n'
                                    'interview_retention = 0.97\ninterview_new_cap = 40\n')
    assert problems == []
    assert (config.interview_date, config.interview_decks, config.interview_retention,
            config.interview_new_cap) == (date(2026, 12, 20), ("a", "b"), 0.97, 40)
    config, problems = parse_config('interview_date = "20/12/2026"\ninterview_retention = 1.5\n'
                                    'fsrs_parameters = [1, 2, 3]\ninterview_new_cap = 0\n', "c.toml")
    assert config == Config()
    assert [p.split(":")[1] for p in problems] == ["1", "2", "3", "4"]
    assert "interview_date must be a date, e.g. 2026-12-20" in problems[0] and "leaving it unset" in problems[0]
