"""An Anki review log (revlog) → this collection's history, replayed through FSRS.

Each Anki review (ease 1–4 → Again/Hard/Good/Easy) is replayed in time order with our scheduler
from a new card at the first review, and logged with the review's own time, rating and duration, so
the card arrives with its stability, difficulty and due date. Manual reschedules (type 4, ease 0)
are not reviews and are skipped. A card suspended in Anki (queue −1) is suspended here; a card buried
in Anki (queue −2/−3) is buried here until ``bury_until`` (the next study day), as Anki would unbury it.

Importing the same package again adds nothing: only reviews later than the card's last review in
this collection are replayed (from its current state).
"""

from __future__ import annotations

from datetime import UTC, datetime

from fsrs import Rating

from quizapp.core.interop.apkg_import import Plan
from quizapp.core.interop.apkg_package import Review
from quizapp.core.srs.scheduling import Scheduler, new_card

_BATCH = 2000  # card keys per transaction


def import_history(plan: Plan, reviews: list[Review], collection, scheduler: Scheduler, now: datetime,
                   bury_until: datetime | None = None) -> int:
    """Replays ``reviews`` into ``collection`` for the cards ``plan`` mapped; returns reviews written."""
    key_of: dict[int, str] = {}
    for deck in plan.decks:
        key_of.update(deck.card_keys)
    by_key: dict[str, list[Review]] = {}
    for r in reviews:
        key = key_of.get(r.cid)
        if key is not None and 1 <= r.ease <= 4 and r.type != 4:
            by_key.setdefault(key, []).append(r)
    suspended = {key_of[c] for c in plan.suspended if c in key_of}
    keys = sorted(set(by_key) | suspended)
    states = collection.states(keys)
    items, total = [], 0
    for key in keys:
        record = states.get(key)
        card = record.card if record is not None else None
        last = card.last_review if card is not None else None
        out = []
        for r in sorted(by_key.get(key, []), key=lambda r: r.at_ms):
            when = datetime.fromtimestamp(r.at_ms / 1000, UTC)
            if last is not None and when <= last:
                continue
            if when > now:  # a clock from the future: never log a review after now
                break
            card = scheduler.review(card or new_card(key, when), Rating(r.ease), when)
            last = when
            out.append((when, Rating(r.ease), r.time_ms if r.time_ms > 0 else None, card))
        suspend = key in suspended and not (record is not None and record.suspended)
        if out or suspend:
            items.append((key, out, suspend))
        if len(items) >= _BATCH:
            total += collection.import_reviews(items, at=now)
            items = []
    if items:
        total += collection.import_reviews(items, at=now)
    if bury_until is not None and bury_until > now:
        buried = sorted({key_of[c] for c in plan.buried if c in key_of} - suspended)
        current = collection.states(buried)
        for key in buried:
            record = current.get(key)
            if record is None or not record.is_buried(now):
                collection.bury(key, bury_until, at=now)
    return total
