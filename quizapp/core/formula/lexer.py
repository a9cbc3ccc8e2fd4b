"""Tokenizer for typed formulas: ASCII and the Unicode people paste from notes.

Works on the original text so every token knows its 1-based column. Limits (length, token count,
parenthesis depth) are checked here, before the parser recurses at all: 10,000 nested parentheses
fail at the 65th ``(`` in microseconds. Superscript runs (``z²``, ``e⁻ᶻ``) become one ``sup`` token
whose ``sub`` holds the tokens of the exponent, with columns in the original text.

``|x|`` bars are paired here: a ``|`` right after an operand closes the innermost open bar, any
other ``|`` opens one (kinds ``|(`` and ``|)``), so ``|z - |x||`` nests and an unclosed ``|`` is a
located error. A leading ``y =`` / ``f'(z) =`` / ``W_new =`` / ``dL/dz =`` is blanked out (columns
stay those of the original text) so the right-hand side is read; ``W -= …`` is refused with the formula to write.
"""

from __future__ import annotations

import keyword
import unicodedata
from dataclasses import dataclass

from quizapp.core.formula.nodes import MAX_LENGTH, MAX_PAREN_DEPTH, MAX_TOKENS, ExprError

__all__ = ["Token", "strip_assignment", "tokenize"]


@dataclass(frozen=True, slots=True)
class Token:
    kind: str            # num name op kw ( ) |( |) , sqrt sup end
    text: str            # as typed
    col: int             # 1-based column of the first character
    end: int             # 1-based column just after the last character
    value: object = None  # num: float; name: normalised name; op: ASCII operator; sup: tuple of tokens


KEYWORDS = {"and", "or", "not", "if", "else"}
_REFUSED_KEYWORDS = {
    "lambda": "lambdas are not allowed in a formula",
    "for": "comprehensions are not allowed in a formula",
    "in": "'in' is not part of formulas (comprehensions and membership tests are not allowed)",
    "import": "imports are not allowed in a formula",
    "from": "imports are not allowed in a formula",
    "is": "'is' is not part of formulas: write ==",
    "True": "write 1 instead of True", "False": "write 0 instead of False",
    "None": "'None' is not a number",
}
_UNICODE_OPS = {
    "×": "*", "·": "*", "⋅": "*", "∗": "*", "•": "*", "✕": "*", "÷": "/", "∕": "/",
    "−": "-", "–": "-", "‐": "-", "‑": "-", "≤": "<=", "⩽": "<=", "≥": ">=", "⩾": ">=", "≠": "!=",
}
_UNICODE_KW = {"∧": "and", "∨": "or", "¬": "not"}
_ASCII_OPS = ("**", "<=", ">=", "==", "!=", "+", "-", "*", "/", "^", "<", ">")
_SUPERSCRIPT = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8",
    "⁹": "9", "⁺": "+", "⁻": "-", "⁽": "(", "⁾": ")", "ⁿ": "n", "ˣ": "x", "ʸ": "y", "ᶻ": "z",
    "ⁱ": "i", "ᵏ": "k", "ᵃ": "a", "ᵇ": "b",
}
_SUBSCRIPT_DIGITS = {chr(0x2080 + i): str(i) for i in range(10)}
_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅕": 0.2, "⅒": 0.1}
_GREEK_SPECIAL = {
    "λ": "lambda_", "σ": "sigmoid", "π": "pi", "ε": "epsilon", "ϵ": "epsilon", "Φ": "Phi",
    "φ": "phi", "ϕ": "phi", "µ": "mu", "ς": "sigma",
}
_QUOTES = "\"'`“”‘’«»"
_BRACKETS = "[]{}"
_MESSAGES = {
    "=": "'=' is not allowed: write == to compare (a leading 'y =' or 'dL/dz =' is fine, nothing else before '=')",
    "%": "'%' (remainder) is not supported",
    "&": "write 'and' instead of '&'",
    "!": "write 'not' (or != for 'not equal')",
    "~": "'~' is not supported: write 'not' or -",
    "@": "'@' (matrix product) is not supported",
    "#": "comments are not allowed in a formula",
    ";": "only one formula is allowed (no ';')",
    ":": "':' is not part of formulas (lambdas and slices are not allowed)",
    "\\": "'\\' is not part of formulas",
    "$": "'$' is not part of formulas",
}


def _greek_name(ch: str) -> str | None:
    if ch in _GREEK_SPECIAL:
        return _GREEK_SPECIAL[ch]
    try:
        uname = unicodedata.name(ch)
    except ValueError:
        return None
    if uname.startswith("GREEK SMALL LETTER ") and " " not in uname[19:]:
        return uname[19:].lower()
    if uname.startswith("GREEK CAPITAL LETTER ") and " " not in uname[21:]:
        return uname[21:].capitalize()
    return None


