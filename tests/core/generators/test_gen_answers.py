"""Every family's answer recomputed independently: plain-NumPy formulas and finite differences of
the loss (quizapp.core.engine.gradcheck.numeric_grad), never the engine code the generators use."""

import math

import numpy as np
import pytest
from gen_reference import df, f, softmax

from quizapp.core.engine.gradcheck import numeric_grad
from quizapp.core.generators import DIFFICULTIES, activation_names, generate

ACTS = activation_names()
SEEDS = range(4)
CASES = [(a, d, s) for a in ACTS for d in DIFFICULTIES for s in SEEDS]


def arr(x):
    return np.asarray(x, dtype=float)


def close(got, want, rtol=1e-6, atol=1e-9):
    got, want = arr(got), arr(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


@pytest.mark.parametrize(("act", "difficulty", "seed"), CASES)
def test_activation_families(act, difficulty, seed):
    q = generate("activation_value", seed=seed, difficulty=difficulty, activation=act)
    close(q.answer["a"], f(act, q.inputs["z"], q.params))

    q = generate("activation_derivative", seed=seed, difficulty=difficulty, activation=act)
    close(q.answer["dadz"], df(act, q.inputs["z"], q.params), rtol=1e-6, atol=1e-8)

    q = generate("backprop_activation", seed=seed, difficulty=difficulty, activation=act)
    z, da = arr(q.inputs["z"]), arr(q.inputs["da"])
    # dz is the gradient of L = Σ da ⊙ f(z) with respect to z
    want = numeric_grad(lambda v: np.sum(da * f(act, v, q.params)), z)
    close(q.answer["dz"], want, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(("act", "difficulty", "seed"), CASES)
def test_two_layer_matches_finite_differences_of_the_loss(act, difficulty, seed):
    q = generate("two_layer", seed=seed, difficulty=difficulty, activation=act)
    inp = {k: arr(v) for k, v in q.inputs.items()}

    def loss(**over):
        v = {**inp, **over}
        yhat = f(act, v["x"] @ v["W1"] + v["b1"], q.params) @ v["W2"] + v["b2"]
        return 0.5 * np.sum((yhat - v["y"]) ** 2)

    for name, key in (("dW1", "W1"), ("db1", "b1"), ("dW2", "W2"), ("db2", "b2")):
        want = numeric_grad(lambda w, key=key: loss(**{key: w}), inp[key], eps=1e-6)
        close(q.answer[name], want, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
@pytest.mark.parametrize("seed", range(12))
def test_dense_backward_matches_finite_differences(difficulty, seed):
    q = generate("dense_backward", seed=seed, difficulty=difficulty)
    X, W, b, dZ = (arr(q.inputs[k]) for k in ("X", "W", "b", "dZ"))
    m = X.shape[0]

    def batch_sum(X_, W_, b_):  # Σᵢ ℓᵢ with ℓᵢ = dZᵢ·Zᵢ, so ∂ℓᵢ/∂Zᵢ = dZᵢ
        return np.sum(dZ * (X_ @ W_ + b_))

    close(q.answer["dW"], numeric_grad(lambda w: batch_sum(X, w, b) / m, W), rtol=1e-6)
    close(q.answer["db"], numeric_grad(lambda v: batch_sum(X, W, v) / m, b), rtol=1e-6)
    close(q.answer["dX"], numeric_grad(lambda x: batch_sum(x, W, b), X), rtol=1e-6)
    assert arr(q.answer["dW"]).shape == W.shape and arr(q.answer["dX"]).shape == X.shape


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
@pytest.mark.parametrize("seed", range(12))
def test_softmax_xent_matches_finite_differences(difficulty, seed):
    q = generate("softmax_xent", seed=seed, difficulty=difficulty)
    z, y = arr(q.inputs["z"]), arr(q.inputs["y"])
    assert y.sum() == 1 and set(y.ravel()) <= {0.0, 1.0} and z.shape == y.shape
    want = numeric_grad(lambda v: -np.sum(y * np.log(softmax(v))), z)
    close(q.answer["dz"], want, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
@pytest.mark.parametrize("seed", range(12))
def test_sgd_init_and_dead(difficulty, seed):
    q = generate("sgd_step", seed=seed, difficulty=difficulty)
    close(q.answer["W_new"], arr(q.inputs["W"]) - q.inputs["lr"] * arr(q.inputs["dW"]))

    q = generate("init_std", seed=seed, difficulty=difficulty)
    n_in, n_out = q.inputs["n_in"], q.inputs["n_out"]
    fan = n_in if q.params["scheme"] == "he" else n_in + n_out
    assert q.answer["std"] == pytest.approx(math.sqrt(2 / fan), rel=1e-12)
    assert isinstance(n_in, int) and isinstance(n_out, int)

    q = generate("dead_neurons", seed=seed, difficulty=difficulty)
    A = arr(q.inputs["A"])
    assert np.all(A >= 0)
    assert q.answer["dead"] == sum(not A[:, j].any() for j in range(A.shape[1]))
    assert isinstance(q.answer["dead"], int) and q.tolerances["dead"].integer


@pytest.mark.parametrize("scheme", ["he", "xavier", "kaiming", "glorot"])
def test_init_std_scheme_option(scheme):
    q = generate("init_std", seed=1, difficulty="medium", params={"scheme": scheme})
    assert q.params["scheme"] == {"kaiming": "he", "glorot": "xavier"}.get(scheme, scheme)
    fan = q.inputs["n_in"] + (q.inputs["n_out"] if q.params["scheme"] == "xavier" else 0)
    assert q.answer["std"] == pytest.approx(math.sqrt(2 / fan))


def test_easy_init_std_is_a_nice_number():
    for seed in range(20):
        q = generate("init_std", seed=seed, difficulty="easy")
        assert (1 / q.answer["std"]) == pytest.approx(round(1 / q.answer["std"]))
