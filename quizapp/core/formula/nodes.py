"""The formula language's error type, limits and node kinds (a closed whitelist of frozen dataclasses).

Every node carries ``col`` (1-based column of the token that produced it, excluded from equality)
so later checks — an undeclared variable, a bad call — can point at the input. Nothing here imports
NumPy; the evaluator lives in :mod:`quizapp.core.formula.evaluate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_PAREN_DEPTH",
    "MAX_TOKENS",
    "MAX_TREE_DEPTH",
    "NODE_TYPES",
    "BinOp",
    "BoolOp",
    "Call",
    "Compare",
    "Const",
    "ExprError",
    "IfElse",
    "Node",
    "Num",
    "Unary",
    "Var",
    "children",
]

MAX_LENGTH = 2000       # characters of input
MAX_TOKENS = 1000       # tokens after lexing
MAX_PAREN_DEPTH = 64    # nested ( … ), counted in the lexer before any parsing
MAX_NODES = 1000        # nodes in the tree
MAX_TREE_DEPTH = 150    # levels in the tree (long chains like 1+1+…+1, - - - z, 2**2**…)


class ExprError(ValueError):
    """A formula that cannot be read or evaluated. ``col`` is 1-based (``None`` if not located).
    When two formulas are compared, ``formula`` says which one it is about ("expected"/"given")."""

    formula: str | None = None

    def __init__(self, message: str, col: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.col = col

    def __str__(self) -> str:
        return f"column {self.col}: {self.message}" if self.col else self.message

    def caret(self, text: str, indent: str = "  ") -> str:
        """The input on one line and a ``^`` under the column on the next (for terminals)."""
        line = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
        if len(line) > 120 and self.col:  # show a window around the column
            start = max(0, self.col - 60)
            shown = line[start:start + 120]
            pad = self.col - 1 - start
        else:
            shown, pad = line[:200], (self.col - 1 if self.col else 0)
        out = f"{indent}{shown}"
        if self.col:
            out += f"\n{indent}{' ' * pad}^"
        return out


@dataclass(frozen=True, slots=True)
class Num:
    value: float
    col: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Const:
    """A built-in constant: ``pi`` or ``e``."""

    name: str
    col: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Var:
    name: str
    col: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Unary:
    """``-x``, ``+x`` or ``not x``."""

    op: str
    operand: Node
    col: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class BinOp:
    """``+ - * / **`` (``^`` is read as ``**``)."""

    op: str
    left: Node
    right: Node
    col: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Compare:
    """A chain ``a < b <= c`` — ``ops[i]`` sits between ``operands[i]`` and ``operands[i+1]``."""

    ops: tuple[str, ...]
    operands: tuple[Node, ...]
    col: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class BoolOp:
    """``a and b and c`` / ``a or b`` (n-ary, values are truth values: nonzero is true)."""

    op: str
    values: tuple[Node, ...]
    col: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class IfElse:
    """``then if cond else other``."""

    then: Node
    cond: Node
    other: Node
    col: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Call:
    """A call of a whitelisted function, by canonical name (``ln`` → ``log``, ``swish`` → ``silu``)."""

    func: str
    args: tuple[Node, ...]
    col: int = field(default=0, compare=False)
    written: str = field(default="", compare=False)  # the name as typed (normalised), "|" for |x|


Node = Num | Const | Var | Unary | BinOp | Compare | BoolOp | IfElse | Call
NODE_TYPES = (Num, Const, Var, Unary, BinOp, Compare, BoolOp, IfElse, Call)


def children(node: Node) -> tuple[Node, ...]:
    """Direct sub-nodes, in source order."""
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, BinOp):
        return (node.left, node.right)
    if isinstance(node, Compare):
        return node.operands
    if isinstance(node, BoolOp):
        return node.values
    if isinstance(node, IfElse):
        return (node.then, node.cond, node.other)
    if isinstance(node, Call):
        return node.args
    return ()
