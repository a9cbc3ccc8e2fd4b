"""Vectorised float64 evaluation, canonical printing and kink finding for formula trees.

Evaluation dispatches on the node's type through a fixed table (no other node kind can run), works on
NumPy arrays under ``np.errstate(all="ignore")`` (so ``9**9**9**9`` is ``inf`` and ``log(-1)`` is
``nan``), refuses work beyond ``MAX_WORK`` (nodes × points) up front and checks a deadline per node.
Truth values are floats: comparisons and ``and``/``or``/``not`` give 1.0 or 0.0, nonzero is true,
and a NaN condition gives NaN.
"""

from __future__ import annotations

import math
import operator
import time
from collections.abc import Mapping

import numpy as np

from quizapp.core.formula.functions import CONSTANTS, FUNCTIONS, KINK_AT_ZERO, resolve
from quizapp.core.formula.nodes import (
    BinOp,
    BoolOp,
    Call,
    Compare,
    Const,
    ExprError,
    IfElse,
    Node,
    Num,
    Unary,
    Var,
    children,
)

__all__ = ["MAX_WORK", "evaluate_tree", "free_names", "function_names", "kink_points",
           "lenient_calls", "node_count", "to_text_tree"]

MAX_WORK = 20_000_000  # nodes × points
DEFAULT_TIMEOUT = 2.0  # seconds

Array = np.ndarray
_BIN = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power}
_CMP = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
        "==": np.equal, "!=": np.not_equal}


def walk(node: Node):
    """Every node, parents first (iterative: safe for any depth)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(children(n)))


def node_count(node: Node) -> int:
    return sum(1 for _ in walk(node))


def free_names(node: Node) -> dict[str, int]:
    """Free variable → column of its first occurrence (source order)."""
    out: dict[str, int] = {}
    for n in walk(node):
        if isinstance(n, Var) and n.name not in out:
            out[n.name] = n.col
    return out


def function_names(node: Node) -> frozenset[str]:
    return frozenset(n.func for n in walk(node) if isinstance(n, Call))


def lenient_calls(node: Node) -> dict[str, int]:
    """Call names as typed that are not exact function names (``sigma``, ``ReLU``) → first column;
    a formula with a *variable* of that name meant a product (see :func:`expr.check_names`)."""
    out: dict[str, int] = {}
    for n in walk(node):
        if (isinstance(n, Call) and n.written and n.written != "|" and n.written not in out
                and resolve(n.written) is None):
            out[n.written] = n.col
    return out


# --- evaluation ----------------------------------------------------------------------------

def _nan_where(result: Array, *sources: Array) -> Array:
    mask = np.zeros(np.shape(result), dtype=bool)
    for s in sources:
        mask = mask | np.isnan(s)
    return np.where(mask, np.nan, result) if np.any(mask) else result


class _Evaluator:
    def __init__(self, env: Mapping[str, Array], deadline: float) -> None:
        self.env = env
        self.deadline = deadline

    def run(self, node: Node) -> Array:
        if time.monotonic() > self.deadline:
            raise ExprError("the formula took too long to evaluate", node.col or None)
        method = _DISPATCH.get(type(node))
        if method is None:  # only the whitelisted node kinds can run
            raise ExprError(f"cannot evaluate a {type(node).__name__}")
        return method(self, node)

    def num(self, node: Num) -> Array:
        return np.float64(node.value)

    def const(self, node: Const) -> Array:
        return np.float64(CONSTANTS[node.name])

    def var(self, node: Var) -> Array:
        try:
            return self.env[node.name]
        except KeyError:
            raise ExprError(f"no value given for '{node.name}'", node.col or None) from None

    def unary(self, node: Unary) -> Array:
        x = self.run(node.operand)
        if node.op == "-":
            return np.negative(x)
        if node.op == "+":
            return x
        return _nan_where((x == 0).astype(np.float64), x)  # not

    def binop(self, node: BinOp) -> Array:
        return _BIN[node.op](self.run(node.left), self.run(node.right))

    def compare(self, node: Compare) -> Array:
        values = [self.run(o) for o in node.operands]
        result = np.bool_(True)
        for op, a, b in zip(node.ops, values, values[1:]):
            result = result & _CMP[op](a, b)
        return np.asarray(result, dtype=np.float64)

    def boolop(self, node: BoolOp) -> Array:
        values = [self.run(v) for v in node.values]
        combine = operator.and_ if node.op == "and" else operator.or_
        result = values[0] != 0
        for v in values[1:]:
            result = combine(result, v != 0)
        return _nan_where(np.asarray(result, dtype=np.float64), *values)

    def ifelse(self, node: IfElse) -> Array:
        cond = self.run(node.cond)
        return _nan_where(np.where(cond != 0, self.run(node.then), self.run(node.other)), cond)

    def call(self, node: Call) -> Array:
        args = [self.run(a) for a in node.args]
        return FUNCTIONS[node.func].impl(*args)


_DISPATCH = {Num: _Evaluator.num, Const: _Evaluator.const, Var: _Evaluator.var,
             Unary: _Evaluator.unary, BinOp: _Evaluator.binop, Compare: _Evaluator.compare,
             BoolOp: _Evaluator.boolop, IfElse: _Evaluator.ifelse, Call: _Evaluator.call}


def evaluate_tree(root: Node, env: Mapping[str, object], *, timeout: float = DEFAULT_TIMEOUT,
                  nodes: int | None = None) -> Array:
    """Value of ``root`` with ``env`` (name → number or array), broadcast to the env's shape."""
    arrays = {k: np.asarray(v, dtype=np.float64) for k, v in env.items()}
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError as error:
        raise ExprError(f"the values given do not have compatible shapes ({error})") from None
    size = math.prod(shape)
    work = (nodes if nodes is not None else node_count(root)) * max(size, 1)
    if work > MAX_WORK:
        raise ExprError(f"too much work: {size:,} points for this formula (limit {MAX_WORK:,} "
                        "nodes × points)")
    with np.errstate(all="ignore"):
        result = _Evaluator(arrays, time.monotonic() + timeout).run(root)
        return np.array(np.broadcast_to(np.asarray(result, dtype=np.float64), shape))


