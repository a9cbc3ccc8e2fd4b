"""A review session: the queue of one pass over the cards due, grading, undo, suspend/bury, leeches.

Every grade is committed to the collection before the next card is shown (see
:mod:`quizapp.core.study.counts` for the counting rules and :class:`~quizapp.core.study.counts.Study`, which
starts sessions).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import fsrs
from fsrs import Rating, State

from quizapp.core.content.model import Card
from quizapp.core.config import Config
from quizapp.core.srs.records import CardRecord
from quizapp.core.srs.scheduling import LEARN_AHEAD, RATINGS, Scheduler, new_card
from quizapp.core.srs.store import Collection, UndoConflict
from quizapp.core.study.showings import NEW, Phase, showings_left


class Study(Protocol):
    """What a session needs of the :class:`~quizapp.core.study.counts.Study` that started it (a
    protocol, so counts → review is the only import between the two)."""

    collection: Collection
    config: Config
    scheduler: Scheduler

    def now(self) -> datetime: ...

    def day_end(self) -> datetime: ...

    def card(self, key: str) -> Card | None: ...

    def sibling_of(self, key: str) -> str: ...


@dataclass(frozen=True, slots=True)
class SessionSummary:
    reviewed: int
    by_rating: dict[Rating, int]  # every rating present, zeros included
    seconds: float  # sum of the durations reported to grade() (time spent answering)
    again_keys: list[str]  # cards graded Again in this session, first time order, no repeats

    @classmethod
    def of(cls, graded: list) -> SessionSummary:
        """The summary of a session's grades: items with ``key``, ``rating`` and ``duration_ms``."""
        by_rating = {r: 0 for r in RATINGS}
        again: dict[str, None] = {}
        for g in graded:
            by_rating[g.rating] += 1
            if g.rating == Rating.Again:
                again.setdefault(g.key)
        return cls(len(graded), by_rating, sum(g.duration_ms or 0 for g in graded) / 1000, list(again))


@dataclass(frozen=True, slots=True)
class Graded:
    """What :meth:`ReviewSession.grade` did."""

    key: str
    rating: Rating
    card: fsrs.Card  # the fsrs state after the grade
    requeued: bool  # comes back later in this session (a short learning step)
    leech: bool  # this lapse made the card a leech (see is_leech_lapse); it was suspended
    lapses: int = 0  # the card's lapses after the grade


@dataclass(slots=True)
class _Action:
    event_id: int
    key: str
    kind: str  # review | suspend | bury
    rating: Rating | None
    duration_ms: int | None
    queue_before: tuple[str | None, list[str], list[tuple[datetime, str]]]
    phase_before: Phase | None = None  # the card's phase before a grade (undo puts it back)
    auto_suspend_id: int | None = None  # the leech suspend logged right after this review


