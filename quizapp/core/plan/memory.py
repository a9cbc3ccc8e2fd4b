"""FSRS's forgetting curve, from the parameters the scheduler uses.

FSRS-6: ``R(t, S) = (1 + F·t/S)^(-w20)`` with ``F = 0.9^(1/-w20) - 1``, so ``R(S, S) = 0.9``: the
stability is the number of days after which recall has dropped to 90 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import fsrs
from fsrs.scheduler import DEFAULT_PARAMETERS as _FSRS_DEFAULTS

from quizapp.core.clock import as_utc

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(_FSRS_DEFAULTS)
SECONDS_PER_DAY = 86400.0


class Curve:
    """The forgetting curve of one parameter set (only ``w[20]``, the decay, shapes it)."""

    __slots__ = ("decay", "factor")

    def __init__(self, parameters: Sequence[float] | None = None) -> None:
        params = tuple(parameters) if parameters else DEFAULT_PARAMETERS
        self.decay = -params[20]
        self.factor = 0.9 ** (1 / self.decay) - 1

    def retrievability(self, stability: float | None, elapsed_days: float) -> float:
        """Predicted recall ``elapsed_days`` after the last review of a card of ``stability``."""
        if not stability or stability <= 0:
            return 0.0
        return (1 + self.factor * max(0.0, elapsed_days) / stability) ** self.decay

    def interval(self, stability: float, retention: float) -> float:
        """Days after which recall has dropped to ``retention`` (FSRS's interval, not rounded)."""
        return stability / self.factor * (retention ** (1 / self.decay) - 1)

    def card_recall(self, card: fsrs.Card | None, at: datetime) -> float:
        """Recall of ``card`` at ``at`` (0 for a card never reviewed)."""
        if card is None or card.last_review is None or not card.stability:
            return 0.0
        elapsed = (as_utc(at) - as_utc(card.last_review)).total_seconds() / SECONDS_PER_DAY
        return self.retrievability(card.stability, elapsed)
