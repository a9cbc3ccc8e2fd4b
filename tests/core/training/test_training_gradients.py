"""The MLP's whole-network backward pass against finite differences and against ``layers``."""

import numpy as np
import pytest

from quizapp.core.engine import activations as act
from quizapp.core.engine.gradcheck import numeric_grad, rel_error
from quizapp.core.engine.layers import dense_backward
from quizapp.core.engine.mlp import MLP, init_mlp, layer_sizes


def _flat(model: MLP) -> np.ndarray:
    return np.concatenate([p.ravel() for pair in zip(model.Ws, model.bs) for p in pair])


def _load(model: MLP, theta: np.ndarray) -> None:
    pos = 0
    for p in (p for pair in zip(model.Ws, model.bs) for p in pair):
        p[...] = theta[pos:pos + p.size].reshape(p.shape)
        pos += p.size


def _analytic(model, X, y) -> np.ndarray:
    _res, grads, _ = model.loss_and_grads(X, y)
    return np.concatenate([g.ravel() for pair in grads for g in pair])


def _numeric(model, X, y) -> np.ndarray:
    probe = model.copy()
    theta0 = _flat(model)

    def f(theta):
        _load(probe, theta)
        return probe.loss(probe.forward(X).logits, y).value

    return numeric_grad(f, theta0, eps=1e-5)


def _check(a: np.ndarray, n: np.ndarray) -> float:
    """Largest elementwise relative error among entries above 1e-5; the tiny ones (dead or α-slope
    paths, where finite differences only have absolute accuracy) must agree to 1e-10 absolute."""
    big = (np.abs(a) + np.abs(n)) > 1e-5
    assert np.all(np.abs(a[~big] - n[~big]) < 1e-10)
    assert np.linalg.norm(a - n) / (np.linalg.norm(a) + np.linalg.norm(n)) < 1e-8
    return float(rel_error(a[big], n[big]).max()) if big.any() else 0.0


def _model(activation, n_classes, seed, depth=2, width=5, **params):
    rng = np.random.default_rng(seed)
    sizes = layer_sizes(2, depth, width, 1 if n_classes == 2 else n_classes)
    model = init_mlp(sizes, "he", rng, activation=activation, params=params)
    for b in model.bs:
        b[...] = rng.normal(0, 0.3, b.shape)  # nonzero biases exercise db too
    X = rng.normal(0, 1, (7, 2))
    y = rng.integers(0, n_classes, 7)
    return model, X, y


def _away_from_kinks(model, X, margin=1e-3):
    return all(np.abs(Z).min() > margin for Z in model.forward(X).Zs[:-1])


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("activation", ["tanh", "gelu", "silu", "elu"])
def test_smooth_network_gradient_matches_finite_differences(activation, n_classes):
    model, X, y = _model(activation, n_classes, seed=1, depth=3)
    a = _analytic(model, X, y)
    assert _check(a, _numeric(model, X, y)) < 1e-6


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
@pytest.mark.parametrize("n_classes", [2, 4])
def test_relu_family_gradient_away_from_kinks(activation, n_classes):
    for seed in range(50):
        model, X, y = _model(activation, n_classes, seed=seed, depth=3)
        if _away_from_kinks(model, X):
            break
    else:
        pytest.fail("no seed kept every pre-activation away from 0")
    a = _analytic(model, X, y)
    assert _check(a, _numeric(model, X, y)) < 1e-6


def test_each_layer_matches_layers_dense_backward():
    """Chain ``layers.dense_backward`` by hand (per-example dZ, dW = Xᵀ dZ / m) as the reference."""
    model, X, y = _model("leaky_relu", 3, seed=4, depth=3, alpha=0.1)
    fp = model.forward(X)
    res = model.loss(fp.logits, y)
    grads = model.backward(fp, res.dZ)
    dZ = res.dZ
    leaky = act.get("leaky_relu")
    for i in range(len(model.Ws) - 1, -1, -1):
        ref = dense_backward(fp.As[i], model.Ws[i], dZ)
        np.testing.assert_allclose(grads[i][0], ref.dW, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(grads[i][1], ref.db, rtol=1e-12, atol=1e-15)
        if i:
            dZ = ref.dX * leaky.derivative(fp.Zs[i - 1], alpha=0.1)


def test_float32_model_stays_float32_and_close_to_float64():
    model, X, y = _model("tanh", 2, seed=2)
    m32 = MLP([W.astype(np.float32) for W in model.Ws], [b.astype(np.float32) for b in model.bs],
              "tanh")
    _res, g32, fp32 = m32.loss_and_grads(X, y)
    assert all(Z.dtype == np.float32 for Z in fp32.Zs)
    assert all(g.dtype == np.float32 for pair in g32 for g in pair)
    g64 = model.loss_and_grads(X, y)[1]
    for (a, b), (c, d) in zip(g32, g64):
        np.testing.assert_allclose(a, c, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(b, d, rtol=1e-4, atol=1e-6)


def test_sgd_momentum_matches_pytorch_form():
    model, X, y = _model("tanh", 2, seed=3)
    ref = model.copy()
    v = [np.zeros_like(p) for pair in zip(ref.Ws, ref.bs) for p in pair]
    for _ in range(3):
        grads = model.loss_and_grads(X, y)[1]
        model.sgd_step(grads, 0.1, momentum=0.9)
        rgrads = [g for pair in ref.loss_and_grads(X, y)[1] for g in pair]
        for p, g, vi in zip([p for pair in zip(ref.Ws, ref.bs) for p in pair], rgrads, v):
            vi[...] = 0.9 * vi + g
            p -= 0.1 * vi
    np.testing.assert_allclose(_flat(model), _flat(ref), rtol=1e-12)
