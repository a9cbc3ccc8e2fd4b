"""The deck's notes: every part of the file that did not become a card, as Markdown.

Chunks are source line ranges in document order. Where content became cards, one line says how
many and of which kind ("*3 cards here: 2 Q&A, 1 multiple choice.*"), so every heading keeps its
place and a reader sees where the cards are; headings with nothing under them at all are dropped,
thematic breaks are not repeated, and a deck with no prose at all has no notes (the viewer says so).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from quizapp.core.content.blocks import Source

KIND_WORDS = {"glossary": "glossary", "glossary_reverse": "glossary", "comparison": "comparison",
              "qa": "Q&A", "mcq": "multiple choice", "cloze": "cloze", "drill": "formula drill",
              "gradient": "gradient skill"}


@dataclass(slots=True)
class Chunk:
    start: int
    end: int
    heading: int = 0  # heading level, 0 for other content
    rule: bool = False  # a thematic break
    cards: tuple[str, ...] = ()  # the kinds of the cards made here (no text of its own)


def assemble(chunks: list[Chunk], src: Source) -> str:
    has_body = _headings_with_body(chunks)
    kept: list[Chunk] = []
    for k, c in enumerate(chunks):
        if c.heading and not has_body[k]:
            continue
        if c.rule and (not kept or kept[-1].rule):
            continue
        kept.append(c)
    while kept and kept[-1].rule:
        kept.pop()
    if not any(c.cards == () and not c.heading and not c.rule for c in kept):
        return ""  # only cards: the viewer says the deck has no notes
    out: list[str] = []
    prev_end = -1
    run: list[str] = []  # kinds of the cards of consecutive card chunks, summed up in one line
    for c in [*kept, Chunk(-1, -1)]:
        if c.cards:
            run += c.cards
            continue
        if run:
            out.append(("\n\n" if out else "") + cards_line(run))
            run, prev_end = [], -2  # never adjacent to what follows
        if c.start < 0:
            break
        text = src.slice(c.start, c.end)
        if not text.strip():
            continue
        if out:
            out.append("\n" if c.start == prev_end else "\n\n")
        out.append(text)
        prev_end = c.start + text.count("\n") + 1  # the line after the chunk's last non-blank line
    return "".join(out)


def cards_line(kinds: list[str]) -> str:
    """``*3 cards here: 2 Q&A, 1 multiple choice.*``, ``*4 glossary cards here.*`` (kinds in the
    order they first come)."""
    counts = Counter(KIND_WORDS.get(str(k), str(k)) for k in kinds)
    n = len(kinds)
    if len(counts) == 1:
        return f"*{n} {next(iter(counts))} card{'s' * (n != 1)} here.*"
    parts = ", ".join(f"{count} {word}" for word, count in counts.items())
    return f"*{n} cards here: {parts}.*"


def _headings_with_body(chunks: list[Chunk]) -> list[bool]:
    """For each chunk: is it a heading with content before the next heading of the same or a
    higher level? One backward pass; ``seen[level]`` says whether content follows, unblocked."""
    seen = [False] * 8
    result = [False] * len(chunks)
    for k in range(len(chunks) - 1, -1, -1):
        c = chunks[k]
        if c.heading:
            level = min(max(c.heading, 1), 7)
            result[k] = seen[level]
            for deeper in range(level, 8):
                seen[deeper] = False
        elif not c.rule:
            seen = [True] * 8
    return result
