"""Where the plan meets a :class:`~quizapp.core.study.counts.Study` (which calls these two, so the
counting and scheduling code stays as it is without a date)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Protocol

from quizapp.core.config import Config
from quizapp.core.content.model import Card
from quizapp.core.plan.deadline import DeadlineCap, days_left, interview_moment
from quizapp.core.plan.quota import new_quota
from quizapp.core.srs.scheduling import card_id_for
from quizapp.core.srs.store import Collection
from quizapp.core.study.new_limits import deck_limit


class Study(Protocol):
    """What the plan needs of :class:`quizapp.core.study.counts.Study` (a protocol: no import cycle)."""

    collection: Collection
    config: Config
    tz: tzinfo | None
    decks: list

    def now(self) -> datetime: ...

    def today(self) -> date: ...

    def cards(self, deck_id: str | None = None) -> list[Card]: ...


def plan_keys(study: Study) -> list[str]:
    """Card keys the interview covers: its decks' (``interview_decks``), else every loaded card."""
    wanted = study.config.interview_decks
    if not wanted:
        return [c.key for c in study.cards()]
    keys: dict[str, None] = {}
    for deck_id in wanted:
        keys.update((c.key, None) for c in study.cards(deck_id))
    return list(keys)


def unseen_count(study: Study, keys: list[str] | None = None) -> int:
    """Cards of ``keys`` (default :func:`plan_keys`) never reviewed and not suspended or buried."""
    keys = plan_keys(study) if keys is None else keys
    now = study.now()
    states, settled = study.collection.queue_states(keys, now)
    n = 0
    for key in keys:
        if key in settled:
            continue
        s = states.get(key)
        n += s is None or (s.state is None and not s.suspended and not s.is_buried(now))
    return n


def plan_active(study: Study) -> bool:
    """An interview date is set and not yet reached: the plan decides today's new cards."""
    date = study.config.interview_date
    return date is not None and days_left(study.today(), date) > 0


def plan_covers_all(study: Study) -> bool:
    """The plan covers every loaded deck (``interview_decks`` unset or naming them all)."""
    wanted = set(study.config.interview_decks)
    return not wanted or {d.id for d in study.decks} <= wanted


def normal_rate(study: Study) -> int:
    """New cards a day without a plan, over the plan's decks: the overall ``new_per_day``, or the
    decks' own daily limits together when those are lower."""
    wanted = set(study.config.interview_decks)
    decks = [d for d in study.decks if not wanted or d.id in wanted]
    return min(study.config.new_per_day, sum(deck_limit(d, study.config) for d in decks))


def new_limit_today(study: Study, started_today: int) -> int:
    """New cards allowed today, those already started included (``new_per_day`` without a date)."""
    config = study.config
    if config.interview_date is None:
        return config.new_per_day
    return new_quota(config, study.today(), unseen_count(study), started_today, normal=normal_rate(study))


def deadline_cap(study: Study) -> DeadlineCap | None:
    """The interval cap for ``study``'s scheduler; None without an interview date."""
    config = study.config
    moment = interview_moment(config, study.tz)
    if moment is None:
        return None
    covers = None
    if config.interview_decks:
        cache: dict[int, object] = {}

        def covers(card_id: int) -> bool:  # the decks may be reloaded: ids follow study.decks
            if cache.get(-1) is not study.decks:
                cache.clear()
                cache.update((card_id_for(k), True) for k in plan_keys(study))
                cache[-1] = study.decks
            return card_id in cache

    return DeadlineCap(moment, config.interview_retention, config.fsrs_parameters, covers)
