"""A generated question shows the formula of the variant it computes, and working from it is right.

Issue 14 A: GELU questions with approximate = "tanh" printed the exact z·Φ(z) and f′ = Φ + zφ but
graded the tanh approximation, so an answer worked from the printed formula was marked wrong about
half the time. Here the formula a question prints (prompt, solution heading, conventions) is
evaluated with the formula evaluator, typed in as a person would (10 significant digits) and graded
by the generator's own grader — for GELU tanh and for every activation and drawn variant.
"""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.core.engine import activations as A
from quizapp.core.engine.formula_text import read_shown
from quizapp.core.formula.language import evaluate
from quizapp.core.generators import DIFFICULTIES, activation_names, generate, grade
from quizapp.core.generators.format import MINUS, arr
from quizapp.core.generators.worksheet import text as listing

SEEDS = range(8)
ACTIVATION_FAMILIES = ("activation_value", "activation_derivative", "backprop_activation")


def worked(text: str, z: np.ndarray, constants: dict) -> np.ndarray:
    """The value of a shown formula (every form must agree), helper definitions first."""
    forms, where = read_shown(text)
    env = {**constants, "z": z}
    for name, body in where:
        env[name] = evaluate(body, env)
    values = [evaluate(form, env) for form in forms]
    for other in values[1:]:
        assert np.allclose(other, values[0], rtol=1e-9, atol=1e-12), forms
    return values[0]


def typed(value: np.ndarray) -> str:
    return arr(value, 10).replace(MINUS, "-")


def shown(q):
    act = A.get(q.activation)
    return act.formulas(**{k: v for k, v in q.params.items() if k in act.defaults})


def check_states_its_formulas(q) -> None:
    """f(z) (and in solutions f′(z)) appear exactly as the registry's text for q's own variant."""
    text = shown(q)
    assert q.prompt.count("f(z) = ") == 1, q.prompt
    assert f"f(z) = {text.f_text}" in q.prompt, q.prompt
    assert q.conventions[0].endswith(f"f(z) = {text.f_text}; f′(z) = {text.df_text}"), q.conventions
    if q.family == "activation_value":
        assert q.solution[0].endswith(f"f(z) = {text.f_text}, applied to each entry."), q.solution
    elif q.family in ACTIVATION_FAMILIES:
        assert q.solution[0].endswith(f"f′(z) = {text.df_text}, entry by entry."), q.solution
    else:
        assert any(f"f(z) = {text.f_text})" in line for line in q.solution), q.solution
        assert any(f"(f′(z) = {text.df_text})" in line for line in q.solution), q.solution


def answers_from_shown_formulas(q) -> dict[str, np.ndarray]:
    """What a person gets by applying the question's own printed formulas to its inputs."""
    text = shown(q)
    c = dict(text.constants)
    if q.family != "two_layer":
        z = np.asarray(q.inputs["z"], dtype=float)
        if q.family == "activation_value":
            return {"a": worked(text.f_text, z, c)}
        d = worked(text.df_text, z, c)
        if q.family == "activation_derivative":
            return {"dadz": d}
        return {"dz": np.asarray(q.inputs["da"], dtype=float) * d}
    x, W1, b1, W2, b2, y = (np.asarray(q.inputs[k], dtype=float)
                            for k in ("x", "W1", "b1", "W2", "b2", "y"))
    Z1 = x @ W1 + b1
    A1 = worked(text.f_text, Z1, c)
    dyhat = A1 @ W2 + b2 - y
    dZ1 = (dyhat @ W2.T) * worked(text.df_text, Z1, c)
    return {"dW1": x.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": A1.T @ dyhat, "db2": dyhat.sum(axis=0)}


def assert_graded_right(q) -> None:
    for name, value in answers_from_shown_formulas(q).items():
        verdict = grade(q, name, typed(value))
        assert verdict.correct, (q.id, name, verdict.message, q.prompt)


@pytest.mark.parametrize("family", [*ACTIVATION_FAMILIES, "two_layer"])
@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_gelu_tanh_questions_show_the_tanh_formula_and_grade_it_right(family, difficulty):
    for seed in SEEDS:
        q = generate(family, seed=seed, difficulty=difficulty, activation="gelu",
                     params={"approximate": "tanh"})
        everything = " ".join([q.prompt, *q.solution, *q.conventions])
        assert "tanh(√(2/π)·(z + 0.044715·z³))" in q.prompt
        assert "erf" not in everything and "Φ" not in everything, everything
        assert "tanh approximation" in " ".join(q.conventions)
        check_states_its_formulas(q)
        assert_graded_right(q)


def test_gelu_exact_questions_still_show_the_exact_formula():
    for seed in SEEDS:
        q = generate("activation_derivative", seed=seed, difficulty="easy", activation="gelu")
        assert q.params == {"approximate": "none"}
        assert "z·Φ(z) = ½·z·(1 + erf(z/√2))" in q.prompt and "tanh" not in q.prompt
        check_states_its_formulas(q)
        assert_graded_right(q)


@pytest.mark.parametrize("family", [*ACTIVATION_FAMILIES, "two_layer"])
@pytest.mark.parametrize("activation", activation_names())
def test_every_activation_and_drawn_variant_is_graded_right_from_its_shown_formula(family, activation):
    variants = set()
    for difficulty in ("medium", "hard"):  # these draw the registry's parameter choices
        for seed in SEEDS:
            q = generate(family, seed=seed, difficulty=difficulty, activation=activation)
            variants.add(tuple(sorted(q.params.items())))
            check_states_its_formulas(q)
            assert_graded_right(q)
    assert len(variants) >= min(2, len(A.get(activation).variants()))


def test_the_text_listing_keeps_a_long_formula_in_one_bullet_and_one_step():
    """`quizapp questions` wraps at 100 columns: a wrapped GELU-tanh f′ must not gain a bullet."""
    q = generate("activation_derivative", seed=3, activation="gelu", params={"approximate": "tanh"})
    out = listing([q])
    assert sum(line.startswith("    • ") for line in out.splitlines()) == len(q.conventions)
    assert sum(line.startswith("    1. ") for line in out.splitlines()) == 1
    assert max(len(line) for line in out.splitlines()) <= 100
