"""The drawing tree LaTeX maths is read into (:mod:`latex_tree`) and drawn from (:mod:`latex_linear`,
:mod:`latex_layout`): symbols, rows, scripts, fractions, roots, accents, delimiters and tables."""

from __future__ import annotations


class LatexError(ValueError):
    """Maths that cannot be read; the message says why, in a few words."""


class Sym:
    """A run of text. ``kind``: ord, num, op, rel, punct, open, close, space, word, big."""

    __slots__ = ("text", "kind")

    def __init__(self, text: str, kind: str = "ord") -> None:
        self.text, self.kind = text, kind


class Row:
    __slots__ = ("items",)

    def __init__(self, items: list) -> None:
        self.items = items


class Script:
    __slots__ = ("base", "sub", "sup")

    def __init__(self, base, sub: Row | None = None, sup: Row | None = None) -> None:
        self.base, self.sub, self.sup = base, sub, sup


class Frac:
    __slots__ = ("num", "den")

    def __init__(self, num: Row, den: Row) -> None:
        self.num, self.den = num, den


class Sqrt:
    __slots__ = ("body", "index")

    def __init__(self, body: Row, index: Row | None) -> None:
        self.body, self.index = body, index


class Accent:
    __slots__ = ("body", "mark")

    def __init__(self, body: Row, mark: str) -> None:
        self.body, self.mark = body, mark


class Delim:
    """``\\left( … \\right)``: delimiters that grow with what they hold in a 2-D layout."""

    __slots__ = ("left", "body", "right")

    def __init__(self, left: str, body: Row, right: str) -> None:
        self.left, self.body, self.right = left, body, right


class Table:
    """Rows of cells: a matrix (``kind`` "matrix", with brackets), ``cases`` or aligned ``rows``."""

    __slots__ = ("rows", "kind", "left", "right")

    def __init__(self, rows: list[list[Row]], kind: str, left: str = "", right: str = "") -> None:
        self.rows, self.kind, self.left, self.right = rows, kind, left, right


class Marker:
    """``^`` ``_`` ``&`` ``\\\\`` ``\\left`` ``\\right``: paired up after a row is read."""

    __slots__ = ("what",)

    def __init__(self, what: str) -> None:
        self.what = what


OPENING = frozenset("lVert lvert langle lceil lfloor lbrace {".split())
CLOSING = frozenset("rVert rvert rangle rceil rfloor rbrace }".split())
OPS = {"+": "+", "-": "−", "*": "∗", "/": "/"}
RELS = set("=<>:")
PUNCT = set(",;.!?")


def char_kind(ch: str) -> str:
    if ch in "+−-/∗*·×÷±∓⊙⊗⊕∘∧∨":
        return "op"
    if ch in RELS or ch in "≤≥≠≈≡∼≃∝→←↔⇒⇔⟹⟺↦∈∉⊂⊆⊃⊇≔≜":
        return "rel"
    if ch in PUNCT:
        return "punct"
    if ch in "([⟨⌈⌊{":
        return "open"
    if ch in ")]⟩⌉⌋}":
        return "close"
    return "ord"
