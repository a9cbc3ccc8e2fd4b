"""The signal-propagation deck's numbers and claims, recomputed.

Numbers (growth factors, depth scales, fixed points) are computed from the maps the deck states;
the maps themselves and the phase claims are checked on seeded random networks (Gaussian integrals
by sampling, a deep ReLU net at He init, tanh nets in the ordered and chaotic phases, Jacobian
singular values with orthogonal and Gaussian weights).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from quizapp.core.content.model import Card

from deck_numbers import card_by_id, deck, right_answer, wrong_options_of

NAME = "signal-propagation"


def deck_cards() -> list[Card]:
    return deck(NAME).cards


def card(card_id: str) -> Card:
    return card_by_id(NAME, card_id)


def answer(card_id: str) -> str:
    return right_answer(card(card_id))


def wrong_options(card_id: str) -> list[str]:
    return wrong_options_of(card(card_id))


@pytest.mark.parametrize(("card_id", "value"), [
    ("chi095-50", 0.95 ** 50),
    ("xi-09", -1 / math.log(0.9)),
    ("xi-099", -1 / math.log(0.99)),
    ("xi-grad-08", -1 / math.log(0.8)),
    ("tanh-08-10", (0.8 ** 2) ** 10),
])
def test_stated_factors(card_id, value):
    """The leading "≈ x" is the true value correctly rounded to the digits it shows."""
    text = answer(card_id)
    m = re.match(r"≈ (\d+)(?:\.(\d+))?", text)
    assert m, text
    decimals = len(m.group(2) or "")
    stated = float(m.group(0)[2:])
    assert abs(stated - value) <= 0.5 * 10 ** -decimals + 1e-12, (card_id, value, text)


def test_multiple_choice_factors():
    assert answer("chi105-50") == f"≈ {1.05 ** 50:.1f}"
    assert f"≈ {round(1.05 ** 100)}" in wrong_options("chi105-50")
    assert answer("relu-18-30") == f"≈ {0.9 ** 30:.3f}"
    assert f"≈ {0.9 ** 60:.4f}" in wrong_options("relu-18-30")
    assert answer("relu-22-30").startswith(f"≈ {1.1 ** 30:.1f} times larger")


def relu_length_map(q: float, sw2: float, sb2: float) -> float:
    return sw2 * q / 2 + sb2


def test_relu_fixed_point_by_iteration():
    q = 5.0
    for _ in range(200):
        q = relu_length_map(q, 1.0, 0.5)
    assert math.isclose(q, 1.0) and answer("relu-qstar").startswith("q* = 1:")


def test_linear_network_with_bias_grows_linearly():
    q = [2.0]
    for _ in range(5):
        q.append(1.0 * q[-1] + 0.1)
    assert np.allclose(np.diff(q), 0.1)
    assert answer("linear-bias-growth").startswith("It grows linearly, by 0.1 per layer")


def test_relu_gaussian_moments():
    rng = np.random.default_rng(0)
    for q in (0.3, 2.0):
        h = rng.normal(scale=math.sqrt(q), size=1_000_000)
        assert abs(np.mean(np.maximum(h, 0) ** 2) - q / 2) < 0.01 * q
        assert abs(np.mean(h > 0) - 0.5) < 0.002  # E[ReLU′(h)²] = P(h > 0)


def random_net_forward(x: np.ndarray, phi, sigma_w: float, sigma_b: float, depth: int, rng, orthogonal=False):
    n = x.shape[0]
    hs, ws = [], []
    h = x
    for _ in range(depth):
        if orthogonal:
            W = np.linalg.qr(rng.normal(size=(n, n)))[0] * sigma_w
        else:
            W = rng.normal(scale=sigma_w / math.sqrt(n), size=(n, n))
        b = rng.normal(scale=sigma_b, size=n) if sigma_b else 0.0
        h = W @ phi(h) + b
        hs.append(h)
        ws.append(W)
    return hs, ws


def test_he_init_preserves_relu_variance_over_depth():
    rng = np.random.default_rng(1)
    n = 600
    x = rng.normal(size=n)
    relu = lambda z: np.maximum(z, 0)  # noqa: E731
    h0 = x / math.sqrt(np.mean(np.maximum(x, 0) ** 2) * 2)  # so that q¹ starts at 1
    hs, _ = random_net_forward(h0, relu, math.sqrt(2), 0.0, 30, rng)
    assert 1 / 3 < np.var(hs[-1]) / np.var(hs[0]) < 3  # finite width: a random walk around 1
    hs_small, _ = random_net_forward(h0, relu, math.sqrt(1.8), 0.0, 30, rng)
    assert np.var(hs_small[-1]) / np.var(hs_small[0]) < 0.15  # 0.9²⁹ ≈ 0.047, with sampling noise


def correlation_after(sigma_w: float, depth: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    n = 400
    x1 = rng.normal(size=n)
    x2 = x1 + 0.05 * rng.normal(size=n)  # two nearby inputs, correlation ≈ 0.999
    h1, h2 = x1, x2
    for _ in range(depth):
        W = rng.normal(scale=sigma_w / math.sqrt(n), size=(n, n))
        b = rng.normal(scale=0.3, size=n)
        h1, h2 = W @ np.tanh(h1) + b, W @ np.tanh(h2) + b
    return float(np.corrcoef(h1, h2)[0, 1])


def test_ordered_phase_keeps_nearby_inputs_together_and_chaos_separates_them():
    assert correlation_after(0.8, 30, 0) > 0.999
    assert correlation_after(3.0, 30, 0) < 0.9


def jacobian_singular_values(phi, dphi, sigma_w: float, depth: int, orthogonal: bool, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = 100
    h = rng.normal(size=n)
    J = np.eye(n)
    for _ in range(depth):
        if orthogonal:
            W = np.linalg.qr(rng.normal(size=(n, n)))[0] * sigma_w
        else:
            W = rng.normal(scale=sigma_w / math.sqrt(n), size=(n, n))
        h = W @ phi(h)
        J = np.diag(dphi(h)) @ W @ J
    return np.linalg.svd(J, compute_uv=False)


def test_isometry_claims():
    ident, one = (lambda z: z), (lambda z: np.ones_like(z))
    s_orth = jacobian_singular_values(ident, one, 1.0, 20, orthogonal=True)
    assert np.allclose(s_orth, 1.0)  # deep linear orthogonal: every singular value 1
    s_gauss = jacobian_singular_values(ident, one, 1.0, 20, orthogonal=False)
    assert 0.5 < np.mean(s_gauss ** 2) < 2 and s_gauss.max() / s_gauss.min() > 1e3  # mean square ≈ 1, huge spread
    relu, drelu = (lambda z: np.maximum(z, 0)), (lambda z: (z > 0).astype(float))
    s_relu = jacobian_singular_values(relu, drelu, math.sqrt(2), 20, orthogonal=True)
    assert s_relu.max() / np.median(s_relu) > 5  # spread out even with orthogonal weights
    assert answer("relu-no-isometry").startswith("No")


def test_tanh_chi1_at_zero_fixed_point():
    sigma_w = 0.8
    q = 1.0
    z = np.random.default_rng(2).normal(size=200_000)
    for _ in range(300):
        q = sigma_w ** 2 * np.mean(np.tanh(math.sqrt(q) * z) ** 2)
    assert q < 1e-3
    chi1 = sigma_w ** 2 * np.mean((1 - np.tanh(math.sqrt(q) * z) ** 2) ** 2)
    assert abs(chi1 - sigma_w ** 2) < 0.01