def is_leech_lapse(lapses: int, threshold: int) -> bool:
    """Whether the lapse that brought a card to ``lapses`` makes it a leech (Anki's rule): at the
    threshold, then again every half threshold (8, 12, 16, … for 8), so a leech the user
    unsuspended is caught again if it keeps failing. ``threshold`` 0 turns leeches off."""
    if threshold <= 0 or lapses < threshold:
        return False
    return (lapses - threshold) % max(1, threshold // 2) == 0



class ReviewSession:
    """One pass over the cards due. ``current`` is the card to show; ``None`` when finished."""

    def __init__(self, study: Study, queue: list[str], learning: list[tuple[datetime, str]],
                 deck_id: str | None = None, phases: dict[str, Phase] | None = None) -> None:
        """``phases``: the (state, step) of cards in ``queue`` whose phase is known (new cards,
        review cards); the others are read from the collection when first counted."""
        self.study = study
        self.deck_id = deck_id
        self.started_at = study.now()
        self._queue = list(queue)
        self._learning = sorted(learning)  # (due, key): short learning steps waiting in this session
        self._phases: dict[str, Phase] = dict(phases or {})
        self._notes: dict[str, list[str]] | None = None  # note → queued keys (see _bury_siblings)
        self._current: str | None = None
        self._actions: list[_Action] = []
        self._advance()

    # ---- state -------------------------------------------------------------------------------

    @property
    def current(self) -> Card | None:
        return self.study.card(self._current) if self._current is not None else None

    @property
    def current_key(self) -> str | None:
        return self._current

    @property
    def current_state(self) -> CardRecord | None:
        """The stored state of the current card (None if it is new or there is no current card)."""
        return self.study.collection.state(self._current) if self._current is not None else None

    @property
    def finished(self) -> bool:
        return self._current is None

    @property
    def remaining(self) -> int:
        """Cards left to show, the current one included (each card once)."""
        return len(self._queue) + len(self._learning) + (self._current is not None)

    @property
    def left(self) -> int:
        """Showings left in this session, the current one included: each card waiting once, plus the
        learning steps it will come back for if every answer from now on is Good
        (:func:`~quizapp.core.study.showings.showings_left`). Each Good lowers it by one; 0 once
        the session is finished."""
        config = self.study.config
        steps, relearning = config.learning_steps, config.relearning_steps
        return sum(showings_left(self._phase(k), steps, relearning) for k in self._session_keys())

    @property
    def last_action(self) -> tuple[str, Rating | None, str] | None:
        """What :meth:`undo` would cancel: (``review`` | ``suspend`` | ``bury``, the rating, the key)."""
        if not self._actions:
            return None
        action = self._actions[-1]
        return action.kind, action.rating, action.key

    @property
    def done(self) -> int:
        """Grades given in this session (undone ones excluded)."""
        return sum(a.kind == "review" for a in self._actions)

    @property
    def can_undo(self) -> bool:
        return bool(self._actions)

    @property
    def summary(self) -> SessionSummary:
        return SessionSummary.of([a for a in self._actions if a.kind == "review"])

    def intervals(self) -> dict[Rating, timedelta]:
        """The next interval each rating would give the current card (no fuzz: stable labels)."""
        key = self._require_current()
        now = self.study.now()
        record = self.study.collection.state(key)
        card = record.card if record is not None and record.card is not None else new_card(key, now)
        return self.study.scheduler.preview(card, now)

    # ---- actions -----------------------------------------------------------------------------

    def grade(self, rating: Rating, *, duration_ms: int | None = None, answer: str | None = None) -> Graded:
        """Grade the current card. The review is committed to the collection before this returns;
        then the next card becomes current. A card left in a learning step due within
        :data:`LEARN_AHEAD` comes back later in this session. A lapse that makes the card a leech
        (:func:`is_leech_lapse`) also suspends it (logged) and reports ``Graded.leech``."""
        key = self._require_current()
        rating = Rating(rating)
        now = self.study.now()
        scheduler = self.study.scheduler
        prev_state: list[State | None] = [None]

        def review(card: fsrs.Card | None) -> fsrs.Card:
            prev_state[0] = card.state if card is not None else None
            return scheduler.review(card if card is not None else new_card(key, now), rating, now, duration_ms)

        snapshot = self._snapshot()
        collection = self.study.collection
        threshold = self.study.config.leech_threshold

        def is_leech(before: fsrs.Card | None, after: CardRecord) -> bool:
            # Like Anki: a leech is suspended at once — a logged event at the grade's instant, in the
            # grade's own transaction (one write: a retry can never grade twice), that undo()
            # cancels together with the grade.
            lapse = rating == Rating.Again and before is not None and before.state == State.Review
            return lapse and is_leech_lapse(after.lapses, threshold)

        entry, record, suspended = collection.apply_review_then_suspend(
            key, rating, review, suspend_if=is_leech, at=now, duration_ms=duration_ms, answer=answer)
        action = _Action(entry.id, key, "review", rating, duration_ms, snapshot, self._phase(key))
        self._actions.append(action)
        card = record.card
        lapse = rating == Rating.Again and prev_state[0] == State.Review
        leech = lapse and is_leech_lapse(record.lapses, threshold)
        if suspended is not None:
            action.auto_suspend_id = suspended.id
        requeued = (not leech and card.state in (State.Learning, State.Relearning)
                    and card.due <= now + LEARN_AHEAD)
        if requeued:
            bisect.insort(self._learning, (card.due, key))
            self._phases[key] = (card.state, card.step)
        self._bury_siblings(key)
        self._current = None
        self._advance(after=key)
        return Graded(key, rating, card, requeued, leech, record.lapses)

    def suspend(self) -> None:
        """Suspend the current card (logged; it leaves every queue until unsuspended)."""
        key = self._require_current()
        snapshot = self._snapshot()
        entry = self.study.collection.suspend(key, at=self.study.now())
        self._actions.append(_Action(entry.id, key, "suspend", None, None, snapshot))
        self._current = None
        self._advance(after=key)

    def bury(self) -> None:
        """Hide the current card until the next study-day rollover (logged)."""
        key = self._require_current()
        snapshot = self._snapshot()
        until = self.study.day_end()
        entry = self.study.collection.bury(key, until, at=self.study.now())
        self._actions.append(_Action(entry.id, key, "bury", None, None, snapshot))
        self._current = None
        self._advance(after=key)

    def undo(self) -> Card | None:
        """Cancel the last grade, suspend or bury of this session: the card gets its previous
        state back (an ``undo`` row is logged; nothing is deleted) and becomes current again.
        Undoing the grade that made a card a leech also undoes its automatic suspension.
        Returns that card, or None if there is nothing to undo."""
        if not self._actions:
            return None
        action = self._actions[-1]  # popped once undone: a failed write leaves it to undo again
        collection, now = self.study.collection, self.study.now()
        try:
            if action.auto_suspend_id is not None:  # a leech: the suspend goes first, then the grade
                collection.undo(action.auto_suspend_id, at=now)
                action.auto_suspend_id = None
            collection.undo(action.event_id, at=now)
        except UndoConflict:  # the card was changed by another process meanwhile: leave it be
            self._actions.pop()
            return None
        self._actions.pop()
        current, queue, learning = action.queue_before
        self._current, self._queue, self._learning = current, list(queue), list(learning)
        if action.phase_before is not None:
            self._phases[action.key] = action.phase_before
        return self.current

    # ---- internals ---------------------------------------------------------------------------

    def _require_current(self) -> str:
        if self._current is None:
            raise RuntimeError("the session is finished: there is no current card")
        return self._current

    def keys(self) -> set[str]:
        """Every card key this session will still show, the current one included."""
        return {self._current, *self._queue, *(k for _due, k in self._learning)} - {None}

    def rename_keys(self, renames: dict[str, str]) -> None:
        """Follow cards whose key changed (history carried over after their front was reworded), so
        the card on screen stays on screen. A grade given before the rename can no longer be undone:
        the store refuses, and undo() then returns None."""
        if self._current in renames:
            self._current = renames[self._current]
        self._queue = [renames.get(k, k) for k in self._queue]
        self._learning = [(due, renames.get(k, k)) for due, k in self._learning]
        self._notes = None  # rebuilt from the renamed keys when next needed

    def _snapshot(self) -> tuple[str | None, list[str], list[tuple[datetime, str]]]:
        return self._current, list(self._queue), list(self._learning)

    def _session_keys(self) -> list[str]:
        keys = [k for _due, k in self._learning] + self._queue
        return keys if self._current is None else [self._current, *keys]

    def _phase(self, key: str) -> Phase:
        phase = self._phases.get(key)
        if phase is None:
            record = self.study.collection.state(key)
            card = record.card if record is not None else None
            phase = self._phases[key] = (card.state, card.step) if card is not None else NEW
        return phase

    def _bury_siblings(self, key: str) -> None:
        """``key`` was answered: its new and review siblings waiting in the queue are buried for the
        day (nothing is written: see :mod:`quizapp.core.study.siblings`). Learning siblings stay."""
        if self._notes is None:  # note → keys of the queue, built once (a session may hold 10k cards)
            self._notes = {}
            for k in self._queue:
                self._notes.setdefault(self.study.sibling_of(k), []).append(k)
        siblings = set(self._notes.get(self.study.sibling_of(key), ())) - {key}
        if siblings and not siblings.isdisjoint(self._queue):
            self._queue = [k for k in self._queue if k not in siblings]

    def _candidates(self, now: datetime):
        """(list, index) of every waiting card in the order they are due to be shown: learning cards
        due now, the queue, then learning cards not due yet (learn ahead, as Anki does)."""
        due_now = bisect.bisect_right(self._learning, now, key=lambda item: item[0])
        for i in range(due_now):
            yield self._learning, i
        for i in range(len(self._queue)):
            yield self._queue, i
        for i in range(due_now, len(self._learning)):
            yield self._learning, i

    def _advance(self, after: str | None = None) -> None:
        """Pick the next card (see :meth:`_candidates`), never a sibling of ``after`` — the card just
        answered, buried or suspended — while another card is waiting."""
        avoid = self.study.sibling_of(after) if after is not None else None
        first = chosen = None
        gone: list[tuple[list, int]] = []  # cards no longer in any deck: dropped on the way
        for where, i in self._candidates(self.study.now()):
            item = where[i]
            key = item[1] if where is self._learning else item
            if self.study.card(key) is None:
                gone.append((where, i))
                continue
            if first is None:
                first = (where, i, key)
            if avoid is None or self.study.sibling_of(key) != avoid:
                chosen = (where, i, key)
                break
        pick = chosen or first
        drop = gone + ([(pick[0], pick[1])] if pick is not None else [])
        for where, i in sorted(drop, key=lambda d: d[1], reverse=True):
            del where[i]
        self._current = pick[2] if pick is not None else None
