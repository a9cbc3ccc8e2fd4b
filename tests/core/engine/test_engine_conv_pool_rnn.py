"""Conv1d, max pooling and the tanh RNN: closed-form backward passes against finite differences."""

import numpy as np
import pytest

from quizapp.core.engine import conv, pool, rnn
from quizapp.core.engine.gradcheck import max_rel_error, numeric_grad, numeric_vjp

rng = np.random.default_rng(11)
TOL = 1e-7


@pytest.mark.parametrize(("c_in", "c_out", "L", "k", "stride", "padding"), [
    (1, 1, 3, 2, 1, 0), (2, 3, 7, 3, 2, 1), (3, 2, 8, 3, 3, 2), (2, 2, 5, 5, 1, 2), (1, 2, 6, 1, 2, 0),
])
def test_conv1d_backward_matches_finite_differences(c_in, c_out, L, k, stride, padding):
    x = rng.normal(size=(c_in, L))
    w = rng.normal(size=(c_out, c_in, k))
    b = rng.normal(size=c_out)
    cache = conv.conv1d_forward(x, w, b, stride, padding)
    dy = rng.normal(size=cache.y.shape)
    g = conv.conv1d_backward(cache, dy)

    def y(x_=x, w_=w, b_=b):
        return conv.conv1d_forward(x_, w_, b_, stride, padding).y

    assert max_rel_error(g.dx, numeric_vjp(lambda v: y(x_=v), x, dy)) < TOL
    assert max_rel_error(g.dw, numeric_vjp(lambda v: y(w_=v), w, dy)) < TOL
    assert max_rel_error(g.db, numeric_vjp(lambda v: y(b_=v), b, dy)) < TOL
    assert cache.y.shape == (c_out, (L + 2 * padding - k) // stride + 1)


def test_conv1d_is_cross_correlation_with_zero_padding():
    x = np.array([[1.0, 2.0, 3.0]])
    w = np.array([[[1.0, 10.0]]])
    assert conv.conv1d_forward(x, w, [0.5]).y.tolist() == [[21.5, 32.5]]  # not flipped: 1·1 + 10·2
    padded = conv.conv1d_forward(x, w, [0.0], stride=2, padding=1).y
    assert padded.tolist() == [[10.0, 32.0]]  # windows [0, 1] and [2, 3]


def test_conv1d_positions_no_window_reaches_get_zero_gradient():
    x = np.ones((1, 6))
    cache = conv.conv1d_forward(x, np.ones((1, 1, 2)), [0.0], stride=3)  # windows 0-1, 3-4
    g = conv.conv1d_backward(cache, np.ones((1, 2)))
    assert g.dx.tolist() == [[1.0, 1.0, 0.0, 1.0, 1.0, 0.0]]


@pytest.mark.parametrize(("n", "k", "s", "p", "d", "out"), [
    (32, 3, 1, 1, 1, 32), (32, 3, 2, 1, 1, 16), (7, 3, 2, 0, 1, 3), (28, 5, 1, 0, 1, 24),
    (10, 3, 1, 2, 2, 10), (9, 3, 2, 0, 3, 2), (5, 5, 1, 0, 1, 1), (224, 7, 2, 3, 1, 112),
])
def test_conv_output_size_formula(n, k, s, p, d, out):
    assert conv.conv_out_size(n, k, s, p, d) == out


def test_conv_output_size_and_params_errors():
    with pytest.raises(ValueError, match="larger than the padded input"):
        conv.conv_out_size(4, 3, dilation=2)
    with pytest.raises(ValueError, match="stride"):
        conv.conv_out_size(8, 3, stride=0)
    assert conv.conv2d_params(3, 16, 3, 3) == 16 * 27 + 16
    assert conv.conv2d_params(3, 16, 3, 3, bias=False) == 16 * 27


@pytest.mark.parametrize(("shape", "kernel", "stride"), [((4, 4), 2, 2), ((5, 7), 2, 2),
                                                          ((5, 5), 3, 2), ((6, 4), 2, 1)])
def test_maxpool_backward_matches_finite_differences(shape, kernel, stride):
    x = rng.permutation(np.prod(shape)).reshape(shape) * 0.37 - 2.0  # distinct: no ties
    cache = pool.maxpool2d_forward(x, kernel, stride)
    dy = rng.normal(size=cache.y.shape)
    dx = pool.maxpool2d_backward(cache, dy)
    want = numeric_vjp(lambda v: pool.maxpool2d_forward(v, kernel, stride).y, x, dy, eps=1e-4)
    assert max_rel_error(dx, want) < TOL


def test_maxpool_ties_send_the_gradient_to_the_first_maximum_in_row_major_order():
    x = np.array([[1.0, 3.0, 2.0, 2.0],
                  [3.0, 0.0, 2.0, 2.0],
                  [5.0, 5.0, 7.0, 7.0],
                  [0.0, 0.0, 7.0, 7.0]])
    cache = pool.maxpool2d_forward(x)
    assert cache.y.tolist() == [[3.0, 2.0], [5.0, 7.0]]
    dx = pool.maxpool2d_backward(cache, [[1.0, 2.0], [3.0, 4.0]])
    assert dx.tolist() == [[0, 1, 2, 0], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]]
    assert pool.maxpool2d_forward(np.ones((5, 5))).y.shape == (2, 2)  # floor: last row/col dropped


@pytest.mark.parametrize(("T", "n", "h"), [(1, 1, 1), (2, 1, 1), (3, 2, 2), (4, 3, 2)])
def test_rnn_bptt_matches_finite_differences(T, n, h):
    x = rng.normal(size=(T, n))
    h0, b, dh_T = rng.normal(size=h) * 0.5, rng.normal(size=h) * 0.3, rng.normal(size=h)
    Wx, Wh = rng.normal(size=(n, h)) * 0.6, rng.normal(size=(h, h)) * 0.6
    g = rnn.rnn_backward(rnn.rnn_forward(x, h0, Wx, Wh, b), dh_T)

    def loss(**over):
        v = {"x": x, "h0": h0, "Wx": Wx, "Wh": Wh, "b": b, **over}
        return float(dh_T @ rnn.rnn_forward(**v).h[-1])

    for name, value, got in (("Wx", Wx, g.dWx), ("Wh", Wh, g.dWh), ("b", b, g.db), ("h0", h0, g.dh0)):
        want = numeric_grad(lambda v, name=name: loss(**{name: v}), value)
        assert max_rel_error(got, want) < TOL, name
    assert np.array_equal(g.dh[-1], dh_T) and np.array_equal(g.dh[0], g.dh0)


def test_rnn_forward_is_the_written_recurrence():
    x, h0 = np.array([[0.5], [-1.0]]), np.array([0.2])
    Wx, Wh, b = np.array([[0.3]]), np.array([[0.8]]), np.array([0.1])
    cache = rnn.rnn_forward(x, h0, Wx, Wh, b)
    h1 = np.tanh(0.5 * 0.3 + 0.2 * 0.8 + 0.1)
    assert cache.h[:, 0] == pytest.approx([0.2, h1, np.tanh(-0.3 + h1 * 0.8 + 0.1)], rel=1e-15)
    with pytest.raises(ValueError, match="Wh must be"):
        rnn.rnn_forward(x, h0, Wx, np.ones((2, 2)), b)
