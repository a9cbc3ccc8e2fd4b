"""A thin wrapper over ``fsrs.Scheduler``: stable card ids, fuzz-free previews, UTC handling.

The grade buttons show :meth:`Scheduler.preview` — the next interval for every rating computed
*without* fuzz, so the labels do not jitter (Anki does the same). :meth:`Scheduler.review` uses the
configured scheduler, fuzz included (fsrs draws the fuzz from the global ``random`` module).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

import fsrs
from fsrs import Rating, State

from quizapp.core.clock import as_utc
from quizapp.core.config import Config

RATINGS: tuple[Rating, ...] = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)
LEARN_AHEAD = timedelta(minutes=20)  # a learning card due this soon counts as due now (Anki's limit)
_MASK_63 = (1 << 63) - 1


def card_id_for(key: str) -> int:
    """A stable positive 63-bit integer id for a card key (first 8 bytes of blake2b)."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") & _MASK_63 or 1


def new_card(key: str, now: datetime) -> fsrs.Card:
    """The fsrs state of a never-reviewed card (always passes a card_id: fsrs sleeps 1 ms otherwise)."""
    return fsrs.Card(card_id=card_id_for(key), state=State.Learning, step=0, due=as_utc(now))


class Scheduler:
    """Schedules cards with the settings of a :class:`Config`.

    ``adjust(card, now)``, when set, may move the due time of a card just scheduled (never its
    memory state): studying toward a date shortens intervals that would cross it
    (:class:`quizapp.core.plan.deadline.DeadlineCap`)."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self._live = self.config.scheduler()
        self._stable = self.config.scheduler(fuzz=False)
        self.adjust: Callable[[fsrs.Card, datetime], fsrs.Card] | None = None

    def _adjusted(self, card: fsrs.Card, now: datetime) -> fsrs.Card:
        return card if self.adjust is None else self.adjust(card, now)

    def new_card(self, key: str, now: datetime) -> fsrs.Card:
        return new_card(key, now)

    def preview(self, card: fsrs.Card, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give ``card`` at ``now``, without fuzz."""
        now = as_utc(now)
        return {r: self._adjusted(self._stable.review_card(card, r, now)[0], now).due - now for r in RATINGS}

    def review(
        self, card: fsrs.Card, rating: Rating, now: datetime, duration_ms: int | None = None
    ) -> fsrs.Card:
        """``card`` after being graded ``rating`` at ``now`` (a new object; ``card`` is untouched)."""
        updated, _log = self._live.review_card(card, Rating(rating), as_utc(now), duration_ms)
        return self._adjusted(updated, as_utc(now))

    def retrievability(self, card: fsrs.Card, now: datetime) -> float:
        return self._live.get_card_retrievability(card, as_utc(now))
