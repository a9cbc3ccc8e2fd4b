"""The document as a flat list of top-level Markdown blocks, with their source lines.

markdown-it-py gives a token stream with 0-based ``map`` line ranges; the parser only needs the
top-level blocks (paragraph, heading, table, list, fence, …) and the raw source lines, from which it
computes 1-based columns itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

# One shared instance. Inline parsing is switched off: the parser reads the raw inline ``content``
# and never needs inline children, and skipping them is most of markdown-it's time. Link reference
# definitions are not collected either (nothing here renders links); such lines stay in the notes.
_MD = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join", "reference"])


@dataclass(slots=True)
class Block:
    type: str  # paragraph, heading, table, bullet_list, ordered_list, fence, code_block, html_block, blockquote, hr
    start: int  # 0-based first line
    end: int  # 0-based line after the block
    tokens: list[Token]

    @property
    def content(self) -> str:
        """Inline text of a paragraph/heading, or the body of a fence/code/html block."""
        if len(self.tokens) > 1:
            return self.tokens[1].content
        return self.tokens[0].content

    @property
    def heading_level(self) -> int:
        tag = self.tokens[0].tag
        return int(tag[1]) if self.type == "heading" and len(tag) == 2 and tag[1].isdigit() else 0


def parse_blocks(text: str) -> list[Block]:
    tokens = _MD.parse(text)
    blocks: list[Block] = []
    i, n, last_end = 0, len(tokens), 0
    while i < n:
        t = tokens[i]
        j = i + 1
        if t.nesting == 1:
            depth = 1
            while j < n and depth:
                depth += tokens[j].nesting
                j += 1
        kind = t.type[:-5] if t.type.endswith("_open") else t.type
        start, end = t.map if t.map else (last_end, last_end + 1)
        blocks.append(Block(kind, start, end, tokens[i:j]))
        last_end = end
        i = j
    return blocks


class Source:
    """The normalised source lines, with safe access and column helpers (columns are 1-based)."""

    __slots__ = ("lines",)

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def line(self, i: int) -> str:
        return self.lines[i] if 0 <= i < len(self.lines) else ""

    def slice(self, start: int, end: int) -> str:
        return "\n".join(self.lines[start:end]).rstrip()

    def indent_col(self, i: int) -> int:
        line = self.line(i)
        return len(line) - len(line.lstrip()) + 1

    def col_in(self, i: int, content_line: str, offset: int) -> int:
        """Column of ``offset`` within ``content_line``, a (possibly de-indented) copy of line ``i``."""
        line = self.line(i)
        base = line.find(content_line) if content_line else -1
        if base < 0:
            base = len(line) - len(line.lstrip())
        return base + offset + 1


def position(text: str, offset: int) -> tuple[int, int]:
    """0-based line index and 0-based column of ``offset`` in a multi-line ``text``."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start
