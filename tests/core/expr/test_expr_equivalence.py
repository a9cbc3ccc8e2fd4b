"""Equivalence grading: a table of right and wrong answers, counterexamples, kinks, names."""

from __future__ import annotations

import pytest

from quizapp.core.formula.equivalence import equivalent, format_number, sample_points
from quizapp.core.formula.language import ExprError, parse

Z = {"z": (-3.0, 3.0)}
ALPHA = {"alpha": 0.01}

# (expected, given, equivalent?) — variable z in [-3, 3], constant alpha = 0.01
PAIRS = [
    # Leaky ReLU, every piecewise spelling
    ("leaky_relu(z, alpha)", "max(0.01*z, z)", True),
    ("leaky_relu(z, alpha)", "where(z > 0, z, 0.01*z)", True),
    ("leaky_relu(z, alpha)", "z if z > 0 else 0.01*z", True),
    ("leaky_relu(z, alpha)", "relu(z) - 0.01*relu(-z)", True),
    ("leaky_relu(z, alpha)", "leaky_relu(z, 0.01)", True),
    ("leaky_relu(z, alpha)", "leaky_relu(z)", True),
    ("leaky_relu(z, alpha)", "max(α·z, z)", True),
    ("leaky_relu(z, alpha)", "max(alpha × z, z)", True),
    ("leaky_relu(z, alpha)", "z*(z > 0) + alpha*z*(z <= 0)", True),
    ("leaky_relu(z, alpha)", "lrelu(z, alpha)", True),
    ("leaky_relu(z, alpha)", "relu(z)", False),
    ("leaky_relu(z, alpha)", "max(0.1*z, z)", False),
    ("leaky_relu(z, alpha)", "min(0.01*z, z)", False),
    ("leaky_relu(z, alpha)", "z if z < 0 else 0.01*z", False),
    # derivatives and the kink (not judged by default)
    ("1 if z > 0 else alpha", "where(z > 0, 1, alpha)", True),
    ("1 if z > 0 else alpha", "where(z >= 0, 1, alpha)", True),
    ("1 if z > 0 else alpha", "1 if z > 0 else 0", False),
    ("1 if z > 0 else 0", "(z > 0)*1", True),
    ("1 if z > 0 else 0", "sign(relu(z))", True),
    ("1 if z > 0 else 0", "1", False),
    ("relu(z)", "max(0, z)", True),
    ("relu(z)", "(z + abs(z))/2", True),
    ("relu(z)", "z", False),
    ("relu(z)", "abs(z)", False),
    # smooth activations and their derivatives
    ("sigmoid(z)", "1/(1 + exp(-z))", True),
    ("sigmoid(z)", "1/(1 + e⁻ᶻ)", True),
    ("sigmoid(z)", "σ(z)", True),
    ("sigmoid(z)*(1 - sigmoid(z))", "σ(z)·(1 − σ(z))", True),
    ("sigmoid(z)*(1 - sigmoid(z))", "exp(-z)/(1 + exp(-z))**2", True),
    ("sigmoid(z)*(1 - sigmoid(z))", "sigmoid(z)**2", False),
    ("tanh(z)", "(exp(z) - exp(-z))/(exp(z) + exp(-z))", True),
    ("1 - tanh(z)**2", "1 - tanh²(z)", True),
    ("1 - tanh(z)**2", "4*sigmoid(2*z)*(1 - sigmoid(2*z))", True),
    ("1 - tanh(z)**2", "1 - tanh(z)", False),
    ("softplus(z)", "log(1 + exp(z))", True),
    ("softplus(z)", "ln(1 + e^z)", True),
    ("silu(z)", "z*sigmoid(z)", True),
    ("silu(z)", "swish(z)", True),
    ("gelu(z)", "z*Phi(z)", True),
    ("gelu(z)", "0.5*z*(1 + erf(z/√2))", True),
    ("gelu(z)", "z*sigmoid(1.702*z)", False),  # the approximation is not the function
    ("elu(z, 1)", "z if z > 0 else exp(z) - 1", True),
    ("elu(z, 1)", "z if z > 0 else exp(z)", False),
    ("selu(z)", "1.0507009873554805*elu(z, 1.6732632423543772)", True),
    # algebra
    ("z**2", "z²", True),
    ("z**2", "z*z", True),
    ("z**2", "abs(z)**2", True),
    ("z**2", "2*z", False),
    ("(z + 1)**2", "z**2 + 2*z + 1", True),
    ("(z + 1)**2", "z**2 + 1", False),
    ("exp(2*z)", "exp(z)**2", True),
    ("abs(z)", "sqrt(z**2)", True),
    ("abs(z)", "√(z²)", True),
    ("0.01", "1/100", True),
    ("0.01", "alpha", True),
    ("3", "2 + 1", True),
    # as learners type them: any case, sigma, |z|, a leading "f'(z) =", tanh^2(z), sech, step
    ("relu(z)", "ReLU(z)", True),
    ("leaky_relu(z, alpha)", "LeakyReLU(z, alpha)", True),
    ("sigmoid(z)*(1 - sigmoid(z))", "sigma(z)*(1 - sigma(z))", True),
    ("relu(z)", "(z + |z|)/2", True),
    ("relu(z)", "|z|", False),
    ("1 - tanh(z)**2", "f'(z) = 1 - tanh^2(z)", True),
    ("1 - tanh(z)**2", "sech(z)**2", True),
    ("1 - tanh(z)**2", "Tanh**2(z)", False),
    ("1 if z > 0 else 0", "step(z)", True),
    ("1 if z > 0 else alpha", "step(z) + alpha*step(-z)", True),  # differs only at z = 0 (kink)
    ("1 if z > 0 else alpha", "step(z)", False),
]


