"""The numbers content/normalisation.md states, recomputed independently (NumPy).

Each test parses the shipped deck with quizapp's own parser and checks that the card states the
value the computation gives, rounded as written: a wrong number in the deck fails the test.
"""

from __future__ import annotations

import numpy as np
from deck_numbers import assert_states as _assert_states
from deck_numbers import card as _card
from deck_numbers import correct_choice

DECK = "normalisation"


def card(card_id: str):
    return _card(DECK, card_id)


def assert_states(card_id: str, *values: float) -> None:
    _assert_states(DECK, card_id, *values)


def test_running_statistics_after_one_batch():
    x = np.array([1.0, 2, 3, 4, 5])
    m = 0.1
    assert_states("bn-running-numbers", (1 - m) * 0 + m * x.mean(), x.var(ddof=1),
                  (1 - m) * 1 + m * x.var(ddof=1), x.var(), (5 - x.mean()) / np.sqrt(x.var()))


def test_running_mean_warmup():
    k = next(k for k in range(1, 100) if 0.9 ** k <= 0.1)
    assert_states("bn-running-warmup", 1 - 0.9 ** 10, k, 0.9 ** k)


def test_keras_momentum_matches_pytorch():
    assert abs(float(correct_choice(DECK, "keras-to-pytorch-momentum")) - (1 - 0.99)) < 1e-12


def test_batch_of_two_normalises_to_plus_minus_one():
    rng = np.random.default_rng(0)
    for a, b in rng.normal(size=(20, 2)) * 5:
        x = np.array([a, b])
        xhat = (x - x.mean()) / np.sqrt(x.var())
        assert np.allclose(sorted(xhat), [-1, 1])
    assert "−1 and +1" in card("bn-batch-two").back


def test_fold_numbers():
    gamma, beta, mu, var, b = 3.0, 0.5, 1.0, 0.25, 2.0
    s = gamma / np.sqrt(var)
    assert_states("bn-fold-numbers", s, s * (b - mu) + beta)


def test_fold_bias_is_bn_of_the_unit():
    rng = np.random.default_rng(1)
    gamma, beta, mu, var, eps, w, b = 1.7, -0.3, 0.4, 2.2, 1e-5, 0.8, 1.1
    x = rng.normal(size=10)
    bn = gamma * (w * x + b - mu) / np.sqrt(var + eps) + beta
    folded = (gamma / np.sqrt(var + eps)) * w * x + gamma * (b - mu) / np.sqrt(var + eps) + beta
    assert np.allclose(bn, folded)


def test_parameter_counts():
    assert_states("bn-param-count", 2 * 64, 64)
    assert_states("gn-param-count", 256 / 32, 2 * 256)
    assert_states("ln-rms-param-count", 2 * 768, 4096)


def test_layernorm_and_rmsnorm_of_1234():
    x = np.array([1.0, 2, 3, 4])
    ln = (x - x.mean()) / np.sqrt(x.var())
    assert_states("ln-numbers", *ln, x.mean(), x.var())
    rms = np.sqrt((x ** 2).mean())
    assert_states("rms-numbers", *(x / rms), (x ** 2).mean(), rms)


def test_constant_upstream_gradient_gives_zero_dx():
    rng = np.random.default_rng(2)
    x, gamma, c = rng.normal(size=5), 1.3, 0.7
    xhat = (x - x.mean()) / np.sqrt(x.var() + 1e-5)
    dxhat = np.full(5, c * gamma)
    dx = (dxhat - dxhat.mean() - xhat * (dxhat * xhat).mean()) / np.sqrt(x.var() + 1e-5)
    assert np.allclose(dx, 0)
    assert card("bn-constant-dy").back.startswith("0 for every example")
