"""The numbers content/optimisers-and-schedules.md states, recomputed by small NumPy optimisers.

The optimisers below are written from the update rules (torch.optim's forms), independently of the
deck and of quizapp's engine; a wrong number in a card fails its test.
"""

from __future__ import annotations

import math

import numpy as np
from deck_numbers import assert_states as _assert_states
from deck_numbers import card, correct_choice, deck

DECK = "optimisers-and-schedules"


def assert_states(card_id: str, *values: float) -> None:
    _assert_states(DECK, card_id, *values)


def sgd_momentum(grads, lr, mu, nesterov=False, w=0.0):
    v, ws, vs = None, [], []
    for g in grads:
        v = g if v is None else mu * v + g  # torch: the buffer starts at the first gradient
        w = w - lr * (g + mu * v if nesterov else v)
        ws.append(w)
        vs.append(v)
    return ws, vs


def adam(grads, b1=0.9, b2=0.999):
    m = v = 0.0
    out = []
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        out.append((m, v, m / (1 - b1 ** t), v / (1 - b2 ** t)))
    return out


def test_momentum_two_steps():
    ws, vs = sgd_momentum([1.0, 1.0], lr=0.1, mu=0.9)
    assert_states("momentum-two-steps", ws[0], vs[1], ws[1])


def test_nesterov_first_step():
    ws, _ = sgd_momentum([1.0], lr=0.1, mu=0.9, nesterov=True)
    assert_states("nesterov-numbers", ws[0])


def test_momentum_terminal_velocity_cloze():
    _, vs = sgd_momentum([1.0] * 500, lr=0.1, mu=0.9)
    (c,) = [c for c in deck(DECK).cards if "[a factor]" in c.front and "constant gradient g" in c.front]
    assert round(vs[-1]) == 10 and c.back == "10"


def test_adagrad_second_step():
    G = 3.0 ** 2 + 4.0 ** 2
    assert_states("adagrad-numbers", G, 4 / math.sqrt(G))


def test_rmsprop_first_step_is_ten_lr():
    alpha, g = 0.99, 0.37
    s = (1 - alpha) * g * g
    assert_states("rmsprop-first-step", (1 - alpha), abs(g / math.sqrt(s)), math.sqrt(1 - alpha))


def test_bias_correction_table():
    for t in (1, 2, 10, 100, 1000):
        b1, b2 = 1 - 0.9 ** t, 1 - 0.999 ** t
        assert_states(f"bias-factors-{t}:bias-correction-factor-1-1t-1-0-9", b1)
        assert_states(f"bias-factors-{t}:bias-correction-factor-1-2t-2-0-999", b2)


def test_adam_first_step_and_without_correction():
    m, v, mh, vh = adam([0.25])[0]
    assert math.isclose(mh / math.sqrt(vh), 1.0)
    assert_states("adam-first-step", m / 0.25, v / 0.25 ** 2)
    assert float(correct_choice(DECK, "adam-no-correction").lstrip("≈ ").split("·")[0]) == round(m / math.sqrt(v), 2)


def test_adam_constant_gradient_steps_lr():
    for m, v, mh, vh in adam([0.3] * 50):
        assert math.isclose(mh / math.sqrt(vh), 1.0)


def test_adam_sign_flip():
    (_, _, _, _), (m2, v2, mh2, vh2) = adam([1.0, -1.0])
    assert_states("adam-sign-flip", m2, mh2, v2, vh2, -mh2 / math.sqrt(vh2))


def test_ema_horizons():
    assert_states("adam-ema-horizon", 1 / (1 - 0.9), 1 / (1 - 0.999))


def test_adamw_shrink():
    lr, lam = 1e-3, 0.01
    assert_states("adamw-shrink-numbers", lr * lam, (1 - lr * lam) ** 10000)


def test_cosine_numbers():
    lr = [0.5 * 0.1 * (1 + math.cos(math.pi * t / 100)) for t in (25, 50, 75)]
    assert_states("cosine-numbers", *lr, 1 + math.cos(math.pi / 4), 1 + math.cos(3 * math.pi / 4))


def test_steplr_numbers():
    assert_states("steplr-numbers", 65 // 30, 0.1 * 0.1 ** (65 // 30))


def test_warmup_numbers():
    assert_states("warmup-numbers", 1e-3 * 500 / 2000)


def test_transformer_schedule_peak():
    d, warmup = 512, 4000
    steps = np.arange(1, 20001)
    lr = d ** -0.5 * np.minimum(steps ** -0.5, steps * warmup ** -1.5)
    assert steps[lr.argmax()] == warmup
    assert_states("transformer-schedule-peak", warmup, lr.max())
    assert f"{d * warmup:,}" in card(DECK, "transformer-schedule-peak").back


def test_linear_scaling_numbers():
    assert_states("linear-scaling-numbers", 0.1 * 1024 / 256, 0.1 * 8192 / 256, 8192 / 256)


def test_beta2_horizons():
    assert_states("beta2-horizon", 1 / (1 - 0.95), 1 / (1 - 0.999))


def test_large_eps_turns_adam_into_momentum_sgd():
    lr, eps, m_hat, v_hat = 1e-3, 1.0, 2e-4, 1e-8
    step = lr * m_hat / (math.sqrt(v_hat) + eps)
    assert math.isclose(step, (lr / eps) * m_hat, rel_tol=1e-3)
    assert "(lr/ε)·m̂" in card(DECK, "adam-large-eps").back
