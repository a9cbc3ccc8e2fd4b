"""The numbers the backpropagation deck states, recomputed independently (issue 16).

Each test reads a card through quizapp's own parser and checks the numbers it states against a
computation here (finite differences, shapes of NumPy products, arithmetic); a wrong number in the
deck fails the test.
"""

from __future__ import annotations

import math

import numpy as np

from quizapp.core.content.model import Card, Deck

from deck_numbers import card_by_id
from deck_numbers import deck as shipped_deck

NAME = "backpropagation"


def deck() -> Deck:
    return shipped_deck(NAME)


def card(card_id: str) -> Card:
    return card_by_id(NAME, card_id)


def text(card_id: str) -> str:
    c = card(card_id)
    return "\n".join([c.front, c.back, *(ch.text for ch in c.choices), c.note]).replace("−", "-")


def numeric_grad(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e.flat[i] = h
        g.flat[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def test_deck_loads_without_errors() -> None:
    assert not [p for p in deck().problems if p.severity == "error"]
    assert len(deck().cards) >= 120


def test_graph_example() -> None:
    def f(v: np.ndarray) -> float:
        x, y, z = v
        return (x + y) * z

    v = np.array([-2.0, 5.0, -4.0])
    g = numeric_grad(f, v)
    assert np.allclose(g, [-4, -4, 3])
    t = text("graph-example")
    assert f"f = q·z = {f(v):g}" in t and "∂f/∂z = q = 3" in t and "∂f/∂x = ∂f/∂y = -4" in t


def test_scalar_net() -> None:
    x, t_ = 2.0, -4.0

    def loss(w: np.ndarray) -> float:
        h = max(w[0] * x, 0.0)
        return 0.5 * (w[1] * h - t_) ** 2

    g = numeric_grad(loss, np.array([3.0, -1.0]))
    t = text("scalar-net")
    assert f"∂L/∂w₂ = -2·h = {g[1]:.0f}" in t
    assert f"∂L/∂w₁ = 2·1·x = {g[0]:.0f}" in t


def test_mul_gate_numbers() -> None:
    x, y, up = 3.0, -4.0, 2.0
    t = text("mul-gate-numbers")
    assert f"= {up * y:g}" in t and f"= {up * x:g}" in t


def test_shapes_example() -> None:
    X, W = np.zeros((32, 784)), np.zeros((784, 128))
    dZ = X @ W
    assert dZ.shape == (32, 128)
    assert (X.T @ dZ).shape == (784, 128) and (dZ @ W.T).shape == (32, 784)
    t = text("shapes-example")
    assert "dZ 32×128" in t and "= 784×128" in t and "= 32×784" in t


def test_jacobian_size() -> None:
    assert 4096**2 == 16_777_216
    assert "16,777,216" in text("c-jacobian-size")


def test_activation_memory() -> None:
    total = 32 * 50 * 10**6 * 4
    assert total == 6.4e9
    assert "6.4·10⁹ bytes" in text("activation-memory-numbers")


def test_checkpointing_100_layers() -> None:
    n = 100
    best_k = min(range(1, n + 1), key=lambda k: math.ceil(n / k) + k)
    assert best_k == 10 == math.isqrt(n)
    assert math.ceil(n / best_k) + best_k == 20
    t = text("ckpt-100")
    assert "= 20, against 100" in t


def test_finite_differences_of_x_cubed() -> None:
    f = lambda x: x**3  # noqa: E731
    h = 0.1
    fwd = (f(1 + h) - f(1)) / h
    ctr = (f(1 + h) - f(1 - h)) / (2 * h)
    t = text("fd-x-cubed")
    assert f"= {fwd:.2f} (error {fwd - 3:.2f})" in t
    assert f"= {ctr:.2f} (error {ctr - 3:.2f}" in t
    assert math.isclose(ctr - 3, h**2 * 6 / 6)


def test_step_sizes() -> None:
    eps64 = np.finfo(np.float64).eps
    t = text("gradcheck-step")
    assert f"{eps64:.1e}" == "2.2e-16"
    assert round(eps64 ** (1 / 3) * 1e6) == 6 and "6·10⁻⁶" in t
    assert f"{math.sqrt(eps64):.1e}" == "1.5e-08" and "1.5·10⁻⁸" in t


def test_float32_vs_float64_rounding_in_gradcheck() -> None:
    eps32 = float(np.finfo(np.float32).eps)
    eps64 = float(np.finfo(np.float64).eps)
    t = text("gradcheck-float64")
    assert f"{eps32:.1e}" == "1.2e-07" and "1.2·10⁻⁷" in t
    assert round(math.log10(eps32 / 1e-5)) == -2 and "≈ 10⁻²" in t
    assert f"{eps64 / 1e-5:.0e}" == "2e-11" and "2·10⁻¹¹" in t
    # The claim itself: float32 centred differences at h = 1e-5 are typically off by 1e-3 relative
    # (far above 1e-7) and never by much more than ε/h; float64 ones by under 1e-8.
    xs = np.linspace(0.1, 3.0, 300)
    true = 3 * xs**2
    x32, h32 = xs.astype(np.float32), np.float32(1e-5)
    rel32 = np.abs(((x32 + h32) ** 3 - (x32 - h32) ** 3) / (2 * h32) - true) / true
    assert np.median(rel32) > 1e-4 and rel32.max() < 2 * eps32 / 1e-5
    rel64 = np.abs(((xs + 1e-5) ** 3 - (xs - 1e-5) ** 3) / 2e-5 - true) / true
    assert rel64.max() < 1e-8  # mostly truncation h²/(3x²) at small x


def test_flops_of_dense_layer() -> None:
    m, n, k = 3, 4, 5
    forward = m * k * (2 * n)  # each of m·k outputs: n multiplies and n adds (2mnk)
    backward = n * k * (2 * m) + m * n * (2 * k)  # dW = Xᵀ dZ and dX = dZ Wᵀ
    assert backward == 2 * forward
    assert "2mnk" in text("matmul-flops") and "4mnk" in text("matmul-flops")
