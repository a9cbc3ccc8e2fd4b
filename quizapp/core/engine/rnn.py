"""A vanilla tanh RNN over T steps and backpropagation through time from a loss on the last state.

Rows are time steps: x (T, n), h0 (h,), Wx (n, h), Wh (h, h), b (h,) and

    a_t = x_t Wx + h_{t−1} Wh + b        h_t = tanh(a_t)        t = 1 … T

The loss is L = dh_T · h_T (so ∂L/∂h_T = dh_T, nothing on earlier states). Going back,

    da_t = dh_t ⊙ (1 − h_t²)        dWx += x_tᵀ da_t        dWh += h_{t−1}ᵀ da_t
    db += da_t                        dh_{t−1} = da_t Whᵀ

and dh0 is the dh that reaches t = 0. (PyTorch's nn.RNN stores W_ih = Wxᵀ, W_hh = Whᵀ and two
biases whose sum is b; the gradients are the same numbers, transposed.)
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

__all__ = ["RnnCache", "RnnGrads", "rnn_backward", "rnn_forward"]


class RnnCache(NamedTuple):
    x: np.ndarray
    Wx: np.ndarray
    Wh: np.ndarray
    b: np.ndarray
    a: np.ndarray  # (T, h) pre-activations a_1 … a_T
    h: np.ndarray  # (T + 1, h): h_0, h_1 … h_T


class RnnGrads(NamedTuple):
    dWx: np.ndarray
    dWh: np.ndarray
    db: np.ndarray
    dh0: np.ndarray
    da: np.ndarray  # (T, h): da_1 … da_T
    dh: np.ndarray  # (T + 1, h): dh_0 … dh_T (dh_T is the given one)


def rnn_forward(x: Any, h0: Any, Wx: Any, Wh: Any, b: Any) -> RnnCache:
    """Every state h_0 … h_T and pre-activation a_1 … a_T."""
    x = np.asarray(x, dtype=np.float64)
    Wx = np.asarray(Wx, dtype=np.float64)
    Wh = np.asarray(Wh, dtype=np.float64)
    h0 = np.asarray(h0, dtype=np.float64).reshape(-1)
    b = np.asarray(b, dtype=np.float64).reshape(-1)
    if x.ndim != 2 or Wx.ndim != 2 or x.shape[1] != Wx.shape[0]:
        raise ValueError(f"x (T, n) and Wx (n, h) do not fit: {x.shape}, {Wx.shape}")
    size = Wx.shape[1]
    if Wh.shape != (size, size) or h0.shape != (size,) or b.shape != (size,):
        raise ValueError(f"Wh must be ({size}, {size}) and h0, b ({size},); got "
                         f"{Wh.shape}, {h0.shape}, {b.shape}")
    T = x.shape[0]
    a = np.empty((T, size))
    h = np.empty((T + 1, size))
    h[0] = h0
    for t in range(T):
        a[t] = x[t] @ Wx + h[t] @ Wh + b
        h[t + 1] = np.tanh(a[t])
    return RnnCache(x, Wx, Wh, b, a, h)


def rnn_backward(cache: RnnCache, dh_T: Any) -> RnnGrads:
    """Gradients of L = dh_T · h_T with respect to Wx, Wh, b and h0, with every dh_t and da_t."""
    T, size = cache.a.shape
    dh_T = np.asarray(dh_T, dtype=np.float64).reshape(-1)
    if dh_T.shape != (size,):
        raise ValueError(f"dh_T must have shape ({size},), got {dh_T.shape}")
    dWx = np.zeros_like(cache.Wx)
    dWh = np.zeros_like(cache.Wh)
    db = np.zeros(size)
    da = np.empty((T, size))
    dh = np.empty((T + 1, size))
    dh[T] = dh_T
    for t in range(T, 0, -1):
        da[t - 1] = dh[t] * (1.0 - cache.h[t] ** 2)
        dWx += cache.x[t - 1][:, None] * da[t - 1]  # outer products x_tᵀ da_t, h_{t−1}ᵀ da_t
        dWh += cache.h[t - 1][:, None] * da[t - 1]
        db += da[t - 1]
        dh[t - 1] = da[t - 1] @ cache.Wh.T
    return RnnGrads(dWx, dWh, db, dh[0].copy(), da, dh)
