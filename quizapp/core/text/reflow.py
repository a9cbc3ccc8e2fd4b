"""A deck answer's paragraphs as flowing text: the line breaks an author typed inside a paragraph
(Markdown soft breaks) become spaces, so a typed answer's expected text reads as one paragraph
wrapped to the screen, not ragged at the deck file's line ends.

Only plain paragraph lines are joined: blank lines, list items, quotes, table rows, headings, fenced
or indented code, display maths (``$$``, ``\\[``) and Markdown hard breaks (two trailing spaces or a
backslash) are kept as written.
"""

from __future__ import annotations

import re

__all__ = ["flow_paragraphs"]

_BLOCK_START = re.compile(r"\s*(?:[-*+]\s|\d+[.)]\s|>|\||#|```|~~~|\$\$|\\\[|\\\])|\s{4}")


def _plain(line: str) -> bool:
    return bool(line.strip()) and not _BLOCK_START.match(line) and "$$" not in line


def flow_paragraphs(text: str) -> str:
    """``text`` with the soft line breaks of its plain paragraphs turned into spaces."""
    if "\n" not in text:
        return text
    out: list[str] = []
    fenced = False
    previous_plain = False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            out.append(line)
            previous_plain = False
            continue
        plain = not fenced and _plain(line)
        hard = out and (out[-1].endswith("  ") or out[-1].endswith("\\"))
        if plain and previous_plain and not hard:
            out[-1] = out[-1].rstrip() + " " + line.lstrip()
        else:
            out.append(line)
        previous_plain = plain
    return "\n".join(out)
