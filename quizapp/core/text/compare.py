"""Lenient comparison of typed text answers (Q&A, cloze). Pure Python: no NumPy, so the review
screen can use it without slowing the app's start-up.

Both sides are normalised before comparing: Unicode NFKD with accents stripped, case-folded,
Markdown emphasis (``* _ ` ~``) and punctuation dropped, whitespace collapsed, Greek letters spelled
out (α ≡ alpha), ``<=``/``>=``/``!=``/``->`` ≡ ``≤ ≥ ≠ →``, numbers written canonically (``.50`` ≡
``0.5``). A power reads the same however it is written: ``0.25^n`` ≡ ``0.25**n`` ≡ ``0.25ⁿ`` (a run of
superscripts is ``^`` and its characters); a subscript is its own token (``x_i`` ≡ ``xᵢ``, ``W1`` ≡
``W₁`` ≡ ``W_1``: digits ending a word are split off). Math symbols (``+ − = < ≤ × →`` …) are kept, and ``-`` is kept as a minus sign when it
stands right before a digit. The expected text may list alternatives separated by `` / `` (slash
with spaces around it); a parenthetical remark preceded by a space, as in ``α (0.01)``, is optional;
when an answer marks its key phrase in bold (``None — the **identity**``), the bold text alone is
right too (every bold part, in order: ``**Adam** with **warmup**`` accepts "Adam warmup").
``close`` flags a near miss (typo): similarity ≥ 0.8 and the same numbers. LaTeX maths is read as
its Unicode on both sides (core.text.maths_markdown), so ``$x^2$``, ``x^{2}`` and ``x²`` agree.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from quizapp.core.text.maths_markdown import maths_as_text, typed_maths
from quizapp.core.text.maths_spans import may_have_maths

__all__ = ["CLOSE_RATIO", "TextVerdict", "answer_alternatives", "compare_text", "normalize_text"]

CLOSE_RATIO = 0.8
# difflib is worse than quadratic on long repetitive text: beyond these sizes the similarity is
# estimated in linear time and the difference is shown whole, so a pasted essay cannot freeze the UI.
MAX_SIMILARITY_CHARS = 400
MAX_DIFF_UNITS = 120
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
_STARS = re.compile(r"\*\*")
_OPERAND_END = frozenset(")]}")
_OPERAND_START = frozenset("([{.-\u2212+")
_WORD_DIGITS = re.compile(r"([^\W\d_]+)(\d+)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")


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


@lru_cache(maxsize=512)
def _script(char: str) -> tuple[str, str] | None:
    """``("^", plain)`` for a superscript character, ``("_", plain)`` for a subscript, else None."""
    tag, _, codes = unicodedata.decomposition(char).partition(" ")
    if tag not in ("<super>", "<sub>"):
        return None
    return ("^" if tag == "<super>" else "_"), "".join(chr(int(c, 16)) for c in codes.split())


def _scripts(text: str) -> str:
    """Super- and subscripts spelled out: a run of superscripts becomes `` ^ `` and its characters
    (``0.25ⁿ`` → ``0.25 ^ n``, ``e⁻ᶻ`` → ``e ^ −z``), a run of subscripts a word of its own."""
    if text.isascii():
        return text
    out: list[str] = []
    run = None
    for char in text:
        found = _script(char) if ord(char) > 127 else None
        kind = found[0] if found else None
        if kind != run:
            out.append(" ^ " if kind == "^" else " ")
            run = kind
        out.append(found[1] if found else char)
    return "".join(out)


def _powers(text: str) -> str:
    """``**`` between two operands (``0.25**n``) as `` ^ ``; Markdown bold (``**bold**``, closed
    wherever it was opened) stays as it is."""
    if "**" not in text:
        return text
    bold = False

    def one(m: re.Match[str]) -> str:
        nonlocal bold
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if bold:
            bold = False
        elif ((before.isalnum() or before in _OPERAND_END)
              and (after.isalnum() or after in _OPERAND_START)):
            return " ^ "
        elif not after.isspace():
            bold = True
        return m.group()

    return _STARS.sub(one, text)


def _norm_tokens(text: str) -> list[str]:
    s = _powers(_scripts(text))
    s = unicodedata.normalize("NFKD", s)
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
            word = _WORD_DIGITS.fullmatch(m.group("word"))
            if word:  # W1 ≡ W₁ ≡ W_1
                out += [word.group(1), str(int(word.group(2)))]
            else:
                out.append(m.group("word"))
        elif unicodedata.category(m.group("sym")).startswith("S"):
            out.append(m.group("sym"))
    return out


def normalize_text(text: str) -> str:
    """The lenient normal form used by ``compare_text`` (space-separated tokens)."""
    return " ".join(_norm_tokens(text))


def answer_alternatives(expected: str) -> list[str]:
    """The texts a typed answer may match (see the module docstring): the whole answer, each part
    of ``a / b``, each without its `` (remark)``, and the bold key phrase of each."""
    alts = [expected]
    parts = [p for p in re.split(r"\s+/\s+", expected) if p.strip()]
    if len(parts) > 1:
        alts += parts
    for a in list(alts):
        bare = _PAREN_REMARK.sub("", a)
        if bare.strip() and bare != a:
            alts.append(bare)
    for a in list(alts):
        key = " ".join(m.group(1) or m.group(2) for m in _BOLD.finditer(a))
        if key.strip() and key not in alts:
            alts.append(key)
    return alts


_alternatives = answer_alternatives


def _diff(expected: list[str], given: list[str], unit: str) -> list[tuple[str, str]]:
    sep = "" if unit == "char" else " "
    out: list[tuple[str, str]] = []
    if max(len(expected), len(given)) > MAX_DIFF_UNITS:
        return [("delete", sep.join(expected)), ("insert", (sep if expected else "") + sep.join(given))]
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


def _similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if max(len(a), len(b)) > MAX_SIMILARITY_CHARS:
        return matcher.quick_ratio()  # linear-time upper bound, enough to call an essay "not close"
    return matcher.ratio()


def compare_text(given: str, expected: str) -> TextVerdict:
    """Lenient comparison of a typed answer with the expected text (see module docstring). Maths
    on either side is compared as it reads: ``$\\sigma(z)$``, ``\\sigma(z)`` and ``σ(z)`` agree."""
    if may_have_maths(expected):
        expected = maths_as_text(expected)
        given = typed_maths(given, latex_likely=True)
    else:
        given = typed_maths(given)
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
        ratio = _similarity(g_cmp, e_norm)
        scored.append((correct, ratio, -len(scored), alt, e_tok, e_norm))
    correct, ratio, _, alt, e_tok, e_norm = max(scored)
    close = (not correct and bool(g_tok) and ratio >= CLOSE_RATIO
             and _numbers(g_tok) == _numbers(e_tok))
    unit = "char" if len(g_tok) <= 1 and len(e_tok) <= 1 else "word"
    g_units = list(g_norm) if unit == "char" else g_tok
    e_units = list(e_norm) if unit == "char" else e_tok
    return TextVerdict(correct, close, g_norm, e_norm, _diff(e_units, g_units, unit),
                       ratio, alt, unit)
