"""How many new cards each deck may start today: per-deck limits under an overall cap, and "+10 today".

* Each deck has its own daily limit: the config's ``[new_per_deck]`` entry for its id, else its front
  matter's ``new_per_day``, else the config's ``deck_new_per_day`` (20).
* ``new_per_day`` (config) caps the new cards of all decks together.
* Pressing ``+`` extends today (:func:`extend_today`, stored in the collection's ``meta`` table for
  the study day, so it survives a restart and ends with the day): on a deck, that deck's limit and the
  overall cap grow by :data:`EXTEND_BY`; on "All decks", the overall cap grows by it and that many new
  cards may go past their deck's limit.
* ``extra_cap`` lets another rule (an interview-date plan, say) cap today's remaining new cards on
  top of these limits; an extension raises it by as much as it raises the limits.

:func:`new_quota` is the whole rule, pure: :class:`~quizapp.core.study.counts.Study` feeds it the
unseen cards of each deck (siblings already buried) and what was started today.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from quizapp.core.config import Config
from quizapp.core.content.model import Deck

if TYPE_CHECKING:
    from quizapp.core.srs.store import Collection

EXTEND_BY = 10
META_KEY = "new_cards_extended"
ALL = ""  # the scope of "All decks" in NewQuota.held / .why

DECK, OVERALL, PLAN = "deck", "overall", "plan"  # what holds new cards back


class Extension(NamedTuple):
    """Today's extensions: ``all`` for "All decks", ``decks`` per deck id."""

    all: int = 0
    decks: dict[str, int] = {}

    @property
    def total(self) -> int:
        return self.all + sum(self.decks.values())


class NewQuota(NamedTuple):
    per_deck: dict[str, int]  # new cards a session of that deck may start now
    all_decks: dict[str, int]  # new cards an all-decks session takes from each deck
    held: dict[str, int]  # scope (deck id, or ALL) → unseen cards the limits hold back today
    why: dict[str, str]  # scope → DECK, OVERALL or PLAN: the limit that holds them back

    @property
    def all_total(self) -> int:
        return sum(self.all_decks.values())


def deck_limit(deck: Deck, config: Config) -> int:
    """A deck's own daily new-card limit, before today's extension."""
    overrides = dict(config.new_per_deck)
    if deck.id in overrides:
        return overrides[deck.id]
    value = deck.options.get("new_per_day")
    return value if isinstance(value, int) and not isinstance(value, bool) else config.deck_new_per_day


def new_quota(unseen: dict[str, int], limits: dict[str, int], started: dict[str, int], overall: int,
              started_total: int, *, bypass: int = 0, extra_cap: int | None = None) -> NewQuota:
    """New cards each deck (``per_deck``) and an all-decks session (``all_decks``) may start now.

    ``unseen``: startable unseen cards per deck, in deck order; ``limits``: each deck's limit today
    (extension included); ``started``: new cards each deck started today; ``overall`` and
    ``started_total``: the same over all decks (orphans included); ``bypass``: new cards the
    "All decks" extension lets past their deck's limit today; ``extra_cap``: another cap on the new
    cards still to start today (None: none)."""
    overall_left = max(0, overall - started_total)
    cap = overall_left if extra_cap is None else min(overall_left, max(0, extra_cap))
    capped_by = OVERALL if extra_cap is None or overall_left <= extra_cap else PLAN
    own_left = {d: max(0, limits.get(d, 0) - started.get(d, 0)) for d in unseen}
    bypass_left = max(0, bypass - sum(max(0, started.get(d, 0) - limits.get(d, 0)) for d in limits))
    per_deck: dict[str, int] = {}
    held: dict[str, int] = {}
    why: dict[str, str] = {}
    for d, n in unseen.items():
        allowed = own_left[d] + bypass_left
        per_deck[d] = min(n, allowed, cap)
        if per_deck[d] < n:
            held[d] = n - per_deck[d]
            why[d] = capped_by if cap < allowed else DECK
    take = {}
    room = cap
    for d, n in unseen.items():
        take[d] = min(n, own_left[d], room)
        room -= take[d]
    for d, n in unseen.items():
        extra = min(n - take[d], bypass_left, room)
        take[d] += extra
        bypass_left -= extra
        room -= extra
    left_out = sum(unseen.values()) - sum(take.values())
    if left_out:
        held[ALL] = left_out
        why[ALL] = capped_by if room == 0 else DECK
    return NewQuota(per_deck, take, held, why)


def read_extension(collection: Collection, today: date) -> Extension:
    """Today's extensions (none on another day, or if the stored value is unreadable)."""
    try:
        data = json.loads(collection.meta(META_KEY) or "{}")
        if data.get("day") != today.isoformat():
            return Extension()
        decks = {str(k): int(v) for k, v in dict(data.get("decks", {})).items() if int(v) > 0}
        return Extension(max(0, int(data.get("all", 0))), decks)
    except (ValueError, TypeError, AttributeError):
        return Extension()


def extend_today(collection: Collection, today: date, deck_id: str | None, by: int = EXTEND_BY) -> Extension:
    """Let ``by`` more new cards in today, for one deck or (``None``) for all decks; committed on return."""
    ext = read_extension(collection, today)
    if deck_id is None:
        ext = Extension(ext.all + by, ext.decks)
    else:
        ext = Extension(ext.all, {**ext.decks, deck_id: ext.decks.get(deck_id, 0) + by})
    collection.set_meta(META_KEY, json.dumps({"day": today.isoformat(), "all": ext.all, "decks": ext.decks}))
    return ext


_REASONS = {DECK: "deck limit", OVERALL: "all-decks limit", PLAN: "today's plan"}


def held_message(quota: NewQuota, scope: str) -> str | None:
    """What the screens say when the limits hold new cards of ``scope`` (a deck id, or ALL) back:
    how many may still start today and how many wait, or — once none may — that the limit is reached."""
    held = quota.held.get(scope, 0)
    if not held:
        return None
    reason = _REASONS.get(quota.why.get(scope, DECK), "the daily limit")
    available = quota.all_total if scope == ALL else quota.per_deck.get(scope, 0)
    if available:  # the limit has not stopped study yet: say what it leaves for later
        return (f"{available} new today ({reason}) · {held} more waiting — press + to study "
                f"{EXTEND_BY} more today")
    return f"Daily new-card limit reached — press + to study {EXTEND_BY} more today · {held} waiting ({reason})"
