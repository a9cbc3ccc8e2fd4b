"""Review logic the TUI and the CLI drive: what is due, the queue of a session, grading and undo.

Pure logic over a :class:`~quizapp.core.srs.store.Collection` (the source of truth: every grade is
committed before the next card is shown, so a new session after a crash sees exactly what was
committed) and the loaded decks. History of cards that are no longer in any deck is never touched.

Counting rules (Anki's):

* **new** — never-reviewed cards, capped by what is left of ``new_per_day`` today across all decks
  (a deck shows ``min(its unseen cards, remaining allowance)``);
* **learning** — Learning/Relearning cards due now or within :data:`LEARN_AHEAD`;
* **due** — Review cards due before the current study day ends (``day_rollover_hour`` local time);
* suspended cards and cards buried until a later time are in none of them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

import fsrs
from fsrs import Rating, State

from quizapp.core.clock import Clock, as_utc, next_rollover, study_day, study_day_start, utcnow
from quizapp.core.config import Config
from quizapp.core.content.model import Card, Deck
from quizapp.core.srs.records import CardRecord
from quizapp.core.srs.scheduling import RATINGS, Scheduler, new_card
from quizapp.core.srs.store import Collection, UndoConflict

LEARN_AHEAD = timedelta(minutes=20)
STATS_VERSION = 1


@dataclass(frozen=True, slots=True)
class Counts:
    new: int = 0
    learning: int = 0
    due: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.due


@dataclass(frozen=True, slots=True)
class SessionSummary:
    reviewed: int
    by_rating: dict[Rating, int]  # every rating present, zeros included
    seconds: float  # sum of the durations reported to grade() (time spent answering)
    again_keys: list[str]  # cards graded Again in this session, first time order, no repeats


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
    auto_suspend_id: int | None = None  # the leech suspend logged right after this review


def is_leech_lapse(lapses: int, threshold: int) -> bool:
    """Whether the lapse that brought a card to ``lapses`` makes it a leech (Anki's rule): at the
    threshold, then again every half threshold (8, 12, 16, … for 8), so a leech the user
    unsuspended is caught again if it keeps failing. ``threshold`` 0 turns leeches off."""
    if threshold <= 0 or lapses < threshold:
        return False
    return (lapses - threshold) % max(1, threshold // 2) == 0


@dataclass(slots=True)
class _Buckets:
    unseen: list[str] = field(default_factory=list)  # deck order
    learning: list[tuple[datetime, str]] = field(default_factory=list)
    due: list[tuple[datetime, str]] = field(default_factory=list)
    suspended: int = 0
    buried: int = 0
    leeches: int = 0


class Study:
    """Counts, statistics and review sessions over ``decks`` and a collection."""

    def __init__(self, collection: Collection, decks: Iterable[Deck], config: Config | None = None,
                 clock: Clock = utcnow, *, tz: tzinfo | None = None) -> None:
        self.collection = collection
        self.config = config or Config()
        self.clock = clock
        self.tz = tz  # None: the system's local zone (study days follow the user's wall clock)
        self.scheduler = Scheduler(self.config)
        self.set_decks(decks)

    def set_decks(self, decks: Iterable[Deck]) -> None:
        """Replace the loaded decks (after a reload); the collection is not touched."""
        self.decks = [d for d in decks if not d.failed]
        self._cards: dict[str, Card] = {}
        for deck in self.decks:
            for card in deck.cards:
                self._cards.setdefault(card.key, card)

    def card(self, key: str) -> Card | None:
        return self._cards.get(key)

    def cards(self, deck_id: str | None = None) -> list[Card]:
        """Cards of one deck (or every deck), in deck order, without duplicate keys."""
        if deck_id is None:
            return list(self._cards.values())
        seen: dict[str, Card] = {}
        for deck in self.decks:
            if deck.id == deck_id:
                seen.update((c.key, c) for c in deck.cards if c.key not in seen)
        return list(seen.values())

    # ---- time --------------------------------------------------------------------------------

    def now(self) -> datetime:
        return as_utc(self.clock())

    def today(self) -> date:
        return study_day(self.now(), self.config.day_rollover_hour, self.tz)

    def day_start(self) -> datetime:
        return study_day_start(self.today(), self.config.day_rollover_hour, self.tz)

    def day_end(self) -> datetime:
        return next_rollover(self.now(), self.config.day_rollover_hour, self.tz)

    # ---- counts ------------------------------------------------------------------------------

    def new_remaining(self) -> int:
        """New cards that may still be started today (``new_per_day`` minus those started today)."""
        started = self.collection.count_first_seen(self.day_start())
        return max(0, self.config.new_per_day - started)

    def _buckets(self, cards: list[Card]) -> _Buckets:
        now, day_end = self.now(), self.day_end()
        learn_by = now + LEARN_AHEAD
        threshold = self.config.leech_threshold
        # only cards that can be in a bucket are read; ``settled`` ones (due later) are in none
        states, settled = self.collection.queue_states((c.key for c in cards), max(learn_by, day_end), threshold)
        b = _Buckets()
        for card in cards:
            key = card.key
            record = states.get(key)
            if record is None:
                if key not in settled:
                    b.unseen.append(key)
                continue
            if threshold and record.lapses >= threshold:
                b.leeches += 1
            if record.suspended:
                b.suspended += 1
            elif record.is_buried(now):
                b.buried += 1
            elif record.state is None:
                b.unseen.append(key)
            elif record.state in (State.Learning, State.Relearning):
                if record.due <= learn_by:
                    b.learning.append((record.due, key))
            elif record.due < day_end:
                b.due.append((record.due, key))
        b.learning.sort()
        b.due.sort()
        return b

    def counts(self, deck_id: str | None = None) -> Counts:
        b = self._buckets(self.cards(deck_id))
        return Counts(min(len(b.unseen), self.new_remaining()), len(b.learning), len(b.due))

    def reviews_today(self) -> int:
        return self.collection.total_reviews(since=self.day_start())

    def streak(self) -> int:
        return self.collection.streak(self.now(), self.config.day_rollover_hour, self.tz)

    def time_today_seconds(self) -> float:
        return self.collection.time_spent_seconds(since=self.day_start())

    def orphan_keys(self) -> list[str]:
        """Keys with history in the collection that no loaded deck has (kept, never deleted)."""
        return sorted(self.collection.known_keys() - self._cards.keys())

    # ---- sessions ----------------------------------------------------------------------------

    def start_review(self, deck_id: str | None = None) -> ReviewSession:
        """A session over what is due now: learning due, then reviews due, then new cards."""
        now = self.now()
        b = self._buckets(self.cards(deck_id))
        learning_now = [k for due, k in b.learning if due <= now]
        learning_later = [(due, k) for due, k in b.learning if due > now]
        queue = learning_now + [k for _, k in b.due] + b.unseen[: self.new_remaining()]
        return ReviewSession(self, queue, learning_later, deck_id)

    # ---- stats -------------------------------------------------------------------------------

    def stats(self, deck_id: str | None = None) -> dict:
        """Statistics as plain JSON-able data (the contract of ``quizapp stats --json``)::

            {
              "version": 1,                       # bumped only on incompatible changes
              "generated_at": "…+00:00",          # UTC ISO-8601
              "study_day": "2024-05-01",          # the current study day (local, after rollover)
              "streak": 3,                        # consecutive study days with ≥ 1 review
              "reviews_today": 12,                # all reviews today, orphans included
              "time_today_seconds": 301.5,        # sum of answer durations today
              "new_remaining_today": 8,           # new cards that may still be started today
              "orphans": 0,                       # cards with history but in no loaded deck
              "decks": [{"id": "<deck id>", "title": "…", <counts>}, …],   # in deck order
              "totals": {<counts>}                # over the decks listed above
            }

        where ``<counts>`` is ``cards`` (in the deck), ``new`` (startable now, capped as in
        :meth:`counts`), ``unseen`` (never reviewed, uncapped), ``learning``, ``due``, ``suspended``,
        ``buried``, ``leeches`` (lapses ≥ leech_threshold, suspended or not), ``reviews_today`` and ``total_reviews``
        (reviews in effect; undone ones excluded). ``deck_id`` restricts ``decks`` to that deck.
        """
        remaining = self.new_remaining()
        all_counts = self.collection.review_counts_by_key()
        today_counts = self.collection.review_counts_by_key(since=self.day_start())
        decks = [d for d in self.decks if deck_id is None or d.id == deck_id]
        per_deck: list[dict] = []
        total_keys: dict[str, Card] = {}
        for deck in decks:
            if any(d["id"] == deck.id for d in per_deck):
                continue
            cards = self.cards(deck.id)
            total_keys.update((c.key, c) for c in cards)
            per_deck.append({"id": deck.id, "title": deck.title,
                             **self._count_block(cards, remaining, all_counts, today_counts)})
        return {
            "version": STATS_VERSION,
            "generated_at": self.now().isoformat(),
            "study_day": self.today().isoformat(),
            "streak": self.streak(),
            "reviews_today": self.reviews_today(),
            "time_today_seconds": round(self.time_today_seconds(), 3),
            "new_remaining_today": remaining,
            "orphans": len(self.orphan_keys()),
            "decks": per_deck,
            "totals": self._count_block(list(total_keys.values()), remaining, all_counts, today_counts),
        }

    def _count_block(self, cards: list[Card], remaining: int, all_counts: dict[str, int],
                     today_counts: dict[str, int]) -> dict[str, int]:
        b = self._buckets(cards)
        return {
            "cards": len(cards),
            "new": min(len(b.unseen), remaining),
            "unseen": len(b.unseen),
            "learning": len(b.learning),
            "due": len(b.due),
            "suspended": b.suspended,
            "buried": b.buried,
            "leeches": b.leeches,
            "reviews_today": sum(today_counts.get(c.key, 0) for c in cards),
            "total_reviews": sum(all_counts.get(c.key, 0) for c in cards),
        }


class ReviewSession:
    """One pass over the cards due. ``current`` is the card to show; ``None`` when finished."""

    def __init__(self, study: Study, queue: list[str], learning: list[tuple[datetime, str]],
                 deck_id: str | None = None) -> None:
        self.study = study
        self.deck_id = deck_id
        self.started_at = study.now()
        self._queue = list(queue)
        self._learning = sorted(learning)  # (due, key): short learning steps waiting in this session
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
        """Cards left to show, the current one included."""
        return len(self._queue) + len(self._learning) + (self._current is not None)

    @property
    def done(self) -> int:
        """Grades given in this session (undone ones excluded)."""
        return sum(a.kind == "review" for a in self._actions)

    @property
    def can_undo(self) -> bool:
        return bool(self._actions)

    @property
    def summary(self) -> SessionSummary:
        reviews = [a for a in self._actions if a.kind == "review"]
        by_rating = {r: 0 for r in RATINGS}
        again: dict[str, None] = {}
        for a in reviews:
            by_rating[a.rating] += 1
            if a.rating == Rating.Again:
                again.setdefault(a.key)
        seconds = sum(a.duration_ms or 0 for a in reviews) / 1000
        return SessionSummary(len(reviews), by_rating, seconds, list(again))

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
        entry, record = collection.apply_review(key, rating, review, at=now, duration_ms=duration_ms,
                                                answer=answer)
        action = _Action(entry.id, key, "review", rating, duration_ms, snapshot)
        self._actions.append(action)
        card = record.card
        lapse = rating == Rating.Again and prev_state[0] == State.Review
        leech = lapse and is_leech_lapse(record.lapses, self.study.config.leech_threshold)
        if leech and not record.suspended:
            # Like Anki: a leech is suspended at once (a logged event, at the grade's instant, that
            # undo() cancels together with the grade).
            action.auto_suspend_id = collection.suspend(key, at=now).id
        requeued = (not leech and card.state in (State.Learning, State.Relearning)
                    and card.due <= now + LEARN_AHEAD)
        if requeued:
            bisect.insort(self._learning, (card.due, key))
        self._current = None
        self._advance()
        return Graded(key, rating, card, requeued, leech, record.lapses)

    def suspend(self) -> None:
        """Suspend the current card (logged; it leaves every queue until unsuspended)."""
        key = self._require_current()
        snapshot = self._snapshot()
        entry = self.study.collection.suspend(key, at=self.study.now())
        self._actions.append(_Action(entry.id, key, "suspend", None, None, snapshot))
        self._current = None
        self._advance()

    def bury(self) -> None:
        """Hide the current card until the next study-day rollover (logged)."""
        key = self._require_current()
        snapshot = self._snapshot()
        until = self.study.day_end()
        entry = self.study.collection.bury(key, until, at=self.study.now())
        self._actions.append(_Action(entry.id, key, "bury", None, None, snapshot))
        self._current = None
        self._advance()

    def undo(self) -> Card | None:
        """Cancel the last grade, suspend or bury of this session: the card gets its previous
        state back (an ``undo`` row is logged; nothing is deleted) and becomes current again.
        Undoing the grade that made a card a leech also undoes its automatic suspension.
        Returns that card, or None if there is nothing to undo."""
        if not self._actions:
            return None
        action = self._actions.pop()
        collection, now = self.study.collection, self.study.now()
        try:
            if action.auto_suspend_id is not None:  # a leech: the suspend goes first, then the grade
                collection.undo(action.auto_suspend_id, at=now)
            collection.undo(action.event_id, at=now)
        except UndoConflict:  # the card was changed by another process meanwhile: leave it be
            return None
        current, queue, learning = action.queue_before
        self._current, self._queue, self._learning = current, list(queue), list(learning)
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

    def _snapshot(self) -> tuple[str | None, list[str], list[tuple[datetime, str]]]:
        return self._current, list(self._queue), list(self._learning)

    def _advance(self) -> None:
        """Pick the next card: a waiting learning card that is due, else the queue, else the
        earliest waiting learning card even if not due yet (learn ahead, as Anki does)."""
        now = self.study.now()
        while True:
            if self._learning and (self._learning[0][0] <= now or not self._queue):
                _, key = self._learning.pop(0)
            elif self._queue:
                key = self._queue.pop(0)
            else:
                self._current = None
                return
            if self.study.card(key) is not None:
                self._current = key
                return
