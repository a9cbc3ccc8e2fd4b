"""Card identity: author ids (``<!-- id: … -->``), normalised fronts, and unique keys.

A card's key is what the review log remembers it by, so it must survive edits to the back:

* with an author id: ``"<deck>:<id>"`` (derived cards add a suffix: ``:reverse`` for the reverse
  glossary card, ``:<k>`` for cloze blank k > 1, ``:<column>`` for comparison cells of a row id);
* without one: ``"<deck>:<kind>:<normalised front>"`` (a reverse glossary card uses its term, the
  back, so that editing a definition keeps the row's history).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from quizapp.core.content.draft import Draft, Report
from quizapp.core.content.model import Card

# Any HTML comment that starts with "id:"; the value is validated separately so that a bad id is
# reported instead of silently becoming text.
ID_COMMENT = re.compile(r"<!--\s*id\s*:\s*(.*?)\s*-->", re.IGNORECASE | re.DOTALL)
# ``<!-- dup-ok: other-id -->``: a repetition the author means (near_duplicates.py). Like an id it is
# metadata: never part of a card's text or key.
DUP_OK_COMMENT = re.compile(r"<!--\s*dup-ok\s*:.*?-->", re.IGNORECASE | re.DOTALL)
VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")

_EMPHASIS = re.compile(r"\*+|`+|~~|(?<!\w)_+|_+(?!\w)")
_SPACE = re.compile(r"\s+")
_TRAILING_PUNCT = ".,;:!?…。？！ \t"


def normalise(text: str) -> str:
    """Identity form of a front: NFKC, casefolded, without emphasis/code markers, single spaces,
    no trailing punctuation. ``"**What** is  ReLU?"`` → ``"what is relu"``."""
    text = strip_ids(text)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _EMPHASIS.sub("", text)
    text = _SPACE.sub(" ", text).strip()
    return text.rstrip(_TRAILING_PUNCT)


def strip_ids(text: str) -> str:
    """``text`` without its ``<!-- id: … -->`` and ``<!-- dup-ok: … -->`` comments (and the spaces they
    leave at line ends)."""
    if "<!--" not in text:
        return text
    stripped = DUP_OK_COMMENT.sub("", ID_COMMENT.sub("", text))
    return "\n".join(line.rstrip() for line in stripped.split("\n")).strip()


def only_card_comments(text: str) -> bool:
    """``text`` is nothing but id and dup-ok comments (at least one)."""
    return "<!--" in text and not DUP_OK_COMMENT.sub("", ID_COMMENT.sub("", text)).strip()


def find_ids(text: str) -> list[tuple[str, int]]:
    """Every id comment in ``text`` as (value, offset of ``<!--``)."""
    if "<!--" not in text:
        return []
    return [(m.group(1), m.start()) for m in ID_COMMENT.finditer(text)]


def slug(text: str) -> str:
    """A lowercase a-z0-9 slug, used for column suffixes and default deck ids."""
    text = unicodedata.normalize("NFKD", normalise(text))
    text = text.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def implicit_key(deck: str, draft: Draft) -> str:
    return f"{deck}:{draft.kind}:{normalise(draft.front if draft.identity is None else draft.identity)}"


def assign_keys(deck: str, drafts: Iterable[Draft], report: Report, tags: tuple[str, ...]) -> list[Card]:
    """Turn drafts into cards with unique keys.

    A duplicate author id used by two different constructs is an error (the later construct's cards
    are dropped); two cards whose implicit keys collide get a warning and ``:2``, ``:3`` … suffixes.
    """
    first_use: dict[str, tuple[int, int]] = {}  # author id → (group, line)
    dropped_groups: set[int] = set()
    seen: dict[str, int] = {}  # key → line
    next_suffix: dict[str, int] = {}  # colliding key → the lowest suffix that may still be free
    cards: list[Card] = []
    for d in drafts:
        if d.group in dropped_groups:
            continue
        explicit = None
        if d.author_id is not None:
            first = first_use.setdefault(d.author_id, (d.group, d.line))
            if first[0] != d.group:
                report.error(
                    d.id_line or d.line,
                    d.id_col,
                    f"duplicate id '{d.author_id}' (first used on line {first[1]}, again on line {d.line})",
                )
                dropped_groups.add(d.group)
                continue
            explicit = d.author_id + d.id_suffix
            key = f"{deck}:{explicit}"
        else:
            key = implicit_key(deck, d)
        if key in seen:
            if explicit is not None:  # e.g. two cloze blanks of one id'd sentence collide: cannot happen
                report.error(d.line, d.col, f"duplicate card key '{key}' (also on line {seen[key]})")
                continue
            base, n = key, next_suffix.get(key, 2)  # not from 2 each time: n duplicates stay linear
            while f"{base}:{n}" in seen:
                n += 1
            next_suffix[base] = n + 1
            key = f"{base}:{n}"
            report.warning(
                d.line,
                d.col,
                f"same {d.kind} front as line {seen[base]}; give one an <!-- id: … --> (key {key!r} used)",
            )
        seen[key] = d.line
        cards.append(d.to_card(key, deck, report.file, explicit, tags))
    return cards


def take_id(found: list[tuple[str, int, int]], report: Report) -> tuple[str | None, int, int]:
    """The author id of one construct from its id comments, given as (value, line, col).

    Invalid ids and a second, different id are errors; returns (id or None, line, col)."""
    valid: list[tuple[str, int, int]] = []
    for value, line, col in found:
        if VALID_ID.match(value):
            valid.append((value, line, col))
        else:
            report.error(line, col, f"invalid id {value!r}: start with a letter or digit; use letters, digits, '-', '_', '.'")
    if not valid:
        return None, 0, 1
    first = valid[0]
    for value, line, col in valid[1:]:
        if value != first[0]:
            report.error(line, col, f"a card has two ids ({first[0]!r} on line {first[1]} and {value!r}); using {first[0]!r}")
    return first
