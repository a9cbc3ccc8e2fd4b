"""The worked arithmetic written out on the cards of the cnns, rnns-and-gating, attention-and-transformers
and signal-propagation decks holds, step by step.

Every chain like "⌊(32 + 2·2 − 5)/1⌋ + 1 = 31 + 1 = 32" or "0.02/√24 ≈ 0.02/4.899 ≈ 0.00408" whose
sides are plain arithmetic (numbers, + − · × /, powers, √, ⌊ ⌋, ⌈ ⌉) is evaluated side by side:
"=" must hold exactly for integers (to 0.5 % when a side shows decimals), "≈" to 1 %. Chains with a
variable or a function name in them are left to the per-deck numbers tests. The count of chains
checked is pinned from below, so the test cannot pass by finding none.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from functools import cache
from pathlib import Path

import pytest

from quizapp.core.content.loader import load_deck

CONTENT = Path(__file__).resolve().parents[2] / "content"
DECKS = ("cnns", "rnns-and-gating", "attention-and-transformers", "signal-propagation")

SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
ARITH = set("0123456789.,·×+−-/()⌊⌋⌈⌉√ " + SUP)
SEPARATOR = re.compile(r" (=|≈) ")
PUNCT_BREAK = re.compile(r"[.,:;](?=\s|$)")  # a sentence's '.', a list's ', ' end a term
FUNCTION_WORDS = {"ln", "log", "exp", "tanh", "sqrt", "e", "sin", "cos", "σ"}


def balanced(term: str) -> bool:
    for o, c in ("()", "⌊⌋", "⌈⌉"):
        depth = 0
        for ch in term:
            depth += (ch == o) - (ch == c)
            if depth < 0:
                return False
        if depth:
            return False
    return True


def valid(term: str) -> bool:
    return (bool(term) and term[0] in "0123456789(⌊⌈√" and (term[-1].isdigit() or term[-1] in ")⌋⌉" + SUP)
            and balanced(term) and any(ch.isdigit() for ch in term))


def left_term(segment: str) -> str | None:
    """The arithmetic at the end of the text before a separator, or None."""
    i = len(segment)
    while i > 0 and segment[i - 1] in ARITH:
        i -= 1
    term = PUNCT_BREAK.split(segment[i:])[-1].strip()
    before = segment[: len(segment) - len(segment[i:]) + segment[i:].rfind(term)].rstrip() if term else ""
    if not valid(term):
        return None
    word = re.search(r"([A-Za-zσ]+)[^A-Za-zσ\s]*$", before)
    if before and (before[-1] in "^_′'" or (word and word.group(1) in FUNCTION_WORDS and before.endswith(word.group(1)))):
        return None  # the number is an argument of a function (ln 0.9) or an exponent
    if before and before[-1].isalpha() and not segment[len(before):].startswith(" "):
        return None
    return term


def right_term(segment: str) -> str | None:
    """The arithmetic at the start of the text after a separator, or None."""
    i = 0
    while i < len(segment) and segment[i] in ARITH:
        i += 1
    term = PUNCT_BREAK.split(segment[:i])[0].strip()
    rest = segment[len(segment[:i].split(term, 1)[0]) + len(term):] if term else ""
    if not valid(term) or (rest and (rest[0].isalpha() or rest[0] in "^_(")):
        return None  # glued to a name or a call: not plain arithmetic
    return term


def to_python(expr: str) -> str:
    e = expr.replace("·", "*").replace("×", "*").replace("−", "-")
    e = re.sub(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))", "", e)  # thousands separators
    e = re.sub(rf"([{SUP}]+)", lambda m: "**" + m.group(1).translate(SUPERSCRIPTS), e)
    e = re.sub(r"√(\d+(?:\.\d+)?|\([^()]*\))", r"sqrt(\1)", e)
    e = e.replace("⌊", "floor(").replace("⌋", ")").replace("⌈", "ceil(").replace("⌉", ")")
    return e


OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
       ast.Pow: operator.pow, ast.USub: operator.neg}
FUNCS = {"sqrt": math.sqrt, "floor": math.floor, "ceil": math.ceil}


def evaluate(expr: str) -> float:
    """A tiny arithmetic evaluator over the AST (numbers, + − * / **, sqrt/floor/ceil): no eval."""
    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in OPS:
            return OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in OPS:
            return OPS[type(node.op)](walk(node.operand))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCS and len(node.args) == 1:
            return FUNCS[node.func.id](walk(node.args[0]))
        raise ValueError(ast.dump(node))
    return walk(ast.parse(to_python(expr), mode="eval"))


@cache
def chains() -> list[tuple[str, str, str, str]]:
    """(card, left, relation, right) for every separator whose two sides are plain arithmetic."""
    found = []
    for deck_id in DECKS:
        deck = load_deck(CONTENT / f"{deck_id}.md")
        for card in deck.cards:
            for text in (card.front, card.back, card.note, *(ch.text for ch in card.choices)):
                for line in text.splitlines():
                    parts = SEPARATOR.split(line)
                    for k in range(1, len(parts), 2):
                        left, right = left_term(parts[k - 1]), right_term(parts[k + 1])
                        if left and right:
                            found.append((f"{deck_id}:{card.explicit_id or card.front[:40]}", left, parts[k], right))
    return found


def test_enough_chains_are_checked():
    assert len(chains()) >= 80, len(chains())


@pytest.mark.parametrize(("where", "left", "relation", "right"), chains())
def test_each_worked_step_holds(where, left, relation, right):
    a, b = evaluate(left), evaluate(right)
    decimals = any(ch in left + right for ch in ".√")
    tol = 0.01 if relation == "≈" else (0.005 if decimals else 1e-12)
    # a side written as a rounded decimal may be off by half a unit in its last place
    rounding = max((0.5 * 10 ** -len(m.group(1)) for side in (left, right)
                    if (m := re.fullmatch(r"\d+\.(\d+)", side))), default=0.0)
    allowed = max(tol * max(abs(a), abs(b)), rounding if relation == "≈" else 0.0) + 1e-12
    assert abs(a - b) <= allowed, f"{where}: {left} ({a}) {relation} {right} ({b})"
