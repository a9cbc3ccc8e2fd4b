"""The constructs of :mod:`latex`: LaTeX tokens → pieces of formula-language text, each with the
column it came from and what it is (a name, a number, an opening bracket …), so that
``latex`` can then write the multiplications LaTeX leaves implicit."""

from __future__ import annotations

import unicodedata

from quizapp.core.formula.nodes import MAX_PAREN_DEPTH, ExprError

__all__ = ["Converter", "Piece", "strip_delimiters", "tokens"]


_VARIANTS = {"varepsilon": "ε", "epsilon": "ε", "vartheta": "θ", "varphi": "φ", "phi": "φ", "varsigma": "ς",
             "varrho": "ρ", "varpi": "π", "omicron": "ο", "Omicron": "Ο"}
_OPERATORS = {
    "cdot": "*", "times": "*", "ast": "*", "div": "/", "le": "<=", "leq": "<=", "leqslant": "<=", "ge": ">=",
    "geq": ">=", "geqslant": ">=", "ne": "!=", "neq": "!=", "lt": "<", "gt": ">", "land": " and ",
    "wedge": " and ", "lor": " or ", "vee": " or ", "neg": " not ", "lnot": " not ",
}
_FUNCTIONS = frozenset(
    "exp log ln sin cos tan sinh cosh tanh sech max min sgn sign erf relu sigmoid softplus".split()
)
_TEXT_STYLES = frozenset(
    "operatorname mathrm text textrm textit textbf mathit mathsf mathtt mbox mathbf boldsymbol bm".split()
)
_SPACING = frozenset({",", ";", ":", "!", "quad", "qquad", "enspace", "thinspace"})
_IGNORED = frozenset(
    "left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr displaystyle textstyle "
    "limits nolimits".split()
)
_KEYWORDS = frozenset({"if", "else", "and", "or", "not"})
_BARS = frozenset({"vert", "lvert", "rvert", "mid", "|"})


def _greek(name: str) -> str | None:
    if name in _VARIANTS:
        return _VARIANTS[name]
    case = "CAPITAL" if name[:1].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return None


class _Tok:
    __slots__ = ("kind", "text", "col")

    def __init__(self, kind: str, text: str, col: int) -> None:
        self.kind, self.text, self.col = kind, text, col  # kind: cmd { } ^ _ sp ch


def tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            j = i + 1
            if text[j].isascii() and text[j].isalpha():
                while j < n and text[j].isascii() and text[j].isalpha():
                    j += 1
            else:
                j += 1
            out.append(_Tok("cmd", text[i + 1 : j], i + 1))
            if text[j - 1].isalpha():  # a command's name ends at the first non-letter; spaces after it go
                while j < n and text[j].isspace():
                    j += 1
            i = j
            continue
        if ch.isspace():
            if not out or out[-1].kind != "sp":
                out.append(_Tok("sp", " ", i + 1))
        elif ch in "{}^_":
            out.append(_Tok(ch, ch, i + 1))
        elif ch != "$":
            out.append(_Tok("ch", ch, i + 1))
        i += 1
    return out


def strip_delimiters(toks: list[_Tok]) -> list[_Tok]:
    """Without ``\\(…\\)`` / ``\\[…\\]`` around the whole formula (``$`` never reaches here)."""
    solid = [t for t in toks if t.kind != "sp"]
    if (len(solid) >= 2 and solid[0].kind == solid[-1].kind == "cmd"
            and (solid[0].text, solid[-1].text) in (("(", ")"), ("[", "]"))):
        toks = [t for t in toks if t is not solid[0] and t is not solid[-1]]
    return toks


class Piece:
    __slots__ = ("text", "col", "kind")

    def __init__(self, text: str, col: int, kind: str) -> None:
        # kind: num name func prime prefix open gopen callopen close op kw bar sp
        self.text, self.col, self.kind = text, col, kind


