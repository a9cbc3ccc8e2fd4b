"""Dense layer and losses against finite differences; the m-convention; stability."""

import numpy as np
import pytest

from quizapp.core.engine import layers, losses
from quizapp.core.engine.gradcheck import check_grad as _check_grad
from quizapp.core.engine.gradcheck import max_rel_error, numeric_grad


def check_grad(f, grad, x):
    # Loss values are O(10) while some gradient entries are O(1e-3): rounding in f limits the
    # centred difference to ~1e-7 relative there, so losses are checked at 1e-6.
    return _check_grad(f, grad, x, eps=1e-5, tol=1e-6)

rng = np.random.default_rng(7)
m, n_in, n_out = 5, 4, 3
X = rng.normal(size=(m, n_in))
W = rng.normal(size=(n_in, n_out))
b = rng.normal(size=n_out)
G = rng.normal(size=(m, n_out))  # per-example upstream gradient dZ


def test_dense_forward():
    assert np.allclose(layers.dense_forward(X, W, b), X @ W + b)
    assert np.allclose(layers.dense_forward(X, W, b[None, :]), X @ W + b)


def test_dense_backward_matches_finite_differences_of_the_mean_loss():
    # L = (1/m) Σᵢ ℓᵢ with ℓᵢ = G[i]·Z[i], so the per-example gradient ∂ℓᵢ/∂Zᵢ is exactly G[i].
    def loss(X_, W_, b_):
        return np.sum(G * layers.dense_forward(X_, W_, b_)) / m

    dW, db, dX = layers.dense_backward(X, W, G)
    assert max_rel_error(dW, numeric_grad(lambda w: loss(X, w, b), W)) < 1e-7
    assert max_rel_error(db, numeric_grad(lambda v: loss(X, W, v), b)) < 1e-7
    # dX is per example (no 1/m): the gradient of the *sum* Σᵢ ℓᵢ
    assert max_rel_error(dX, numeric_grad(lambda x: loss(x, W, b) * m, X)) < 1e-7
    grads = layers.dense_backward(X, W, G)
    assert np.allclose(grads.dW, X.T @ G / m) and np.allclose(grads.db, G.sum(0) / m)


def test_dense_shape_errors():
    with pytest.raises(ValueError, match="X columns"):
        layers.dense_forward(X, W.T, b)
    with pytest.raises(ValueError, match="b must"):
        layers.dense_forward(X, W, np.ones(2))
    with pytest.raises(ValueError, match="dZ"):
        layers.dense_backward(X, W, G.T)
    with pytest.raises(ValueError, match="2-D"):
        layers.dense_forward(X[0], W, b)


@pytest.mark.parametrize("act", ["relu", "leaky_relu", "tanh", "softmax"])
def test_dense_activation_chain(act):
    target = rng.integers(0, n_out, size=m)

    def loss(W_):
        c = layers.dense_activation_forward(X, W_, b, act)
        return float(np.sum(np.log(c.A[np.arange(m), target] + 2.0))) / m

    cache = layers.dense_activation_forward(X, W, b, act)
    dA = np.zeros_like(cache.A)
    dA[np.arange(m), target] = 1.0 / (cache.A[np.arange(m), target] + 2.0)
    dZ, grads = layers.dense_activation_backward(cache, dA)
    assert dZ.shape == cache.Z.shape
    assert max_rel_error(grads.dW, numeric_grad(loss, W)) < 1e-6


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_mse(reduction):
    yp, yt = rng.normal(size=(m, 2)), rng.normal(size=(m, 2))
    r = losses.mse(yp, yt, reduction=reduction)
    expect = np.mean((yp - yt) ** 2) if reduction == "mean" else np.sum((yp - yt) ** 2)
    assert r.value == pytest.approx(expect, rel=1e-14)
    assert check_grad(lambda p: losses.mse(p, yt, reduction=reduction).value, r.grad, yp).ok
    assert np.allclose(r.dZ, r.grad * (m if reduction == "mean" else 1))


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_bce_with_logits(reduction):
    z, y = rng.normal(size=(m, 2)) * 3, rng.uniform(size=(m, 2))
    r = losses.bce_with_logits(z, y, reduction=reduction)
    p = 1 / (1 + np.exp(-z))
    naive = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert r.value == pytest.approx(naive.mean() if reduction == "mean" else naive.sum(), rel=1e-12)
    assert check_grad(lambda v: losses.bce_with_logits(v, y, reduction=reduction).value,
                      r.grad, z).ok
    assert np.allclose(r.dZ, p - y if reduction == "sum" else (p - y) / 2)  # mean: /k, k = 2


def test_bce_is_stable_at_huge_logits():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        r = losses.bce_with_logits(np.array([1000.0, -1000.0, 800.0, -800.0]),
                                   np.array([0.0, 1.0, 1.0, 0.0]), reduction="sum")
    assert r.value == pytest.approx(2000.0) and np.array_equal(r.grad, [1.0, -1.0, 0.0, 0.0])


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("kind", ["int", "onehot", "soft"])
def test_softmax_cross_entropy(reduction, kind):
    z = rng.normal(size=(m, n_out)) * 2
    ints = rng.integers(0, n_out, size=m)
    onehot = np.eye(n_out)[ints]
    labels = {"int": ints, "onehot": onehot,
              "soft": rng.dirichlet(np.ones(n_out), size=m) * 1.5}[kind]
    r = losses.softmax_cross_entropy(z, labels, reduction=reduction)
    assert check_grad(lambda v: losses.softmax_cross_entropy(v, labels, reduction=reduction).value,
                      r.grad, z).ok
    if kind != "soft":
        sm = np.exp(z) / np.exp(z).sum(1, keepdims=True)
        assert np.allclose(r.dZ, sm - onehot)  # the famous softmax − y
        ll = -np.log(sm[np.arange(m), ints])
        assert r.value == pytest.approx(ll.mean() if reduction == "mean" else ll.sum())


def test_softmax_cross_entropy_stable_and_single_row():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        r = losses.softmax_cross_entropy(np.array([[1000.0, 0.0, -1000.0]]), np.array([2]))
    assert r.value == pytest.approx(2000.0) and np.allclose(r.grad, [[1, 0, -1]])
    one = losses.softmax_cross_entropy(np.array([1.0, 2.0, 3.0]), np.array(0))
    assert one.grad.shape == (3,)
    with pytest.raises(ValueError, match="0..2"):
        losses.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="reduction"):
        losses.mse([1.0], [1.0], reduction="none")
