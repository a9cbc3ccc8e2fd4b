"""Cloze blanks: ``{{answer}}`` or ``{{answer::hint}}`` inside a paragraph or list item.

A sentence with N blanks gives N CLOZE cards. Card k shows blank k as ``[…]`` (or ``[hint]``) and
every other blank filled in; its back is the blank's answer and its context the filled sentence.
Braces inside code spans are ignored, so `` `{{ jinja }}` `` stays literal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizapp.core.content.blocks import position
from quizapp.core.content.draft import Context, Draft
from quizapp.core.content.identity import find_ids, strip_ids, take_id
from quizapp.core.content.model import CardKind

_SCAN = re.compile(r"\{\{|`+")
BLANK_MARK = "[…]"


@dataclass(frozen=True, slots=True)
class Blank:
    start: int  # offset of "{{"
    end: int  # offset after "}}"
    answer: str
    hint: str


@dataclass(frozen=True, slots=True)
class ClozeError:
    offset: int
    message: str


def scan(text: str) -> tuple[list[Blank], list[ClozeError]]:
    """Find the blanks of ``text``. After an unclosed ``{{`` scanning stops."""
    if "{{" not in text:
        return [], []
    blanks: list[Blank] = []
    errors: list[ClozeError] = []
    pos = 0
    while True:
        m = _SCAN.search(text, pos)
        if m is None:
            break
        token = m.group()
        if token[0] == "`":  # a code span: skip to the closing run of the same length, if any
            close = re.compile(rf"(?<!`){token}(?!`)").search(text, m.end())
            pos = close.end() if close else m.end()
            continue
        close = text.find("}}", m.end())
        reopen = text.find("{{", m.end())
        if close < 0 or 0 <= reopen < close:
            errors.append(ClozeError(m.start(), "unclosed cloze blank '{{' (close it with '}}')"))
            break
        inner = text[m.end() : close]
        answer, _, hint = inner.partition("::")
        if not answer.strip():
            errors.append(ClozeError(m.start(), "empty cloze blank '{{}}'"))
        else:
            blanks.append(Blank(m.start(), close + 2, answer.strip(), hint.strip()))
        pos = close + 2
    return blanks, errors


def fill(text: str, blanks: list[Blank], hide: int | None = None) -> str:
    """``text`` with every blank filled in, except blank number ``hide`` shown as ``[…]``/``[hint]``."""
    parts, pos = [], 0
    for k, b in enumerate(blanks):
        parts.append(text[pos : b.start])
        if k == hide:
            parts.append(f"[{b.hint}]" if b.hint else BLANK_MARK)
        else:
            parts.append(b.answer)
        pos = b.end
    parts.append(text[pos:])
    # Leading spaces of paragraph continuation lines mean nothing in Markdown: drop them.
    return "\n".join(line.strip() for line in strip_ids("".join(parts)).split("\n")).strip()


def sentence_drafts(text: str, first_line: int, ctx: Context, extra_ids: list | None = None) -> list[Draft]:
    """Cloze drafts of one paragraph or list item whose content line k is source line ``first_line + k``
    (0-based). Problems are reported at the exact line and column of the ``{{``."""
    blanks, errors = scan(text)
    content_lines = text.split("\n")

    def loc(offset: int) -> tuple[int, int]:
        k, c = position(text, offset)
        return first_line + k + 1, ctx.src.col_in(first_line + k, content_lines[k], c)

    for e in errors:
        ctx.report.error(*loc(e.offset), e.message)
    ids = [(value, *loc(offset)) for value, offset in find_ids(text)] + list(extra_ids or ())
    if errors or not blanks:
        return []
    author_id, id_line, id_col = take_id(ids, ctx.report)
    group = ctx.new_group()
    context = fill(text, blanks)
    drafts = []
    for k, b in enumerate(blanks):
        line, col = loc(b.start)
        drafts.append(
            Draft(CardKind.CLOZE, fill(text, blanks, hide=k), b.answer, line=line, col=col, group=group,
                  section=ctx.section, author_id=author_id, id_suffix=f":{k + 1}" if k else "",
                  id_line=id_line, id_col=id_col, typed=ctx.typed, context=context)
        )
    return drafts
