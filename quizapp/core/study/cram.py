"""A cram session: review chosen cards ahead of schedule (before an interview) without touching
their FSRS state. Each answer is logged as its own ``cram`` event (rating, time, typed answer); a
card graded Again comes back once more at the end of the session. The session can be left at any
time — everything graded so far is saved.

It has the shape of :class:`~quizapp.core.study.review.ReviewSession`, so the review screen shows it
(``intervals()`` is empty: nothing is scheduled). Cards are chosen by
:func:`quizapp.core.plan.cram.cram_keys`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from fsrs import Rating

from quizapp.core.content.model import Card
from quizapp.core.srs.records import CardRecord
from quizapp.core.srs.store import UndoConflict
from quizapp.core.study.review import Graded, SessionSummary, Study


@dataclass(slots=True)
class _Step:
    event_id: int
    key: str
    kind: str  # cram | suspend | bury
    rating: Rating | None
    duration_ms: int | None
    before: tuple[str | None, list[str], set[str]]


class CramSession:
    """Cards ``keys`` in order; ``current`` is the one to show, None when finished."""

    cram = True  # the review screen says "Cram" and shows no intervals

    def __init__(self, study: Study, keys: list[str], deck_id: str | None = None) -> None:
        self.study = study
        self.deck_id = deck_id
        self.started_at = study.now()
        self._queue = [k for k in dict.fromkeys(keys) if study.card(k) is not None]
        self._again: set[str] = set()  # cards already sent back once
        self._current: str | None = None
        self._steps: list[_Step] = []
        self._advance()

    @property
    def current(self) -> Card | None:
        return self.study.card(self._current) if self._current is not None else None

    @property
    def current_key(self) -> str | None:
        return self._current

    @property
    def current_state(self) -> CardRecord | None:
        return self.study.collection.state(self._current) if self._current is not None else None

    @property
    def finished(self) -> bool:
        return self._current is None

    @property
    def remaining(self) -> int:
        return len(self._queue) + (self._current is not None)

    @property
    def left(self) -> int:
        """Showings left, the current one included: each card once (cramming has no learning steps;
        an Again sends a card back once, and then it counts again)."""
        return self.remaining

    @property
    def last_action(self) -> tuple[str, Rating | None, str] | None:
        """What :meth:`undo` would cancel: (``cram`` | ``suspend`` | ``bury``, the rating, the key)."""
        if not self._steps:
            return None
        step = self._steps[-1]
        return step.kind, step.rating, step.key

    @property
    def done(self) -> int:
        return sum(s.kind == "cram" for s in self._steps)

    @property
    def can_undo(self) -> bool:
        return bool(self._steps)

    @property
    def summary(self) -> SessionSummary:
        return SessionSummary.of([s for s in self._steps if s.kind == "cram"])

    def intervals(self) -> dict[Rating, timedelta]:
        return {}  # cramming schedules nothing

    def grade(self, rating: Rating, *, duration_ms: int | None = None, answer: str | None = None) -> Graded:
        """Log the answer (committed before this returns); Again sends the card back once."""
        key = self._require_current()
        rating = Rating(rating)
        before = self._snapshot()
        entry = self.study.collection.log_cram(key, rating=rating, duration_ms=duration_ms, answer=answer,
                                               at=self.study.now())
        self._steps.append(_Step(entry.id, key, "cram", rating, duration_ms, before))
        requeued = rating == Rating.Again and key not in self._again
        if requeued:
            self._again.add(key)
            self._queue.append(key)
        record = self.study.collection.state(key)
        self._current = None
        self._advance()
        card = record.card if record is not None else None
        return Graded(key, rating, card, requeued, False, record.lapses if record else 0)

    def suspend(self) -> None:
        key = self._require_current()
        before = self._snapshot()
        entry = self.study.collection.suspend(key, at=self.study.now())
        self._steps.append(_Step(entry.id, key, "suspend", None, None, before))
        self._current = None
        self._advance()

    def bury(self) -> None:
        """Leave the card out of the rest of this session (cramming changes no schedule)."""
        key = self._require_current()
        self._steps.append(_Step(-1, key, "bury", None, None, self._snapshot()))
        self._current = None
        self._advance()

    def undo(self) -> Card | None:
        if not self._steps:
            return None
        step = self._steps[-1]
        if step.event_id >= 0:
            try:
                self.study.collection.undo(step.event_id, at=self.study.now())
            except UndoConflict:
                self._steps.pop()
                return None
        self._steps.pop()
        self._current, queue, again = step.before
        self._queue, self._again = list(queue), set(again)
        return self.current

    def keys(self) -> set[str]:
        return {self._current, *self._queue} - {None}

    def rename_keys(self, renames: dict[str, str]) -> None:
        if self._current in renames:
            self._current = renames[self._current]
        self._queue = [renames.get(k, k) for k in self._queue]
        self._again = {renames.get(k, k) for k in self._again}

    def _require_current(self) -> str:
        if self._current is None:
            raise RuntimeError("the session is finished: there is no current card")
        return self._current

    def _snapshot(self) -> tuple[str | None, list[str], set[str]]:
        return self._current, list(self._queue), set(self._again)

    def _advance(self) -> None:
        while self._queue:
            key = self._queue.pop(0)
            if self.study.card(key) is not None:
                self._current = key
                return
        self._current = None
