"""Review logic the TUI and the CLI drive: what is due, the queue of a session, grading and undo.

:class:`Study` is what Home needs (counts, streak, statistics); :meth:`Study.start_review` hands out a
:class:`~quizapp.core.study.review.ReviewSession`, where grading, undo and leeches live.

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

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, NamedTuple

from fsrs import State

from quizapp.core.clock import Clock, as_utc, next_rollover, study_day, study_day_start, utcnow
from quizapp.core.config import Config
from quizapp.core.content.model import Card, Deck
from quizapp.core.plan.hooks import deadline_cap, new_limit_today
from quizapp.core.srs.scheduling import LEARN_AHEAD, Scheduler
from quizapp.core.srs.store import Collection

if TYPE_CHECKING:  # a session is only needed once a review starts; Home's start-up does not import it
    from quizapp.core.study.review import ReviewSession

STATS_VERSION = 1


class Counts(NamedTuple):
    new: int = 0
    learning: int = 0
    due: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.due


@dataclass  # no slots: short-lived, few; slots=True doubles the definition cost at start-up
class _Buckets:
    unseen: list[str] = field(default_factory=list)  # deck order
    learning: list[tuple[datetime, str]] = field(default_factory=list)
    due: list[tuple[datetime, str]] = field(default_factory=list)
    suspended: int = 0
    buried: int = 0
    leeches: int = 0


def _sort_into_buckets(cards: list[Card], states: dict, settled: set[str], now: datetime,
                       learn_by: datetime, day_end: datetime, threshold: int) -> _Buckets:
    """``cards`` by bucket, given ``Collection.queue_states`` (``states``, ``settled``) for them."""
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
        self.scheduler.adjust = deadline_cap(self)  # None without an interview date

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
        """New cards that may still be started today (``new_per_day`` — or, studying toward a date,
        :func:`~quizapp.core.plan.quota.new_quota` — minus those started today)."""
        started = self.collection.count_first_seen(self.day_start())
        return max(0, new_limit_today(self, started) - started)

    def _buckets(self, cards: list[Card]) -> _Buckets:
        return self._bucket_groups([cards])[0]

    def _bucket_groups(self, groups: list[list[Card]]) -> list[_Buckets]:
        """The buckets of each group of cards, from one read of the states of all of them."""
        now, day_end = self.now(), self.day_end()
        learn_by = now + LEARN_AHEAD
        threshold = self.config.leech_threshold
        # only cards that can be in a bucket are read; ``settled`` ones (due later) are in none
        keys = ([c.key for c in groups[0]] if len(groups) == 1
                else {c.key for cards in groups for c in cards})
        states, settled = self.collection.queue_states(keys, max(learn_by, day_end), threshold)
        return [_sort_into_buckets(cards, states, settled, now, learn_by, day_end, threshold) for cards in groups]

    def counts(self, deck_id: str | None = None) -> Counts:
        return self._counts(self._buckets(self.cards(deck_id)), self.new_remaining())

    def deck_counts(self) -> tuple[dict[str, Counts], Counts]:
        """``counts(deck)`` of every deck and ``counts(None)``, in one pass (what Home shows): one
        read of the card states and of today's new-card allowance instead of one per deck."""
        ids = list(dict.fromkeys(d.id for d in self.decks))
        groups = self._bucket_groups([self.cards(i) for i in ids] + [self.cards(None)])
        remaining = self.new_remaining()
        counts = [self._counts(b, remaining) for b in groups]
        return dict(zip(ids, counts)), counts[-1]

    @staticmethod
    def _counts(b: _Buckets, new_remaining: int) -> Counts:
        return Counts(min(len(b.unseen), new_remaining), len(b.learning), len(b.due))

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
        from quizapp.core.study.review import ReviewSession

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
