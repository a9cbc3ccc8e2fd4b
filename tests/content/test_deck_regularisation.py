"""The numbers content/regularisation.md states, recomputed independently (NumPy).

A wrong number in a card fails its test (see deck_numbers.py for how stated numbers are matched).
"""

from __future__ import annotations

import math

import numpy as np
from deck_numbers import assert_states as _assert_states
from deck_numbers import card, deck

DECK = "regularisation"


def assert_states(card_id: str, *values: float) -> None:
    _assert_states(DECK, card_id, *values)


def soft_threshold(w: float, t: float) -> float:
    return math.copysign(max(abs(w) - t, 0.0), w)


def adam_first_step(w: float, g: float, lr: float, l2: float = 0.0, decoupled: float = 0.0) -> float:
    g = g + l2 * w
    m, v = 0.1 * g, 0.001 * g * g
    m_hat, v_hat = m / 0.1, v / 0.001
    return w - lr * decoupled * w - lr * m_hat / math.sqrt(v_hat)


def test_l2_gradient():
    lam, w = 0.01, 3.0
    assert_states("l2-grad-numbers", lam * w, 2 * lam * w)


def test_soft_threshold():
    assert soft_threshold(0.03, 0.05) == 0.0
    assert_states("soft-threshold-numbers", soft_threshold(-0.3, 0.05))


def test_decay_equals_l2_over_lr():
    lam_prime = 1e-4
    for lr in (0.1, 0.01):
        lam = lam_prime / lr
        w, g = 1.7, 0.3
        assert math.isclose(w - lr * (g + lam * w), (1 - lam_prime) * w - lr * g)
    assert_states("decay-l2-numbers", lam_prime / 0.1, lam_prime / 0.01)


def test_adam_l2_vs_adamw_first_step():
    w, g, lr, lam = 2.0, 0.5, 0.1, 0.01
    assert_states("adam-l2-vs-adamw-numbers", g + lam * w, adam_first_step(w, g, lr, l2=lam),
                  adam_first_step(w, g, lr, decoupled=lam))


def test_adam_l2_uneven_decay():
    lam, w = 0.01, 1.0
    assert_states("adam-l2-uneven-numbers", lam * w / 10, lam * w / 0.01, lam * w)


def test_dropout_scale_cloze():
    (c,) = [c for c in deck(DECK).cards if "With p = 0.2, inverted dropout" in c.front]
    assert float(c.back) == 1 / (1 - 0.2)


def test_dropout_forward_backward():
    x, mask, dy, p = np.array([2.0, -1, 4]), np.array([1, 0, 1]), np.array([0.5, 3, -1]), 0.5
    y, dx = x * mask / (1 - p) + 0.0, dy * mask / (1 - p) + 0.0  # + 0.0 turns −0 into 0
    back = card(DECK, "dropout-numbers").back
    fmt = lambda a: "(" + ", ".join(f"{v:g}".replace("-", "−") for v in a) + ")"  # noqa: E731
    assert f"= {fmt(y)};" in back and f"= {fmt(dx)}." in back


def test_alexnet_crops():
    positions = (256 - 224) ** 2
    assert_states("alexnet-crops", positions * 2, positions)


def test_cutmix_area():
    share = 16 * 16 / (32 * 32)
    assert_states("cutmix-numbers", share, 1 - share, 16 * 16, 32 * 32)


def test_input_noise_is_l2():
    rng = np.random.default_rng(0)
    w, x, y, sigma = np.array([0.5, -1.2, 2.0]), np.array([1.0, 0.3, -0.7]), 0.4, 0.3
    eps = rng.normal(0, sigma, size=(400_000, 3))
    mc = np.mean((y - (x + eps) @ w) ** 2)
    assert math.isclose(mc, (y - x @ w) ** 2 + sigma ** 2 * w @ w, rel_tol=0.01)
    assert "σ²‖w‖²" in card(DECK, "input-noise-l2").back


def test_max_norm_projection():
    w, c = np.array([3.0, 4.0]), 3.0
    projected = w * c / np.linalg.norm(w)
    assert_states("max-norm-numbers", *projected, np.linalg.norm(w))


def test_stochastic_depth_survival():
    assert_states("stochastic-depth-numbers", 1 - (27 / 54) * (1 - 0.5))


def test_l2_hessian_factor():
    # minimise ½h(w − w*)² + ½αw²: the optimum is h·w*/(h + α)
    h, alpha, w_star = 2.0, 0.5, 1.3
    ws = np.linspace(-3, 3, 600_001)
    best = ws[np.argmin(0.5 * h * (ws - w_star) ** 2 + 0.5 * alpha * ws ** 2)]
    assert math.isclose(best, h / (h + alpha) * w_star, abs_tol=1e-4)
    assert card(DECK, "l2-hessian-factor").back.startswith("h/(h + α)")


def test_inverted_dropout_variance():
    rng = np.random.default_rng(3)
    x, p = 1.7, 0.3
    y = x * (rng.random(2_000_000) >= p) / (1 - p)
    assert math.isclose(y.var(), x * x * p / (1 - p), rel_tol=0.01)
    back = card(DECK, "dropout-variance").back
    assert back.startswith("x²·p/(1 − p)") and "For p = 0.5 the variance is x²" in back  # 0.5/(1 − 0.5) = 1
