"""1-D convolution (forward and backward) and the Conv2d output-size / parameter-count formulas.

PyTorch's conventions: a convolution is a *cross-correlation* (the kernel is not flipped), padding
adds ``padding`` zeros at both ends, and the output length floors:

    L_out = ⌊(L + 2p − d·(k − 1) − 1) / s⌋ + 1

One example, no batch axis (``torch.nn.functional.conv1d`` on an unbatched (c_in, L) input):
x (c_in, L), w (c_out, c_in, k), b (c_out,), y (c_out, L_out) with

    y[o, j] = b[o] + Σ_c Σ_i w[o, c, i] · x_pad[c, j·s + i]

Backward from dy = ∂L/∂y (c_out, L_out): db[o] = Σ_j dy[o, j]; dw[o, c, i] = Σ_j dy[o, j] ·
x_pad[c, j·s + i]; every window scatters w[o, c, i]·dy[o, j] back to x_pad[c, j·s + i], and dx is
x_pad's gradient without the padding (positions no window reaches get 0).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "Conv1dCache", "Conv1dGrads", "conv1d_backward", "conv1d_forward", "conv2d_params",
    "conv_out_size",
]


class Conv1dCache(NamedTuple):
    """What the forward pass computed, kept for the backward pass and worked solutions."""

    x: np.ndarray
    w: np.ndarray
    b: np.ndarray
    x_pad: np.ndarray
    index: np.ndarray  # (L_out, k): x_pad column read by output j, kernel tap i
    y: np.ndarray
    stride: int
    padding: int


class Conv1dGrads(NamedTuple):
    dx: np.ndarray
    dw: np.ndarray
    db: np.ndarray
    dx_pad: np.ndarray


def _size(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or int(value) != value or value < low:
        raise ValueError(f"{name} must be an integer ≥ {low}, got {value!r}")
    return int(value)


def conv_out_size(n: int, kernel: int, stride: int = 1, padding: int = 0,
                  dilation: int = 1) -> int:
    """⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1 (torch.nn.Conv1d/Conv2d/MaxPool, ceil_mode False).

    Raises ValueError when the (dilated) kernel does not fit in the padded input."""
    n, k = _size("input size", n, 1), _size("kernel", kernel, 1)
    s, p, d = _size("stride", stride, 1), _size("padding", padding, 0), _size("dilation", dilation, 1)
    span = n + 2 * p - d * (k - 1) - 1
    if span < 0:
        raise ValueError(f"the kernel (span {d * (k - 1) + 1}) is larger than the padded input "
                         f"({n + 2 * p})")
    return span // s + 1


def conv2d_params(c_in: int, filters: int, kernel_h: int, kernel_w: int, bias: bool = True) -> int:
    """Learnable parameters of a Conv2d: filters·c_in·k_h·k_w weights plus one bias per filter."""
    return filters * c_in * kernel_h * kernel_w + (filters if bias else 0)


def _check(x: Any, w: Any) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x must be 2-D (c_in, L), got shape {x.shape}")
    if w.ndim != 3 or w.shape[1] != x.shape[0]:
        raise ValueError(f"w must be (c_out, {x.shape[0]}, k), got shape {w.shape}")
    return x, w


def conv1d_forward(x: Any, w: Any, b: Any, stride: int = 1, padding: int = 0) -> Conv1dCache:
    """y = conv1d(x, w, b, stride, padding), cross-correlation, every intermediate kept."""
    x, w = _check(x, w)
    b = np.asarray(b, dtype=np.float64).reshape(-1)
    if b.shape != (w.shape[0],):
        raise ValueError(f"b must have shape ({w.shape[0]},), got {b.shape}")
    k = w.shape[2]
    l_out = conv_out_size(x.shape[1], k, stride, padding)
    x_pad = np.pad(x, ((0, 0), (padding, padding)))
    index = np.arange(l_out)[:, None] * stride + np.arange(k)[None, :]
    windows = x_pad[:, index]  # (c_in, L_out, k)
    y = np.einsum("oci,cji->oj", w, windows) + b[:, None]
    return Conv1dCache(x, w, b, x_pad, index, y, int(stride), int(padding))


def conv1d_backward(cache: Conv1dCache, dy: Any) -> Conv1dGrads:
    """Gradients of L = Σ dy ⊙ y with respect to x, w and b."""
    dy = np.asarray(dy, dtype=np.float64)
    if dy.shape != cache.y.shape:
        raise ValueError(f"dy must have shape {cache.y.shape}, got {dy.shape}")
    windows = cache.x_pad[:, cache.index]
    dw = np.einsum("oj,cji->oci", dy, windows)
    db = dy.sum(axis=1)
    dx_pad = np.zeros_like(cache.x_pad)
    np.add.at(dx_pad, (slice(None), cache.index), np.einsum("oj,oci->cji", dy, cache.w))
    p = cache.padding
    dx = dx_pad[:, p:p + cache.x.shape[1]].copy()
    return Conv1dGrads(dx, dw, db, dx_pad)
