"""Normalisation, dropout, attention and the new loss options against finite differences."""

import numpy as np
import pytest

from quizapp.core.engine import attention, dropout, losses, norm
from quizapp.core.engine.gradcheck import check_grad, max_rel_error, numeric_grad

rng = np.random.default_rng(11)
X = rng.normal(size=(4, 3))
GAMMA = rng.normal(size=3)
BETA = rng.normal(size=3)
DY = rng.normal(size=(4, 3))


@pytest.mark.parametrize("forward", [norm.batchnorm_forward, norm.layernorm_forward])
@pytest.mark.parametrize("eps", [1e-5, 0.5])
def test_norm_backward_matches_finite_differences(forward, eps):
    def loss(x=X, g=GAMMA, b=BETA):
        return np.sum(DY * forward(x, g, b, eps).y)

    grads = norm.norm_backward(forward(X, GAMMA, BETA, eps), DY)
    assert check_grad(lambda v: loss(x=v), grads.dx, X, tol=1e-7).ok
    assert check_grad(lambda v: loss(g=v), grads.dgamma, GAMMA, tol=1e-7).ok
    assert check_grad(lambda v: loss(b=v), grads.dbeta, BETA, tol=1e-7).ok


def test_batchnorm_uses_the_biased_variance_per_column_and_eps_inside_the_root():
    c = norm.batchnorm_forward(X, np.ones(3), np.zeros(3), eps=0.25)
    want = (X - X.mean(0)) / np.sqrt(X.var(0, ddof=0) + 0.25)
    assert np.allclose(c.y, want) and c.mu.shape == (1, 3)
    c = norm.layernorm_forward(X, np.ones(3), np.zeros(3), eps=0.25)
    want = (X - X.mean(1, keepdims=True)) / np.sqrt(X.var(1, ddof=0, keepdims=True) + 0.25)
    assert np.allclose(c.y, want) and c.mu.shape == (4, 1)


def test_norm_errors():
    with pytest.raises(ValueError, match="gamma"):
        norm.batchnorm_forward(X, np.ones(2), np.zeros(3))
    with pytest.raises(ValueError, match="constant"):
        norm.batchnorm_forward(np.ones((3, 2)), np.ones(2), np.zeros(2), eps=0.0)
    with pytest.raises(ValueError, match="dy"):
        norm.norm_backward(norm.batchnorm_forward(X, GAMMA, BETA), DY.T)


def test_inverted_dropout_scales_kept_units_and_passes_gradient_only_through_them():
    rng = np.random.default_rng(7)
    mask = (rng.random(X.shape) < 0.6).astype(float)
    y = dropout.dropout_forward(X, mask, 0.25)
    assert np.allclose(y, X * mask / 0.75)
    dx = dropout.dropout_backward(DY, mask, 0.25)
    assert check_grad(lambda v: np.sum(DY * dropout.dropout_forward(v, mask, 0.25)), dx, X).ok
    assert np.all(dropout.dropout_forward(X, mask, 1.0) == 0.0)  # torch: p = 1 gives zeros
    with pytest.raises(ValueError, match="0 .dropped. or 1"):
        dropout.dropout_forward(X, mask * 2, 0.5)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        dropout.dropout_scale(1.5)


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize(("t", "d"), [(2, 2), (3, 2), (4, 3)])
def test_attention_backward_matches_finite_differences(causal, t, d):
    rng = np.random.default_rng(t * 10 + d)
    Q, K, V, dO = (rng.normal(size=(t, d)) for _ in range(4))
    cache = attention.attention_forward(Q, K, V, causal)
    grads = attention.attention_backward(cache, dO)

    def loss(q=Q, k=K, v=V):
        return np.sum(dO * attention.attention_forward(q, k, v, causal).O)

    for got, wrt, x in ((grads.dQ, "q", Q), (grads.dK, "k", K), (grads.dV, "v", V)):
        assert max_rel_error(got, numeric_grad(lambda a, w=wrt: loss(**{w: a}), x)) < 1e-7


def test_attention_forward_scale_softmax_and_causal_mask():
    rng = np.random.default_rng(8)
    Q, K, V = (rng.normal(size=(3, 4)) for _ in range(3))
    c = attention.attention_forward(Q, K, V, causal=True)
    assert np.allclose(c.S, Q @ K.T / 2.0)  # √d = 2; S is kept before the mask
    assert np.allclose(np.triu(c.P, 1), 0.0) and np.allclose(c.P.sum(1), 1.0)
    assert c.P[0, 0] == 1.0  # the first query sees only the first key
    assert np.allclose(c.O, c.P @ V)
    big = attention.attention_forward(Q * 1e3, K * 1e3, V)  # scores ~1e6: no overflow
    assert np.all(np.isfinite(big.P)) and np.allclose(big.P.sum(1), 1.0)
    with pytest.raises(ValueError, match="same width"):
        attention.attention_forward(Q, K[:, :2], V)


@pytest.mark.parametrize("pos_weight", [None, 1.0, 3.0, 0.5])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_bce_with_logits_pos_weight(pos_weight, reduction):
    rng = np.random.default_rng(5)
    z = rng.normal(size=6) * 3
    y = (rng.random(6) < 0.5).astype(float)
    res = losses.bce_with_logits(z, y, reduction=reduction, pos_weight=pos_weight)
    w = 1.0 if pos_weight is None else pos_weight
    s = 1 / (1 + np.exp(-z))
    per = -(w * y * np.log(s) + (1 - y) * np.log(1 - s))
    assert res.value == pytest.approx(per.mean() if reduction == "mean" else per.sum(), rel=1e-12)
    f = lambda v: losses.bce_with_logits(v, y, reduction=reduction, pos_weight=pos_weight).value  # noqa: E731
    assert check_grad(f, res.grad, z, eps=1e-5, tol=1e-6).ok  # loss rounding limits it (see layers test)


def test_bce_pos_weight_is_stable_for_huge_logits():
    res = losses.bce_with_logits([800.0, -800.0], [0.0, 1.0], reduction="sum", pos_weight=2.0)
    assert res.value == pytest.approx(800.0 + 2 * 800.0)
    assert np.allclose(res.grad, [1.0, -2.0])


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.3])
def test_label_smoothing_as_torch(eps):
    rng = np.random.default_rng(6)
    z = rng.normal(size=(3, 4))
    labels = np.array([0, 3, 1])
    res = losses.softmax_cross_entropy(z, labels, label_smoothing=eps)
    q = (1 - eps) * np.eye(4)[labels] + eps / 4
    logp = z - z.max(1, keepdims=True)
    logp -= np.log(np.exp(logp).sum(1, keepdims=True))
    assert res.value == pytest.approx(-(q * logp).sum(1).mean(), rel=1e-12)
    f = lambda v: losses.softmax_cross_entropy(v, labels, label_smoothing=eps).value  # noqa: E731
    assert check_grad(f, res.grad, z, eps=1e-5, tol=1e-6).ok
    big = losses.softmax_cross_entropy(z * 1e4, labels, label_smoothing=eps)
    assert np.isfinite(big.value) and np.all(np.isfinite(big.grad))
