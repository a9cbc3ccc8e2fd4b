"""Sources: where a card's claim comes from (a paper, an official doc), and `quizapp check --strict`.

A card's own sources are ``Source:`` lines (``Sources: a; b`` for several): at the end of a Q&A
answer, anywhere in a note or a multiple-choice explanation, at the end of a cloze sentence, in a
glossary table's ``Source`` column, a comparison table's ``Source`` column (or ``Source`` row, when the
rows are aspects), and as ``# Source: …`` comment lines in a drill or gradient block. A deck's
``sources = [...]`` (front matter) covers all of its cards. The review screen shows a card's own
sources with its answer, else the deck's.

``quizapp check --strict`` warns about a card that makes a claim someone could ask "says who?" about
— a default, a library's behaviour, a date, who designed or proposed something, a constant — and has
no source: none of its own, none in its deck, and no citation in its text (an "et al.", a link, an
arXiv or DOI reference, "Author (2015)", "… docs"). The heuristic is deliberately plain; see
``claims``.
"""

from __future__ import annotations

import re

from quizapp.core.content.library import Library
from quizapp.core.content.model import Card, CardKind, Deck, Problem, Severity

_SOURCE_LINE = re.compile(r"^\s*(\*\*|__)?\s*sources?\s*:\s*(?:\*\*|__)?\s*(.*?)\s*$", re.IGNORECASE)
SOURCE_HEADERS = frozenset(("source", "sources"))
_SENTENCE_END = re.compile(r"\.\s+(?=[A-Z\"“(])")

# What counts as a claim that needs a source (each with the reason the warning gives).
_DEFAULT = re.compile(r"\bdefaults?\b", re.IGNORECASE)
_LIBRARY = re.compile(r"\b(?:pytorch|torch\.|tensorflow|tf\.|keras|jax|scikit-learn|sklearn)", re.IGNORECASE)
_WHO = re.compile(r"\b(?:designed|proposed|introduced|invented|coined|popularised|popularized|"
                  r"according to|the authors|the paper)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d.])(?:19[5-9]\d|20[0-4]\d)(?![\d.])")
# A constant: a decimal, a fraction of whole numbers, or a root of one (0.01, 5/3, √2, 1.0507).
_CONSTANT = re.compile(r"(?<![\w.])(?:\d+\.\d+|\d+\s*/\s*\d+(?![\w(])|[√]\s*\d+(?:\.\d+)?)(?![\w.])")
_NUMBER = re.compile(r"(?<![\w.])\d")
# A citation in the text itself: "et al.", a link, arXiv, a DOI, "… docs", or "Author (2015)",
# "Glorot & Bengio, 2010" (a capitalised name, not "In 2017").
_CITATION = re.compile(r"\bet al\b|https?://|\barxiv\b|\bdoi\b|\bdocs\b|\bdocumentation\b", re.IGNORECASE)
_CITATION_NAME = re.compile(r"\b(?!(?:In|By|Since|From|Until|Before|After|The|Of|As|At|On)\b)"
                            r"[A-Z][\w-]+(?:\s+(?:&|and)\s+[A-Z][\w-]+)?,?\s+\(?(?:19|20)\d\d\)?")


def split_sources(text: str, *, anywhere: bool) -> tuple[str, tuple[str, ...]]:
    """``text`` without its ``Source:`` lines, and the sources they give. With ``anywhere`` False
    only the lines at the end count (an answer's last lines); otherwise every such line does. A
    sentence that follows the citations on the line ("Source: Poole et al. 2016. A one-layer view …")
    stays in the text."""
    if "ource" not in text:
        return text, ()
    lines = text.split("\n")
    found: list[str] = []
    kept: list[str] = []
    if anywhere:
        for line in lines:
            value = _source_value(line)
            if value is None:
                kept.append(line)
            else:
                found += value[0]
                kept += value[1]
    else:
        kept = list(lines)
        tail: list[str] = []
        while kept and (not kept[-1].strip() or _source_value(kept[-1]) is not None):
            value = _source_value(kept.pop())
            if value is not None:
                found[:0] = value[0]
                tail[:0] = value[1]
        kept += tail
    if not found:
        return text, ()
    return "\n".join(kept).strip(), tuple(found)


