"""Formulas typed in LaTeX: rewritten into the formula language, graded like the same formula typed
plainly, errors pointing into what was typed. Plain formulas are not touched."""

from __future__ import annotations

import pytest

from quizapp.core.formula.drills import parse_drill_toml
from quizapp.core.formula.equivalence import equivalent
from quizapp.core.formula.language import ExprError, parse, to_text
from quizapp.core.formula.latex import latex_formula

SIGMOID_GRAD = '''\
id = "sigmoid-grad"
prompt = "Derivative of $\\\\sigma(z)$"
answer = "sigmoid(z) * (1 - sigmoid(z))"
'''


@pytest.mark.parametrize(("typed", "plain"), [
    (r"\sigma(z)(1-\sigma(z))", "sigmoid(z)*(1 - sigmoid(z))"),
    (r"\sigma(z)\cdot(1 - \sigma(z))", "sigmoid(z)*(1 - sigmoid(z))"),
    (r"$\sigma(z)(1-\sigma(z))$", "sigmoid(z)*(1 - sigmoid(z))"),
    (r"\(\sigma(z)(1-\sigma(z))\)", "sigmoid(z)*(1 - sigmoid(z))"),
    (r"\frac{1}{1+e^{-z}}", "1/(1 + e**(-z))"),
    (r"\frac{e^{z}}{1+e^{z}}", "e**z/(1 + e**z)"),
    (r"\left(1 + e^{-z}\right)^{-1}", "(1 + e**(-z))**(-1)"),
    (r"\max(0, z)", "max(0, z)"),
    (r"1 - \tanh^2(z)", "1 - tanh(z)**2"),
    (r"\operatorname{ReLU}(z)", "relu(z)"),
    (r"\mathrm{sigmoid}(z)", "sigmoid(z)"),
    (r"\alpha z", "alpha*z"),
    (r"2\alpha", "2*alpha"),
    (r"\frac{1}{2}x^2", "1/2*x**2"),
    (r"x^{\frac{1}{2}}", "x**(1/2)"),
    (r"\sqrt{x^2 + 1}", "sqrt(x**2 + 1)"),
    (r"\sqrt[3]{x}", "x**(1/3)"),
    (r"\log x + \exp(-x)", "log(x) + exp(-x)"),
    (r"W_{new} - \eta \, dW", "W_new - eta*dW"),
    (r"\lvert z \rvert", "abs(z)"),
    (r"1 \text{ if } z > 0 \text{ else } \alpha", "1 if z > 0 else alpha"),
    (r"\frac{\partial L}{\partial z} = \sigma(z) - y", "sigmoid(z) - y"),
    (r"f'(z) = \sigma(z)(1-\sigma(z))", "sigmoid(z)*(1 - sigmoid(z))"),
    (r"\frac{1}{z}(x + 1)", "1/z*(x + 1)"),
])
def test_latex_reads_as_the_plain_formula(typed, plain):
    assert to_text(parse(typed)) == to_text(parse(plain))


def test_a_typed_latex_answer_is_graded_equivalent():
    drill, problems = parse_drill_toml(SIGMOID_GRAD)
    assert problems == []
    assert drill.grade(r"\sigma(z)(1-\sigma(z))").equivalent
    assert drill.grade(r"\frac{e^{-z}}{(1+e^{-z})^2}").equivalent
    assert not drill.grade(r"\sigma(z)(1+\sigma(z))").equivalent


def test_a_drill_may_state_its_answer_in_latex():
    drill, problems = parse_drill_toml(SIGMOID_GRAD.replace(
        'answer = "sigmoid(z) * (1 - sigmoid(z))"', 'answer = "\\\\sigma(z)(1 - \\\\sigma(z))"'))
    assert problems == []
    assert drill.grade("sigmoid(z)*(1 - sigmoid(z))").equivalent


def test_equivalence_between_latex_and_unicode():
    assert equivalent(r"\frac{1}{1+e^{-z}}", "1/(1 + e⁻ᶻ)", {"z": (-3.0, 3.0)}, {}).equivalent


@pytest.mark.parametrize(("typed", "col", "says"), [
    (r"\sigma(z) + \foo", 13, r"'\foo' is not part of formulas"),
    (r"\frac{1}", 1, r"\frac needs an argument"),
    (r"x^{2", 5, "a '{' is never closed"),
    (r"\alpha + 1}", 11, "this '}' has no matching '{'"),
    (r"x_{t-1}", 2, "a subscript must be letters and digits"),
    (r"\alpha + \beta +", 17, "expected a number"),
    (r"\sigma(z) +* 2", 12, "unexpected"),
    ("{" * 100 + "z" + "}" * 100, 66, "too many nested braces"),
])
def test_errors_point_into_what_was_typed(typed, col, says):
    with pytest.raises(ExprError) as caught:
        parse(typed)
    assert caught.value.col == col
    assert says in caught.value.message


def test_unknown_names_are_located_in_the_typed_text():
    drill, _ = parse_drill_toml(SIGMOID_GRAD)
    with pytest.raises(ExprError) as caught:
        drill.grade(r"\sigma(z)(1-\sigma(w))")
    assert caught.value.col == 20 and "unknown name 'w'" in caught.value.message


def test_plain_formulas_are_untouched():
    for plain in ("2z", "sigma(z)(1-sigma(z))", "(a+b)(a-b)"):
        with pytest.raises(ExprError, match="implicit multiplication"):
            parse(plain)
    assert latex_formula(r"\alpha z")[0] == "α*z"


def test_latex_is_never_evaluated():
    for hostile in (r"\text{__import__('os').system('x')}", r"\operatorname{exec}(1)", "${1+1}$"):
        try:
            parse(hostile)
        except ExprError:
            pass