@pytest.mark.parametrize("expected, given, same", PAIRS)
def test_equivalence_table(expected, given, same):
    verdict = equivalent(expected, given, Z, ALPHA)
    assert verdict.equivalent is same, verdict.message
    assert verdict.points_checked >= 1
    if not same:
        assert verdict.counterexample is not None or "z" not in parse(expected).names
        assert "your formula" in verdict.message and "expected" in verdict.message


def test_table_is_big_enough():
    assert len(PAIRS) >= 40
    assert sum(not same for *_, same in PAIRS) >= 12


def test_counterexample_message():
    v = equivalent("leaky_relu(z, alpha)", "relu(z)", Z, ALPHA)
    assert v.message == "at z = −1 your formula gives 0, expected −0.01"
    assert v.counterexample == {"z": -1.0}
    assert (v.given_value, v.expected_value) == (0.0, -0.01)


def test_undefined_given_is_wrong_and_undefined_expected_is_skipped():
    v = equivalent("z", "sqrt(z)**2", Z)
    assert not v.equivalent and "undefined" in v.message
    v = equivalent("sqrt(z)", "z**0.5", Z)
    assert v.equivalent and 10 <= v.points_checked < 30
    assert equivalent("1/z", "z**-1", Z).equivalent


def test_kinks_judged_only_on_request():
    expected, given = "1 if z > 0 else alpha", "where(z >= 0, 1, alpha)"
    assert equivalent(expected, given, Z, ALPHA).equivalent
    v = equivalent(expected, given, Z, ALPHA, check_kinks=True)
    assert not v.equivalent and v.counterexample == {"z": 0.0}
    assert equivalent("1 if z > 0 else alpha", "where(z > 0, 1, alpha)", Z, ALPHA, check_kinks=True).equivalent


def test_shifted_kink_is_found():
    # differ only on (1, 1.01]: a random-only check would likely miss it
    assert not equivalent("where(z > 1, z, 0)", "where(z > 1.01, z, 0)", Z).equivalent
    points = sample_points(Z, {"z": (1.0,)})["z"]
    assert {0.99, 1.01, 0.9, 1.1, -1.0, 1.0 + 0.5} <= set(points.round(12)) and 1.0 not in points
    assert len(points) >= 30


def test_points_respect_ranges_and_seed():
    vars_ = {"x": (0.0, 10.0), "y": (-1.0, 1.0)}
    pts = sample_points(vars_, {}, seed=3)
    assert pts["x"].min() >= 0 and pts["x"].max() <= 10 and abs(pts["y"]).max() <= 1
    assert len(pts["x"]) == len(pts["y"]) >= 30
    again = sample_points(vars_, {}, seed=3)
    assert all((pts[k] == again[k]).all() for k in pts)
    assert not (sample_points(vars_, {}, seed=4)["x"] == pts["x"]).all()


def test_multi_variable_and_constant_answers():
    vars_ = {"x": (-2.0, 2.0), "y": (-2.0, 2.0)}
    assert equivalent("x*y + x", "x*(y + 1)", vars_).equivalent
    v = equivalent("x*y", "x + y", vars_)
    assert not v.equivalent and set(v.counterexample) == {"x", "y"}
    assert "x = " in v.message and "y = " in v.message
    assert equivalent("alpha", "0.01", {}, ALPHA).equivalent
    assert not equivalent("alpha", "0.1", {}, ALPHA).equivalent


def test_undeclared_names_are_located_with_nearest():
    with pytest.raises(ExprError) as info:
        equivalent("leaky_relu(z, alpha)", "max(alfa*z, z)", Z, ALPHA)
    assert info.value.col == 5 and "did you mean 'alpha'" in info.value.message
    with pytest.raises(ExprError, match="unknown name 'x'"):
        equivalent("z", "x", Z)


def test_bad_ranges():
    with pytest.raises(ValueError):
        equivalent("z", "z", {"z": (3.0, -3.0)})
    with pytest.raises(ValueError, match="both"):
        equivalent("z", "z", Z, {"z": 1.0})


def test_format_number():
    assert format_number(-0.007) == "−0.007"
    assert format_number(1e-05) == "1e−5"
    assert format_number(float("nan")) == "nan"