def _source_value(line: str) -> tuple[list[str], list[str]] | None:
    """(the sources of a ``Source:`` line, a sentence after them if any), or None for another line."""
    m = _SOURCE_LINE.match(line)
    if m is None:
        return None
    value = m.group(2)
    if m.group(1) and value.endswith(m.group(1)):  # **Source: X**
        value = value[: -len(m.group(1))].rstrip()
    prose: list[str] = []
    for end in _SENTENCE_END.finditer(value):
        rest = value[end.end():]
        if not _CITATION.search(rest) and not _CITATION_NAME.search(rest) and not _YEAR.search(rest):
            value, prose = value[: end.start() + 1], [rest]
            break
    return [v.strip() for v in value.split(";") if v.strip()], prose


SHOWN_DECK_SOURCES = 3  # more than this under every answer is noise: the deck's notes list them


def shown_sources(card: Card, deck: Deck | None) -> tuple[str, tuple[str, ...]]:
    """What the review screen shows with the answer: ("Source"/"Sources", the card's own) or, when it
    has none, ("Deck sources", the deck's) — or, for a deck citing more than
    :data:`SHOWN_DECK_SOURCES`, one line saying where they are listed; ("", ()) when there are none."""
    if card.sources:
        return ("Source" if len(card.sources) == 1 else "Sources"), card.sources
    if deck is not None and deck.sources:
        if len(deck.sources) > SHOWN_DECK_SOURCES:
            return "Deck sources", (f"{len(deck.sources)} references, listed in the deck's notes (n)",)
        return "Deck sources", deck.sources
    return "", ()


def sources_section(deck: Deck) -> str:
    """The deck's ``sources`` as a Markdown section for the notes viewer ("" without any)."""
    if not deck.sources:
        return ""
    return "\n\n## Sources\n\n" + "\n".join(f"- {source}" for source in deck.sources) + "\n"


# ---- the strict check ----------------------------------------------------------------------------

def claims(card: Card) -> list[str]:
    """Why ``card`` would need a source (empty when it states nothing of the kind, or cites)."""
    if card.kind in (CardKind.GRADIENT, CardKind.GLOSSARY_REVERSE):  # a reverse card states its row's claim
        return []
    stated = card.context if card.kind is CardKind.CLOZE and card.context else f"{card.front}\n{card.back}"
    everything = f"{stated}\n{card.note}"
    if _CITATION.search(everything) or _CITATION_NAME.search(everything):
        return []
    reasons = []
    if _DEFAULT.search(everything):
        reasons.append("a default")
    if _LIBRARY.search(everything):
        reasons.append("what a library does")
    if _WHO.search(everything):
        reasons.append("who designed or proposed it")
    if _YEAR.search(f"{card.back}\n{card.note}") or (card.kind is CardKind.CLOZE and _YEAR.search(card.back)):
        reasons.append("a date")
    if _CONSTANT.search(card.back) and "=" not in card.back and not _gives_numbers(card.front):
        reasons.append("a constant")
    return reasons


def _gives_numbers(question: str) -> bool:
    """The question gives numbers to work with (SiLU(1), n_in = 256, 5 layers) — not just a bound like
    "z ≤ 0" — so a number in the answer is worked out, not a claim."""
    for m in _NUMBER.finditer(question):
        before = question[: m.start()].rstrip()
        if not before.endswith(("<", ">", "≤", "≥")):
            return True
    return False


def unsourced_claims(library: Library) -> list[Problem]:
    """``quizapp check --strict``: one warning per card whose claim has no source."""
    problems = []
    for deck in library.decks:
        if deck.failed or deck.sources:
            continue
        for card in deck.cards:
            if card.sources:
                continue
            reasons = claims(card)
            if reasons:
                problems.append(Problem(
                    card.file, card.line, card.col, Severity.WARNING,
                    f"no source for {' and '.join(reasons)}: add a 'Source:' line (a paper or official doc) "
                    "to the card, or sources = [...] to the deck's front matter"))
    return problems
