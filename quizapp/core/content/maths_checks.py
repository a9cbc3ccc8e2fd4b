"""``quizapp check``: warnings for maths the screens cannot render, at the formula's file:line:col.

The deck's Markdown is read block by block with the parser's own tokens (blocks.py): every inline
run — a paragraph, a list item, a table cell, a heading — is searched for maths as the screens
search it (core.text.maths_spans, so code spans and fenced code are never looked at), and the
``prompt``, ``hint`` and ``explanation`` of each ``drill`` block too. A formula that cannot be read
is shown as written, so this is a warning, never an error; so is an unknown command or a ``%``.
"""

from __future__ import annotations

import tomllib

from quizapp.core.content.blocks import Source, parse_blocks
from quizapp.core.content.draft import Report
from quizapp.core.content.frontmatter import read_front_matter
from quizapp.core.content.loader import MAX_DECK_BYTES
from quizapp.core.content.model import Deck, Problem, Severity
from quizapp.core.content.parser import normalise_text
from quizapp.core.text.maths_markdown import maths_problems
from quizapp.core.text.maths_spans import may_have_maths
from quizapp.core.formula.toml_fields import FieldLocator
from quizapp.core.user_files import UserFileError, read_user_file

__all__ = ["check_maths", "maths_in_text"]

_DRILL_PROSE = ("prompt", "hint", "explanation")


def check_maths(deck: Deck) -> list[Problem]:
    if deck.failed:
        return []
    try:
        text = read_user_file(deck.path, MAX_DECK_BYTES).decode("utf-8")
    except (UserFileError, OSError, UnicodeDecodeError):
        return []  # the loader has reported it already
    return maths_in_text(text, str(deck.path))


def maths_in_text(text: str, file: str) -> list[Problem]:
    """The maths warnings of a deck file's ``text`` (``file`` names it in the problems)."""
    if not may_have_maths(text):
        return []
    lines = normalise_text(text).split("\n")
    front = read_front_matter(lines, Report(file))
    body = [""] * front.end_line + lines[front.end_line :]
    src = Source(body)
    out: list[Problem] = []
    for block in parse_blocks("\n".join(body)):
        for token in block.tokens:
            if token.type == "inline" and token.map and may_have_maths(token.content):
                out += _inline(token.content, token.map[0], src, file)
            elif token.type == "fence" and token.info.strip().split()[:1] == ["drill"] and token.map:
                out += _drill(token.content, token.map[0] + 1, file)
    return out


def _inline(content: str, first_line: int, src: Source, file: str) -> list[Problem]:
    out = []
    for found in maths_problems(content):
        k = content.count("\n", 0, found.offset)
        line_start = content.rfind("\n", 0, found.offset) + 1
        line_end = content.find("\n", found.offset)
        content_line = content[line_start : line_end if line_end >= 0 else len(content)]
        col = src.col_in(first_line + k, content_line, found.offset - line_start)
        out.append(Problem(file, first_line + k + 1, col, Severity.WARNING, found.message))
    return out


def _drill(toml: str, first_line: int, file: str) -> list[Problem]:
    if not may_have_maths(toml):
        return []
    try:
        data = tomllib.loads(toml)
    except tomllib.TOMLDecodeError:
        return []  # the loader reports broken TOML
    locator = FieldLocator(toml.split("\n"))
    out = []
    for key in _DRILL_PROSE:
        value = data.get(key)
        if not isinstance(value, str):
            continue
        for found in maths_problems(value):
            line, col = locator.locate(key)
            out.append(Problem(file, first_line + line + 1, col, Severity.WARNING,
                               f"drill {key}: {found.message}"))
    return out
