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
    kept: list[Chunk] = []
    for k, c in enumerate(chunks):
        if c.heading and not _has_body(chunks, k):
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


def _has_body(chunks: list[Chunk], k: int) -> bool:
    level = chunks[k].heading
    for c in chunks[k + 1 :]:
        if c.heading and c.heading <= level:
            return False
        if not c.heading and not c.rule:
            return True
    return False
