"""What learners type (a content author's report): accepted readings and the cases still refused."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from quizapp.core.formula.equivalence import equivalent
from quizapp.core.formula.language import ExprError, check_names, evaluate, parse, to_text
from quizapp.core.formula.functions import KINK_AT_ZERO

Z = {"z": (-3.0, 3.0)}


def err(text: str) -> ExprError:
    with pytest.raises(ExprError) as info:
        parse(text)
    assert info.value.col is None or 1 <= info.value.col <= len(text) + 1
    return info.value


def same(expected: str, given: str, vars=Z, constants=None, **kw) -> bool:
    return equivalent(expected, given, vars, constants, **kw).equivalent


# --- 1. function names: any case, every registry spelling ------------------------------------------

@pytest.mark.parametrize("typed, canonical", [
    ("ReLU(z)", "relu(z)"), ("Relu(z)", "relu(z)"), ("RELU(z)", "relu(z)"), ("LeakyReLU(z)", "leaky_relu(z)"),
    ("LReLU(z)", "leaky_relu(z)"), ("Leaky_ReLU(z, 0.2)", "leaky_relu(z, 0.2)"), ("leakyrelu(z)", "leaky_relu(z)"),
    ("Sigmoid(z)", "sigmoid(z)"), ("Tanh(z)", "tanh(z)"), ("ELU(z, alpha)", "elu(z, alpha)"), ("SELU(z)", "selu(z)"),
    ("GELU(z)", "gelu(z)"), ("Swish(z)", "silu(z)"), ("SiLU(z)", "silu(z)"), ("Softplus(z)", "softplus(z)"),
    ("Exp(z)", "exp(z)"), ("EXP(z)", "exp(z)"), ("Log(z)", "log(z)"), ("Ln(z)", "log(z)"), ("Sqrt(z)", "sqrt(z)"),
    ("Abs(z)", "abs(z)"), ("Max(z, 0)", "max(z, 0)"), ("Where(z > 0, 1, 0)", "where(z > 0, 1, 0)"),
    ("Cosh(z)", "cosh(z)"), ("Heaviside(z, 0)", "heaviside(z, 0)"),
])
def test_function_names_in_any_case_and_registry_spelling(typed, canonical):
    assert to_text(parse(typed)) == canonical
    assert parse(typed).root == parse(canonical).root


def test_lenient_names_grade_like_the_canonical_ones():
    assert same("leaky_relu(z, alpha)", "LeakyReLU(z, alpha)", constants={"alpha": 0.01})
    assert same("relu(z)", "ReLU(z)") and not same("relu(z)", "ELU(z)")
    assert same("1 - tanh(z)**2", "1 - Tanh(z)**2")


def test_variables_stay_case_sensitive():
    e = parse("W - lr*w")
    assert e.names == {"W", "w", "lr"}
    with pytest.raises(ExprError, match="did you mean 'w'.*case-sensitive"):
        check_names(parse("W*x"), ["w", "x"])
    # a lenient spelling is a function only when called; alone it is a (case-sensitive) name
    assert parse("Relu + 1").names == {"Relu"}
    with pytest.raises(ExprError, match="'Relu' is a function: write Relu"):
        check_names(parse("Relu + 1"), ["z"])


@pytest.mark.parametrize("text, col, fragment", [
    ("Tanh z", 1, "'Tanh' is a function: write Tanh(…)"),
    ("relu", 1, "is a function"),
    ("Sigmoud(z)", 1, "did you mean 'sigmoid'"),
    ("leaky_rellu(z)", 1, "did you mean 'leaky_relu'"),
    ("Leaky_Rellu(z)", 1, "did you mean 'leaky_relu'"),
    ("sgn(z)", 1, "did you mean 'sign'"),
    ("softmax(z)", 1, "not elementwise"),
    ("Softmax(z)", 1, "not elementwise"),
    ("foo(z)", 1, "unknown function"),
    ("phi(z)", 4, "write phi*(z)"),   # φ(z) is not Φ(z)
    ("Sigma(z)", 1, "unknown function"),  # Σ is a sum, not σ
    ("αz", 2, "write α*z"),
])
def test_still_refused_names(text, col, fragment):
    e = err(text)
    assert e.col == col and fragment in e.message, str(e)


def test_suggestions_are_sensible():
    assert "did you mean 'relu'" in err("Relu6(z)").message  # not elu or selu
    assert "did you mean 'tanh'" in err("tanhh(z)").message


# --- 2. ASCII sigma is σ -----------------------------------------------------------------------------

def test_sigma_is_sigmoid():
    assert to_text(parse("sigma(z)")) == "sigmoid(z)"
    assert same("sigmoid(z)*(1 - sigmoid(z))", "sigma(z)*(1 - sigma(z))")
    assert same("σ(z)", "sigma(z)")
    assert "implicit" not in str(parse("sigma(z)"))


def test_sigma_as_a_declared_variable_is_still_a_product():
    with pytest.raises(ExprError) as info:
        equivalent("sigma*(z + 1)", "sigma(z + 1)", {"z": (-3, 3), "sigma": (0.1, 2)})
    assert info.value.col == 1 and "write sigma*(…)" in info.value.message
    assert parse("sigma**2").names == {"sigma"}  # not called: a variable as before


# --- 3. cosh, sinh, sech, cos, sin, heaviside, step ---------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("cosh(0)", 1.0), ("sinh(0)", 0.0), ("sech(0)", 1.0), ("cos(0)", 1.0), ("sin(pi/2)", 1.0),
    ("tan(0)", 0.0), ("step(2)", 1.0), ("step(-2)", 0.0), ("step(0)", 0.0), ("heaviside(0, 0.5)", 0.5),
    ("heaviside(-1, 0.5)", 0.0), ("heaviside(3, 0.5)", 1.0), ("sech(1000)", 0.0),
])
def test_new_functions(text, expected):
    assert float(evaluate(parse(text), {})) == pytest.approx(expected)


def test_new_functions_grade_and_have_kinks():
    assert same("1 - tanh(z)**2", "sech(z)**2")
    assert same("cosh(z)", "(exp(z) + exp(-z))/2") and same("sinh(z)", "(exp(z) - exp(-z))/2")
    assert same("1 if z > 0 else 0", "step(z)", check_kinks=True)  # PyTorch: 0 at z = 0
    assert not same("1 if z > 0 else 0", "heaviside(z, 0.5)", check_kinks=True)
    assert same("1 if z > 0 else 0", "heaviside(z, 0.5)")
    assert {"step", "heaviside"} <= KINK_AT_ZERO
    assert parse("step(z - 1)").kinks() == {"z": (1.0,)}
    assert math.isnan(float(evaluate(parse("step(z)"), {"z": float("nan")})))
    for text in ("step(z, 1)", "heaviside(z)"):
        assert "argument" in err(text).message


# --- 4. |z| --------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, canonical", [
    ("|z|", "abs(z)"), ("|z - 1|", "abs(z - 1)"), ("2*|z|", "2*abs(z)"), ("|z|²", "abs(z)**2"),
    ("|z|^2", "abs(z)**2"), ("-|z|", "-abs(z)"), ("√|z|", "sqrt(abs(z))"), ("|z - |x||", "abs(z - abs(x))"),
    ("||x| - 1|", "abs(abs(x) - 1)"), ("|x|*|y|", "abs(x)*abs(y)"), ("max(|x|, 1)", "max(abs(x), 1)"),
    ("(z + |z|)/2", "(z + abs(z))/2"), ("|-z|", "abs(-z)"),
])
def test_absolute_value_bars(typed, canonical):
    assert to_text(parse(typed)) == canonical
    assert parse(typed).root == parse(canonical).root


def test_bars_grade_and_kink():
    assert same("relu(z)", "(z + |z|)/2")
    assert parse("|z - 1|").kinks() == {"z": (1.0,)}


@pytest.mark.parametrize("text, col, fragment", [
    ("|z", 1, "this '|' is never closed"),
    ("|z + |x|", 1, "never closed"),
    ("z|", 2, "unmatched '|'"),
    ("a | b", 3, "'or'"),
    ("a || b", 3, "write 'or' instead of '||'"),
    ("2|z|", 2, "write 2*|z|"),
    ("|x| |y|", 5, "write |x|*|y|"),
    ("(|x)|", 4, "the '|' at column 2 must be closed before this ')'"),
    ("|x, y|", 3, "expected '|' to close the '|' at column 1"),
    ("||", 2, "never closed"),
    ("|" * 65 + "z" + "|" * 65, 65, "too many nested"),
])
def test_bad_bars_are_located(text, col, fragment):
    e = err(text)
    assert e.col == col and fragment in e.message, str(e)


# --- 5. a leading "name =" ------------------------------------------------------------------------

@pytest.mark.parametrize("typed, canonical", [
    ("W_new = W - lr*dW", "W - lr*dW"), ("z = w*x + b", "w*x + b"), ("f'(z) = 1 - tanh(z)**2", "1 - tanh(z)**2"),
    ("dz = da*step(z)", "da*step(z)"), ("y=2*z", "2*z"), ("  y  =  z", "z"), ("σ′(z) = σ(z)*(1 - σ(z))",
    "sigmoid(z)*(1 - sigmoid(z))"), ("f’(z) = 1", "1"), ("L(W, b) = W + b", "W + b"), ("ŷ = z", "z"),
    ("x₁ = z", "z"), ("a = b == c", "b == c"), ("y = z if z > 0 else 0", "z if z > 0 else 0"),
    # derivatives in Leibniz notation, as people write gradients
    ("dL/dz = a - y", "a - y"), ("∂L/∂W1 = x*d", "x*d"), ("dσ/dz = σ(z)*(1 - σ(z))", "sigmoid(z)*(1 - sigmoid(z))"),
    ("d sigma / d z = 1 - z", "1 - z"), ("∂ L / ∂ z=z", "z"),
])
def test_leading_assignment_is_dropped(typed, canonical):
    assert to_text(parse(typed)) == canonical


def test_assignment_keeps_original_columns():
    e = err("W_new = W - lr dW")
    assert e.col == 16 and "write lr*dW" in e.message
    e = err("z = 2x")
    assert e.col == 6
    assert parse("dz = da*q").name_cols["q"] == 9


@pytest.mark.parametrize("text, col, fragment", [
    ("W -= lr*dW", 3, "write W - lr*dW"),
    ("W += lr*dW", 3, "write W + lr*dW"),
    ("W -= lr*(dW + g)", 3, "write W - (lr*(dW + g))"),
    ("W *= 1 - a", 3, "write W * (1 - a)"),
    ("y + 1 = 2*z", 7, "=="),           # not a single name: '=' refused as before
    ("2 = z", 3, "=="),
    ("a = b = c", 7, "=="),
    ("y = = 2", 5, "=="),
    ("f(g(z)) = z", 9, "=="),
    ("y =", 4, "after '='"),
    ("y =   ", 7, "after '='"),
    ("(y := 2)", 4, "':'"),
    ("dL/dz/dq = 1", 10, "=="),         # not one derivative
    ("d/dz = 1", 6, "=="),
    ("dL/z = 1", 6, "=="),
    ("L/dz = 1", 6, "=="),
    ("d2/dz = 1", 7, "=="),             # 'd2' is not a differential of a name
])
def test_assignment_still_refused(text, col, fragment):
    e = err(text)
    assert e.col == col and fragment in e.message, str(e)


def test_comparisons_are_not_assignments():
    assert to_text(parse("y == 2")) == "y == 2"
    assert to_text(parse("z <= 1")) == "z <= 1" and to_text(parse("z != 1")) == "z != 1"


# --- 6. powers written on the function name --------------------------------------------------------

@pytest.mark.parametrize("typed", ["tanh^2(z)", "tanh**2(z)", "tanh ^ 2 (z)", "tanh²(z)", "Tanh^2(z)",
                                   "tanh(z)**2", "tanh(z)^2"])
def test_power_on_the_function_name(typed):
    assert to_text(parse(typed)) == "tanh(z)**2"
    assert same("1 - tanh(z)**2", f"1 - {typed}")


def test_power_on_the_function_name_other_cases():
    assert to_text(parse("sigma^2(z)")) == "sigmoid(z)**2"
    assert to_text(parse("sech^2(z)")) == "sech(z)**2"


@pytest.mark.parametrize("text, col, fragment", [
    ("tanh**2", 1, "for a power: tanh(z)**2"),
    ("tanh^2 z", 1, "for a power"),
    ("tanh^-1(z)", 1, "is a function"),
    ("tanh⁻¹(z)", 5, "ambiguous"),
    ("tanh^x(z)", 1, "is a function"),
])
def test_power_on_the_function_name_still_refused(text, col, fragment):
    e = err(text)
    assert e.col == col and fragment in e.message, str(e)


# --- hostile input stays fast --------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "a" + " " * 1990 + "x=", "a" + " " * 1000 + "'" * 900 + "x=", "a(" + "x" * 1990 + "=",
    "f" + "'" * 1990 + "= z", "=" * 1999, "|" * 1999, "| " * 999, "z|" * 999, "tanh^2" * 300,
    "W" + "-" * 1990 + "= 1", "y = " + "|z|+" * 499,
])
def test_new_syntax_on_hostile_input_is_fast(text):
    times = []
    for _ in range(3):
        start = time.perf_counter()
        try:
            parse(text)
        except ExprError as error:
            assert error.col is None or 1 <= error.col <= len(text) + 1
        times.append(time.perf_counter() - start)
    assert min(times) < 0.05, f"{min(times) * 1000:.1f} ms"


def test_vectorised_abs_and_step():
    z = np.array([-2.0, 0.0, 3.0])
    assert list(evaluate(parse("|z|"), {"z": z})) == [2.0, 0.0, 3.0]
    assert list(evaluate(parse("step(z)"), {"z": z})) == [0.0, 0.0, 1.0]


# --- 7. the `quizapp check` summary table -------------------------------------------------------

def test_check_table_has_drill_and_gradient_columns():
    from quizapp.core.content.check import run_check

    report = run_check([])
    text = report.text()
    header = next(line for line in text.splitlines() if line.startswith("deck"))
    assert header.split()[:10] == ["deck", "cards", "gloss", "rev", "cmp", "qa", "mcq", "cloze", "drill",
                                   "grad"]
    total = next(line for line in text.splitlines() if line.startswith("total")).split()
    summary = report.summary()
    assert int(total[8]) == summary["by_kind"]["drill"] and int(total[9]) == summary["by_kind"]["gradient"]
    assert int(total[1]) == sum(int(n) for n in total[2:10])
    assert set(report.to_json()) == {"decks", "cards", "problems", "summary"}
