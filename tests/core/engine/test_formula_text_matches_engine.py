"""Every formula an activation shows is the formula the engine computes.

The registry stores f and f′ per parameter variant as formula-language text (what the screen
prints); here each shown text — every equivalent form, with its helper definitions — is parsed and
evaluated by the formula evaluator and compared with the engine's ``forward``/``derivative``, for
every elementwise activation × every variant questions draw (``choices``) × extra parameter values
a caller may pass, at many points on both sides of each kink. So a question can never again state
one formula and grade another.
"""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.core.engine import activations as A
from quizapp.core.engine.formula_text import read_shown
from quizapp.core.formula.language import evaluate

RTOL = 1e-9
ATOL = 1e-12  # where f ≈ 0 (GELU's left tail, ½·z·(1 + erf(…)) cancels) only an absolute bound means anything

# Parameter values beyond the ones questions draw: the text must hold for whatever a caller passes.
EXTRA = {
    "leaky_relu": [{"alpha": 0.2}, {"alpha": 0.3}, {"alpha": 1.0}, {"alpha": 2.0}, {"alpha": -0.5}],
    "elu": [{"alpha": 0.1}, {"alpha": 2.5}],
    "softplus": [{"beta": 3.0}, {"beta": 2.0, "threshold": 5.0}, {"beta": 0.5, "threshold": 1.0}],
}


def cases() -> list[tuple[str, dict]]:
    out = []
    for name in A.names(elementwise_only=True):
        act = A.get(name)
        for params in [*act.variants(), *EXTRA.get(name, [])]:
            out.append((name, params))
    return out


def points(act: A.Activation) -> np.ndarray:
    """Spread over [−8, 8], plus both sides of each kink from 1e-9 to 0.5 (never on it), plus the
    small integers and halves questions use."""
    rng = np.random.default_rng(14)
    z = [rng.uniform(-8.0, 8.0, 400), np.arange(-6.0, 6.5, 0.5)]
    for k in act.kinks:
        near = np.array([1e-9, 1e-6, 1e-3, 0.05, 0.1, 0.5])
        z += [k - near, k + near]
    z = np.concatenate(z)
    return z[~act.at_kink(z)]


def shown_values(text: str, env: dict[str, object]) -> list[np.ndarray]:
    """The value of every form of a shown text (``A = B, with u = C``), helpers evaluated first."""
    forms, where = read_shown(text)
    env = dict(env)
    for name, body in where:
        env[name] = evaluate(body, env)
    return [evaluate(form, env) for form in forms]


def assert_close(got: np.ndarray, want: np.ndarray, z: np.ndarray, what: str) -> None:
    bad = ~(np.abs(got - want) <= ATOL + RTOL * np.abs(want))
    assert not bad.any(), (f"{what}: at z = {z[bad][:3]} the text gives {got[bad][:3]}, "
                           f"the engine {want[bad][:3]}")


def test_every_elementwise_activation_and_variant_is_covered():
    names = {n for n, _ in cases()}
    assert names == set(A.names(elementwise_only=True))
    gelu = [p.get("approximate") for n, p in cases() if n == "gelu"]
    assert sorted(gelu) == ["none", "tanh"]


@pytest.mark.parametrize(("name", "params"), cases(), ids=lambda v: str(v))
def test_shown_f_and_f_prime_evaluate_to_the_engine(name, params):
    act = A.get(name)
    shown = act.formulas(**params)
    z = points(act)
    if name == "softplus" and "threshold" not in shown.f_text:  # the tail past βz = 20: next test
        z = z[act.params(**params)["beta"] * z <= 20.0]
    env = {"z": z, **shown.constants}
    for text, want, label in ((shown.f_text, act.forward(z, **params), "f"),
                              (shown.df_text, act.derivative(z, **params), "f′")):
        values = shown_values(text, env)
        assert len(values) == len(read_shown(text)[0]) >= 1
        for form, got in zip(read_shown(text)[0], values):
            assert_close(got, want, z, f"{name} {params} {label}(z) = {form}")


@pytest.mark.parametrize(("name", "params"), [c for c in cases() if A.get(c[0]).kinks],
                         ids=lambda v: str(v))
def test_shown_derivative_states_the_kink_convention(name, params):
    """Exactly on the kink the shown f′ gives PyTorch's convention (ReLU′(0) = 0, LeakyReLU′(0) = α…)."""
    act = A.get(name)
    shown = act.formulas(**params)
    z = np.array(act.kinks)
    (got,) = shown_values(shown.df_text, {"z": z, **shown.constants})
    assert_close(got, act.derivative(z, **params), z, f"{name} {params} f′ at the kink")


def test_gelu_variants_show_different_formulas():
    gelu = A.get("gelu")
    exact, tanh = gelu.formulas(approximate="none"), gelu.formulas(approximate="tanh")
    assert "erf" in exact.f_text and "Φ" in exact.df_text and "tanh" not in exact.f_text + exact.df_text
    assert "tanh" in tanh.f_text and "0.044715" in tanh.df_text
    assert "erf" not in tanh.f_text + tanh.df_text and "Φ" not in tanh.f_text + tanh.df_text
    assert "tanh approximation" in tanh.label and "exact" in exact.label


def test_softplus_default_threshold_costs_less_than_3e_9():
    """The default threshold is left out of the shown text (the conventions state it); past βz = 20
    that costs < 3e-9 of f′ and < 1e-9 of f, relatively."""
    act = A.get("softplus")
    for beta in (0.5, 1.0, 2.0):
        shown = act.formulas(beta=beta)
        assert "threshold" not in shown.f_text
        z = np.linspace(20.0 / beta, 40.0 / beta, 200)[1:]
        env = {"z": z, **shown.constants}
        (f,) = shown_values(shown.f_text, env)
        (df,) = shown_values(shown.df_text, env)
        assert np.max(np.abs(f / act.forward(z, beta=beta) - 1)) < 1e-9
        assert np.max(np.abs(df - act.derivative(z, beta=beta))) < 3e-9


def test_a_variant_without_a_formula_is_an_error_not_a_wrong_text():
    with pytest.raises(ValueError, match="not 'none' or 'tanh'|must be 'none' or 'tanh'|no display formula"):
        A.get("gelu").formulas(approximate="sigmoid")
    with pytest.raises(TypeError, match="alpha"):
        A.get("relu").formulas(alpha=0.1)
