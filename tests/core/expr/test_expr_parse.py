"""Parsing, printing, evaluation and located errors of the formula language."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.core.engine import activations as acts
from quizapp.core.formula.language import ExprError, evaluate, parse, to_text
from quizapp.core.formula.functions import FUNCTIONS


def value(text: str, **env) -> float:
    return float(evaluate(parse(text), env))


@pytest.mark.parametrize("text, expected", [
    ("0.01", 0.01), ("1e-3", 0.001), ("3/2", 1.5), (".5", 0.5), ("2**3", 8.0), ("2^3", 8.0),
    ("-2**2", -4.0), ("(-2)**2", 4.0), ("2**-1", 0.5), ("2**3**2", 512.0), ("1 + 2*3", 7.0),
    ("(1 + 2)*3", 9.0), ("7 - 2 - 1", 4.0), ("8/4/2", 1.0), ("--3", 3.0), ("+3", 3.0),
    ("pi", math.pi), ("e", math.e), ("1 < 2 < 3", 1.0), ("1 < 3 < 2", 0.0), ("2 >= 2", 1.0),
    ("1 == 1 != 2", 1.0), ("1 and 0", 0.0), ("0 or 2", 1.0), ("not 0", 1.0), ("not 1 < 2", 0.0),
    ("5 if 1 > 0 else 6", 5.0), ("5 if 0 else 6 if 0 else 7", 7.0), ("max(1, 5, 3)", 5.0),
    ("min(4, 2)", 2.0), ("where(0, 1, 2)", 2.0), ("abs(-3)", 3.0), ("sign(-0.5)", -1.0),
    ("sqrt(16)", 4.0), ("exp(0)", 1.0), ("log(e)", 1.0), ("ln(1)", 0.0), ("erf(0)", 0.0),
    ("Phi(0)", 0.5), ("2 × 3", 6.0), ("2 · 3", 6.0), ("6 ÷ 3", 2.0), ("5 − 2", 3.0), ("3²", 9.0),
    ("2³", 8.0), ("√16", 4.0), ("√(9 + 16)", 5.0), ("1 ≤ 2", 1.0), ("1 ≥ 2", 0.0), ("1 ≠ 2", 1.0),
    ("½", 0.5), ("π", math.pi), ("2⁻¹", 0.5), ("(1 < 2)*5", 5.0),
])
def test_constant_values(text, expected):
    assert value(text) == pytest.approx(expected)


def test_variables_and_greek():
    e = parse("max(α·z, z)")
    assert e.names == {"alpha", "z"}
    assert to_text(e) == "max(alpha*z, z)"
    assert value("max(α·z, z)", z=-2.0, alpha=0.01) == pytest.approx(-0.02)
    assert parse("λ*z").names == {"lambda_", "z"}
    assert parse("σ(z)").functions == {"sigmoid"}
    assert to_text(parse("e⁻ᶻ")) == "e**(-z)"
    assert to_text(parse("tanh²(z)")) == "tanh(z)**2"
    assert to_text(parse("x₁ + w₂")) == "x1 + w2"


def test_activations_from_the_registry_with_parameters():
    z = np.linspace(-3, 3, 13)
    for name in acts.names(elementwise_only=True):
        assert np.allclose(evaluate(parse(f"{name}(z)"), {"z": z}), acts.get(name).forward(z))
    assert np.allclose(evaluate(parse("leaky_relu(z, 0.2)"), {"z": z}), acts.get("leaky_relu").forward(z, alpha=0.2))
    assert np.allclose(evaluate(parse("elu(z, 0.5)"), {"z": z}), acts.get("elu").forward(z, alpha=0.5))
    assert np.allclose(evaluate(parse("softplus(z, 2)"), {"z": z}), acts.get("softplus").forward(z, beta=2.0))
    assert np.allclose(evaluate(parse("swish(z)"), {"z": z}), evaluate(parse("silu(z)"), {"z": z}))
    assert "softmax" not in FUNCTIONS
    with pytest.raises(ExprError, match="1 to 2 arguments"):
        parse("leaky_relu(z, 0.1, 2)")
    assert np.isnan(value("softplus(1, -1)"))  # beta ≤ 0 is undefined, not a crash


def test_vectorised_and_broadcast():
    out = evaluate(parse("2*z + 1"), {"z": np.array([0.0, 1.0, 2.0])})
    assert out.dtype == np.float64 and list(out) == [1.0, 3.0, 5.0]
    assert evaluate(parse("3"), {"z": np.zeros(4)}).shape == (4,)
    assert evaluate(parse("z"), {"z": 2.0}).shape == ()


def test_maths_domain_gives_nan_or_inf_never_raises():
    assert math.isinf(value("9**9**9**9"))
    assert math.isnan(value("log(-1)")) and math.isinf(value("1/0")) and math.isnan(value("sqrt(-1)"))
    assert math.isnan(value("where(log(-1), 1, 2)"))


def test_missing_variable_is_located():
    with pytest.raises(ExprError) as info:
        evaluate(parse("1 + zz"), {"z": 1.0})
    assert info.value.col == 5


@pytest.mark.parametrize("text, col, fragment", [
    ("2z", 2, "write 2*z"), ("2(z+1)", 2, "write 2*(z+1)"), ("z(z+1)", 2, "write z*(z+1)"),
    ("αz", 2, "write α*z"), ("max(αz, z)", 6, "write α*z"), ("2 z", 3, "write 2*z"),
    ("(z+1)(z-1)", 6, "write (z+1)*(z-1)"), ("sigmod(z)", 1, "did you mean 'sigmoid'"),
    ("relu", 1, "is a function"), ("max(z)", 1, "2 or more"), ("foo(z)", 1, "unknown function"),
    ("y + 1 = 2*z", 7, "=="), ("1,2", 2, "commas"), ("z else 1", 3, "without 'if'"),
    ("z if z > 0", 11, "expected 'else'"), ("(1, 2)", 3, "expected ')'"), ("", 1, "empty"),
    ("3 + * 4", 5, "unexpected '*'"), ("2 **", 5, "ends too early"), ("1.5.2", 4, "only one '.'"),
    ("exp()", 5, "needs an argument"), ("max(z,)", 7, "missing after ','"), ("z)", 2, "no matching"),
    ("((z", 2, "never closed"), ("z % 2", 3, "remainder"), ("z & 1", 3, "and"), ("()", 1, "empty"),
    (".²", 1, "unexpected '.'"),  # found by fuzzing: '²'.isdigit() is true, float('.') was a ValueError
])
def test_errors_are_located(text, col, fragment):
    with pytest.raises(ExprError) as info:
        parse(text)
    assert info.value.col == col, str(info.value)
    assert fragment in info.value.message
    assert str(info.value).startswith(f"column {col}: ")


def test_caret_points_at_the_column():
    with pytest.raises(ExprError) as info:
        parse("max(αz, z)")
    lines = info.value.caret("max(αz, z)").splitlines()
    assert lines[1].index("^") == lines[0].index("z")


@pytest.mark.parametrize("text", [
    "max(0.01*z, z)", "where(z > 0, z, 0.01*z)", "z if z > 0 else 0.01*z", "relu(z) - 0.01*relu(-z)",
    "-z**2", "(-z)**2", "2**-z", "a - (b - c)", "a/(b*c)", "not a < b", "(not a) < b",
    "a if b else c if d else e", "(a if b else c) + 1", "a < b < c", "(a < b) < c", "a and (b or c)",
    "-(a + b)", "leaky_relu(z, alpha)", "1e-05*z", "1.5e+20", "z**(1/2)", "a or b and c",
])
def test_to_text_round_trips(text):
    tree = parse(text).root
    printed = to_text(tree)
    assert parse(printed).root == tree
    assert to_text(parse(printed)) == printed


def test_kinks():
    assert parse("relu(z - 1)").kinks() == {"z": (1.0,)}
    assert parse("max(alpha*z, z)").kinks({"alpha": 0.01}) == {"z": (0.0,)}
    assert parse("where(z > alpha, 1, 0)").kinks({"alpha": 0.5}) == {"z": (0.5,)}
    assert parse("abs(2*z + 1)").kinks() == {"z": (-0.5,)}
    assert parse("relu(z**2 - 1)").kinks() == {"z": (0.0,)}  # not affine: falls back to 0
    assert parse("sigmoid(z)").kinks() == {}
