"""Family ``maxpool_backward``: 2×2 max pooling with stride 2, forward and backward (``engine.pool``).

Easy and medium draws have one maximum per window; hard ones sometimes plant a tie (the stated
rule decides it) and use odd sizes, where the last row or column is in no window.
"""

from __future__ import annotations

import numpy as np

from quizapp.core.engine import pool as engine_pool
from quizapp.core.generators.base import Context, Draft, register
from quizapp.core.generators.format import arr, exact, num
from quizapp.core.generators.sampling import values

__all__ = ["maxpool_backward"]

KERNEL = STRIDE = 2
ATTEMPTS = 100
_SHAPES = {"easy": [(2, 2)], "medium": [(2, 4), (4, 2), (4, 4)],
           "hard": [(4, 4), (4, 6), (6, 4), (5, 5), (5, 4), (3, 5)]}

CONVENTIONS = [
    "Max pooling as PyTorch's max_pool2d(x, kernel_size=2, stride=2): non-overlapping 2×2 windows, "
    "no padding; out = ⌊(n − 2)/2⌋ + 1 per side, so a last odd row or column is in no window.",
    "Backward: each dy[i, j] goes to the position of the maximum of window (i, j); every other "
    "entry gets 0 (entries in no window too).",
    "Ties: the first maximum in row-major order within the window (left to right, then down) "
    "gets all of dy[i, j] — the index PyTorch's CPU kernel records.",
    "dy = ∂L/∂y of a scalar loss; dx = ∂L/∂x. Window (i, j) and x[r, c] are counted from 1.",
]


def _unique_max(x: np.ndarray, out_h: int, out_w: int) -> bool:
    for i in range(out_h):
        for j in range(out_w):
            block = x[STRIDE * i:STRIDE * i + KERNEL, STRIDE * j:STRIDE * j + KERNEL]
            if np.count_nonzero(block == block.max()) > 1:
                return False
    return True


def _draw(ctx: Context, h: int, w: int) -> np.ndarray:
    out_h, out_w = (h - KERNEL) // STRIDE + 1, (w - KERNEL) // STRIDE + 1
    for _ in range(ATTEMPTS):
        x = values(ctx.rng, (h, w), ctx.difficulty, allow_zero=True)
        if _unique_max(x, out_h, out_w):
            break
    if ctx.hard and ctx.rng.random() < 0.5:  # plant a tie: copy a window's maximum inside it
        i, j = int(ctx.rng.integers(out_h)), int(ctx.rng.integers(out_w))
        block = x[STRIDE * i:STRIDE * i + KERNEL, STRIDE * j:STRIDE * j + KERNEL]
        r, c = np.unravel_index(int(block.argmax()), block.shape)
        others = [(a, b) for a in range(KERNEL) for b in range(KERNEL) if (a, b) != (r, c)]
        a, b = others[int(ctx.rng.integers(len(others)))]
        block[a, b] = block[r, c]
    return x


def _window_line(x: np.ndarray, i: int, j: int, r: int, c: int) -> str:
    block = x[STRIDE * i:STRIDE * i + KERNEL, STRIDE * j:STRIDE * j + KERNEL]
    top = block.max()
    tie = np.count_nonzero(block == top) > 1
    text = (f"Window ({i + 1}, {j + 1}) = {arr(block, 10)}: max {num(top, 10)} at "
            f"x[{r + 1}, {c + 1}]")
    if tie:
        text += f" (a tie: the first in row-major order, x[{r + 1}, {c + 1}], takes the gradient)"
    return text


@register("maxpool_backward", "Max-pooling backward pass", ("y", "dx"))
def maxpool_backward(ctx: Context) -> Draft:
    h, w = ctx.pick(_SHAPES[ctx.difficulty])
    x = _draw(ctx, h, w)
    cache = engine_pool.maxpool2d_forward(x, KERNEL, STRIDE)
    out_h, out_w = cache.y.shape
    dy = values(ctx.rng, (out_h, out_w), ctx.difficulty)
    dx = engine_pool.maxpool2d_backward(cache, dy)
    prompt = (
        f"2×2 max pooling with stride 2 (PyTorch max_pool2d, no padding) maps x ({h}×{w}) = "
        f"{exact(x)} to y ({out_h}×{out_w}). The upstream gradient is dy = ∂L/∂y ({out_h}×{out_w})"
        f" = {exact(dy)}. Compute y and dx = ∂L/∂x ({h}×{w}). On a tie inside a window, the first "
        f"maximum in row-major order gets the gradient."
    )
    steps = [f"out = ⌊(n − 2)/2⌋ + 1: {out_h}×{out_w} windows of 2×2"]
    if h % 2 or w % 2:
        steps.append("The last odd row/column is in no window: its dx entries are 0.")
    steps += [_window_line(x, i, j, int(cache.rows[i, j]), int(cache.cols[i, j]))
              for i in range(out_h) for j in range(out_w)]
    steps += [f"y = the window maxima = {arr(cache.y)}",
              f"dx: each dy[i, j] at its window's maximum, 0 elsewhere = {arr(dx)}"]
    hints = ["first split x into 2×2 windows starting every 2 rows and columns",
             "y[i, j] = the maximum of window (i, j)",
             "dx = dy[i, j] at the position of window (i, j)'s maximum (the first one on a tie), "
             "0 everywhere else"]
    return Draft({"x": x, "dy": dy}, {"y": cache.y, "dx": dx}, prompt, steps, list(CONVENTIONS),
                 params={"kernel": KERNEL, "stride": STRIDE}, hints=hints)
