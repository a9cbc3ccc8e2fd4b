"""Code blocks of a deck's notes made ready for the terminal.

* A ```mermaid block becomes a ```text block holding the diagram as text (:mod:`mermaid_text`):
  the terminal cannot draw it, and its source is not for reading.
* A block with no language gets ``text``: the viewer would otherwise guess the language by trying
  every lexer Pygments has (about 20 ms a block), which made the notes slow to open.

Blocks are found with markdown-it, as the deck parser finds them, so a fence inside a list or a
quote is left as it is (only its language is filled in when missing).
"""

from __future__ import annotations

import re

from quizapp.core.text.mermaid_text import diagram_as_text

_OPENING = re.compile(r"^(\s*(?:>\s*)*(?:[-*+]\s+|\d+[.)]\s+)?)(`{3,}|~{3,})\s*$")


def prepare_fences(markdown: str) -> str:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(markdown)
    lines = markdown.split("\n")
    replace: list[tuple[int, int, list[str]]] = []  # (start, end, new lines), in document order
    for token in tokens:
        if token.type != "fence" or token.map is None:
            continue
        start, end = token.map
        language = token.info.strip().split(" ")[0].lower() if token.info else ""
        if language == "mermaid" and token.level == 0:
            text = diagram_as_text(token.content)
            fence = "`" * max(3, _longest_run(text, "`") + 1)
            replace.append((start, end, [f"{fence}text", *text.split("\n"), fence]))
        elif not language:
            match = _OPENING.match(lines[start])
            if match:
                replace.append((start, start + 1, [lines[start] + "text"]))
    for start, end, new in reversed(replace):
        lines[start:end] = new
    return "\n".join(lines)


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(r) for r in runs), default=0)
