"""train()/compare(): reproducibility, identical starts, stop flag, metrics shape, data sets."""

import json
import threading
import time

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from quizapp.core.engine.datasets import DATASETS, make_dataset
from quizapp.core.engine.training import (
    PRESETS,
    Metrics,
    TrainConfig,
    compare,
    run_names,
    setup,
    train,
)

SMALL = TrainConfig(dataset="moons", n_samples=60, depth=2, width=8, steps=30, lr=0.5)


def _history(config, **kw):
    return [m.to_json() for m in train(config, **kw)]


def test_same_seed_same_run_and_other_seed_differs():
    cfg = SMALL.replace(batch_size=16, momentum=0.5)
    a = _history(cfg, every=5)
    assert a == _history(cfg, every=5)
    assert a != _history(cfg.replace(seed=1), every=5)
    assert [m["step"] for m in a] == [0, 5, 10, 15, 20, 25, 30]
    assert a[-1]["done"] and not any(m["done"] for m in a[:-1])


def test_compare_starts_every_activation_from_identical_weights_and_data():
    d1, m1, _ = setup(SMALL.replace(activation="relu"))
    d2, m2, _ = setup(SMALL.replace(activation="leaky_relu"))
    assert np.array_equal(d1.X, d2.X) and np.array_equal(d1.y, d2.y)
    assert all(np.array_equal(a, b) for a, b in zip(m1.Ws + m1.bs, m2.Ws + m2.bs))
    # He and Xavier scale the same draws: the ratio per layer is one constant
    _d, mx, _ = setup(SMALL.replace(init="xavier"))
    for a, b in zip(m1.Ws, mx.Ws):
        ratio = b / a
        assert np.allclose(ratio, ratio.flat[0])


def test_compare_interleaves_runs_with_the_same_hyperparameters():
    items = list(compare(SMALL, ["relu", "leaky_relu"], every=10))
    names = [n for n, _ in items]
    assert names == ["relu", "leaky_relu"] * 4
    steps = [m.step for _, m in items]
    assert steps == [0, 0, 10, 10, 20, 20, 30, 30]
    first = {n: m for n, m in items[:2]}
    assert first["relu"].inactive == first["leaky_relu"].inactive  # same weights ⇒ same z ≤ 0 sets
    assert first["leaky_relu"].dead == (0.0, 0.0)


def test_compare_names_and_params():
    runs = run_names(SMALL.replace(activation_params={"alpha": 0.2}), ["relu", "leaky"], ["he", "xavier"])
    assert [n for n, _ in runs] == ["relu/he", "relu/xavier", "leaky_relu(alpha=0.2)/he",
                                    "leaky_relu(alpha=0.2)/xavier"]
    assert runs[0][1].activation_params == {} and runs[2][1].activation_params == {"alpha": 0.2}
    with pytest.raises(TypeError):
        run_names(SMALL.replace(activation_params={"beta": 2.0}), ["relu"])


def test_stop_event_stops_within_one_step():
    stop = threading.Event()
    seen = []
    for m in train(SMALL.replace(steps=1000), every=1, stop=stop):
        seen.append(m.step)
        if m.step == 5:
            stop.set()
    assert seen[-1] == 5  # the step-5 snapshot was the last one; no further step ran


def test_stop_callable_between_reports_yields_a_final_snapshot():
    calls = {"n": 0}

    def stop():
        calls["n"] += 1
        return calls["n"] > 7  # checked before each step: steps 1..7 run, step 8 does not

    ms = list(train(SMALL.replace(steps=1000), every=100, stop=stop))
    assert [m.step for m in ms] == [0, 7]
    assert ms[-1].stopped and ms[-1].done


def test_stop_from_another_thread_is_prompt():
    stop = threading.Event()
    gen = train(SMALL.replace(steps=10**6, n_samples=400, width=32), every=10**6, stop=stop)
    next(gen)
    threading.Timer(0.05, stop.set).start()
    start = time.perf_counter()
    last = list(gen)[-1]
    assert last.stopped and time.perf_counter() - start < 2.0


def test_metrics_shape_json_and_boundary():
    cfg = SMALL.replace(dataset="spiral", classes=3, steps=4, grid=12)
    ms = list(train(cfg, every=2, want_boundary=True))
    last = ms[-1]
    assert isinstance(last, Metrics)
    assert len(last.inactive) == len(last.dead) == 2 and len(last.grad_norm) == 3
    assert last.boundary.probs.shape == (12, 12, 3)
    np.testing.assert_allclose(last.boundary.probs.sum(axis=-1), 1.0)
    text = json.dumps(last.to_json(), allow_nan=False)
    assert json.loads(text)["boundary"]["x"][0] < json.loads(text)["boundary"]["x"][-1]
    binary = list(train(SMALL.replace(steps=0, grid=5), want_boundary=True))
    assert len(binary) == 1 and binary[0].done and binary[0].boundary.probs.shape == (5, 5)


def test_divergence_is_reported_and_ends_the_run():
    ms = list(train(SMALL.replace(activation="identity", lr=50.0, steps=500, depth=3, width=32),
                    every=100))
    assert ms[-1].diverged and ms[-1].done and ms[-1].step < 200
    assert json.dumps(ms[-1].to_json(), allow_nan=False)  # NaN loss becomes null


def test_float32_and_minibatch_options_run():
    ms = list(train(SMALL.replace(dtype="float32", batch_size=7, steps=20), every=20))
    assert ms[-1].step == 20 and np.isfinite(ms[-1].loss)


def test_blas_threads_are_pinned_and_restored():
    before = [i["num_threads"] for i in threadpool_info()]
    gen = train(SMALL, every=1)
    next(gen)
    assert all(i["num_threads"] == 1 for i in threadpool_info())
    gen.close()
    assert [i["num_threads"] for i in threadpool_info()] == before
    list(compare(SMALL.replace(steps=3), ["relu", "tanh"]))
    assert [i["num_threads"] for i in threadpool_info()] == before


def test_config_validation_and_presets():
    with pytest.raises(ValueError):
        TrainConfig(dataset="mnist")
    with pytest.raises(ValueError):
        TrainConfig(lr=0)
    for name, preset in PRESETS.items():
        cfg = TrainConfig.from_preset(name, steps=2)
        assert cfg.steps == 2 and preset.summary
        run_names(cfg, preset.activations, preset.inits or None)


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_datasets_are_seeded_and_shaped(name):
    d = make_dataset(name, 101, 0.1, seed=3, classes=4)
    again = make_dataset(name, 101, 0.1, seed=3, classes=4)
    assert d.X.shape == (101, 2) and d.y.shape == (101,)
    assert np.array_equal(d.X, again.X) and np.array_equal(d.y, again.y)
    assert set(np.unique(d.y)) == set(range(d.n_classes))
    assert d.n_classes == (4 if name in ("spiral", "gauss") else 2)
    assert np.abs(d.X).max() < 3
    x0, x1, y0, y1 = d.bounds()
    assert x0 < d.X[:, 0].min() and d.X[:, 0].max() < x1
    assert y0 < d.X[:, 1].min() and d.X[:, 1].max() < y1
