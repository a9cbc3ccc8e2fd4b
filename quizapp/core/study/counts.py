"""Review logic the TUI and the CLI drive: what is due, the queue of a session, grading and undo.

:class:`Study` is what Home needs (counts, streak, statistics); :meth:`Study.start_review` hands out a
:class:`~quizapp.core.study.review.ReviewSession`, where grading, undo and leeches live.

Pure logic over a :class:`~quizapp.core.srs.store.Collection` (the source of truth: every grade is
committed before the next card is shown, so a new session after a crash sees exactly what was
committed) and the loaded decks. History of cards that are no longer in any deck is never touched.

Counting rules (Anki's):

* **new** — never-reviewed cards, capped by what is left today of the deck's own limit and of the
  overall ``new_per_day`` (:mod:`quizapp.core.study.new_limits`: per-deck limits, the overall cap,
  ``+`` to extend today);
* **learning** — Learning/Relearning cards due now or within :data:`LEARN_AHEAD`;
* **due** — Review cards due before the current study day ends (``day_rollover_hour`` local time);
* suspended cards and cards buried until a later time are in none of them, nor are siblings buried
  for the day (:mod:`quizapp.core.study.siblings`: at most one card of a note a day).
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
from quizapp.core.content.siblings import sibling_key
from quizapp.core.plan.hooks import deadline_cap, new_limit_today, plan_active, plan_covers_all
from quizapp.core.srs.scheduling import LEARN_AHEAD, Scheduler
from quizapp.core.srs.store import Collection
from quizapp.core.study.new_limits import (
    ALL, NewQuota, deck_limit, extend_today, held_message, new_quota, read_extension,
)
from quizapp.core.study.siblings import bury_siblings

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
    siblings: int = 0  # new and due cards held back today because a sibling comes first (or came today)
    unseen_total: int = 0  # unseen cards, siblings held back included


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
        self._notes: dict[str, str] = {}  # key → sibling_key, filled as asked
        self._by_deck: dict[str, list[Card]] | None = None  # each deck's cards, once asked
        for deck in self.decks:
            for card in deck.cards:
                self._cards.setdefault(card.key, card)

    def card(self, key: str) -> Card | None:
        return self._cards.get(key)

    def sibling_of(self, key: str) -> str:
        """The note ``key`` belongs to (:func:`~quizapp.core.content.siblings.sibling_key`; cached)."""
        note = self._notes.get(key)
        if note is None:
            card = self._cards.get(key)
            note = self._notes[key] = sibling_key(card) if card is not None else key
        return note

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
        """New cards that may still be started today across all decks: the overall cap
        (``new_per_day``, or studying toward a date the plan's :func:`~quizapp.core.plan.quota.new_quota`,
        plus today's extensions) minus those started today."""
        started = self.collection.count_first_seen(self.day_start())
        return max(0, self._overall_today(started) + read_extension(self.collection, self.today()).total - started)

    def _overall_today(self, started_total: int) -> int:
        """Today's cap on new cards over all decks, before extensions: ``new_per_day``; with an
        interview date the plan's daily quota (all decks covered), or the larger of the two."""
        if not plan_active(self):
            return self.config.new_per_day
        plan = new_limit_today(self, started_total)
        return plan if plan_covers_all(self) else max(self.config.new_per_day, plan)

    def extra_new_cap(self) -> int | None:
        """Another cap on the new cards still to start today, on top of the deck and overall limits
        (None: none) — a hook for a further rule (see :func:`new_quota`)."""
        return None

    def new_quota(self, unseen: dict[str, int]) -> NewQuota:
        """Today's new-card quota given the startable unseen cards of each deck (see new_limits.py).
        Studying toward a date, the plan's daily quota replaces the limits of the decks it covers (it
        introduces every card in time), under its own overall cap (:meth:`_overall_today`)."""
        ext = read_extension(self.collection, self.today())
        started_keys = self.collection.first_seen_keys(self.day_start())
        started: dict[str, int] = {}
        for key in started_keys:
            card = self._cards.get(key)
            if card is not None:
                started[card.deck] = started.get(card.deck, 0) + 1
        overall = self._overall_today(len(started_keys))
        planned = plan_active(self)
        covered = set(self.config.interview_decks) if planned and not plan_covers_all(self) else None
        limits: dict[str, int] = {}
        for deck in self.decks:
            limit = deck_limit(deck, self.config)
            if planned and (covered is None or deck.id in covered):
                limit = max(limit, new_limit_today(self, len(started_keys)))
            limits.setdefault(deck.id, limit + ext.decks.get(deck.id, 0))
        extra = self.extra_new_cap()
        return new_quota(unseen, limits, started, overall + ext.total, len(started_keys),
                         bypass=ext.all, extra_cap=None if extra is None else extra + ext.total)

    def extend_new_today(self, deck_id: str | None) -> None:
        """``+``: let EXTEND_BY more new cards in today, in one deck or (None) in all decks (a write)."""
        extend_today(self.collection, self.today(), deck_id)

    def _buckets(self, cards: list[Card]) -> _Buckets:
        return self._bucket_groups([cards])[0]

    def _deck_buckets(self) -> dict[str, _Buckets]:
        if self._by_deck is None:  # cards(id) of every deck, in one pass, kept until set_decks
            by_deck: dict[str, dict[str, Card]] = {}
            for deck in self.decks:
                cards = by_deck.setdefault(deck.id, {})
                for card in deck.cards:
                    cards.setdefault(card.key, card)
            self._by_deck = {d: list(cards.values()) for d, cards in by_deck.items()}
        groups = list(self._by_deck.values())
        return dict(zip(self._by_deck, self._bucket_groups(groups, list(self._cards)))) if groups else {}

    def _bucket_groups(self, groups: list[list[Card]], keys: list[str] | None = None) -> list[_Buckets]:
        """The buckets of each group of cards, from one read of the states of all of them (``keys``:
        every key of the groups, when the caller has them at hand)."""
        now, day_end = self.now(), self.day_end()
        learn_by = now + LEARN_AHEAD
        threshold = self.config.leech_threshold
        # only cards that can be in a bucket are read; ``settled`` ones (due later) are in none
        if keys is None:
            keys = ([c.key for c in groups[0]] if len(groups) == 1
                    else list({c.key for cards in groups for c in cards}))
        states, settled = self.collection.queue_states(keys, max(learn_by, day_end), threshold)
        buckets = [_sort_into_buckets(cards, states, settled, now, learn_by, day_end, threshold) for cards in groups]
        reviewed = self.collection.keys_reviewed_since(self.day_start())
        for b in buckets:
            b.unseen_total = len(b.unseen)
            due, b.unseen, b.siblings = bury_siblings((k for _, k in b.learning), [k for _, k in b.due], b.unseen,
                                                      self.sibling_of, reviewed)
            if len(due) != len(b.due):
                kept = set(due)
                b.due = [(d, k) for d, k in b.due if k in kept]
        return buckets

    def overview(self) -> tuple[dict[str, Counts], Counts, NewQuota]:
        """``counts`` of every deck, of all decks, and today's new-card quota (what Home shows, with
        why new cards are held back), from one read of the card states."""
        buckets = self._deck_buckets()
        quota = self.new_quota({d: len(b.unseen) for d, b in buckets.items()})
        per_deck = {d: Counts(quota.per_deck[d], len(b.learning), len(b.due)) for d, b in buckets.items()}
        total = Counts(quota.all_total, sum(c.learning for c in per_deck.values()),
                       sum(c.due for c in per_deck.values()))
        return per_deck, total, quota

    def new_cards_held(self, deck_id: str | None) -> str | None:
        """What to say when the daily new-card limits hold new cards of ``deck_id`` (None: all) back."""
        _per_deck, _total, quota = self.overview()
        return held_message(quota, ALL if deck_id is None else deck_id)

    def counts(self, deck_id: str | None = None) -> Counts:
        per_deck, total, _quota = self.overview()
        return total if deck_id is None else per_deck.get(deck_id, Counts())

    def deck_counts(self) -> tuple[dict[str, Counts], Counts]:
        """``counts(deck)`` of every deck and ``counts(None)``, in one pass (what Home shows)."""
        per_deck, total, _quota = self.overview()
        return per_deck, total

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
        """A session over what is due now: learning due, then reviews due, then new cards (each
        deck's quota, in deck order; see :meth:`new_quota`)."""
        from quizapp.core.study.review import ReviewSession
        from quizapp.core.study.showings import NEW

        now = self.now()
        buckets = self._deck_buckets()
        quota = self.new_quota({d: len(b.unseen) for d, b in buckets.items()})
        ids = list(buckets) if deck_id is None else [deck_id] if deck_id in buckets else []
        take = quota.all_decks if deck_id is None else quota.per_deck
        learning = sorted(item for d in ids for item in buckets[d].learning)
        due = [k for _, k in sorted(item for d in ids for item in buckets[d].due)]
        new = [k for d in ids for k in buckets[d].unseen[:take[d]]]
        learning_now = [k for when, k in learning if when <= now]
        learning_later = [(when, k) for when, k in learning if when > now]
        phases = dict.fromkeys(new, NEW) | dict.fromkeys(due, (State.Review, None))
        for key, record in self.collection.states(k for _, k in learning).items():  # one read, not one per key
            if record.card is not None:
                phases[key] = (record.card.state, record.card.step)
        return ReviewSession(self, learning_now + due + new, learning_later, deck_id, phases)

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

        where ``<counts>`` is ``cards`` (in the deck), ``new`` (startable now: siblings buried and the
        deck's and overall limits applied, as in :meth:`counts`), ``unseen`` (never reviewed, uncapped), ``learning``, ``due``, ``suspended``,
        ``buried``, ``leeches`` (lapses ≥ leech_threshold, suspended or not), ``reviews_today`` and ``total_reviews``
        (reviews in effect; undone ones excluded). ``deck_id`` restricts ``decks`` to that deck.
        """
        remaining = self.new_remaining()
        per_deck_counts, total_counts, _quota = self.overview()
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
                             **self._count_block(cards, per_deck_counts[deck.id].new, all_counts, today_counts)})
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
            "totals": self._count_block(list(total_keys.values()),
                                        total_counts.new if deck_id is None else per_deck_counts.get(deck_id, Counts()).new,
                                        all_counts, today_counts),
        }

    def _count_block(self, cards: list[Card], new: int, all_counts: dict[str, int],
                     today_counts: dict[str, int]) -> dict[str, int]:
        b = self._buckets(cards)
        return {
            "cards": len(cards),
            "new": new,
            "unseen": b.unseen_total,
            "learning": len(b.learning),
            "due": len(b.due),
            "suspended": b.suspended,
            "buried": b.buried,
            "leeches": b.leeches,
            "reviews_today": sum(today_counts.get(c.key, 0) for c in cards),
            "total_reviews": sum(all_counts.get(c.key, 0) for c in cards),
        }
