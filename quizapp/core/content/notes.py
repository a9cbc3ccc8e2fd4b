"""The deck's notes: every part of the file that did not become a card, as Markdown.

Chunks are source line ranges in document order. Headings whose section ended up empty (all its
content became cards) are dropped, and thematic breaks are not repeated, so the notes viewer shows
the prose, lists, code and diagrams under the headings they belong to.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.core.content.blocks import Source


@dataclass(slots=True)
class Chunk:
    start: int
    end: int
    heading: int = 0  # heading level, 0 for other content
    rule: bool = False  # a thematic break


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
    out: list[str] = []
    prev_end = -1
    for c in kept:
        text = src.slice(c.start, c.end)
        if not text.strip():
            continue
        if out:
            out.append("\n" if c.start == prev_end else "\n\n")
        out.append(text)
        prev_end = c.start + text.count("\n") + 1  # the line after the chunk's last non-blank line
    return "".join(out)


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