def _is_ident_start(ch: str) -> bool:
    return ch.isascii() and (ch.isalpha() or ch == "_")


def _is_ident_char(ch: str) -> bool:
    return (ch.isascii() and (ch.isalnum() or ch == "_")) or ch in _SUBSCRIPT_DIGITS


def _scan_number(text: str, i: int) -> int:
    """Index just past the number starting at ``i`` (digits, one '.', an exponent)."""
    n = len(text)
    j = i
    while j < n and text[j].isascii() and text[j].isdigit():
        j += 1
    if j < n and text[j] == ".":
        j += 1
        while j < n and text[j].isascii() and text[j].isdigit():
            j += 1
    if j < n and text[j] in "eE":
        k = j + 1
        if k < n and text[k] in "+-":
            k += 1
        if k < n and text[k].isascii() and text[k].isdigit():
            while k < n and text[k].isascii() and text[k].isdigit():
                k += 1
            j = k
    return j


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise ExprError(f"a formula must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"the formula is too long ({len(text):,} characters; the limit is "
                        f"{MAX_LENGTH:,})", MAX_LENGTH + 1)
    if not text.strip():
        raise ExprError("the formula is empty", 1)
    return text


_UPDATE_OPS = "+-*/^"


def _is_leibniz(s: str) -> bool:
    """Whether ``s`` is a derivative in Leibniz notation: ``dL/dz``, ``∂L/∂W1``, ``dσ / dz``."""
    top, slash, bottom = s.partition("/")
    if not slash:
        return False

    def differential(part: str) -> bool:
        part = part.strip()
        name = part[1:].lstrip() if part[:1] in ("d", "∂") else ""
        return bool(name) and (name[0].isalpha() or name[0] == "_") and all(c.isalnum() or c == "_" for c in name)

    return differential(top) and differential(bottom)


def _is_lhs(s: str) -> bool:
    """Whether ``s`` is what may stand before '=' and be dropped: ``y``, ``W_new``, ``ŷ``, ``f'``,
    ``σ′(z)``, ``L(W, b)`` (a name, primes, one flat argument list), or a derivative ``dL/dz``,
    ``∂L/∂z``. One linear scan (a regex with several optional blanks backtracks for seconds on 2,000
    spaces)."""
    if _is_leibniz(s):
        return True
    n = len(s)
    i = 0

    def blanks(i: int) -> int:
        while i < n and s[i].isspace():
            i += 1
        return i

    i = blanks(i)
    if i == n or not (s[i].isalpha() or s[i] == "_"):
        return False
    while i < n and (s[i].isalnum() or s[i] == "_"):
        i += 1
    i = blanks(i)
    while i < n and s[i] in "'′’":
        i += 1
    i = blanks(i)
    if i < n and s[i] == "(":
        close = s.find(")", i)
        if close < 0 or "(" in s[i + 1:close]:
            return False
        i = close + 1
    return blanks(i) == n


def strip_assignment(text: str) -> str:
    """``text`` with a leading ``NAME =`` (also ``NAME'``, ``NAME(args)``) replaced by spaces, so
    columns still match the original; unchanged when there is none. ``W -= x`` raises."""
    i = text.find("=")
    if i < 0 or text.startswith("=", i + 1) or (i > 0 and text[i - 1] in "<>!:"):
        return text
    j = i
    while j > 0 and text[j - 1] in _UPDATE_OPS:
        j -= 1
    lhs = text[:j]
    if not _is_lhs(lhs):
        return text
    rhs = text[i + 1:]
    if j < i:  # W -= lr*dW
        op = text[j:i].replace("^", "**")
        value = " ".join(rhs.split())
        if op != "+" and any(c in value for c in "+-<>=!≤≥≠−") or op in ("**", "/") and "*" in value:
            value = f"({value})"
        if len(value) > 40:
            value = value[:39] + "…"
        raise ExprError(f"'{text[j:i]}=' updates a variable in code; type the new value instead: "
                        f"write {lhs.strip()} {op} {value}", j + 1)
    if not rhs.strip():
        raise ExprError("write the formula after '='", len(text) + 1)
    return " " * (i + 1) + rhs


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` ending with an ``end`` token; raises :class:`ExprError` with a column."""
    text = strip_assignment(_check_text(text))
    tokens = _lex(text, 0, len(text), top=True)
    return tokens


_OPERAND_END = frozenset({"num", "name", ")", "|)", "sup"})


def _lex(text: str, start: int, stop: int, *, top: bool) -> list[Token]:
    out: list[Token] = []
    opens: list[tuple[str, int, bool]] = []  # unclosed '(' and '|': (kind, column, after an operand)
    i = start

    def add(kind: str, j: int, value: object = None) -> None:
        if len(out) >= MAX_TOKENS:
            raise ExprError(f"the formula is too long (more than {MAX_TOKENS} tokens)", i + 1)
        out.append(Token(kind, text[i:j], i + 1, j + 1, value))

    while i < stop:
        ch = text[i]
        col = i + 1
        if ch.isspace():
            i += 1
            continue
        if ch == "." and out and out[-1].end == col and out[-1].kind in ("name", ")", "num"):
            if out[-1].kind == "num":
                raise ExprError("a number can have only one '.'", col)
            raise ExprError("attribute access (a.b) is not allowed", col)
        if ch.isascii() and ch.isdigit() or (ch == "." and i + 1 < stop and text[i + 1].isascii() and text[i + 1].isdigit()):
            j = _scan_number(text, i)
            add("num", j, float(text[i:j]))
        elif _is_ident_start(ch):
            j = i + 1
            while j < stop and _is_ident_char(text[j]):
                j += 1
            word = "".join(_SUBSCRIPT_DIGITS.get(c, c) for c in text[i:j])
            if word.startswith("__"):
                raise ExprError(f"names starting with '__' are not allowed ({word!r})", col)
            if word in KEYWORDS:
                add("kw", j, word)
            elif word in _REFUSED_KEYWORDS or keyword.iskeyword(word):
                raise ExprError(_REFUSED_KEYWORDS.get(word, f"'{word}' is not part of formulas"), col)
            else:
                add("name", j, word)
        elif ch == "(":
            if len(opens) >= MAX_PAREN_DEPTH:
                raise ExprError(f"too many nested parentheses (the limit is {MAX_PAREN_DEPTH})", col)
            opens.append(("(", col, False))
            add("(", i + 1)
        elif ch == ")":
            if not opens:
                raise ExprError("this ')' has no matching '('", col)
            if opens[-1][0] == "|":
                raise ExprError(f"the '|' at column {opens[-1][1]} must be closed before this ')'", col)
            opens.pop()
            add(")", i + 1)
        elif ch == "|":
            after_operand = bool(out) and out[-1].kind in _OPERAND_END
            if after_operand and opens and opens[-1][0] == "|":
                opens.pop()
                add("|)", i + 1)
            else:
                if after_operand and text.startswith("|", i + 1):
                    raise ExprError("write 'or' instead of '||'", col)
                if len(opens) >= MAX_PAREN_DEPTH:
                    raise ExprError(f"too many nested parentheses and |…| (the limit is "
                                    f"{MAX_PAREN_DEPTH})", col)
                opens.append(("|", col, after_operand))
                add("|(", i + 1)
        elif ch == ",":
            add(",", i + 1)
        elif ch in _SUPERSCRIPT:
            j = i
            while j < stop and text[j] in _SUPERSCRIPT:
                j += 1
            sub_text = "".join(_SUPERSCRIPT[c] for c in text[i:j])
            # the exponent's characters map one-to-one, so its columns are the original ones
            sub = _lex(" " * i + sub_text, i, j, top=False)
            add("sup", j, tuple(sub))
        elif ch == "√":
            add("sqrt", i + 1, "sqrt")
        elif ch in _UNICODE_OPS:
            add("op", i + 1, _UNICODE_OPS[ch])
        elif ch in _UNICODE_KW:
            add("kw", i + 1, _UNICODE_KW[ch])
        elif ch in _FRACTIONS:
            add("num", i + 1, _FRACTIONS[ch])
        elif (greek := _greek_name(ch)) is not None:
            add("name", i + 1, greek)
        elif ch == ".":
            raise ExprError("unexpected '.' (only allowed inside a number like 0.5)", col)
        else:
            op = next((o for o in _ASCII_OPS if text.startswith(o, i)), None)
            if op is not None:
                add("op", i + len(op), "**" if op == "^" else op)
                i += len(op)
                continue
            raise ExprError(_describe_bad_char(ch), col)
        i = out[-1].end - 1
    if opens:
        kind, col, after_operand = opens[-1]
        if kind == "(":
            raise ExprError("this '(' is never closed", col)
        if after_operand:
            raise ExprError("unmatched '|': write |x| (or abs(x)) for an absolute value and 'or' for "
                            "a logical or", col)
        raise ExprError("this '|' is never closed: write |x| for the absolute value of x", col)
    if top:
        out.append(Token("end", "", stop + 1, stop + 1))
    return out


def _describe_bad_char(ch: str) -> str:
    if ch == "\x00":
        return "NUL bytes are not allowed"
    if ch in _QUOTES:
        return "quotes and strings are not allowed in a formula"
    if ch in _BRACKETS:
        return "square brackets and braces are not allowed: use ( ) for grouping (no indexing)"
    if ch in _MESSAGES:
        return _MESSAGES[ch]
    if unicodedata.category(ch).startswith("C"):
        return f"control character U+{ord(ch):04X} is not allowed"
    return f"unexpected character {ch!r}"
