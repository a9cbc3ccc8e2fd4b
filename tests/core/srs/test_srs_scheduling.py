from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from fsrs import Rating, State

from quizapp.core.config import Config
from quizapp.core.srs.scheduling import RATINGS, Scheduler, card_id_for, new_card

START = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)


def test_card_id_is_stable_positive_63_bit():
    ids = {card_id_for(f"deck:card {i}") for i in range(1000)}
    assert len(ids) == 1000
    assert all(0 < i < 2**63 for i in ids)
    assert card_id_for("relu:dying") == card_id_for("relu:dying")
    assert new_card("relu:dying", START).card_id == card_id_for("relu:dying")


def test_good_on_new_card_is_due_in_ten_minutes_and_again_in_one():
    scheduler = Scheduler(Config())
    card = new_card("d:x", START)
    assert scheduler.review(card, Rating.Good, START).due - START == timedelta(minutes=10)
    assert scheduler.review(card, Rating.Again, START).due - START == timedelta(minutes=1)
    assert card.state == State.Learning and card.due == START  # the input is not mutated


def _walk(scheduler: Scheduler, seed: int):
    """Cards in varied states: a random walk of grades at their due times."""
    rng = random.Random(seed)
    card, now = new_card(f"d:{seed}", START), START
    for _ in range(rng.randint(0, 8)):
        card = scheduler.review(card, rng.choice(RATINGS), now)
        now = card.due + timedelta(hours=rng.choice([0, 1, 30]))
    return card, now


@pytest.mark.parametrize("seed", range(12))
def test_preview_matches_what_grading_produces_without_fuzz(seed):
    scheduler = Scheduler(Config(enable_fuzzing=False))
    card, now = _walk(scheduler, seed)
    preview = scheduler.preview(card, now)
    assert set(preview) == set(RATINGS)
    for rating in RATINGS:
        assert scheduler.review(card, rating, now).due - now == preview[rating]


def test_preview_is_stable_with_fuzzing_on():
    scheduler = Scheduler(Config(enable_fuzzing=True))
    random.seed(1)
    card = new_card("d:x", START)
    card = scheduler.review(card, Rating.Easy, START)  # a Review-state card: fuzz applies
    later = card.due
    first = scheduler.preview(card, later)
    assert all(scheduler.preview(card, later) == first for _ in range(20))
    assert first[Rating.Again] < first[Rating.Hard] <= first[Rating.Good] <= first[Rating.Easy]