# --- printing ------------------------------------------------------------------------------

_PREC_BIN = {"+": 6, "-": 6, "*": 7, "/": 7, "**": 9}
_ATOM = 10


def _prec(node: Node) -> int:
    if isinstance(node, IfElse):
        return 1
    if isinstance(node, BoolOp):
        return 2 if node.op == "or" else 3
    if isinstance(node, Unary):
        return 4 if node.op == "not" else 8
    if isinstance(node, Compare):
        return 5
    if isinstance(node, BinOp):
        return _PREC_BIN[node.op]
    if isinstance(node, Num) and (node.value < 0 or math.copysign(1.0, node.value) < 0):
        return 8
    return _ATOM


def _num_text(value: float) -> str:
    if math.isnan(value):
        raise ValueError("NaN has no formula text")
    if math.isinf(value):
        return "1e999" if value > 0 else "-1e999"
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value)) if value != 0 or math.copysign(1.0, value) > 0 else "-0"
    return repr(float(value))


def to_text_tree(node: Node) -> str:
    """Canonical text: minimal parentheses, ``*``/``/``/``**`` tight, other operators spaced."""
    def wrap(child: Node, need: bool) -> str:
        text = to_text_tree(child)
        return f"({text})" if need else text

    if isinstance(node, Num):
        return _num_text(node.value)
    if isinstance(node, (Var, Const)):
        return node.name
    if isinstance(node, Call):
        return f"{node.func}({', '.join(to_text_tree(a) for a in node.args)})"
    p = _prec(node)
    if isinstance(node, Unary):
        if node.op == "not":
            return "not " + wrap(node.operand, _prec(node.operand) < p)
        return node.op + wrap(node.operand, _prec(node.operand) < p)
    if isinstance(node, BinOp):
        if node.op == "**":
            left = wrap(node.left, _prec(node.left) <= p)
            right = wrap(node.right, _prec(node.right) < p)
            return f"{left}**{right}"
        left = wrap(node.left, _prec(node.left) < p)
        right = wrap(node.right, _prec(node.right) <= p)
        sep = f" {node.op} " if node.op in "+-" else node.op
        return f"{left}{sep}{right}"
    if isinstance(node, Compare):
        parts = [wrap(node.operands[0], _prec(node.operands[0]) <= p)]
        for op, operand in zip(node.ops, node.operands[1:]):
            parts.append(f" {op} " + wrap(operand, _prec(operand) <= p))
        return "".join(parts)
    if isinstance(node, BoolOp):
        return f" {node.op} ".join(wrap(v, _prec(v) <= p) for v in node.values)
    if isinstance(node, IfElse):
        return (f"{wrap(node.then, _prec(node.then) <= p)} if {wrap(node.cond, _prec(node.cond) <= p)}"
                f" else {to_text_tree(node.other)}")
    raise ExprError(f"cannot print a {type(node).__name__}")


