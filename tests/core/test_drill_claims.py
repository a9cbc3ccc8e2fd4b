"""Formulas a drill's prose states (prompt, hint, explanation) are checked like its answer.

A drill's answer is checked against the engine; these tests pin that the formulas its hint and
worked explanation state are too: a wrong one is reported by ``quizapp check`` at the line of the
field, a right one passes, and prose that only names a place (``at z = 0``) or a side the checker
cannot read (``d/dz (…)``) is never reported.
"""

from __future__ import annotations

from quizapp.core.content.check import run_check
from quizapp.core.formula.drill_claims import drill_claims
from quizapp.core.formula.drills import Drill, Engine


def drill(explanation: str = "", *, prompt: str = "p", hint: str = "", engine: str | None = None,
          of: str = "value", constants: dict | None = None,
          vars: dict | None = None) -> Drill:
    return Drill("d", prompt, "z", vars=vars or {"z": (-3.0, 3.0)}, constants=constants or {},
                 hint=hint, explanation=explanation,
                 engine=Engine(engine, of) if engine else None)


def problems(d: Drill) -> list[str]:
    return [c.problem for c in drill_claims(d) if c.problem]


def texts(d: Drill) -> list[str]:
    return [c.text for c in drill_claims(d)]


def test_true_chains_pass_and_are_really_checked():
    d = drill("σ(z) = 1/(1 + e⁻ᶻ) = eᶻ/(1 + eᶻ). tanh'(z) = 1 − tanh²(z) = sech²(z); "
              "from the output a = tanh(z) it is 1 − a².")
    assert texts(d) == ["σ(z) = 1/(1 + e⁻ᶻ) = eᶻ/(1 + eᶻ)", "tanh'(z) = 1 − tanh²(z) = sech²(z)"]
    assert problems(d) == []


def test_a_wrong_formula_in_an_explanation_is_reported_with_a_point():
    (problem,) = problems(drill("σ(z) = 1/(1 + e⁻ᶻ) = eᶻ/(1 − eᶻ)."))
    assert "'eᶻ/(1 − eᶻ)'" in problem and " at z = " in problem


def test_the_derivative_of_an_activation_is_the_engines():
    assert problems(drill("So σ'(z) = σ(z)(1 − σ(z)).")) == []
    assert problems(drill("So σ'(z) = 1 − σ(z)²."))  # tanh's pattern, wrong for σ


def test_piecewise_prose_is_two_claims_each_under_its_condition():
    d = drill("ELU(z) = z for z > 0 and α(eᶻ − 1) for z ≤ 0: continuous at 0.",
              engine="elu", constants={"alpha": 0.5})
    assert texts(d) == ["ELU(z) = z for z > 0", "ELU(z) = α(eᶻ − 1) for z ≤ 0"]
    assert problems(d) == []
    wrong = drill("ELU(z) = z for z > 0 and α(eᶻ + 1) for z ≤ 0.", engine="elu",
                  constants={"alpha": 0.5})
    (problem,) = problems(wrong)
    assert "α(eᶻ + 1)" in problem


def test_engine_references_use_the_drills_constants():
    """ELU'(0) = α with α = 0.5: the registry's derivative at 0 with the drill's α, not its default."""
    d = drill("PyTorch: ELU'(0) = α.", engine="elu", of="derivative", constants={"alpha": 0.5})
    assert texts(d) == ["ELU'(0) = α"] and problems(d) == []
    assert problems(drill("PyTorch: ELU'(0) = 0.", engine="elu", constants={"alpha": 0.5}))
    assert problems(drill("PyTorch uses ReLU'(0) = 1.")), "the convention is ReLU'(0) = 0"


def test_a_stated_constant_must_be_the_drills_constant():
    assert problems(drill(prompt="LeakyReLU(z) with slope alpha (α = 0.01)",
                          constants={"alpha": 0.01})) == []
    (problem,) = problems(drill(prompt="LeakyReLU(z) with α = 0.1 as a formula",
                                constants={"alpha": 0.01}))
    assert "0.1" in problem


def test_places_and_unreadable_sides_are_never_reported():
    d = drill("It is 0.5 at z = 0. From the output a = σ(z) it is a(1 − a); W_new = W − lr·dW. "
              "Then 2·z (1 + z) = 3 is prose.", hint="Equals 1 at z = 0.")
    assert drill_claims(d) == []


def test_d_dz_of_a_formula_is_its_slope():
    right = drill("d/dz (1 + e⁻ᶻ)⁻¹ = e⁻ᶻ/(1 + e⁻ᶻ)² = σ(z)(1 − σ(z)). And d/dz αz = α for z < 0.",
                  constants={"alpha": 0.01})
    assert texts(right) == ["d/dz (1 + e⁻ᶻ)⁻¹ = e⁻ᶻ/(1 + e⁻ᶻ)² = σ(z)(1 − σ(z))",
                            "d/dz αz = α for z < 0"]
    assert problems(right) == []
    (problem,) = problems(drill("d/dz (1 + e⁻ᶻ)⁻¹ = e⁻ᶻ/(1 + e⁻ᶻ)."))
    assert "e⁻ᶻ/(1 + e⁻ᶻ)" in problem


def test_a_rounded_number_is_held_to_the_digits_it_shows():
    assert problems(drill("So √(2/π) = 0.7979 here.")) == []
    assert problems(drill("So √(2/π) = 0.7980 here."))


def test_quizapp_check_warns_at_the_line_of_the_wrong_field(tmp_path):
    deck = tmp_path / "deck.md"
    deck.write_text(
        '+++\ndeck = "d"\ntitle = "D"\n+++\n\n'
        "```drill\n"
        'id = "sig"\n'
        'prompt = "The sigmoid as a formula in z"\n'
        'answer = "1/(1 + exp(-z))"\n'
        'vars = { z = [-6, 6] }\n'
        'hint = "σ(z) = 1/(1 + eᶻ)"\n'
        'explanation = "σ(z) = 1/(1 + e⁻ᶻ)."\n'
        'engine = { activation = "sigmoid", of = "value" }\n'
        "```\n", encoding="utf-8")
    report = run_check([deck])
    text = report.text()
    assert report.warnings == 1 and report.exit_code == 0
    assert f"{deck}:11:1: warning: drill 'sig': the hint says 'σ(z) = 1/(1 + eᶻ)'" in text
