"""The plan played forward: each study day until the interview, the cards due are reviewed and
today's quota of new cards introduced, with the scheduler the app uses (interval cap included, fuzz
off) and recall drawn from the scheduler's own forgetting curve (a recalled card is graded Good, a
forgotten one Again, then relearnt). A few seeded runs are averaged, so the same collection at the
same moment always gives the same forecast.

What comes out is the day-by-day load (reviews + new) and the predicted recall of every card at the
interview moment — the "if you keep the plan" half of readiness.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

import fsrs
from fsrs import Rating, State

from quizapp.core.clock import as_utc, study_day_start
from quizapp.core.config import Config
from quizapp.core.plan.deadline import DeadlineCap, interview_moment
from quizapp.core.plan.memory import Curve
from quizapp.core.plan.quota import new_quota
from quizapp.core.srs.records import CardRecord
from quizapp.core.srs.scheduling import Scheduler, new_card

RUNS = 3
STUDY_HOUR = timedelta(hours=5)  # a future day's session starts this long after the rollover (9 am for 4 am)
MAX_SAME_DAY = 8  # learning steps simulated per card per day, at most
MAX_DAYS = 400  # a date further away is played forward this far (the recall on the day then follows the curve)


@dataclass
class Projection:
    """Averaged over the runs: ``reviews[i]``/``new[i]`` on study day ``days[i]`` and ``readiness[i]``,
    the mean recall at the interview moment if studying stopped after that day; ``recall[key]`` at
    the interview moment (0 for a card never introduced)."""

    days: list[date] = field(default_factory=list)
    reviews: list[float] = field(default_factory=list)
    new: list[float] = field(default_factory=list)
    recall: dict[str, float] = field(default_factory=dict)
    readiness: list[float] = field(default_factory=list)  # mean recall at the interview after each day
    left_unseen: float = 0.0  # cards still never seen on the day (the cap was too low for them)

    def mean_recall(self, keys: list[str] | None = None) -> float:
        keys = list(self.recall) if keys is None else keys
        return sum(self.recall.get(k, 0.0) for k in keys) / len(keys) if keys else 0.0


def project(keys: list[str], records: dict[str, CardRecord], config: Config, now: datetime, today: date,
            *, new_today: int, tz: tzinfo | None = None, runs: int = RUNS, seed: int = 0,
            plan: bool = True) -> Projection:
    """Play the plan (``plan=False``: plain FSRS with ``new_per_day``) from ``now`` to the interview.

    ``keys`` in the order new cards are introduced; ``records`` their current states (suspended cards
    are left out; a card without a record is new); ``new_today`` the new cards still allowed today."""
    now = as_utc(now)
    moment = interview_moment(config, tz)
    if moment is None:
        raise ValueError("no interview date")
    stable = config._replace(enable_fuzzing=False)
    scheduler = Scheduler(stable)
    if plan:
        scheduler.adjust = DeadlineCap(moment, config.interview_retention, config.fsrs_parameters)
    curve = Curve(config.fsrs_parameters)
    live = [k for k in keys if not (records.get(k) and records[k].suspended)]
    n_days = min(MAX_DAYS, max(0, (config.interview_date - today).days))
    out = Projection(days=[today + timedelta(days=i) for i in range(n_days)],
                     reviews=[0.0] * n_days, new=[0.0] * n_days, recall={k: 0.0 for k in keys},
                     readiness=[0.0] * n_days)
    for run in range(runs):
        rng = random.Random(seed * 1000 + run)
        cards = {k: records[k].card for k in live if records.get(k) and records[k].card is not None}
        unseen = [k for k in live if k not in cards]
        for i, day in enumerate(out.days):
            start = now if i == 0 else study_day_start(day, config.day_rollover_hour, tz) + STUDY_HOUR
            end = study_day_start(day + timedelta(days=1), config.day_rollover_hour, tz)
            if i == 0:
                quota = new_today
            elif plan:
                quota = new_quota(config, day, len(unseen), 0)
            else:
                quota = config.new_per_day
            due = [k for k, c in cards.items() if as_utc(c.due) < end]
            fresh, unseen = unseen[:quota], unseen[quota:]
            for key in fresh:
                cards[key] = new_card(key, start)
            n = _study_day(scheduler, cards, [*due, *fresh], set(fresh), start, end, rng)
            out.reviews[i] += (n - len(fresh)) / runs
            out.new[i] += len(fresh) / runs
            if keys:
                out.readiness[i] += sum(curve.card_recall(c, moment) for c in cards.values()) / len(keys) / runs
        for key, card in cards.items():
            out.recall[key] += curve.card_recall(card, moment) / runs
        out.left_unseen += len(unseen) / runs
    return out


def _study_day(scheduler: Scheduler, cards: dict[str, fsrs.Card], keys: list[str], fresh: set[str],
               start: datetime, end: datetime, rng: random.Random) -> int:
    """Review ``keys`` from ``start``, each until it leaves the day's learning steps; returns the grades."""
    grades = 0
    t = start
    for key in keys:
        card = cards[key]
        at = t  # the day's session reviews every card due before the day ends, as the app does
        for step in range(MAX_SAME_DAY):
            if key in fresh and step == 0:
                rating = Rating.Good  # first sight: the answer is read and learnt
            else:
                recall = scheduler.retrievability(card, at) if card.last_review else 0.0
                rating = Rating.Good if rng.random() < recall else Rating.Again
            card = scheduler.review(card, rating, at)
            grades += 1
            at = as_utc(card.due)
            if card.state == State.Review or at >= end:
                break
        cards[key] = card
        t += timedelta(seconds=20)
    return grades
