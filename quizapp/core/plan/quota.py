"""Today's new-card allowance when studying toward a date.

Without a date it is ``new_per_day``. With one, every card of the interview's decks must be
introduced by ``LEAD_DAYS`` study days before the day, so the allowance is what is left (cards not
yet seen, plus those started today) spread evenly over the study days left for introducing — never
less than ``new_per_day`` (the plan only ever speeds introducing up) and never more than
``interview_new_cap``. Cards still left in the last days (the cap was too low for them) keep coming,
at the cap, until the day before: seen late beats never seen. On the interview day and after, it is
``new_per_day`` again.
"""

from __future__ import annotations

import math
from datetime import date

from quizapp.core.config import Config
from quizapp.core.plan.deadline import LEAD_DAYS, days_left


def intro_days_left(today: date, interview: date) -> int:
    """Study days from today on that may still introduce a new card (at least 1 before the day)."""
    left = days_left(today, interview)
    return 0 if left == 0 else max(1, left - (LEAD_DAYS - 1))


def new_quota(config: Config, today: date, unseen: int, started_today: int, *, normal: int | None = None) -> int:
    """New cards allowed today (``started_today`` included). ``unseen``: the interview decks' cards
    never reviewed, right now; ``normal``: the rate without a plan (default ``new_per_day``; Study
    passes the decks' own limits when those are lower)."""
    normal = config.new_per_day if normal is None else normal
    if config.interview_date is None or days_left(today, config.interview_date) == 0:
        return normal
    spread = math.ceil((unseen + started_today) / intro_days_left(today, config.interview_date))
    return min(config.interview_new_cap, max(normal, spread))
