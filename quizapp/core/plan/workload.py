"""What a desired-retention change would cost: the reviews a day over the next weeks, played forward
with the scheduler's model (:mod:`.projection`, plain FSRS, no interview), before it is applied."""

from __future__ import annotations

from datetime import timedelta

from quizapp.core.plan.hooks import Study
from quizapp.core.plan.projection import project

DAYS = 30


def workload(study: Study, retention: float, days: int = DAYS, runs: int = 2) -> dict:
    """``{"retention", "days", "reviews_per_day", "new_per_day", "recall_end"}`` for ``retention``
    (reviews and new averaged over ``days`` study days from today; recall in % at the end)."""
    today = study.today()
    config = study.config._replace(desired_retention=retention, interview_date=today + timedelta(days=days))
    keys = [c.key for c in study.cards()]
    records = study.collection.states(keys)
    p = project(keys, records, config, study.now(), today, new_today=study.counts().new, tz=study.tz,
                runs=runs, plan=False)
    return {"retention": retention, "days": days,
            "reviews_per_day": round(sum(p.reviews) / days, 1), "new_per_day": round(sum(p.new) / days, 1),
            "recall_end": round(100 * p.mean_recall(keys), 1)}
