"""Safe formulas as people type them: parse, evaluate over NumPy arrays, print canonically.

    >>> e = parse("max(α·z, z)")
    >>> sorted(e.names), to_text(e)
    (['alpha', 'z'], 'max(alpha*z, z)')
    >>> float(evaluate(e, {"z": -2.0, "alpha": 0.01}))
    -0.02

The language: numbers (``0.01``, ``1e-3``), ``+ - * / ** ^``, unary minus, parentheses, comparisons
(chained), ``and``/``or``/``not``, ``A if C else B``, the functions in
:mod:`quizapp.core.formula.functions` (exp, log/ln, sqrt, abs, max/min, where, sign, erf, Phi and every
elementwise activation in the registry), constants ``pi`` and ``e``. Unicode from notes is read as
typed: ``α β γ …`` are names (``λ`` is ``lambda_``), ``σ`` is sigmoid, ``× · ÷ − ≤ ≥ ≠``, superscripts
(``z²``, ``e⁻ᶻ``, ``tanh²(z)``) and ``√x``. Implicit multiplication (``2z``, ``αz``, ``z(z+1)``) is
refused with a hint.

Safety is structural: a hand-written tokenizer and Pratt parser build a closed set of node kinds; no
``eval``/``exec``/``compile``/``ast``. Length, tokens, parenthesis depth, node count and tree depth
are limited before anything deep happens; arithmetic is float64, so nothing grows without bound.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from quizapp.core.formula.evaluate import (
    DEFAULT_TIMEOUT,
    evaluate_tree,
    free_names,
    function_names,
    kink_points,
    lenient_calls,
    node_count,
    to_text_tree,
)
from quizapp.core.formula.functions import CONSTANTS, FUNCTIONS, resolve_call
from quizapp.core.formula.latex import latex_formula, looks_like_latex, source_col
from quizapp.core.formula.nodes import ExprError, Node
from quizapp.core.formula.parser import parse_tree

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "Expr",
    "ExprError",
    "check_names",
    "evaluate",
    "parse",
    "to_text",
]


@dataclass(frozen=True)
class Expr:
    """A parsed formula. ``names``: free variables; ``functions``: canonical names of calls."""

    root: Node
    text: str
    name_cols: Mapping[str, int] = field(repr=False)
    functions: frozenset[str]
    size: int
    called: Mapping[str, int] = field(default_factory=dict, repr=False)  # leniently read call names


    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.name_cols)

    def kinks(self, constants: Mapping[str, float] | None = None) -> dict[str, tuple[float, ...]]:
        """Candidate kink locations per variable (see :func:`expr_eval.kink_points`)."""
        return kink_points(self.root, constants)

    def evaluate(self, env: Mapping[str, object], *, timeout: float = DEFAULT_TIMEOUT) -> np.ndarray:
        return evaluate(self, env, timeout=timeout)

    def to_text(self) -> str:
        return to_text_tree(self.root)

    def __str__(self) -> str:
        return self.to_text()


def parse(text: str) -> Expr:
    """Parse ``text``; raises :class:`ExprError` with a 1-based column on any problem. LaTeX
    (``\\frac{1}{1+e^{-z}}``) is rewritten into the language first (:mod:`latex`); columns
    stay those of ``text``."""
    if not looks_like_latex(text):
        root = parse_tree(text)
        return Expr(root, text, free_names(root), function_names(root), node_count(root),
                    lenient_calls(root))
    formula, cols = latex_formula(text)
    try:
        root = parse_tree(formula)
    except ExprError as error:
        error.col = source_col(cols, error.col, len(text))
        raise
    names = {name: source_col(cols, col, len(text)) for name, col in free_names(root).items()}
    called = {name: source_col(cols, col, len(text)) for name, col in lenient_calls(root).items()}
    return Expr(root, text, names, function_names(root), node_count(root), called)


def evaluate(expr: Expr | str, env: Mapping[str, object], *,
             timeout: float = DEFAULT_TIMEOUT) -> np.ndarray:
    """Value of ``expr`` with ``env`` (name → float or array), as a float64 array of the env's
    broadcast shape (0-d when every value is a number). Never raises for maths domain problems —
    those give ``nan``/``inf`` — only :class:`ExprError` for a missing name or too much work."""
    if isinstance(expr, str):
        expr = parse(expr)
    return evaluate_tree(expr.root, env, timeout=timeout, nodes=expr.size)


def to_text(expr: Expr | Node) -> str:
    """Canonical text that parses back to the same tree."""
    return to_text_tree(expr.root if isinstance(expr, Expr) else expr)


def check_names(expr: Expr, known: Iterable[str], *, what: str = "name") -> None:
    """Raise a located :class:`ExprError` for the first free name of ``expr`` not in ``known``,
    suggesting the nearest known name (or function)."""
    known = list(known)
    if expr.called:  # sigma(z) is sigmoid, unless this formula has a variable called sigma
        for written, col in expr.called.items():
            if written in known:
                raise ExprError(f"write {written}*(…) — implicit multiplication is not allowed "
                                f"('{written}' is a variable here)", col or None)
    for name, col in sorted(expr.name_cols.items(), key=lambda item: item[1]):
        if name in known:
            continue
        same_letters = [k for k in known if k.lower() == name.lower()]
        close = same_letters or difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        if same_letters:
            hint = f" — did you mean '{close[0]}'? (names are case-sensitive)"
        elif close:
            hint = f" — did you mean '{close[0]}'?"
        elif resolve_call(name) is not None:
            hint = f" ('{name}' is a function: write {name}(…))"
        elif known:
            hint = f" (known: {', '.join(sorted(known))})"
        else:
            hint = " (this formula should not use any variables)"
        raise ExprError(f"unknown {what} '{name}'{hint}", col or None)
