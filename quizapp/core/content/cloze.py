"""Cloze blanks: ``{{answer}}`` or ``{{answer::hint}}`` inside a paragraph or list item.

A sentence with N blanks gives N CLOZE cards. Card k shows blank k as ``[…]`` (or ``[hint]``) and
every other blank filled in; its back is the blank's answer and its context the filled sentence.
Braces inside code spans are ignored, so `` `{{ jinja }}` `` stays literal.

Each card's front (and so its key) is a whole copy of the sentence, so one sentence costs
blanks × length. :func:`asked_blanks` bounds that: at most ``MAX_BLANKS`` cards per sentence, fewer
in a very long one, so the fronts of one sentence never exceed about ``MAX_FRONT_CHARS`` characters;
the blanks after those are shown filled in, with a warning at the first of them. Everything else is
linear: one scan, one filled context shared by all cards, and line/column lookups by bisection.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from quizapp.core.content.draft import Context, Draft
from quizapp.core.content.identity import find_ids, strip_ids, take_id
from quizapp.core.content.model import CardKind
from quizapp.core.content.sources import split_sources

_SCAN = re.compile(r"\{\{|`+")
BLANK_MARK = "[…]"
MAX_BLANKS = 100  # cards from one sentence
MAX_FRONT_CHARS = 1_000_000  # characters of card fronts one sentence may produce (blanks × length)


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
    return Filled(text, blanks).front(hide)


class Filled:
    """A sentence with its blanks filled in, built once; :meth:`front` then makes the text of one
    card with C-speed slicing instead of re-assembling every blank."""

    __slots__ = ("blanks", "at", "text")

    def __init__(self, text: str, blanks: list[Blank]) -> None:
        parts, at, pos, length = [], [], 0, 0
        for b in blanks:
            parts.append(text[pos : b.start])
            length += b.start - pos
            at.append(length)  # where blank k's answer starts in the filled text
            parts.append(b.answer)
            length += len(b.answer)
            pos = b.end
        parts.append(text[pos:])
        self.text, self.at, self.blanks = "".join(parts), at, blanks

    def front(self, hide: int | None = None) -> str:
        raw = self.text
        if hide is not None and 0 <= hide < len(self.blanks):
            b, start = self.blanks[hide], self.at[hide]
            raw = raw[:start] + (f"[{b.hint}]" if b.hint else BLANK_MARK) + raw[start + len(b.answer) :]
        # Leading spaces of paragraph continuation lines mean nothing in Markdown: drop them.
        return "\n".join(line.strip() for line in strip_ids(raw).split("\n")).strip()


def asked_blanks(n_blanks: int, sentence_chars: int) -> int:
    """How many of a sentence's ``n_blanks`` become cards, given the length of the filled sentence:
    all of them up to ``MAX_BLANKS``, fewer when the sentence is so long that its cards' fronts would
    add up to more than ``MAX_FRONT_CHARS`` characters (always at least one)."""
    return min(n_blanks, MAX_BLANKS, max(1, MAX_FRONT_CHARS // max(sentence_chars, 1)))


def _cap_message(n_blanks: int, asked: int, sentence_chars: int) -> str:
    if asked == MAX_BLANKS:
        return (f"cloze sentence has {n_blanks:,} blanks; only the first {asked} become cards, the others "
                f"are shown filled in (at most {MAX_BLANKS} per sentence: split it into shorter sentences)")
    return (f"cloze sentence has {n_blanks:,} blanks and is {sentence_chars:,} characters long; only the "
            f"first {asked} become cards, the others are shown filled in (split it into shorter sentences)")


def sentence_drafts(text: str, first_line: int, ctx: Context, extra_ids: list | None = None) -> list[Draft]:
    """Cloze drafts of one paragraph or list item whose content line k is source line ``first_line + k``
    (0-based). Problems are reported at the exact line and column of the ``{{``. ``Source:`` lines at
    the end give the cards' sources; they are not part of the sentence."""
    text, sources = split_sources(text, anywhere=False)
    blanks, errors = scan(text)
    content_lines = text.split("\n")
    starts = [0]  # offset in ``text`` of each content line
    for line in content_lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    bases: dict[int, int] = {}  # content line → column of its first character in the source line, minus 1

    def loc(offset: int) -> tuple[int, int]:
        k = bisect_right(starts, offset) - 1
        if k not in bases:
            bases[k] = ctx.src.col_in(first_line + k, content_lines[k], 0) - 1
        return first_line + k + 1, bases[k] + offset - starts[k] + 1

    for e in errors:
        ctx.report.error(*loc(e.offset), e.message)
    ids = [(value, *loc(offset)) for value, offset in find_ids(text)] + list(extra_ids or ())
    if errors or not blanks:
        return []
    author_id, id_line, id_col = take_id(ids, ctx.report)
    group = ctx.new_group()
    filled = Filled(text, blanks)
    context = filled.front()
    asked = asked_blanks(len(blanks), len(context))
    if asked < len(blanks):
        ctx.report.warning(*loc(blanks[asked].start), _cap_message(len(blanks), asked, len(context)))
    drafts = []
    for k, b in enumerate(blanks[:asked]):
        line, col = loc(b.start)
        drafts.append(
            Draft(CardKind.CLOZE, filled.front(k), b.answer, line=line, col=col, group=group,
                  section=ctx.section, author_id=author_id, id_suffix=f":{k + 1}" if k else "",
                  id_line=id_line, id_col=id_col, typed=ctx.typed, context=context, sources=sources)
        )
    return drafts
