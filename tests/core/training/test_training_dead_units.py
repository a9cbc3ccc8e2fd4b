"""Counting inactive and dead units on a hand-built network, and the dying-ReLU demo itself."""

import numpy as np
import pytest

from quizapp.core.engine.mlp import MLP
from quizapp.core.engine.training import PRESETS, TrainConfig, compare

# Inputs are all ≥ 0, so the signs of the weights decide which units can ever fire.
X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 0.5]])
W1 = np.array([[1.0, -1.0, 0.0, 1.0],
               [1.0, -1.0, 0.0, -1.0]])
b1 = np.array([0.0, 0.0, 0.0, 0.0])
# unit 0: z > 0 everywhere; unit 1: z < 0 everywhere; unit 2: z = 0 exactly everywhere;
# unit 3: z = [1, -1, 0, 1.5], fires for some inputs.
W2 = np.array([[-1.0, 1.0],
               [5.0, 0.0],
               [7.0, 0.0],
               [-1.0, 0.0]])
b2 = np.array([-0.5, 0.0])
# layer 2 under ReLU: a1 = [a0, 0, 0, a3]; unit 0: z = −a0 − a3 − 0.5 < 0 always; unit 1: z = a0 > 0.
W3 = np.array([[1.0], [1.0]])
b3 = np.array([0.0])


def _stats(activation, **params):
    model = MLP([W1, W2, W3], [b1, b2, b3], activation, params)
    return model.unit_stats(model.forward(X))


def test_relu_dead_units_are_the_inactive_ones():
    s = _stats("relu")
    assert s.inactive_counts == (2, 1)  # layer 1: units 1 and 2 (z ≤ 0 includes z = 0); layer 2: unit 0
    assert s.dead_counts == (2, 1)
    assert s.inactive == (0.5, 0.5) and s.dead == (0.5, 0.5)


def test_leaky_relu_has_inactive_but_never_dead_units():
    s = _stats("leaky_relu", alpha=0.01)
    assert s.inactive_counts[0] == 2  # same pre-activations in layer 1
    assert s.dead_counts == (0, 0)    # slope α ≠ 0 for z ≤ 0, including z = 0 (PyTorch convention)


def test_dead_means_zero_derivative_for_every_input():
    # ELU′ = α·eᶻ > 0 for z ≤ 0: inactive units are not dead. Identity: never inactive-dead.
    assert _stats("elu").dead_counts == (0, 0)
    assert _stats("elu").inactive_counts[0] == 2
    assert _stats("identity").dead_counts == (0, 0)


def test_dead_relu_units_get_no_gradient():
    model = MLP([W1.copy(), W2.copy(), W3.copy()], [b1.copy(), b2.copy(), b3.copy()], "relu")
    _res, grads, _fp = model.loss_and_grads(X, np.array([0, 1, 1, 0]))
    dW1, db1 = grads[0]
    assert np.all(dW1[:, [1, 2]] == 0) and np.all(db1[[1, 2]] == 0)  # dead layer-1 units
    dW2, db2 = grads[1]
    assert np.all(dW2[:, 0] == 0) and db2[0] == 0  # dead layer-2 unit


@pytest.mark.parametrize("seed", range(5))
def test_dying_relu_preset_kills_relu_units_but_not_leaky_ones(seed):
    """Measured over seeds 0–19 in docs/training.md (20 of 20); five seeds here to stay quick."""
    preset = PRESETS["dying-relu"]
    cfg = TrainConfig.from_preset("dying-relu", seed=seed)
    runs: dict = {}
    for name, m in compare(cfg, preset.activations, every=cfg.steps):
        runs.setdefault(name, []).append(m)
    relu0, relu = runs["relu"][0], runs["relu"][-1]
    leaky = runs["leaky_relu"][-1]
    assert not relu.diverged and not leaky.diverged
    assert leaky.dead_share == 0.0
    assert relu.dead_share >= relu0.dead_share + 0.15  # ≥ 15 points of the hidden units died
