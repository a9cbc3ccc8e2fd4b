"""Grading typed answers: lenient text, and numbers / vectors / matrices with a tolerance.

Nothing here evaluates code: numbers are read by a small hand-written tokenizer and parser.

Text comparison lives in ``text.compare`` (no NumPy, for the review screen); it is re-exported here.

Numbers (``parse_numbers``) — accepted forms::

    3   -2.5   .5   1e-3   3/2   -1/4   3 / -2   −0.5 (Unicode minus)   x = 0.5 (a "name =" prefix)
    [0.5 -0.02]   0.5, -0.02   0.5 -0.02   (0.5, -0.02)                      → vector
    1 2; 3 4      1, 2 <newline> 3, 4     [1 2; 3 4]    [[1, 2], [3, 4]]    → 2×2 matrix

Entries are separated by commas and/or whitespace; rows by ``;`` (anywhere) or a new line (only
outside brackets — inside brackets a new line is plain whitespace, so wrapped NumPy output parses).
A bare number is a scalar (shape ()), ``[3]`` is shape (1,). A ``-`` right after a number with no
space (``1-2``) is an error rather than a guess. Errors raise ``AnswerSyntaxError`` located at a
1-based column (and line, for multi-line input).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from quizapp.core.text.compare import TextVerdict, compare_text, normalize_text

__all__ = [
    "AnswerSyntaxError", "MAX_CHARS", "MAX_DEPTH", "MAX_ENTRIES", "NumericVerdict",
    "ParsedAnswer", "TextVerdict", "compare_text", "grade_numbers", "normalize_text",
    "parse_numbers", "tolerance_text",
]

MAX_CHARS = 10_000
MAX_ENTRIES = 4_096
MAX_DEPTH = 8

# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

class AnswerSyntaxError(ValueError):
    """A typed number/vector/matrix could not be read. ``col``/``line`` are 1-based."""

    def __init__(self, message: str, col: int, line: int = 1, *, multiline: bool = False):
        self.message, self.col, self.line = message, col, line
        where = f"line {line}, column {col}" if multiline else f"column {col}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class ParsedAnswer:
    values: np.ndarray
    shape: tuple[int, ...]


_MINUS = "-\u2212\u2012\u2013\ufe63\uff0d"
_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+\-\u2212]?\d+)?")
_PREFIX = re.compile(  # a leading "x =", "W1' =" or "dL/dz =" / "∂L/∂W =" is not part of the answer
    r"\s*(?:[^\W\d]\w*'*|[d∂]\s*[^\W\d]\w*\s*/\s*[d∂]\s*[^\W\d]\w*)\s*=(?!=)")
_OPEN = {"[": "]", "(": ")"}
_SINGLE = {",": "comma", ";": "semi", "\n": "newline", "/": "slash", "\u2044": "slash",
           "[": "open", "(": "open", "]": "close", ")": "close", "+": "sign"}


@dataclass
class _Tok:
    kind: str  # num | sign | slash | open | close | comma | semi | newline | eof
    text: str
    pos: int
    spaced: bool  # whitespace (or start of input) right before it
    value: float = 0.0


def _show(ch: str) -> str:
    return repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.multiline = "\n" in text
        self.count = 0
        self.toks = self._tokenize()
        self.i = 0

    def error(self, message: str, pos: int) -> AnswerSyntaxError:
        line = self.text.count("\n", 0, pos) + 1
        col = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
        return AnswerSyntaxError(message, col, line, multiline=self.multiline)

    # -- lexing ----------------------------------------------------------------------------
    def _tokenize(self) -> list[_Tok]:
        t, n = self.text, len(self.text)
        m = _PREFIX.match(t)
        i = m.end() if m else 0
        toks: list[_Tok] = []
        spaced = True
        while i < n:
            ch = t[i]
            if ch != "\n" and ch.isspace():
                spaced, i = True, i + 1
                continue
            m = _NUMBER.match(t, i) if ch in "0123456789." else None
            if m:
                s = m.group()
                value = float(s.replace("\u2212", "-"))
                if not np.isfinite(value):
                    raise self.error(f"{s} is too large", i)
                toks.append(_Tok("num", s, i, spaced, value))
                i = m.end()
                if i < n and t[i] in "eE" and t[i - 1].isdigit():
                    raise self.error("incomplete exponent after 'e' (write e.g. 1e-3)", i)
            elif ch in _MINUS:
                toks.append(_Tok("sign", ch, i, spaced, -1.0))
                i += 1
            elif ch in _SINGLE:
                toks.append(_Tok(_SINGLE[ch], ch, i, spaced, 1.0))
                i += 1
            else:
                word = re.match(r"\w+", t[i:i + 40])
                shown = repr(word.group()) if word and ch.isalpha() else _show(ch)
                hint = " (not a finite number)" if shown.lower() in ("'nan'", "'inf'") else ""
                raise self.error(f"unexpected {shown}{hint}", i)
            spaced = False
        toks.append(_Tok("eof", "", n, spaced))
        return toks

    # -- parsing ---------------------------------------------------------------------------
    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> np.ndarray:
        rows = self.sequence(None, 0)
        if not rows:
            raise self.error("no numbers found", len(self.text))
        if len(rows) == 1 and len(rows[0]) == 1:
            only = rows[0][0][0]
            return np.asarray(only, dtype=np.float64)  # bare scalar, or one bracketed group
        return self.build(rows, unwrap=True)

    def sequence(self, opener: _Tok | None, depth: int) -> list[list[tuple[Any, int]]]:
        """Rows of (value, pos) items up to the matching closer (or end of input)."""
        rows: list[list[tuple[Any, int]]] = [[]]
        comma = False  # a comma is pending since the last item
        while True:
            tok = self.peek()
            if tok.kind == "eof":
                if opener is not None:
                    raise self.error(f"missing '{_OPEN[opener.text]}' to close"
                                     f" '{opener.text}' (opened at column"
                                     f" {self.error('', opener.pos).col})", tok.pos)
                break
            if tok.kind == "close":
                if opener is None:
                    raise self.error(f"unexpected '{tok.text}' (no matching opening bracket)",
                                     tok.pos)
                if tok.text != _OPEN[opener.text]:
                    raise self.error(f"expected '{_OPEN[opener.text]}' but found '{tok.text}'",
                                     tok.pos)
                self.take()
                break
            if tok.kind == "comma":
                if not rows[-1] or comma:
                    raise self.error("unexpected ',' (a number is missing)", tok.pos)
                comma = True
                self.take()
            elif tok.kind == "semi" or (tok.kind == "newline" and opener is None):
                self.take()
                comma = False
                if rows[-1]:
                    rows.append([])
            elif tok.kind == "newline":
                self.take()
            elif tok.kind in ("num", "sign", "open"):
                if rows[-1] and not comma and not tok.spaced:
                    raise self.error(f"unexpected '{tok.text}' (put a space or comma between"
                                     " entries)", tok.pos)
                comma = False
                rows[-1].append(self.item(depth))
            else:
                raise self.error(f"unexpected '{tok.text}'", tok.pos)
        if not rows[-1]:
            rows.pop()
        if opener is not None and not rows:
            raise self.error("empty brackets", opener.pos)
        return rows

    def item(self, depth: int) -> tuple[Any, int]:
        tok = self.peek()
        if tok.kind == "open":
            if depth >= MAX_DEPTH:
                raise self.error(f"brackets nested too deeply (limit {MAX_DEPTH})", tok.pos)
            self.take()
            return self.build(self.sequence(tok, depth + 1), unwrap=False), tok.pos
        value = self.signed()
        if self.peek().kind == "slash":
            slash = self.take()
            if self.peek().kind not in ("num", "sign"):
                raise self.error("expected a number after '/'", self.peek().pos)
            den = self.signed()
            if den == 0:
                raise self.error("division by zero", slash.pos)
            value = value / den
            if not np.isfinite(value):
                raise self.error("fraction is too large", tok.pos)
            if self.peek().kind == "slash":
                raise self.error("only one '/' is allowed in a fraction", self.peek().pos)
        self.count += 1
        if self.count > MAX_ENTRIES:
            raise self.error(f"too many numbers (limit {MAX_ENTRIES})", tok.pos)
        return value, tok.pos

    def signed(self) -> float:
        sign = 1.0
        if self.peek().kind == "sign":
            sign = self.take().value
        tok = self.peek()
        if tok.kind != "num":
            found = f"'{tok.text}'" if tok.kind != "eof" else "the end"
            raise self.error(f"expected a number but found {found}", tok.pos)
        self.take()
        return sign * tok.value

    def build(self, rows: list[list[tuple[Any, int]]], unwrap: bool) -> np.ndarray:
        if len(rows) == 1:
            return self.row(rows[0], unwrap=unwrap)
        return self.stack([(self.row(r, unwrap=True), r[0][1]) for r in rows])

    def row(self, items: list[tuple[Any, int]], unwrap: bool) -> np.ndarray:
        arrays = [isinstance(v, np.ndarray) for v, _ in items]
        if not any(arrays):
            return np.array([v for v, _ in items], dtype=np.float64)
        if not all(arrays):
            pos = items[arrays.index(not arrays[0])][1]
            raise self.error("mix of plain numbers and bracketed lists in one row", pos)
        return items[0][0] if unwrap and len(items) == 1 else self.stack(items)

    def stack(self, items: list[tuple[np.ndarray, int]]) -> np.ndarray:
        first = items[0][0]
        for k, (arr, pos) in enumerate(items[1:], start=2):
            if arr.shape != first.shape:
                raise self.error(f"row {k} has {_count(arr)} but row 1 has {_count(first)}", pos)
        return np.stack([a for a, _ in items])


def _count(a: np.ndarray) -> str:
    if a.ndim <= 1:
        return f"{a.size} {'entry' if a.size == 1 else 'entries'}"
    return "shape " + "×".join(map(str, a.shape))


def parse_numbers(text: str) -> ParsedAnswer:
    """Read a typed number, vector or matrix (see module docstring); float64 values."""
    if not isinstance(text, str):
        raise TypeError("parse_numbers expects a str")
    if len(text) > MAX_CHARS:
        raise AnswerSyntaxError(f"answer is too long (limit {MAX_CHARS} characters)",
                                MAX_CHARS + 1)
    values = _Parser(text).parse()
    return ParsedAnswer(values, values.shape)


# ---------------------------------------------------------------------------------------------
# Grading numbers
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NumericVerdict:
    """``wrong_entries`` are 0-based index tuples into the expected array (``()`` for a scalar);
    ``message`` names them 1-based ("row 1, column 2", "entry 3") for people. ``shape_error``:
    the numbers were read but are not as many (or not shaped) as the answer — like
    ``parse_error``, an input error to fix rather than a wrong answer (see ``input_error``)."""

    correct: bool
    message: str
    wrong_entries: list[tuple[int, ...]] = field(default_factory=list)
    tolerance: str = ""
    parse_error: str | None = None
    given: np.ndarray | None = None
    shape_error: str | None = None

    @property
    def input_error(self) -> str | None:
        """Why the answer could not be graded (unreadable, or the wrong number of entries)."""
        return self.parse_error if self.parse_error is not None else self.shape_error


def _describe(shape: tuple[int, ...]) -> str:
    size = int(np.prod(shape)) if shape else 1
    if len(shape) <= 1:
        return f"{size} number" + ("" if size == 1 else "s")
    return "×".join(map(str, shape))


def _is_vector(shape: tuple[int, ...]) -> bool:
    return sum(d != 1 for d in shape) <= 1


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _where(idx: tuple[int, ...]) -> str:
    if len(idx) == 1:
        return f"entry {idx[0] + 1}"
    if len(idx) == 2:
        return f"row {idx[0] + 1}, column {idx[1] + 1}"
    return "entry (" + ", ".join(str(i + 1) for i in idx) + ")"


def tolerance_text(rtol: float, atol: float, integer: bool = False) -> str:
    if integer:
        return "exact (integer answer)"
    return f"|given − true| ≤ {atol:g} + {rtol:g}·|true| (about {rtol * 100:g}%)"


def grade_numbers(given_text: str, expected: Any, rtol: float = 1e-2, atol: float = 1e-8,
                  integer: bool = False, max_listed: int = 5) -> NumericVerdict:
    """Grade typed numbers against ``expected`` elementwise: |given − true| ≤ atol + rtol·|true|.

    ``integer=True`` demands exact equality. A 1×n or n×1 expected accepts a flat vector of n.
    """
    exp = np.asarray(expected, dtype=np.float64)
    if not np.all(np.isfinite(exp)):
        raise ValueError("expected values must be finite")
    tol = tolerance_text(rtol, atol, integer)
    try:
        g = parse_numbers(given_text).values
    except AnswerSyntaxError as e:
        return NumericVerdict(False, f"Could not read your answer: {e}", [], tol, str(e))
    if g.shape != exp.shape:
        if g.size == exp.size and _is_vector(g.shape) and _is_vector(exp.shape):
            g = g.reshape(exp.shape)
        else:
            hint = ""
            if exp.ndim == 2 and g.size == exp.size:
                hint = " (separate rows with ';' or a new line)"
            got = f"a {_describe(g.shape)} matrix" if g.ndim >= 2 else _describe(g.shape)
            message = f"expected {_describe(exp.shape)}, got {got}{hint}"
            return NumericVerdict(False, message, [], tol, None, g, message)
    ok = g == exp if integer else np.abs(g - exp) <= atol + rtol * np.abs(exp)
    wrong = [tuple(int(i) for i in idx) for idx in np.argwhere(~ok)]
    if exp.ndim == 0:
        wrong = [()] if not bool(ok) else []
    if not wrong:
        return NumericVerdict(True, f"Correct (tolerance: {tol})", [], tol, None, g)
    lines = [(f"{_where(i)}: " if i else "") + f"got {_fmt(g[i])}, expected {_fmt(exp[i])}"
             for i in wrong[:max_listed]]
    more = f"; and {len(wrong) - max_listed} more" if len(wrong) > max_listed else ""
    head = "" if exp.ndim == 0 else f"{len(wrong)} of {exp.size} wrong — "
    return NumericVerdict(False, f"{head}{'; '.join(lines)}{more} (tolerance: {tol})",
                          wrong, tol, None, g)

