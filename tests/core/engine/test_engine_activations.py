"""Every activation's closed-form derivative against centred differences, plus the conventions."""

import math

import numpy as np
import pytest

from quizapp.core.engine import activations as A
from quizapp.core.engine.gradcheck import max_rel_error, numeric_derivative, numeric_vjp

EPS = 1e-5  # balances O(eps²) truncation against O(1e-16/eps) rounding for these functions

VARIANTS = [
    ("identity", {}), ("relu", {}), ("leaky_relu", {}), ("leaky_relu", {"alpha": 0.2}),
    ("elu", {}), ("elu", {"alpha": 0.5}), ("selu", {}), ("gelu", {}),
    ("gelu", {"approximate": "tanh"}), ("silu", {}), ("softplus", {}),
    ("softplus", {"beta": 2.0, "threshold": 5.0}), ("sigmoid", {}), ("tanh", {}),
]


def test_every_elementwise_activation_is_covered():
    assert {n for n, _ in VARIANTS} == set(A.names(elementwise_only=True))


@pytest.mark.parametrize(("name", "params"), VARIANTS, ids=lambda v: str(v))
def test_derivative_matches_centred_differences(name, params):
    act = A.get(name)
    z = np.random.default_rng(0).uniform(-4.0, 4.0, 4000)
    for k in act.kinks:
        z = z[np.abs(z - k) > 1e-3]
    analytic = act.derivative(z, **params)
    numeric = numeric_derivative(lambda v: act.forward(v, **params), z, EPS)
    assert analytic.shape == z.shape and analytic.dtype == np.float64
    # Relative error is meaningless where f' ≈ 0 (gelu/silu have a minimum); there, check absolutely.
    big = np.abs(analytic) > 1e-2
    assert max_rel_error(analytic[big], numeric[big]) < 1e-7
    assert np.all(np.abs(analytic - numeric)[~big] < 1e-9)


@pytest.mark.parametrize(("name", "params"), VARIANTS, ids=lambda v: str(v))
def test_no_warnings_or_nans_at_extreme_inputs(name, params):
    z = np.array([-1e300, -1e4, -800.0, -50.0, 0.0, 50.0, 800.0, 1e4, 1e300])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = A.get(name).forward(z, **params)
        d = A.get(name).derivative(z, **params)
    assert np.all(np.isfinite(d)) and not np.any(np.isnan(y))


def test_reference_values():
    z = np.array([-2.0, -0.5, 0.5, 3.0])
    assert np.allclose(A.get("relu").forward(z), np.maximum(0, z))
    assert np.allclose(A.get("leaky_relu").forward(z), np.where(z > 0, z, 0.01 * z))
    assert np.allclose(A.get("elu").forward(z), np.where(z > 0, z, np.exp(z) - 1))
    assert np.allclose(A.get("sigmoid").forward(z), 1 / (1 + np.exp(-z)))
    assert np.allclose(A.get("silu").forward(z), z / (1 + np.exp(-z)))
    assert np.allclose(A.get("softplus").forward(z), np.log1p(np.exp(z)))
    exact = [0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in z]
    assert np.allclose(A.get("gelu").forward(z), exact, rtol=1e-14, atol=0)
    tanh_ref = 0.5 * (1 + math.tanh(math.sqrt(2 / math.pi) * (1 + 0.044715)))  # ≈ 0.841192
    assert float(A.get("gelu").forward(1.0, approximate="tanh")) == pytest.approx(tanh_ref, rel=1e-15)
    assert abs(float(A.get("gelu").forward(1.0)) - 0.8413447461) < 1e-9
    # torch.selu(torch.tensor([-1.0, 1.0]))
    assert np.allclose(A.get("selu").forward([-1.0, 1.0]), [-1.1113307, 1.0507010], atol=1e-7)


def test_kink_conventions_follow_pytorch():
    zero = np.array([0.0, -0.0])
    assert np.all(A.get("relu").derivative(zero) == 0.0)
    assert np.all(A.get("leaky_relu").derivative(zero) == 0.01)
    assert np.all(A.get("leaky_relu").derivative(zero, alpha=0.3) == 0.3)
    assert np.all(A.get("elu").derivative(zero) == 1.0)
    assert np.all(A.get("elu").derivative(zero, alpha=0.7) == 0.7)
    assert np.allclose(A.get("selu").derivative(zero), A.SELU_SCALE * A.SELU_ALPHA)
    for name in ("relu", "leaky_relu", "elu", "selu"):
        act = A.get(name)
        assert act.kinks == (0.0,) and "0" in act.kink_convention
        assert act.at_kink([0.0, 1.0]).tolist() == [True, False]
    # the positive branch starts strictly above zero
    assert A.get("relu").derivative(1e-300) == 1.0 and A.get("leaky_relu").derivative(-1e-300) == 0.01


