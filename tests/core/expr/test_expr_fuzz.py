"""Property tests: random text only ever raises ExprError; random trees survive to_text → parse."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core.formula.language import ExprError, evaluate, parse, to_text
from quizapp.core.formula.functions import FUNCTIONS
from quizapp.core.formula.nodes import (
    BinOp,
    BoolOp,
    Call,
    Compare,
    Const,
    IfElse,
    Num,
    Unary,
    Var,
)

FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALPHABET = st.sampled_from(list("zxa019.+-*/^()<>=!,_ e ") + ["**", "relu(", "max(", "if ", " else ",
                           " and ", " not ", "α", "σ", "²", "√", "·", "−", "≤", "'", "[", "\x00",
                           "__", "lambda", ".real", "where(", "leaky_relu(", "1e-3", "½", "ᶻ", "⁻", "|", " = ",
                           "-=", "ReLU(", "sigma(", "tanh^2(", "step(", "f'(z)"])
TEXT = st.one_of(st.text(max_size=60), st.lists(ALPHABET, max_size=30).map("".join))
ENV = {"z": np.array([-1.5, -0.01, 0.0, 0.3, 2.0]), "x": 0.5, "a": -2.0, "alpha": 0.01}


@FAST
@given(TEXT)
def test_random_text_only_raises_expr_error(text):
    try:
        expr = parse(text)
    except ExprError as error:
        assert error.col is None or 1 <= error.col <= len(text) + 1
        return
    env = {k: v for k, v in ENV.items() if k in expr.names}
    try:
        evaluate(expr, env)
    except ExprError:
        assert not expr.names <= set(ENV)
    again = parse(to_text(expr))
    assert again.root == expr.root


NUMS = st.one_of(st.sampled_from([0.0, 1.0, 2.0, 0.5, 0.01, 3.0, 1e-05, 1e20]),
                 st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False))
LEAVES = st.one_of(NUMS.map(Num), st.sampled_from(["z", "x", "a"]).map(Var),
                   st.sampled_from(["pi", "e"]).map(Const))
SIMPLE = [n for n, spec in FUNCTIONS.items() if spec.min_args == 1]


def _extend(children):
    return st.one_of(
        st.tuples(st.sampled_from(["-", "+", "not"]), children).map(lambda t: Unary(*t)),
        st.tuples(st.sampled_from(["+", "-", "*", "/", "**"]), children, children).map(lambda t: BinOp(*t)),
        st.lists(children, min_size=2, max_size=3).flatmap(lambda xs: st.lists(
            st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), min_size=len(xs) - 1,
            max_size=len(xs) - 1).map(lambda ops: Compare(tuple(ops), tuple(xs)))),
        st.tuples(st.sampled_from(["and", "or"]), st.lists(children, min_size=2, max_size=3))
        .map(lambda t: BoolOp(t[0], tuple(t[1]))),
        st.tuples(children, children, children).map(lambda t: IfElse(*t)),
        st.tuples(st.sampled_from(SIMPLE), children).map(lambda t: Call(t[0], (t[1],))),
        st.tuples(st.sampled_from(["max", "min"]), st.lists(children, min_size=2, max_size=3))
        .map(lambda t: Call(t[0], tuple(t[1]))),
        st.tuples(children, children, children).map(lambda t: Call("where", t)),
    )


TREES = st.recursive(LEAVES, _extend, max_leaves=12)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


@FAST
@given(TREES)
def test_printed_trees_parse_back_to_the_same_tree_and_value(tree):
    text = to_text(tree)
    expr = parse(text)
    assert expr.root == tree, text
    env = {"z": ENV["z"], "x": ENV["x"], "a": ENV["a"]}
    assert _same(evaluate(expr, env), evaluate(parse(to_text(tree)), env))
    assert to_text(expr) == text


@settings(max_examples=60, deadline=None)
@given(st.floats(allow_nan=False), st.floats(allow_nan=False))
def test_numbers_print_exactly(x, y):
    tree = BinOp("+", Num(abs(x)), Num(abs(y)))
    back = parse(to_text(tree)).root
    assert back == tree or (math.isinf(abs(x)) or math.isinf(abs(y)))