# --- kinks ---------------------------------------------------------------------------------

def _affine(node: Node, constants: Mapping[str, float]) -> tuple[str | None, float, float] | None:
    """``node`` as ``a·var + b`` (var ``None`` for a constant), or ``None`` if it is not affine."""
    if isinstance(node, Num):
        return None, 0.0, node.value
    if isinstance(node, Const):
        return None, 0.0, CONSTANTS[node.name]
    if isinstance(node, Var):
        if node.name in constants:
            return None, 0.0, float(constants[node.name])
        return node.name, 1.0, 0.0
    if isinstance(node, Unary) and node.op in "+-":
        inner = _affine(node.operand, constants)
        if inner is None or node.op == "+":
            return inner
        return inner[0], -inner[1], -inner[2]
    if isinstance(node, BinOp):
        left, right = _affine(node.left, constants), _affine(node.right, constants)
        if left is None or right is None:
            return None
        (lv, la, lb), (rv, ra, rb) = left, right
        if node.op in "+-":
            if lv and rv and lv != rv:
                return None
            sign = 1.0 if node.op == "+" else -1.0
            return lv or rv, la + sign * ra, lb + sign * rb
        if node.op == "*":
            if lv is None:
                return rv, lb * ra, lb * rb
            return (lv, la * rb, lb * rb) if rv is None else None
        if node.op == "/" and rv is None and rb != 0:
            return lv, la / rb, lb / rb
        if node.op == "**" and lv is None and rv is None:
            try:
                return None, 0.0, float(lb ** rb)
            except (OverflowError, ZeroDivisionError, TypeError):
                return None
    return None


def _root(a: Node, b: Node | None, constants: Mapping[str, float], out: dict[str, set[float]]) -> None:
    diff = a if b is None else BinOp("-", a, b)
    lin = _affine(diff, constants)
    if lin is not None and lin[0] is not None and lin[1] != 0:
        value = -lin[2] / lin[1]
        if math.isfinite(value):
            out.setdefault(lin[0], set()).add(value + 0.0)
        return
    for name in free_names(diff):  # not solvable: fall back to 0 for each variable involved
        if name not in constants:
            out.setdefault(name, set()).add(0.0)


def kink_points(root: Node, constants: Mapping[str, float] | None = None) -> dict[str, tuple[float, ...]]:
    """Candidate kinks per variable: where a relu/abs/… argument, a max/min pair or a comparison
    against a constant changes sign. Unsolvable pieces contribute 0."""
    constants = constants or {}
    out: dict[str, set[float]] = {}
    for node in walk(root):
        if isinstance(node, Call) and node.func in KINK_AT_ZERO:
            _root(node.args[0], None, constants, out)
        elif isinstance(node, Call) and node.func in ("max", "min"):
            for i, a in enumerate(node.args):
                for b in node.args[i + 1:]:
                    _root(a, b, constants, out)
        elif isinstance(node, Compare):
            for a, b in zip(node.operands, node.operands[1:]):
                _root(a, b, constants, out)
    return {k: tuple(sorted(v)) for k, v in out.items()}
