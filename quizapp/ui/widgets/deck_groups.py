"""Home's deck list in groups, so ~15 decks stay easy to scan (issue 16).

A deck's group is its front matter's ``group`` (``group = "Training"``), else its first tag, else
"Other" (:func:`deck_group`). :func:`home_rows` orders the decks by group (groups alphabetically,
"Other" last; decks in the library's order) and says which rows Home shows: a heading row per group with the group's
summed counts, then its decks — unless the group is folded. Small libraries are not grouped: with
:data:`GROUP_FROM` decks or fewer, or when every group would hold one deck, the list is flat.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

GROUP_FROM = 6  # group the list from this many decks up
GROUP_KEY = "group:"  # row keys of group headings: "group:" + the group's name


class HomeRow(NamedTuple):
    key: str  # a deck id, or GROUP_KEY + group name
    title: str
    decks: tuple[Any, ...]  # the deck (one) or the group's decks
    group: str | None = None  # the group name of a heading row; None for a deck row
    indent: bool = False  # a deck row under a group heading


def deck_group(deck: Any) -> str:
    """The group a deck is listed under: front matter ``group``, else its first tag, else "Other"."""
    group = (getattr(deck, "options", None) or {}).get("group")
    if isinstance(group, str) and group.strip():
        return group.strip()
    tags = getattr(deck, "tags", ())
    if tags:
        first = tags[0].replace("-", " ").replace("_", " ").strip()
        return first[:1].upper() + first[1:] if first else "Other"
    return "Other"


def grouped(decks: Sequence[Any]) -> dict[str, list[Any]]:
    """Decks by group, groups in alphabetical order ("Other" last), decks in their own order."""
    groups: dict[str, list[Any]] = {}
    for deck in decks:
        groups.setdefault(deck_group(deck), []).append(deck)
    return dict(sorted(groups.items(), key=lambda item: (item[0] == "Other", item[0].casefold())))


def home_rows(decks: Sequence[Any], folded: set[str] | frozenset[str] = frozenset()) -> list[HomeRow]:
    """The rows of Home's list, "All decks" excluded. ``folded``: groups shown as their heading only."""
    groups = grouped(decks)
    if len(decks) < GROUP_FROM or len(groups) in (1, len(decks)):
        return [HomeRow(d.id, d.title, (d,)) for d in decks]
    rows: list[HomeRow] = []
    for name, members in groups.items():
        rows.append(HomeRow(GROUP_KEY + name, name, tuple(members), group=name))
        if name not in folded:
            rows += [HomeRow(d.id, d.title, (d,), indent=True) for d in members]
    return rows


def summed(counts: Mapping[str, Any], decks: Sequence[Any]) -> tuple[int, int, int]:
    """(new, learning, due) of ``decks`` from Home's per-deck counts."""
    known = [counts[d.id] for d in decks if d.id in counts]
    return (sum(c.new for c in known), sum(c.learning for c in known), sum(c.due for c in known))
