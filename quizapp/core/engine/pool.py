"""2-D max pooling of one channel, forward and backward (``torch.nn.functional.max_pool2d``).

Windows of ``kernel × kernel`` start every ``stride`` rows/columns; the output floors (ceil_mode
False, no padding), so rows/columns no window reaches are dropped. Backward sends each dy entry to
the position of its window's maximum; every other entry of the window gets 0, and where windows
overlap the contributions add up. Ties: the *first* maximum in row-major order within the window
wins (what PyTorch's CPU kernel records as the index), so exactly one entry per window receives
the gradient.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from quizapp.core.engine.conv import conv_out_size

__all__ = ["PoolCache", "maxpool2d_backward", "maxpool2d_forward"]


class PoolCache(NamedTuple):
    x: np.ndarray
    y: np.ndarray
    rows: np.ndarray  # (out_h, out_w): row of the winning entry of each window
    cols: np.ndarray  # (out_h, out_w): its column
    kernel: int
    stride: int


def maxpool2d_forward(x: Any, kernel: int = 2, stride: int = 2) -> PoolCache:
    """y[i, j] = max of the window starting at (i·s, j·s), and where that maximum sits."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x must be 2-D (h, w), got shape {x.shape}")
    out_h = conv_out_size(x.shape[0], kernel, stride)
    out_w = conv_out_size(x.shape[1], kernel, stride)
    r = np.arange(out_h)[:, None, None, None] * stride + np.arange(kernel)[None, None, :, None]
    c = np.arange(out_w)[None, :, None, None] * stride + np.arange(kernel)[None, None, None, :]
    windows = x[r, c].reshape(out_h, out_w, kernel * kernel)  # row-major inside each window
    first = windows.argmax(axis=2)  # argmax returns the first maximum: the tie rule
    rows = np.arange(out_h)[:, None] * stride + first // kernel
    cols = np.arange(out_w)[None, :] * stride + first % kernel
    return PoolCache(x, windows.max(axis=2), rows, cols, int(kernel), int(stride))


def maxpool2d_backward(cache: PoolCache, dy: Any) -> np.ndarray:
    """dx: each dy[i, j] added at the position of window (i, j)'s maximum, 0 elsewhere."""
    dy = np.asarray(dy, dtype=np.float64)
    if dy.shape != cache.y.shape:
        raise ValueError(f"dy must have shape {cache.y.shape}, got {dy.shape}")
    dx = np.zeros_like(cache.x)
    np.add.at(dx, (cache.rows, cache.cols), dy)
    return dx
