"""The numbers the losses-and-outputs deck states, recomputed independently (issue 16).

Each test reads a card through quizapp's own parser and checks that the numbers it states match a
NumPy computation; a wrong number in the deck fails the test.
"""

from __future__ import annotations

import math

import numpy as np

from quizapp.core.content.model import Card, Deck

from deck_numbers import CONTENT, card_by_id
from deck_numbers import deck as shipped_deck

NAME = "losses-and-outputs"


def deck() -> Deck:
    return shipped_deck(NAME)


def card(card_id: str) -> Card:
    return card_by_id(NAME, card_id)


def text(card_id: str) -> str:
    c = card(card_id)
    return "\n".join([c.front, c.back, *(ch.text for ch in c.choices), c.note])


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def bce(z: float, y: float) -> float:
    return max(z, 0.0) - z * y + math.log1p(math.exp(-abs(z)))


def test_deck_loads_without_errors() -> None:
    assert not [p for p in deck().problems if p.severity == "error"]
    assert len(deck().cards) >= 120


def test_mse_vs_bce_gradient_at_z_minus_5() -> None:
    p = sigmoid(-5.0)
    mse_grad = (p - 1.0) * p * (1 - p)
    bce_grad = p - 1.0
    t = text("mse-vs-bce-numbers")
    for value, fmt in ((p, "{:.6f}"), (p * (1 - p), "{:.6f}"), (mse_grad, "{:.6f}"), (bce_grad, "{:.6f}")):
        assert fmt.format(value).replace("-", "−") in t or fmt.format(abs(value)) in t, value
    assert f"{round(bce_grad / mse_grad)}" in t  # "about 150 times larger"
    assert round(1 / (p * (1 - p))) == 150


def test_bce_z2_y0() -> None:
    assert f"{bce(2.0, 0.0):.3f}" in text("bce-number-z2")
    assert f"{math.log1p(math.exp(-2.0)):.4f}" in text("bce-number-z2")


def test_sigmoid_17_rounds_to_one_in_float32() -> None:
    one = np.float32(1.0)
    s = one / (one + np.exp(np.float32(-17.0)))
    assert s == np.float32(1.0)
    assert math.exp(-17) < 2.0**-24 < 6.0e-8 + 1e-10
    assert f"{math.exp(-17):.1e}".startswith("4.1")
    t = text("c-sigmoid-rounds")
    assert "4.1·10⁻⁸" in t and "2⁻²⁴ ≈ 6.0·10⁻⁸" in t
    # The stable form gives the true loss at z = 17, y = 0.
    assert f"{bce(17.0, 0.0):.8f}" == "17.00000004"
    assert "17.00000004" in text("bce-z17")


def test_bce_z17_names_the_float32_path_that_gives_one() -> None:
    # σ(17) correctly rounded to float32 is 0.99999994, not 1.0: only the naive 1/(1 + e⁻ᶻ) in float32
    # (where 1 + e⁻¹⁷ rounds to 1) gives exactly 1.0, so the card must say that is how σ is computed.
    assert np.float32(sigmoid(17.0)) < np.float32(1.0)
    one = np.float32(1.0)
    assert one + np.exp(np.float32(-17.0)) == one
    assert "1/(1 + e⁻ᶻ)" in card("bce-z17").front
    assert "+∞" in card("bce-z17").back


def test_exp_overflow_thresholds() -> None:
    f32 = float(np.log(np.finfo(np.float32).max))
    f64 = float(np.log(np.finfo(np.float64).max))
    assert f"{f32:.2f}" == "88.72" and "88.72" in text("c-exp-overflow-f32")
    with np.errstate(over="ignore"):
        assert np.isinf(np.exp(np.float32(88.8))) and np.isfinite(np.exp(np.float32(88.7)))
    assert f"{f64:.2f}" == "709.78"
    assert "709.78" in (CONTENT / f"{NAME}.md").read_text(encoding="utf-8")  # stated in the notes


def test_lse_1000() -> None:
    z = np.array([1000.0, 1001.0, 1002.0])
    m = z.max()
    s = np.exp(z - m).sum()
    lse = m + math.log(s)
    t = text("lse-1000")
    assert f"{s:.4f}" in t and f"{math.log(s):.4f}" in t and f"{lse:.4f}" in t


def test_cross_entropy_values() -> None:
    t = text("ce-values")
    for p, digits in ((0.25, 3), (0.9, 3), (0.01, 3)):
        assert f"{-math.log(p):.{digits}f}" in t
    assert f"{math.log(10):.3f}" in text("c-init-loss-10")


def test_label_smoothing_numbers() -> None:
    eps, k = 0.1, 10
    q = np.full(k, eps / k)
    q[0] += 1 - eps
    assert np.isclose(q[0], 0.91) and np.isclose(q[1], 0.01)
    entropy = float(-(q * np.log(q)).sum())
    assert f"{entropy:.3f}" in text("c-ls-min-loss")
    # The optimal logits make softmax(z) = q: the gap is log(q_true / q_other).
    gap = math.log(q[0] / q[1])
    z = np.zeros(k)
    z[0] = gap
    p = np.exp(z) / np.exp(z).sum()
    assert np.allclose(p, q)
    assert f"{gap:.2f}" in text("ls-logit-gap") and "91" in text("ls-logit-gap")


def test_balanced_class_weights() -> None:
    counts = np.array([900, 100])
    w = counts.sum() / (len(counts) * counts)
    t = text("balanced-numbers")
    assert f"{w[0]:.3f}" in t and f"= {w[1]:g}" in t


def test_focal_modulating_factor() -> None:
    assert math.isclose((1 - 0.9) ** 2, 0.01)
    assert round(1 / (1 - 0.9) ** 2) == 100
    assert "100×" in text("c-focal-100x")


def test_huber_numbers() -> None:
    delta, r = 1.0, 3.0
    loss = delta * (abs(r) - 0.5 * delta)
    t = text("huber-numbers")
    assert f"= {loss:g}" in t and f"½r² = {0.5 * r * r:g}" in t


def test_entropy_bits_and_perplexity() -> None:
    assert f"{math.log(2):.3f}" in text("c-coin-entropy")
    assert f"{1 / math.log(2):.3f}" in text("bits-nats")
    assert math.isclose(math.exp(math.log(20)), 20)
    assert f"{math.log(20):.1f}" in text("perplexity-20")


def test_soft_label_gradient() -> None:
    t = text("bce-soft-label-grad")
    assert f"= {sigmoid(0.0) - 0.3:g}" in t
    assert f"{math.log(0.3 / 0.7):.3f}".replace("-", "−") in t
