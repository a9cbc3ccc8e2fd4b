"""Home's deck list in groups, so ~15 decks stay easy to scan (issue 16).

A deck's group (:func:`deck_groups`) is its front matter's ``group`` (``group = "Training"``); else
the one of its tags that the most other decks share (a tag on three quarters of the decks or more,
such as "interview", says nothing and is skipped; ties go to the tag written first); a deck left alone in its group goes to
"Other". :func:`home_rows` orders the decks by group (alphabetically, "Other" last; decks in the
library's order) and says which rows Home shows: a heading row per group with the group's summed
counts, then its decks — unless the group is folded. Small libraries are not grouped: with fewer
than :data:`GROUP_FROM` decks, or when grouping would make one group, the list is flat.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

GROUP_FROM = 6  # group the list from this many decks up
GROUP_KEY = "group:"  # row keys of group headings: "group:" + the group's name
OTHER = "Other"


class HomeRow(NamedTuple):
    key: str  # a deck id, or GROUP_KEY + group name
    title: str
    decks: tuple[Any, ...]  # the deck (one) or the group's decks
    group: str | None = None  # the group name of a heading row; None for a deck row
    indent: bool = False  # a deck row under a group heading


def _label(tag: str) -> str:
    words = tag.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else OTHER


def deck_groups(decks: Sequence[Any]) -> dict[str, str]:
    """Deck id → the group it is listed under (see the module's docstring)."""
    shared = Counter(t for d in decks for t in dict.fromkeys(getattr(d, "tags", ())))
    everywhere = {t for t, n in shared.items() if len(decks) > 2 and n >= 0.75 * len(decks)}
    chosen: dict[str, str] = {}
    for deck in decks:
        group = (getattr(deck, "options", None) or {}).get("group")
        if isinstance(group, str) and group.strip():
            chosen[deck.id] = group.strip()
            continue
        tags = [t for t in dict.fromkeys(getattr(deck, "tags", ())) if t not in everywhere and shared[t] > 1]
        best = max(tags, key=lambda t: shared[t], default=None)  # max keeps the first of equals
        chosen[deck.id] = _label(best) if best else OTHER
    sizes = Counter(chosen.values())
    explicit = {d.id for d in decks if isinstance((getattr(d, "options", None) or {}).get("group"), str)}
    return {k: g if sizes[g] > 1 or k in explicit else OTHER for k, g in chosen.items()}


def grouped(decks: Sequence[Any]) -> dict[str, list[Any]]:
    """Decks by group, groups in alphabetical order ("Other" last), decks in their own order."""
    names = deck_groups(decks)
    groups: dict[str, list[Any]] = {}
    for deck in decks:
        groups.setdefault(names[deck.id], []).append(deck)
    return dict(sorted(groups.items(), key=lambda item: (item[0] == OTHER, item[0].casefold())))


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


def fold_to_fit(decks: Sequence[Any], lines: int) -> set[str]:
    """The groups to fold so the list (and "All decks") fits ``lines`` rows: the biggest first, as
    few as needed — every deck title stays in view when it can."""
    folded: set[str] = set()
    sizes = sorted(((len(m), name) for name, m in grouped(decks).items()), reverse=True)
    for _size, name in sizes:
        if len(home_rows(decks, folded)) + 1 <= lines:
            break
        folded.add(name)
    return folded


def summed(counts: Mapping[str, Any], decks: Sequence[Any]) -> tuple[int, int, int]:
    """(new, learning, due) of ``decks`` from Home's per-deck counts."""
    known = [counts[d.id] for d in decks if d.id in counts]
    return (sum(c.new for c in known), sum(c.learning for c in known), sum(c.due for c in known))
