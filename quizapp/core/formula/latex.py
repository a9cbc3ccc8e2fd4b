"""LaTeX typed as a formula, rewritten into the formula language before the lexer reads it.

A learner may answer a drill as they would write it in a notebook: ``\\sigma(z)(1-\\sigma(z))``,
``\\frac{1}{1+e^{-z}}``, ``\\max(0, z)``, ``$\\alpha z$``. :func:`latex_formula` turns that into
``σ(z)*(1-σ(z))``, ``1/(1+e**(-z))``, ``max(0, z)``, ``α*z`` — text :mod:`lexer` reads — with,
for every character, the column it came from, so an error still points into what was typed.

What it reads: ``\\frac`` (and d/t/cfrac), ``\\sqrt[n]{…}``, ``^``, ``_`` (a subscript joins the
name: ``W_{new}`` → ``W_new``), ``{…}`` and ``[…]`` as grouping, ``\\left``/``\\right``/``\\big``,
Greek letters, ``\\cdot \\times \\div \\le \\ge \\ne \\land \\lor \\neg``, function names (``\\exp
\\log \\ln \\tanh \\max …``, ``\\operatorname{…}``, ``\\mathrm{…}``, ``\\text{…}``; ``\\log x`` is
``log(x)``), styles (``\\mathbf{W}`` is ``W``), spacing commands, and ``$``/``\\(``/``\\[`` around it.

Juxtaposition is multiplication, as in LaTeX: ``2z``, ``\\alpha z``, ``(a+b)(a-b)``,
``\\sigma(z)(1-\\sigma(z))``, ``\\frac{1}{2}x``. A name right before ``(`` is a call (``f(x)``,
``\\sigma(z)``), so ``z(1-z)`` still gets the language's own "write z*(…)" hint. Formulas without a
backslash, ``$`` or ``{`` never come here: the plain language is unchanged (``2z`` is refused there).
Nothing is evaluated; a command the language has no meaning for is a located :class:`ExprError`.
"""

from __future__ import annotations

from quizapp.core.formula.latex_convert import Converter, Piece, strip_delimiters, tokens
from quizapp.core.formula.nodes import MAX_LENGTH

__all__ = ["latex_formula", "looks_like_latex", "source_col"]


def looks_like_latex(text: str) -> bool:
    return isinstance(text, str) and ("\\" in text or "$" in text or "{" in text) and len(text) <= MAX_LENGTH


_OPERAND_END = frozenset({"num", "name", "prime", "close"})
_OPERAND_START = frozenset({"num", "name", "func", "prefix", "open", "gopen"})


def _multiply(pieces: list[Piece]) -> list[Piece]:
    """Explicit ``*`` where LaTeX multiplies by juxtaposition (see the module docstring)."""
    out: list[Piece] = []
    last: Piece | None = None
    for piece in pieces:
        if piece.kind != "sp" and last is not None and last.kind in _OPERAND_END and piece.kind in _OPERAND_START:
            call = last.kind in ("name", "prime") and piece.kind == "open"
            numbers = last.kind == "num" and piece.kind == "num"
            if not call and not numbers:
                out.append(Piece("*", piece.col, "op"))
        out.append(piece)
        if piece.kind != "sp":
            last = piece
    return out


def latex_formula(text: str) -> tuple[str, list[int]]:
    """(formula-language text, 1-based source column of each of its characters)."""
    toks = strip_delimiters(tokens(text))
    converter = Converter(toks, len(text) + 1)
    converter.sequence(0, None)
    pieces = _multiply(converter.out)
    out: list[str] = []
    cols: list[int] = []
    for piece in pieces:
        out.append(piece.text)
        cols += [piece.col] * len(piece.text)
    return "".join(out), cols


def source_col(cols: list[int], col: int | None, length: int) -> int | None:
    """The column in the typed text of column ``col`` of the rewritten one."""
    if col is None:
        return None
    if 1 <= col <= len(cols):
        return cols[col - 1]
    return length + 1
