"""Where the maths is in deck Markdown: ``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``.

The spans are found by markdown-it's own inline parser with one more rule (:func:`install`), so
what markdown-it reads as something else stays that: a code span (`` `$x$` ``), an escaped
``\\$``, a link's address, an autolink, raw HTML. Fenced code blocks are skipped before that (a
card's back may hold one), and so are blank lines: maths never runs from one paragraph into the
next.

Dollars follow the rule Pandoc uses, so prices are not maths: an opening ``$`` is not followed by
whitespace, a closing ``$`` is not preceded by whitespace nor followed by a digit — "$5 and $10"
is text. ``$$`` opens display maths. Every search for a closer is a binary search in the closers
found once per text, so a paragraph of ten thousand dollar signs is still read in linear time.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import NamedTuple

__all__ = ["MathSpan", "find_maths", "install", "may_have_maths"]


class MathSpan(NamedTuple):
    start: int  # offset of the opening delimiter in the text
    end: int  # offset just after the closing delimiter
    latex: str  # what is between the delimiters
    display: bool  # $$…$$ or \[…\]


def may_have_maths(text: str) -> bool:
    """A cheap test: False means ``text`` certainly holds no maths."""
    return "$" in text or "\\(" in text or "\\[" in text


class _Closers:
    """Positions where each kind of closing delimiter may stand, for one source text."""

    __slots__ = ("src", "dollar", "double", "paren", "bracket", "code_starts")

    def __init__(self, src: str) -> None:
        self.src = src
        self.dollar: list[int] = []
        self.double: list[int] = []
        self.paren: list[int] = []
        self.bracket: list[int] = []
        n = len(src)
        code = _code_spans(src)
        self.code_starts = [start for start, _ in code]
        k = 0
        for m in re.finditer(r"\$\$|\$|\\\)|\\\]", src):
            i = m.start()
            while k < len(code) and code[k][1] <= i:
                k += 1
            if (k < len(code) and code[k][0] <= i) or _escaped(src, i):
                continue  # a closer inside a code span closes nothing: `$x$` stays code
            token = m.group()
            if token == "$$":
                self.double.append(i)
            elif token == "$":
                before, after = src[i - 1] if i else " ", src[i + 1] if i + 1 < n else ""
                if not before.isspace() and not after.isdigit():
                    self.dollar.append(i)
            elif token == "\\)":
                self.paren.append(i)
            else:
                self.bracket.append(i)

    def code_between(self, start: int, end: int) -> bool:
        """Whether a code span starts inside ``start … end`` (maths never holds code: such a
        "formula" is money before a code span, as in ``$5 and `$x$```)."""
        k = bisect_left(self.code_starts, start)
        return k < len(self.code_starts) and self.code_starts[k] < end

    @staticmethod
    def first(positions: list[int], at_least: int, below: int) -> int:
        k = bisect_left(positions, at_least)
        return positions[k] if k < len(positions) and positions[k] < below else -1


def _code_spans(src: str) -> list[tuple[int, int]]:
    """(start, end) of the code spans of ``src`` as CommonMark pairs backtick runs: a run opens a
    span closed by the next run of the same length; a run with no such partner is text."""
    runs = [(m.start(), m.end() - m.start()) for m in re.finditer(r"`+", src)]
    by_length: dict[int, list[int]] = {}
    for k, (_, length) in enumerate(runs):
        by_length.setdefault(length, []).append(k)
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(runs):
        start, length = runs[k]
        if _escaped(src, start):  # \` is a backtick, not a code span (close enough for a guard)
            k += 1
            continue
        same = by_length[length]
        j = bisect_left(same, k + 1)
        if j < len(same):
            close = same[j]
            spans.append((start, runs[close][0] + length))
            k = close + 1
        else:
            k += 1
    return spans


def _escaped(src: str, i: int) -> bool:
    k = i
    while k > 0 and src[k - 1] == "\\":
        k -= 1
    return (i - k) % 2 == 1


_LAST: list[_Closers | None] = [None]


def _closers(src: str) -> _Closers:
    last = _LAST[0]
    if last is None or last.src is not src:  # one inline parse reads one string object
        last = _LAST[0] = _Closers(src)
    return last


def _match(src: str, pos: int, limit: int) -> tuple[int, int, int, bool] | None:
    """(end, content start, content end, display) of maths opening at ``pos``, or None."""
    found = _candidate(src, pos, limit)
    if found is not None and _closers(src).code_between(found[1], found[2]):
        return None
    return found


def _candidate(src: str, pos: int, limit: int) -> tuple[int, int, int, bool] | None:
    ch = src[pos]
    closers = _closers(src)
    if ch == "$":
        if src.startswith("$$", pos):
            close = closers.first(closers.double, pos + 2, limit - 1)
            if close < 0 or not src[pos + 2 : close].strip():
                return None
            return close + 2, pos + 2, close, True
        if pos + 1 >= limit or src[pos + 1].isspace():
            return None
        close = closers.first(closers.dollar, pos + 2, limit)
        if close < 0:
            return None
        return close + 1, pos + 1, close, False
    if ch == "\\" and pos + 1 < limit and src[pos + 1] in "([":
        display = src[pos + 1] == "["
        close = closers.first(closers.bracket if display else closers.paren, pos + 2, limit - 1)
        if close < 0 or not src[pos + 2 : close].strip():
            return None
        return close + 2, pos + 2, close, display
    return None


def _rule(state, silent: bool) -> bool:
    found = _match(state.src, state.pos, state.posMax)
    if found is None:
        return False
    end, start, stop, display = found
    if not silent:
        token = state.push("math_display" if display else "math_inline", "math", 0)
        token.content = state.src[start:stop]
        token.markup = state.src[state.pos:start]
        token.meta = {"start": state.pos, "end": end}
    state.pos = end
    return True


def install(md) -> None:
    """Teach a MarkdownIt instance to read maths (tokens ``math_inline`` and ``math_display``
    with ``content`` the LaTeX and ``meta`` the span's offsets in the inline source)."""
    md.inline.ruler.before("escape", "maths", _rule)


@lru_cache(maxsize=1)
def _md():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("strikethrough")
    install(md)
    return md


_FENCE = re.compile(r"^[ \t>]*(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+)?(`{3,}|~{3,})")


def _prose_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the runs of lines that are neither blank nor fenced code."""
    runs: list[tuple[int, int]] = []
    fence = ""
    offset = 0
    run_start = -1
    for line in text.split("\n"):
        end = offset + len(line)
        m = _FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
                fence = ""
            code = True
        elif m:
            fence, code = m.group(1), True
        else:
            code = not line.strip()
        if code:
            if run_start >= 0:
                runs.append((run_start, offset - 1))
                run_start = -1
        elif run_start < 0:
            run_start = offset
        offset = end + 1
    if run_start >= 0:
        runs.append((run_start, len(text)))
    return runs


def find_maths(text: str) -> list[MathSpan]:
    """Every maths span of ``text`` (card Markdown), in order; [] without maths."""
    if not may_have_maths(text):
        return []
    spans: list[MathSpan] = []
    for start, end in _prose_runs(text):
        chunk = text[start:end]
        if not may_have_maths(chunk):
            continue
        # markdown-it replaces CR and NUL as it reads; the same-length stand-ins keep offsets true
        chunk = chunk.replace("\r", "\n").replace("\0", "\ufffd")
        tokens = _md().parseInline(chunk)
        for token in tokens[0].children or ():
            if token.type in ("math_inline", "math_display"):
                spans.append(MathSpan(start + token.meta["start"], start + token.meta["end"], token.content,
                                      token.type == "math_display"))
    return spans
