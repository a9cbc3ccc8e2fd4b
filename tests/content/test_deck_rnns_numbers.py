"""Every number the rnns-and-gating deck asks for is recomputed here, independently of the deck.

Parameter counts are counted from the weight shapes of each gate block (and checked against the
shapes PyTorch documents: 4·hidden × input, 4·hidden × hidden, two 4·hidden biases); the LSTM and GRU
examples are run through the equations; growth and decay factors are computed with NumPy, and the
spectral-radius statement is checked on a random linear RNN.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from quizapp.core.content.model import Card, CardKind

from deck_numbers import card_by_id, deck, right_answer, wrong_options_of

NAME = "rnns-and-gating"


def deck_cards() -> list[Card]:
    return deck(NAME).cards


def card(card_id: str) -> Card:
    return card_by_id(NAME, card_id)


def answer(card_id: str) -> str:
    return right_answer(card(card_id))


def wrong_options(card_id: str) -> list[str]:
    return wrong_options_of(card(card_id))


def fmt(n: int) -> str:
    return f"{n:,}"


def gated(blocks: int, n: int, h: int, biases_per_gate: int = 1) -> int:
    """Count from shapes: each block has an h × n input matrix, an h × h recurrent one and its biases."""
    shapes = [(h, n), (h, h)] + [(h,)] * biases_per_gate
    return blocks * sum(math.prod(s) for s in shapes)


def starts_with(card_id: str, n: int) -> None:
    text = answer(card_id)
    assert re.match(rf"{re.escape(fmt(n))}\b", text), (card_id, fmt(n), text)


@pytest.mark.parametrize(("card_id", "expected"), [
    ("lstm-params-100-128", gated(4, 100, 128)),
    ("lstm-params-300-512", gated(4, 300, 512)),
    ("gru-params-100-128", gated(3, 100, 128)),
    ("rnn-params-100-128", gated(1, 100, 128)),
    ("lstm-layer2-params", gated(4, 128, 128)),
    ("pytorch-lstm-params-100-128", gated(4, 100, 128, biases_per_gate=2)),
])
def test_parameter_counts(card_id, expected):
    starts_with(card_id, expected)
    for w in wrong_options(card_id):
        assert w != fmt(expected)


def test_pytorch_lstm_count_matches_the_documented_shapes():
    n, h = 100, 128
    documented = (4 * h * n) + (4 * h * h) + 4 * h + 4 * h  # weight_ih, weight_hh, bias_ih, bias_hh
    assert documented == gated(4, n, h, biases_per_gate=2)
    distractors = set(wrong_options("pytorch-lstm-params-100-128"))
    assert {fmt(gated(4, n, h)), fmt(4 * h * (n + h)), fmt(gated(3, n, h, 2))} == distractors


def test_bidirectional_lstm():
    back = answer("bilstm-width-params")
    assert back.startswith(f"{2 * 128} wide") and fmt(2 * gated(4, 100, 128, 2)) in back


def test_truncated_bptt_chunks():
    assert answer("tbptt-1000-50").startswith(f"{1000 // 50} backward passes")


def test_growth_and_decay_factors():
    assert answer("rho-09-50").startswith(f"≈ {0.9 ** 50:.4f}")
    right = answer("rho-11-50")
    assert right == f"≈ {round(1.1 ** 50)}"
    assert f"≈ {fmt(round(1.1 ** 100))}" in wrong_options("rho-11-50")  # 1.1¹⁰⁰: twice the steps
    assert 0.5 ** 10 == 1 / 1024 and answer("scalar-w05-10").startswith("≈ 0.001: 0.5¹⁰ = 1/1,024 ≈ 0.000977")
    back = answer("forget-product-20")
    assert back.startswith(f"0.9²⁰ ≈ {0.9 ** 20:.2f} and 0.99²⁰ ≈ {0.99 ** 20:.2f}")


def test_spectral_radius_decides_growth_of_a_linear_rnn():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(6, 6))
    for rho in (0.9, 1.1):
        W = A * rho / max(abs(np.linalg.eigvals(A)))
        h = rng.normal(size=6)
        norms = [np.linalg.norm(np.linalg.matrix_power(W, t) @ h) for t in (100, 200)]
        assert (norms[1] < norms[0] * 1e-3) if rho < 1 else (norms[1] > norms[0] * 1e3)


def test_sigmoid_and_tanh_slope_bounds():
    z = np.linspace(-10, 10, 20001)
    s = 1 / (1 + np.exp(-z))
    assert math.isclose(max(s * (1 - s)), 0.25) and math.isclose(max(1 - np.tanh(z) ** 2), 1.0)
    assert answer("pascanu-vanish-sigmoid") == "4"


def test_lstm_unit_example():
    f, c_prev, i, g, o = 0.9, 2.0, 0.5, -0.4, 0.5
    c = f * c_prev + i * g
    h = o * math.tanh(c)
    back = answer("lstm-unit-example")
    assert back.startswith(f"c = 0.9·2 + 0.5·(−0.4) = 1.8 − 0.2 = {c:g}") and f"≈ {h:.3f}" in back
    assert f"{math.tanh(c):.4f}" in back


def test_gru_unit_example():
    z, h_prev, n = 0.8, 0.5, -1.0
    assert answer("gru-unit-example").startswith(f"{z * h_prev + (1 - z) * n:g}:")


def test_lstm_additive_path_gradient_is_the_forget_gate():
    """∂c_t/∂c_{t-1} along the direct path, by finite differences with the gates held fixed."""
    f, i, g, c_prev = np.array([0.3, 0.9]), np.array([0.5, 0.2]), np.array([0.1, -0.7]), np.array([1.0, -2.0])
    cell = lambda c: f * c + i * g  # noqa: E731
    eps = 1e-6
    jac = np.stack([(cell(c_prev + e) - cell(c_prev - e)) / (2 * eps) for e in np.eye(2) * eps], axis=1)
    assert np.allclose(jac, np.diag(f))


def test_tanh_rnn_one_step_jacobian():
    rng = np.random.default_rng(1)
    W, U, b, x, h0 = rng.normal(size=(3, 3)), rng.normal(size=(3, 2)), rng.normal(size=3), rng.normal(size=2), rng.normal(size=3)
    step = lambda h: np.tanh(W @ h + U @ x + b)  # noqa: E731
    h1 = step(h0)
    eps = 1e-6
    jac = np.stack([(step(h0 + e) - step(h0 - e)) / (2 * eps) for e in np.eye(3) * eps], axis=1)
    assert np.allclose(jac, np.diag(1 - h1 ** 2) @ W, atol=1e-8)
    backs = {c.back for c in deck_cards() if c.kind is CardKind.CLOZE}
    assert {"diag(1 − hₛ²) W_h", "diag(fₜ)"} <= backs
