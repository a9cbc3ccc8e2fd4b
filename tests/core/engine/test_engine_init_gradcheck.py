"""Initialisers' statistics and the finite-difference helpers themselves."""

import math

import numpy as np
import pytest

from quizapp.core.engine import init
from quizapp.core.engine.gradcheck import (
    check_grad, max_rel_error, numeric_derivative, numeric_grad, rel_error,
)


def test_init_std_formulas():
    assert init.init_std("he_normal", 50, 10) == math.sqrt(2 / 50)
    assert init.init_std("he_uniform", 50, 10) == math.sqrt(2 / 50)
    assert init.init_std("xavier_normal", 50, 10) == math.sqrt(2 / 60)
    assert init.init_limit("he_uniform", 50, 10) == pytest.approx(math.sqrt(6 / 50))
    assert init.init_limit("xavier_uniform", 50, 10) == pytest.approx(math.sqrt(6 / 60))
    assert init.init_std("Kaiming", 8, 8) == init.init_std("he", 8, 8)
    with pytest.raises(ValueError):
        init.init_std("lecun", 3, 3)
    with pytest.raises(ValueError):
        init.init_std("he", 0, 3)


@pytest.mark.parametrize("scheme", init.SCHEMES)
def test_samplers_have_the_stated_std(scheme):
    rng = np.random.default_rng(123)
    n_in, n_out = 400, 500  # 200k samples: std estimate within ~0.5%
    w = init.initialize(scheme, n_in, n_out, rng)
    assert w.shape == (n_in, n_out) and w.dtype == np.float64
    std = init.init_std(scheme, n_in, n_out)
    assert abs(w.std() / std - 1) < 0.01
    assert abs(w.mean()) < 4 * std / math.sqrt(w.size)
    if scheme.endswith("uniform"):
        assert np.abs(w).max() <= init.init_limit(scheme, n_in, n_out)
    same = getattr(init, scheme)(n_in, n_out, np.random.default_rng(123))
    assert np.array_equal(w, same)  # reproducible from the generator


def test_numeric_grad_and_rel_error():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    g = numeric_grad(lambda v: np.sum(v**3), x)
    assert np.array_equal(x, before)  # input untouched
    assert max_rel_error(g, 3 * x**2) < 1e-8
    assert np.allclose(numeric_derivative(np.sin, x), np.cos(x))
    assert rel_error(0.0, 0.0) == 0.0 and rel_error(1.0, -1.0) == 1.0
    assert rel_error([1.0, 2.0], [1.0, 2.0 + 2e-6]).tolist()[0] == 0.0
    assert max_rel_error([], []) == 0.0
    res = check_grad(lambda v: float(np.sum(v**2)), 2 * x, x)
    assert res.ok and res.max_rel_error < 1e-9
    assert not check_grad(lambda v: float(np.sum(v**2)), 2.1 * x, x).ok
