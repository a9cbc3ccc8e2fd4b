"""Choosing the cards of a cram session (review ahead of schedule; see
:class:`quizapp.core.study.cram.CramSession`, which never touches FSRS state).

Filters: ``weakest`` (reviewed cards, lowest predicted recall now first), ``failed`` (cards whose
latest review or cram answer was Again, most recent first), ``tag`` (cards carrying ``tag``, deck
order) and ``all`` (every card, deck order). Suspended cards are never crammed.
"""

from __future__ import annotations

from quizapp.core.plan.hooks import Study
from quizapp.core.plan.memory import Curve

FILTERS = ("weakest", "failed", "tag", "all")
DEFAULT_LIMIT = 20


def cram_keys(study: Study, deck_id: str | None = None, *, how: str = "weakest", tag: str | None = None,
              limit: int | None = DEFAULT_LIMIT) -> list[str]:
    """Keys to cram, in the order to show them; at most ``limit`` (None: no limit)."""
    if how not in FILTERS:
        raise ValueError(f"unknown cram filter {how!r}; one of {', '.join(FILTERS)}")
    if how == "tag" and not tag:
        raise ValueError("the tag filter needs a tag")
    cards = study.cards(deck_id)
    records = study.collection.states([c.key for c in cards])
    live = [c for c in cards if not (records.get(c.key) and records[c.key].suspended)]
    if how == "all":
        keys = [c.key for c in live]
    elif how == "tag":
        wanted = tag.lower().lstrip("#")
        keys = [c.key for c in live if any(t.lower() == wanted for t in c.tags)]
    elif how == "weakest":
        curve, now = Curve(study.config.fsrs_parameters), study.now()
        reviewed = [(curve.card_recall(records[c.key].card, now), i, c.key) for i, c in enumerate(live)
                    if records.get(c.key) is not None and records[c.key].card is not None]
        keys = [k for _r, _i, k in sorted(reviewed)]
    else:
        keys = _last_failed(study, {c.key for c in live})
    return keys if limit is None else keys[:limit]


def _last_failed(study: Study, wanted: set[str]) -> list[str]:
    from fsrs import Rating

    entries = study.collection.history()
    undone = {e.undoes for e in entries if e.kind == "undo" and e.undoes is not None}
    last: dict[str, tuple[int, bool]] = {}
    for e in entries:
        if e.kind in ("review", "cram") and e.rating is not None and e.id not in undone:
            last[e.card_key] = (e.id, e.rating == Rating.Again)
    failed = [(i, k) for k, (i, again) in last.items() if again and k in wanted]
    return [k for _i, k in sorted(failed, reverse=True)]
