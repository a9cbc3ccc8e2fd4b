"""A review log for fitting tests: a simulated learner who forgets faster than FSRS's defaults assume."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import fsrs
from fsrs import Rating

from quizapp.core.plan.memory import DEFAULT_PARAMETERS

START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def simulated_log(collection, n_cards: int = 120, days: int = 60, seed: int = 3) -> int:
    """Reviews of a learner who forgets faster than FSRS's defaults assume, written as history."""
    rng = random.Random(seed)
    w = list(DEFAULT_PARAMETERS)
    w[0:4] = [x * 0.4 for x in w[0:4]]
    truth = fsrs.Scheduler(parameters=w, enable_fuzzing=False)
    app = fsrs.Scheduler(enable_fuzzing=False)
    items, total = [], 0
    for i in range(n_cards):
        key = f"d:c{i}"
        now = START - timedelta(days=days) + timedelta(minutes=i)
        app_card = fsrs.Card(card_id=i + 1, due=now)
        true_card = fsrs.Card(card_id=i + 1, due=now)
        reviews = []
        while now < START:
            p = truth.get_card_retrievability(true_card, now) if true_card.last_review else 0.0
            rating = Rating.Good if (not reviews or rng.random() < p) else Rating.Again
            true_card = truth.review_card(true_card, rating, now)[0]
            app_card = app.review_card(app_card, rating, now)[0]
            reviews.append((now, rating, 5000, app_card))
            now = max(app_card.due, now + timedelta(minutes=1))
        total += len(reviews)
        items.append((key, reviews, False))
    collection.import_reviews(items, at=START)
    return total
