"""The interview moment, and the rule that serves it: an interval that would put a card's next
review after the interview is shortened, so that its predicted recall *on the day* stays at least
``interview_retention``.

The rule (applied to Review-state cards after every grade, and to the grade buttons' previews): a
card reviewed at ``now`` with stability ``S`` would be recalled at the interview moment ``T`` with
``R(T - now, S)``. If that is below the target and FSRS's due is after ``T``, the card is made due
at ``T - I(S, target)`` instead — the latest review after which (recalled, stability not falling)
``R`` at ``T`` is still at least the target. Only ``due`` moves: stability, difficulty and the last
review are FSRS's own, so once the date has passed scheduling is exactly what it would have been.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo

import fsrs
from fsrs import State

from quizapp.core.clock import as_utc, study_day_start
from quizapp.core.config import Config
from quizapp.core.plan.memory import Curve

#: a card is introduced at least this many study days before the interview day, so that it is
#: reviewed at least twice before it (the day it is learnt, and once more in between)
LEAD_DAYS = 3
MIN_GAP = timedelta(hours=1)  # never made due sooner than this after a review


def interview_moment(config: Config, tz: tzinfo | None = None) -> datetime | None:
    """When the interview day begins (its study-day rollover, UTC); None without a date."""
    if config.interview_date is None:
        return None
    return study_day_start(config.interview_date, config.day_rollover_hour, tz)


def days_left(today: date, interview: date) -> int:
    """Study days before the interview day, today included (0 on the day and after)."""
    return max(0, (interview - today).days)


class DeadlineCap:
    """``Scheduler.adjust``: shortens intervals that would cross the interview (see the module).

    ``covers(card_id)`` says whether the card belongs to the interview's decks (None: every card)."""

    def __init__(self, moment: datetime, target: float, parameters=None,
                 covers: Callable[[int], bool] | None = None) -> None:
        self.moment = as_utc(moment)
        self.target = target
        self.curve = Curve(parameters)
        self.covers = covers

    def __call__(self, card: fsrs.Card, now: datetime) -> fsrs.Card:
        now = as_utc(now)
        if (card.state != State.Review or not card.stability or now >= self.moment
                or as_utc(card.due) <= self.moment):
            return card
        if self.covers is not None and not self.covers(card.card_id):
            return card
        last = as_utc(card.last_review) if card.last_review is not None else now
        elapsed = (self.moment - last).total_seconds() / 86400
        if self.curve.retrievability(card.stability, elapsed) >= self.target:
            return card
        latest = self.moment - timedelta(days=self.curve.interval(card.stability, self.target))
        due = max(latest, now + MIN_GAP)
        if due >= as_utc(card.due):
            return card
        capped = fsrs.Card.from_dict(card.to_dict())
        capped.due = due
        return capped