class Converter:
    def __init__(self, toks: list[_Tok], end_col: int) -> None:
        self.toks = toks
        self.i = 0
        self.end_col = end_col
        self.out: list[Piece] = []

    def peek(self, skip_space: bool = True) -> _Tok | None:
        j = self.i
        while skip_space and j < len(self.toks) and self.toks[j].kind == "sp":
            j += 1
        return self.toks[j] if j < len(self.toks) else None

    def take(self) -> _Tok:
        while self.toks[self.i].kind == "sp":
            self.i += 1
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def emit(self, text: str, col: int, kind: str) -> None:
        self.out.append(Piece(text, col, kind))

    # -- a sequence until '}' (or the end) ------------------------------------------------
    def sequence(self, depth: int, closer: str | None) -> None:
        while self.i < len(self.toks):
            tok = self.toks[self.i]
            if tok.kind == "}":
                if closer == "}":
                    return
                raise ExprError("this '}' has no matching '{'", tok.col)
            self.atom(depth)
        if closer == "}":
            raise ExprError("a '{' is never closed", self.end_col)

    def group(self, depth: int, what: str, at: int) -> tuple[int, int]:
        """Convert one argument (``{…}`` or a single token); return the range of its pieces."""
        if depth > MAX_PAREN_DEPTH:
            raise ExprError(f"too many nested braces (the limit is {MAX_PAREN_DEPTH})", at)
        tok = self.peek()
        if tok is None or tok.kind == "}":
            raise ExprError(f"{what} needs an argument", at)
        start = len(self.out)
        if tok.kind == "{":
            self.take()
            self.sequence(depth + 1, "}")
            self.take()
        else:
            while self.toks[self.i].kind == "sp":
                self.i += 1
            self.atom(depth + 1, single=True)
        return start, len(self.out)

    def atom(self, depth: int, *, single: bool = False) -> None:
        if depth > MAX_PAREN_DEPTH:
            raise ExprError(f"too many nested braces (the limit is {MAX_PAREN_DEPTH})", self.toks[self.i].col)
        tok = self.toks[self.i]
        self.i += 1
        kind, text, col = tok.kind, tok.text, tok.col
        if kind == "sp":
            self.emit(" ", col, "sp")
        elif kind == "{":
            self.emit("(", col, "gopen")
            self.sequence(depth + 1, "}")
            close = self.take()
            self.emit(")", close.col, "close")
        elif kind in "^_":
            self.script(tok, depth)
        elif kind == "cmd":
            self.command(tok, depth)
        elif text.isdigit() or text == ".":
            self.emit(text + self._run(single, lambda c: c.isdigit() or c == "."), col, "num")
        elif text.isascii() and (text.isalpha() or text == "_"):
            word = text + self._run(single, lambda c: c.isascii() and c.isalnum())
            self.emit(word, col, "kw" if word in _KEYWORDS else "name")
        elif text in "([":
            self.emit("(", col, "open")
        elif text in ")]":
            self.emit(")", col, "close")
        elif text == "|":
            self.emit("|", col, "bar")
        elif text in "'′":
            self.emit(text, col, "prime")
        elif text in "+-*/<>=!,−·×÷≤≥≠":
            self.emit(text, col, "op")
        elif unicodedata.category(text).startswith("L"):
            self.emit(text, col, "name")
        else:
            self.emit(text, col, "op")

    def _run(self, single: bool, fits) -> str:
        """The characters after the current one that continue its number or name (none when
        ``single``: the argument of ^ or _ is one character, as in LaTeX)."""
        j = self.i
        while not single and j < len(self.toks) and self.toks[j].kind == "ch" and fits(self.toks[j].text):
            j += 1
        run = "".join(t.text for t in self.toks[self.i : j])
        self.i = j
        return run

    def script(self, tok: _Tok, depth: int) -> None:
        if tok.kind == "^":
            power_of_call = (prev := self._last_solid()) is not None and prev.kind == "func"
            self.emit("**", tok.col, "op")
            start, _ = self.group(depth, "'^'", tok.col)
            self._wrap(start)  # x^{a+b} → x**(a+b)
            end = len(self.out)
            if power_of_call and end > start:  # \tanh^2(z): the language reads tanh**2(z) as a call
                self.out[end - 1].kind = "power"
            return
        # a subscript joins the name before it: W_{new} → W_new, \sigma_B → sigma_B
        prev = self._last_solid()
        if prev is None or prev.kind not in ("name", "num"):
            raise ExprError("a subscript needs a name before it", tok.col)
        start, end = self.group(depth, "'_'", tok.col)
        label = "".join(p.text for p in self.out[start:end] if p.kind != "sp")
        label = label[1:-1] if label.startswith("(") and label.endswith(")") else label
        if not label or not all(c.isascii() and c.isalnum() for c in label):
            raise ExprError(f"a subscript must be letters and digits (not {label!r}): "
                            "it becomes part of the name, as in W_new", tok.col)
        del self.out[start:end]
        if not prev.text.isascii():  # σ_B: a Greek name spelled out, so the lexer reads one name
            prev.text = _spelled(prev.text)
        prev.text += "_" + label

    def _last_solid(self) -> Piece | None:
        for piece in reversed(self.out):
            if piece.kind != "sp":
                return piece
        return None

    def command(self, tok: _Tok, depth: int) -> None:
        name, col = tok.text, tok.col
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            self.fraction(col, depth)
        elif name == "sqrt":
            self.root(col, depth)
        elif name in _SPACING:
            self.emit(" ", col, "sp")
        elif name in _IGNORED:
            return
        elif name in ("{", "lbrace"):
            self.emit("(", col, "open")
        elif name in ("}", "rbrace"):
            self.emit(")", col, "close")
        elif name in _BARS:
            self.emit("|", col, "bar")
        elif name in _OPERATORS:
            op = _OPERATORS[name]
            self.emit(op, col, "kw" if op.strip().isalpha() else "op")
        elif name == "partial":
            self.emit("∂", col, "prefix")
        elif name == "prime":
            self.emit("'", col, "prime")
        elif name in ("(", ")", "[", "]"):
            self.emit("(" if name in "([" else ")", col, "open" if name in "([" else "close")
        elif name in _TEXT_STYLES:
            start, end = self.group(depth, f"\\{name}", col)
            word = "".join(p.text for p in self.out[start:end] if p.kind != "sp")
            word = word[1:-1] if word.startswith("(") and word.endswith(")") else word
            del self.out[start:end]
            kind = "func" if name == "operatorname" or word.lower() in _FUNCTIONS else "name"
            kind = "kw" if word in _KEYWORDS else kind
            self.emit(word, col, kind)
            if kind == "func":
                self.argument(col, depth)
        elif name in _FUNCTIONS:
            self.emit(name, col, "func")
            self.argument(col, depth)
        elif (letter := _greek(name)) is not None:
            self.emit(letter, col, "name")
        elif name == "\\":
            raise ExprError("only one formula is allowed (no line break '\\\\')", col)
        else:
            raise ExprError(f"'\\{name}' is not part of formulas", col)

    def argument(self, col: int, depth: int) -> None:
        """After a function name: ``\\log x`` is log(x); ``\\log(x)``, ``\\tanh^2(z)`` stay as written."""
        nxt = self.peek()
        if nxt is None or nxt.kind in ("^", "_") or (nxt.kind == "ch" and nxt.text in "(["):
            return
        if nxt.kind == "cmd" and nxt.text in ("left", "big", "Big", "bigl", "Bigl", "(", "["):
            return
        if nxt.kind == "}" or (nxt.kind == "ch" and not (nxt.text.isalnum() or nxt.text == ".")):
            return
        self.emit("(", col, "callopen")
        self.group(depth, "the function", col)
        self.emit(")", col, "close")

    def fraction(self, col: int, depth: int) -> None:
        before = self._last_solid()
        outer = before is not None and before.text in ("/", "**")
        self.emit("(", col, "gopen")
        top = len(self.out)
        self.group(depth, "\\frac", col)
        self._wrap(top)
        self.emit("/", col, "op")
        bottom = len(self.out)
        self.group(depth, "\\frac", col)
        self._wrap(bottom)
        if not outer and _ends_term(self.peek()) and self._simple(top, len(self.out)):
            del self.out[top - 1]  # ∂L/∂z stays ∂L/∂z, so 'dL/dz =' before an answer is still dropped
            return
        self.emit(")", col, "close")

    def _simple(self, start: int, end: int) -> bool:
        return all(p.kind in ("name", "num", "prefix", "op", "sp") and (p.kind != "op" or p.text == "/")
                   for p in self.out[start:end])

    def _wrap(self, start: int) -> None:
        solid = [p for p in self.out[start:] if p.kind != "sp"]
        if len(solid) <= 1 or (len(solid) == 2 and solid[0].kind == "prefix"):
            return
        if solid[0].kind == "gopen" and solid[-1].kind == "close" and _balanced(solid):
            return
        col = solid[0].col
        self.out.insert(start, Piece("(", col, "gopen"))
        self.emit(")", solid[-1].col, "close")

    def root(self, col: int, depth: int) -> None:
        index = None
        nxt = self.peek()
        if nxt is not None and nxt.kind == "ch" and nxt.text == "[":
            self.take()
            start = len(self.out)
            while self.peek() is not None and not (self.peek().kind == "ch" and self.peek().text == "]"):
                self.atom(depth + 1)
            if self.peek() is None:
                raise ExprError("the '[' of \\sqrt[n] is never closed", col)
            self.take()
            index = self.out[start:]
            del self.out[start:]
        if index is None:
            self.emit("sqrt", col, "func")
            self.emit("(", col, "callopen")
            self.group(depth, "\\sqrt", col)
            self.emit(")", col, "close")
            return
        self.emit("(", col, "gopen")
        self.emit("(", col, "gopen")
        self.group(depth, "\\sqrt", col)
        self.emit(")**(1/(", col, "op")
        self.out += index
        self.emit("))", col, "close")
        self.emit(")", col, "close")


def _ends_term(tok: _Tok | None) -> bool:
    """Whether what follows a fraction lets it go without brackets (an operator, a closer, the end)."""
    if tok is None or tok.kind == "}":
        return True
    if tok.kind == "ch":
        return tok.text in "+-*/=<>,)]|−·×÷≤≥≠!"
    return tok.kind == "cmd" and (tok.text in _OPERATORS or tok.text in ("right", ")", "]") or tok.text in _BARS)


def _balanced(pieces: list[Piece]) -> bool:
    """Whether the first '(' of ``pieces`` closes at their last piece."""
    depth = 0
    for k, p in enumerate(pieces):
        depth += p.text.count("(") - p.text.count(")")
        if depth == 0 and k < len(pieces) - 1:
            return False
    return depth == 0


def _spelled(letter: str) -> str:
    try:
        name = unicodedata.name(letter)
    except ValueError:
        return letter
    for prefix, fix in (("GREEK SMALL LETTER ", str.lower), ("GREEK CAPITAL LETTER ", str.capitalize)):
        if name.startswith(prefix):
            return fix(name[len(prefix):])
    return letter
