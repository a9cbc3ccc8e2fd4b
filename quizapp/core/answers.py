"""Grading typed answers: lenient text, and numbers / vectors / matrices with a tolerance.

Nothing here evaluates code: numbers are read by a small hand-written tokenizer and parser.

Text (``compare_text``) — both sides are normalised before comparing: Unicode NFKD with accents
stripped, case-folded, Markdown emphasis (``* _ ` ~``) and punctuation dropped, whitespace collapsed,
Greek letters spelled out (α ≡ alpha), ``<=``/``>=``/``!=``/``->`` ≡ ``≤ ≥ ≠ →``, numbers written
canonically (``.50`` ≡ ``0.5``). Math symbols (``+ − = < ≤ × →`` …) are kept, and ``-`` is kept as a
minus sign when it stands right before a digit. The expected text may list alternatives separated
by `` / `` (slash with spaces around it); a parenthetical remark preceded by a space, as in
``α (0.01)``, is optional. ``close`` flags a near miss (typo): similarity ≥ 0.8 and the same numbers.

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

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "AnswerSyntaxError", "MAX_CHARS", "MAX_DEPTH", "MAX_ENTRIES", "NumericVerdict",
    "ParsedAnswer", "TextVerdict", "compare_text", "grade_numbers", "normalize_text",
    "parse_numbers", "tolerance_text",
]

MAX_CHARS = 10_000
MAX_ENTRIES = 4_096
MAX_DEPTH = 8
CLOSE_RATIO = 0.8

# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------

_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "η": "eta", "θ": "theta", "λ": "lambda", "μ": "mu", "π": "pi", "σ": "sigma", "ς": "sigma",
    "τ": "tau", "φ": "phi", "ϕ": "phi", "ω": "omega", "∇": "nabla",
}
_DIGRAPHS = {"<=": "≤", ">=": "≥", "!=": "≠", "->": "→", "=>": "⇒"}
_TEXT_TOKEN = re.compile(
    r"(?P<num>(?<![^\W_])-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?(?![^\W_]))|(?P<word>[^\W_]+)|(?P<sym>\S)"
)
_PAREN_REMARK = re.compile(r"\s+\([^()]*\)")


@dataclass(frozen=True)
class TextVerdict:
    """Outcome of ``compare_text``.

    ``diff`` is difflib's edit of the matched expected answer into the given one:
    ``("delete", t)`` is expected text missing from what you typed, ``("insert", t)`` is text you
    typed that is not expected, ``("equal", t)`` matched. Units are words or, when both sides are
    a single word, characters (``diff_unit``); word chunks after the first start with a space, so
    concatenating the texts gives a readable line.
    """

    correct: bool
    close: bool
    given_norm: str
    expected_norm: str
    diff: list[tuple[str, str]]
    similarity: float
    matched: str
    diff_unit: str = "word"


def _norm_tokens(text: str) -> list[str]:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = s.replace("\u2212", "-")
    for a, b in _DIGRAPHS.items():
        s = s.replace(a, b)
    s = "".join(f" {_GREEK[c]} " if c in _GREEK else c for c in s)
    s = re.sub(r"[*_`~]", " ", s)
    out: list[str] = []
    for m in _TEXT_TOKEN.finditer(s):
        if m.group("num") is not None:
            r = repr(float(m.group("num")))
            out.append(r[:-2] if r.endswith(".0") else r)
        elif m.group("word") is not None:
            out.append(m.group("word"))
        elif unicodedata.category(m.group("sym")).startswith("S"):
            out.append(m.group("sym"))
    return out


def normalize_text(text: str) -> str:
    """The lenient normal form used by ``compare_text`` (space-separated tokens)."""
    return " ".join(_norm_tokens(text))


def _alternatives(expected: str) -> list[str]:
    alts = [expected]
    parts = [p for p in re.split(r"\s+/\s+", expected) if p.strip()]
    if len(parts) > 1:
        alts += parts
    for a in list(alts):
        bare = _PAREN_REMARK.sub("", a)
        if bare.strip() and bare != a:
            alts.append(bare)
    return alts


def _diff(expected: list[str], given: list[str], unit: str) -> list[tuple[str, str]]:
    sep = "" if unit == "char" else " "
    out: list[tuple[str, str]] = []
    sm = difflib.SequenceMatcher(None, expected, given, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(("equal", sep.join(expected[i1:i2])))
        if op in ("delete", "replace"):
            out.append(("delete", sep.join(expected[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("insert", sep.join(given[j1:j2])))
    # a space in front of every chunk but the first, so "".join(texts) reads as a line
    return [(op, (sep if k else "") + text) for k, (op, text) in enumerate(out)]


def _numbers(tokens: list[str]) -> list[str]:
    return sorted(t for t in tokens if t[:1].isdigit() or (t[:1] == "-" and t[1:2].isdigit()))


def compare_text(given: str, expected: str) -> TextVerdict:
    """Lenient comparison of a typed answer with the expected text (see module docstring)."""
    g_tok = _norm_tokens(given)
    g_norm = " ".join(g_tok)
    scored = []
    for alt in _alternatives(expected):
        e_tok = _norm_tokens(alt)
        g_cmp = g_norm
        if e_tok:
            e_norm, correct = " ".join(e_tok), g_tok == e_tok
        else:  # expected is all punctuation: compare it verbatim
            e_norm, g_cmp = " ".join(alt.split()).casefold(), " ".join(given.split()).casefold()
            correct = bool(e_norm) and g_cmp == e_norm
        ratio = difflib.SequenceMatcher(None, g_cmp, e_norm, autojunk=False).ratio()
        scored.append((correct, ratio, -len(scored), alt, e_tok, e_norm))
    correct, ratio, _, alt, e_tok, e_norm = max(scored)
    close = (not correct and bool(g_tok) and ratio >= CLOSE_RATIO
             and _numbers(g_tok) == _numbers(e_tok))
    unit = "char" if len(g_tok) <= 1 and len(e_tok) <= 1 else "word"
    g_units = list(g_norm) if unit == "char" else g_tok
    e_units = list(e_norm) if unit == "char" else e_tok
    return TextVerdict(correct, close, g_norm, e_norm, _diff(e_units, g_units, unit),
                       ratio, alt, unit)


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
_PREFIX = re.compile(r"\s*[^\W\d]\w*'*\s*=(?!=)")
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
    ``message`` names them 1-based ("row 1, column 2", "entry 3") for people."""

    correct: bool
    message: str
    wrong_entries: list[tuple[int, ...]] = field(default_factory=list)
    tolerance: str = ""
    parse_error: str | None = None
    given: np.ndarray | None = None


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
            return NumericVerdict(False, f"expected {_describe(exp.shape)}, got {got}{hint}",
                                  [], tol, None, g)
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