def test_elu_derivative_is_y_plus_alpha_on_the_negative_side():
    z = np.linspace(-5, 0, 11)
    for alpha in (1.0, 0.5):
        y = A.get("elu").forward(z, alpha=alpha)
        assert np.allclose(A.get("elu").derivative(z, alpha=alpha), y + alpha, rtol=1e-14)


def test_softplus_threshold_is_linear_like_pytorch():
    sp = A.get("softplus")
    assert sp.forward(25.0) == 25.0 and sp.derivative(25.0) == 1.0
    assert sp.forward(20.0) != 20.0  # βz == threshold is still the smooth branch
    assert sp.forward(3.0, beta=2.0, threshold=5.0) == 3.0  # βz = 6 > 5
    assert abs(float(sp.forward(2.0, beta=2.0, threshold=5.0)) - math.log1p(math.exp(4)) / 2) < 1e-15
    assert float(sp.derivative(2.0, beta=2.0)) == pytest.approx(1 / (1 + math.exp(-4)), rel=1e-15)
    assert float(sp.forward(-800.0)) == 0.0
    with pytest.raises(ValueError):
        sp.forward(1.0, beta=0.0)


def test_softmax_stable_and_vjp_matches_finite_differences():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(3, 5)) * 3
    g = rng.normal(size=(3, 5))
    sm = A.get("softmax")
    assert not sm.is_elementwise
    y = sm.forward(z)
    assert np.allclose(y.sum(axis=-1), 1.0)
    num = numeric_vjp(A.softmax, z, g)
    assert max_rel_error(A.softmax_vjp(y, g), num) < 1e-7
    assert max_rel_error(sm.vjp(z, g), num) < 1e-7
    # the Jacobian agrees with the VJP
    jac = sm.derivative(z)
    assert jac.shape == (3, 5, 5)
    assert np.allclose(np.einsum("mi,mij->mj", g, jac), A.softmax_vjp(y, g))
    # other axis
    num0 = numeric_vjp(lambda v: A.softmax(v, axis=0), z, g)
    assert max_rel_error(sm.vjp(z, g, axis=0), num0) < 1e-7
    big = A.softmax(np.array([1000.0, 0.0, -1000.0]))
    assert np.all(np.isfinite(big)) and big[0] == 1.0
    assert np.allclose(A.log_softmax(z), np.log(y))


def test_registry_names_aliases_and_params():
    assert A.get("Leaky ReLU") is A.get("lrelu") is A.get("leaky-relu") is A.ACTIVATIONS["leaky_relu"]
    assert A.get("swish").name == "silu" and A.get("linear").name == "identity"
    assert A.get("LeakyReLU").display == "Leaky ReLU"
    assert A.get("leaky_relu").defaults == {"alpha": 0.01}
    assert A.get("elu").defaults == {"alpha": 1.0}
    assert A.get("softplus").defaults == {"beta": 1.0, "threshold": 20.0}
    assert A.get("gelu").defaults == {"approximate": "none"}
    leaky = A.get("leaky_relu").formulas(alpha=2.0)  # exact for any α (max(αz, z) is not, α > 1)
    assert (leaky.f, leaky.df) == ("z if z > 0 else α·z", "1 if z > 0 else α")
    assert leaky.constants["alpha"] == 2.0
    assert "swish" in A.names(include_aliases=True) and "softmax" not in A.names(elementwise_only=True)
    with pytest.raises(KeyError):
        A.get("nope")
    with pytest.raises(TypeError, match="alpha"):
        A.get("relu").forward(1.0, alpha=0.1)
    with pytest.raises(ValueError):
        A.get("gelu").forward(1.0, approximate="erf")
    with pytest.raises(TypeError):
        A.get("relu").defaults["x"] = 1  # read-only
    for act in A.ACTIVATIONS.values():
        assert act.display
        if act.is_elementwise:
            assert act.formulas().f_text and act.formulas().df_text
    with pytest.raises(ValueError, match="not elementwise|no elementwise"):
        A.get("softmax").formulas()


def test_elementwise_vjp_is_g_times_derivative():
    z = np.array([-1.0, 0.0, 2.0])
    g = np.array([3.0, 5.0, 7.0])
    assert np.array_equal(A.get("leaky_relu").vjp(z, g), [0.03, 0.05, 7.0])
