"""Optimiser steps against written-out recurrences over several steps; decay against gradcheck."""

import math

import numpy as np
import pytest

from quizapp.core.engine import optim
from quizapp.core.engine.gradcheck import max_rel_error, numeric_grad

rng = np.random.default_rng(5)
STEPS = 6


def grads(n=STEPS, size=3):
    return [rng.normal(size=size) for _ in range(n)]


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_over_several_steps_is_the_written_out_recurrence(nesterov):
    lr, mu = 0.1, 0.9
    gs = grads()
    w0 = rng.normal(size=3)
    w, v = w0.copy(), np.zeros(3)
    for g in gs:
        step = optim.momentum_step(w, g, v, lr, mu, nesterov=nesterov)
        w, v = step.w_new, step.v_new
    # v_t = Σ_{i ≤ t} μ^(t−i) g_i (PyTorch: buffer = g₁ on the first step, then μ·buf + g)
    bufs = [sum(mu ** (t - i) * gs[i] for i in range(t + 1)) for t in range(STEPS)]
    if nesterov:
        want = w0 - lr * sum(gs[t] + mu * bufs[t] for t in range(STEPS))
    else:
        want = w0 - lr * sum(bufs)
    assert max_rel_error(v, bufs[-1]) < 1e-13 and max_rel_error(w, want) < 1e-13


@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_adam_over_several_steps_is_the_written_out_recurrence(weight_decay):
    lr, b1, b2, eps = 0.05, 0.9, 0.99, 1e-8
    gs = grads()
    w = rng.normal(size=3)
    m = v = np.zeros(3)
    want_w = w.copy()
    for t, g in enumerate(gs, 1):
        step = optim.adam_step(w, g, m, v, t, lr, b1, b2, eps, weight_decay)
        w, m, v = step.w_new, step.m_new, step.v_new
        # closed forms: m_t = (1 − β₁) Σ β₁^(t−i) g_i, v_t likewise with g², then bias-corrected
        m_t = (1 - b1) * sum(b1 ** (t - i) * gs[i - 1] for i in range(1, t + 1))
        v_t = (1 - b2) * sum(b2 ** (t - i) * gs[i - 1] ** 2 for i in range(1, t + 1))
        want_w = want_w * (1 - lr * weight_decay)
        want_w = want_w - lr * (m_t / (1 - b1 ** t)) / (np.sqrt(v_t / (1 - b2 ** t)) + eps)
        assert max_rel_error(m, m_t) < 1e-13 and max_rel_error(v, v_t) < 1e-13
    assert max_rel_error(w, want_w) < 1e-12


def test_adam_first_step_moves_each_weight_by_about_lr_against_the_gradient_sign():
    g = np.array([3.0, -0.01, 1e-3])
    s = optim.adam_step(np.zeros(3), g, np.zeros(3), np.zeros(3), 1, lr=0.1)
    assert np.allclose(s.w_new, -0.1 * np.sign(g), rtol=1e-4)
    with pytest.raises(ValueError, match="step number"):
        optim.adam_step(np.zeros(1), np.ones(1), np.zeros(1), np.zeros(1), 0)


def test_l2_in_the_loss_is_the_gradient_of_the_penalised_loss():
    W, dW_data, lam, lr = rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), 0.3, 0.1

    def penalised(W_):  # a data loss whose gradient at any W is dW_data, plus (λ/2)‖W‖²
        return float(np.sum(dW_data * W_) + lam / 2 * np.sum(W_ * W_))

    step = optim.weight_decay_step(W, dW_data, lam, lr)
    assert max_rel_error(step.dW_total, numeric_grad(penalised, W)) < 1e-8
    assert np.allclose(step.W_new, W - lr * step.dW_total, rtol=1e-15)


def test_decoupled_decay_equals_l2_for_plain_sgd_but_not_for_adam():
    W, dW, lam, lr = rng.normal(size=4), rng.normal(size=4), 0.2, 0.05
    coupled = optim.weight_decay_step(W, dW, lam, lr)
    decoupled = optim.weight_decay_step(W, dW, lam, lr, decoupled=True)
    assert np.array_equal(decoupled.dW_total, dW)
    assert max_rel_error(coupled.W_new, decoupled.W_new) < 1e-14
    adam_l2 = optim.adam_step(W, dW + lam * W, np.zeros(4), np.zeros(4), 1, lr)
    adamw = optim.adam_step(W, dW, np.zeros(4), np.zeros(4), 1, lr, weight_decay=lam)
    assert max_rel_error(adam_l2.w_new, adamw.w_new) > 1e-4


def test_clip_grad_norm_over_all_gradients_together():
    res = optim.clip_grad_norm([np.array([3.0]), np.array([[4.0, 0.0]])], max_norm=1.0)
    assert res.total_norm == 5.0 and res.coef == pytest.approx(1 / (5 + 1e-6), rel=1e-15)
    total_after = math.sqrt(sum(float(np.sum(g * g)) for g in res.clipped))
    assert total_after == pytest.approx(1.0, abs=1e-6) and total_after < 1.0
    kept = optim.clip_grad_norm([np.array([0.3, 0.4])], max_norm=2.0)
    assert kept.coef == 1.0 and kept.clipped[0].tolist() == [0.3, 0.4]
    # written-out over several steps: clipping never raises a norm and caps it at max_norm
    for g in grads(20, 5):
        out = optim.clip_grad_norm([g[:2], g[2:]], 1.5)
        after = np.sqrt(sum(np.sum(c * c) for c in out.clipped))
        assert after == pytest.approx(min(np.linalg.norm(g), 1.5), rel=1e-6)
