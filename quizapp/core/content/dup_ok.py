"""``<!-- dup-ok: other-id -->``: an author's mark that two cards repeat each other on purpose.

The comment sits on a card's line, or below it before the next card (in its answer, its note, after
its table row or block; ``# dup-ok: …`` inside a drill or gradient block). It names the other card
by its id (``<!-- dup-ok: he-std -->``, several separated by commas or spaces), by ``deck:id``, or by
a row's or sentence's id for all of its cards. ``quizapp check`` then does not report the pair as
near-duplicates (near_duplicates.py). Like an id, the comment is never part of a card's text.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from pathlib import Path

from quizapp.core.content.model import Card

DUP_OK = re.compile(r"(?:<!--|#)\s*dup-ok\s*:\s*(.*?)\s*(?:-->|$)", re.IGNORECASE | re.MULTILINE)
Marks = dict[tuple[str, int], set[str]]


def dup_ok_marks(cards: list[Card]) -> Marks:
    """(file, card line) → the names its ``dup-ok`` comments give. A comment belongs to the card whose
    line it is on, or to the nearest card above it (the card's answer, note or block)."""
    lines: dict[str, list[int]] = defaultdict(list)
    for card in cards:
        lines[card.file].append(card.line)
    marks: dict[tuple[str, int], set[str]] = defaultdict(set)
    for file, card_lines in lines.items():
        try:
            text = Path(file).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "dup-ok" not in text.lower():
            continue
        starts = [0] + [m.end() for m in re.finditer("\n", text)]
        card_lines = sorted(set(card_lines))
        for m in DUP_OK.finditer(text):
            line = bisect.bisect_right(starts, m.start())
            owner = bisect.bisect_right(card_lines, line) - 1
            if owner >= 0:
                marks[(file, card_lines[owner])].update(n for n in re.split(r"[,\s]+", m.group(1)) if n)
    return marks


def named(names: set[str] | None, card: Card) -> bool:
    if not names:
        return False
    own = card.explicit_id or ""
    return any(n == own or n == card.key or own.startswith(n + ":") or card.key.startswith(n + ":")
               for n in names)


def intended(x: Card, y: Card, marks: Marks) -> bool:
    return named(marks.get((x.file, x.line)), y) or named(marks.get((y.file, y.line)), x)
