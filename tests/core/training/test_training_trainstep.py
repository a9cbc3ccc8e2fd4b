"""``MLP.train_step`` (``trainstep.TrainStep``, the fast path ``train`` runs) against the reference
``loss_and_grads`` + ``sgd_step``, and the packed parameter storage it relies on."""

import tracemalloc

import numpy as np
import pytest

from quizapp.core.engine.mlp import MLP, init_mlp, layer_sizes
from quizapp.core.engine.training import TrainConfig, setup


def _model(activation="relu", n_classes=2, depth=3, width=16, seed=0, dtype=np.float64, **params):
    rng = np.random.default_rng(seed)
    sizes = layer_sizes(2, depth, width, 1 if n_classes == 2 else n_classes)
    model = init_mlp(sizes, "he", rng, activation=activation, params=params, dtype=dtype)
    for b in model.bs:
        b[...] = rng.normal(0, 0.3, b.shape)  # nonzero biases exercise db too
    return model


def _batches(n_classes, m, steps, seed=1, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, 1, (m, 2)).astype(dtype), rng.integers(0, n_classes, m))
            for _ in range(steps)]


def _reference_step(model, X, y, lr, momentum):
    res, grads, _ = model.loss_and_grads(X, y)
    model.sgd_step(grads, lr, momentum)
    return res.value


def _params(model):
    return [p.copy() for pair in zip(model.Ws, model.bs) for p in pair]


def _assert_same_run(activation, n_classes, momentum, *, depth=3, width=16, m=50, steps=20,
                     lr=0.1, **params):
    fast = _model(activation, n_classes, depth, width, **params)
    ref = fast.copy()
    for X, y in _batches(n_classes, m, steps):
        loss = fast.train_step(X, y, lr, momentum)
        assert loss == pytest.approx(_reference_step(ref, X, y, lr, momentum), rel=1e-12, abs=1e-15)
    for a, b in zip(_params(fast), _params(ref)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "tanh", "gelu"])
def test_train_step_matches_reference_step(activation, n_classes, momentum):
    _assert_same_run(activation, n_classes, momentum)


@pytest.mark.parametrize(("depth", "width"), [(0, 8), (1, 1), (2, 3), (4, 64)])
def test_train_step_matches_reference_for_other_shapes(depth, width):
    _assert_same_run("relu", 2, 0.0, depth=depth, width=width, m=37)  # odd m: not a power of 2


def test_benchmark_network_matches_reference_on_the_training_data():
    """The benchmark's network and data (2→64→64→64→1, batch 256) for 100 steps."""
    cfg = TrainConfig(dataset="moons", n_samples=2048, depth=3, width=64, lr=0.05, batch_size=256)
    data, fast, rng = setup(cfg)
    ref = fast.copy()
    for _ in range(100):
        idx = rng.permutation(len(data))[:256]
        X, y = data.X[idx], data.y[idx]
        assert fast.train_step(X, y, cfg.lr) == pytest.approx(
            _reference_step(ref, X, y, cfg.lr, 0.0), rel=1e-12)
    for a, b in zip(_params(fast), _params(ref)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_dead_relu_units_stay_exactly_dead():
    model = _model("relu", 2, depth=2, width=8)
    model.Ws[0][:, 3] = 0.0
    model.bs[0][3] = -1.0  # unit 3 of layer 1: z = −1 for every input
    w_in, w_out = model.Ws[0][:, 3].copy(), model.Ws[1][3].copy()
    for X, y in _batches(2, 40, 10):
        model.train_step(X, y, 0.5)
    assert np.array_equal(model.Ws[0][:, 3], w_in) and model.bs[0][3] == -1.0
    assert np.array_equal(model.Ws[1][3], w_out)  # its output is 0, so its outgoing weights get 0


def test_float32_stays_float32_and_close_to_the_reference():
    fast = _model("relu", 2, dtype=np.float32)
    ref = fast.copy()
    for X, y in _batches(2, 32, 10, dtype=np.float32):
        fast.train_step(X, y, 0.1)
        _reference_step(ref, X, y, 0.1, 0.0)
    assert all(p.dtype == np.float32 for p in _params(fast))
    for a, b in zip(_params(fast), _params(ref)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_batch_size_change_rebuilds_the_buffers():
    fast = _model()
    ref = fast.copy()
    for m in (16, 16, 9, 16):
        (X, y), = _batches(2, m, 1, seed=m)
        assert fast.train_step(X, y, 0.1) == pytest.approx(_reference_step(ref, X, y, 0.1, 0.0))
    for a, b in zip(_params(fast), _params(ref)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_ws_and_bs_are_views_of_the_packed_parameters():
    model = _model(depth=2, width=5)
    flat, Wbs = model.packed()
    assert flat.size == sum(W.size + b.size for W, b in zip(model.Ws, model.bs))
    for W, b, Wb in zip(model.Ws, model.bs, Wbs):
        assert np.shares_memory(W, flat) and np.shares_memory(b, flat)
        assert np.array_equal(Wb[:-1], W) and np.array_equal(Wb[-1], b)
    model.Ws[1][0, 0] = 42.0  # in-place edits are seen by the packed form
    assert Wbs[1][0, 0] == 42.0


def test_replaced_weights_are_packed_anew_and_used():
    fast = _model(depth=2, width=5)
    (X, y), = _batches(2, 20, 1)
    fast.train_step(X, y, 0.1)  # builds the step's buffers on the old arrays
    fast.Ws[1] = np.full_like(fast.Ws[1], 0.5)
    fast.bs[0] = np.zeros_like(fast.bs[0])
    ref = MLP([W.copy() for W in fast.Ws], [b.copy() for b in fast.bs], "relu")
    assert fast.train_step(X, y, 0.1) == pytest.approx(_reference_step(ref, X, y, 0.1, 0.0))
    for a, b in zip(_params(fast), _params(ref)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    assert all(np.shares_memory(p, fast.packed()[0]) for p in fast.Ws + fast.bs)


def test_momentum_velocity_is_shared_with_sgd_step():
    """Steps may alternate between train_step and loss_and_grads + sgd_step: one velocity."""
    fast = _model("tanh", 2)
    ref = fast.copy()
    for k, (X, y) in enumerate(_batches(2, 24, 6)):
        if k % 2:
            fast.train_step(X, y, 0.1, 0.9)
        else:
            _reference_step(fast, X, y, 0.1, 0.9)
        _reference_step(ref, X, y, 0.1, 0.9)
    for a, b in zip(_params(fast), _params(ref)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    for a, b in zip(fast.velocity, ref.velocity):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_a_step_allocates_nothing_batch_sized():
    """Steady state: every batch-sized array is a reused buffer (256 × 64 float64: 128 KiB)."""
    model = _model("relu", 2, depth=3, width=64)
    (X, y), = _batches(2, 256, 1)
    model.train_step(X, y, 0.01)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        model.train_step(X, y, 0.01)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert peak < 256 * 64 * 8  # NumPy's own casting buffers (8192 elements) are fine
