"""Families ``conv1d`` (forward and backward of one 1-D convolution) and ``conv2d_shape`` (output
size and parameter count of a Conv2d), in PyTorch's conventions (``engine.conv``).

Text indices are 1-based (x_pad[c, (j − 1)·s + i]); the engine's are 0-based.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from quizapp.core.engine import conv as engine_conv
from quizapp.core.generators.base import INTEGER, Context, Draft, register
from quizapp.core.generators.format import arr, exact, num
from quizapp.core.generators.options import int_option
from quizapp.core.generators.sampling import values

__all__ = ["conv1d", "conv2d_shape"]

# (c_in, c_out, L, k, stride, padding); easy keeps every array to at most 3 entries.
_CONV1D = {
    "easy": [(1, 1, 3, 2, 1, 0), (1, 1, 2, 2, 1, 1), (1, 1, 3, 3, 1, 1), (1, 1, 3, 2, 2, 1)],
    "medium": [(1, 2, 4, 2, 1, 0), (2, 1, 4, 2, 2, 0), (2, 1, 3, 3, 1, 1), (1, 2, 5, 3, 2, 1),
               (2, 2, 3, 2, 1, 0)],
    "hard": [(2, 2, 5, 3, 2, 1), (2, 3, 6, 3, 2, 1), (3, 2, 5, 3, 1, 1), (2, 2, 7, 3, 3, 2)],
}

CONV1D_CONVENTIONS = [
    "conv1d as in PyTorch (torch.nn.functional.conv1d, one unbatched example): a cross-correlation, "
    "the kernel is not flipped: y[o, j] = b[o] + Σ_c Σ_i w[o, c, i]·x_pad[c, (j − 1)·s + i] "
    "(indices from 1).",
    "padding p adds p zeros at both ends of every channel (x_pad); stride s moves the window by s; "
    "L_out = ⌊(L + 2p − k)/s⌋ + 1 (floor: positions left over at the end are in no window).",
    "w is written as one (c_in×k) matrix per output channel: [[w[1,1,:], w[1,2,:], …], …].",
    "dy = ∂L/∂y of a scalar loss L; dx, dw, db are ∂L/∂x, ∂L/∂w, ∂L/∂b (one example, no averaging).",
]


def _spelled(w: np.ndarray, x_pad: np.ndarray, b: float) -> str:
    """y[1, 1] term by term: b + Σ w[1, c, i]·x_pad[c, i]."""
    terms = [f"({num(w[c, i], 10)})·({num(x_pad[c, i], 10)})"
             for c in range(w.shape[0]) for i in range(w.shape[1])]
    return f"y[1, 1] = b[1] + Σ_c Σ_i w[1, c, i]·x_pad[c, i] = {num(b, 10)} + " + " + ".join(terms)


@register("conv1d", "1-D convolution forward and backward", ("y", "dx", "dw", "db"),
          options=("stride", "padding"))
def conv1d(ctx: Context) -> Draft:
    c_in, c_out, L, k, stride, padding = ctx.pick(_CONV1D[ctx.difficulty])
    stride = int_option(ctx, "stride", stride, low=1)
    padding = int_option(ctx, "padding", padding, low=0)
    engine_conv.conv_out_size(L, k, stride, padding)  # a clear error when the options do not fit
    x = values(ctx.rng, (c_in, L), ctx.difficulty)
    w = values(ctx.rng, (c_out, c_in, k), ctx.difficulty)
    b = values(ctx.rng, (c_out,), ctx.difficulty)
    cache = engine_conv.conv1d_forward(x, w, b, stride, padding)
    l_out = cache.y.shape[1]
    dy = values(ctx.rng, (c_out, l_out), ctx.difficulty)
    g = engine_conv.conv1d_backward(cache, dy)
    prompt = (
        f"A 1-D convolution (PyTorch conv1d: cross-correlation) with stride s = {stride} and "
        f"padding p = {padding} takes x ({c_in}×{L}) = {exact(x)}, kernel w ({c_out}×{c_in}×{k}) = "
        f"{exact(w)} and bias b ({c_out}) = {exact(b)}. The upstream gradient is dy = ∂L/∂y "
        f"({c_out}×{l_out}) = {exact(dy)}. Compute y ({c_out}×{l_out}), dx ({c_in}×{L}), "
        f"dw ({c_out}×{c_in}×{k}) and db ({c_out})."
    )
    span = L + 2 * padding - k
    steps = [f"L_out = ⌊(L + 2p − k)/s⌋ + 1 = ⌊({L} + {2 * padding} − {k})/{stride}⌋ + 1 = "
             f"⌊{span}/{stride}⌋ + 1 = {l_out}"]
    if padding:
        steps.append(f"x_pad = x with {padding} zero(s) at each end = {arr(cache.x_pad)}")
    else:
        steps.append("No padding: x_pad = x.")
    first = _spelled(w[0], cache.x_pad[:, :k], b[0])
    steps += [f"{first} = {num(cache.y[0, 0])}",
              f"Every window likewise: y = {arr(cache.y)}",
              f"db[o] = Σ_j dy[o, j] (row sums of dy): db = {arr(g.db)}",
              f"dw[o, c, i] = Σ_j dy[o, j]·x_pad[c, (j − 1)·s + i]: dw = {arr(g.dw)}",
              f"Each window sends w[o, c, i]·dy[o, j] back to x_pad[c, (j − 1)·s + i]; summed: "
              f"dx_pad = {arr(g.dx_pad)}"]
    if padding:
        steps.append(f"dx = dx_pad without the {padding} padded column(s) at each end = {arr(g.dx)}")
    else:
        steps.append(f"dx = dx_pad = {arr(g.dx)}")
    hints = [
        "first L_out = ⌊(L + 2p − k)/s⌋ + 1 and x_pad = x with p zeros at each end",
        "y[o, j] = b[o] + Σ_c Σ_i w[o, c, i]·x_pad[c, (j − 1)·s + i]",
        "db[o] = Σ_j dy[o, j]",
        "dw[o, c, i] = Σ_j dy[o, j]·x_pad[c, (j − 1)·s + i]",
        "dx_pad[c, (j − 1)·s + i] += w[o, c, i]·dy[o, j] for every o, j, i; dx = dx_pad minus padding",
    ]
    return Draft({"x": x, "w": w, "b": b, "dy": dy},
                 {"y": cache.y, "dx": g.dx, "dw": g.dw, "db": g.db},
                 prompt, steps, list(CONV1D_CONVENTIONS),
                 params={"stride": stride, "padding": padding}, hints=hints)


def _conv2d_setup(ctx: Context) -> dict[str, Any]:
    rng = ctx.rng
    if ctx.easy:
        side = ctx.pick([4, 5, 6, 7, 8, 10, 28, 32])
        return {"input": [side, side, ctx.pick([1, 3])], "kernel": ctx.pick([1, 3, 5]),
                "stride": 1, "padding": ctx.pick([0, 1]), "dilation": 1,
                "filters": ctx.pick([1, 2, 4, 8, 16])}
    if ctx.difficulty == "medium":
        h = ctx.pick([7, 9, 28, 32, 64, 224])
        w = ctx.pick([h, h, h + 1, int(rng.integers(5, 65))])
        return {"input": [h, w, ctx.pick([1, 3, 16, 32])], "kernel": ctx.pick([2, 3, 5, 7]),
                "stride": ctx.pick([1, 2, 2, 3]), "padding": ctx.pick([0, 1, 2, 3]), "dilation": 1,
                "filters": ctx.pick([8, 16, 32, 64])}
    h, w = int(rng.integers(5, 97)), int(rng.integers(5, 97))
    kernel = ctx.pick([3, 5, [1, 3], [3, 1], [3, 5], [5, 3]])
    stride = ctx.pick([1, 2, 3, [1, 2], [2, 1]])
    return {"input": [h, w, ctx.pick([3, 16, 64, 128])], "kernel": kernel, "stride": stride,
            "padding": ctx.pick([0, 1, 2, [1, 0], [0, 2]]), "dilation": ctx.pick([1, 2, 3, [2, 1]]),
            "filters": ctx.pick([16, 32, 64, 256])}


def _pair(v: int | list[int]) -> tuple[int, int]:
    return (v[0], v[1]) if isinstance(v, list) else (v, v)


def _fits(setup: dict[str, Any]) -> bool:
    (kh, kw), (dh, dw) = _pair(setup["kernel"]), _pair(setup["dilation"])
    (ph, pw) = _pair(setup["padding"])
    h, w = setup["input"][:2]
    return h + 2 * ph - dh * (kh - 1) - 1 >= 0 and w + 2 * pw - dw * (kw - 1) - 1 >= 0


def _side(name: str, n: int, k: int, s: int, p: int, d: int, out: int) -> str:
    top = n + 2 * p - d * (k - 1) - 1
    return (f"{name} = ⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1 = ⌊({n} + {2 * p} − {d}·{k - 1} − 1)/{s}⌋"
            f" + 1 = ⌊{top}/{s}⌋ + 1 = {out}")


@register("conv2d_shape", "Conv2d output size and parameters", ("out_h", "out_w", "params"))
def conv2d_shape(ctx: Context) -> Draft:
    for _ in range(100):
        setup = _conv2d_setup(ctx)
        if _fits(setup):
            break
    else:  # pragma: no cover - every table above has fitting draws
        setup = {"input": [8, 8, 1], "kernel": 3, "stride": 1, "padding": 0, "dilation": 1,
                 "filters": 1}
    H, W, C = setup["input"]
    (kh, kw), (sh, sw) = _pair(setup["kernel"]), _pair(setup["stride"])
    (ph, pw), (dh, dw) = _pair(setup["padding"]), _pair(setup["dilation"])
    filters = setup["filters"]
    out_h = engine_conv.conv_out_size(H, kh, sh, ph, dh)
    out_w = engine_conv.conv_out_size(W, kw, sw, pw, dw)
    params = engine_conv.conv2d_params(C, filters, kh, kw)

    def shown(key: str) -> str:
        v = setup[key]
        return f"{key} = {exact(v)}" if isinstance(v, list) else f"{key} = {v}"

    prompt = (
        f"A Conv2d layer (PyTorch: torch.nn.Conv2d(in_channels={C}, out_channels={filters}, …), "
        f"bias on) gets an input of H×W×C = {H}×{W}×{C}, input = {exact(setup['input'])}, with "
        f"{shown('kernel')}, {shown('stride')}, {shown('padding')}, {shown('dilation')} and "
        f"filters = {filters}. Compute the output height out_h, the output width out_w and the "
        f"number of learnable parameters params (weights and biases)."
    )
    steps = []
    if dh > 1 or dw > 1:
        steps.append(f"Dilated kernel span d·(k − 1) + 1: height {dh}·{kh - 1} + 1 = "
                     f"{dh * (kh - 1) + 1}, width {dw}·{kw - 1} + 1 = {dw * (kw - 1) + 1}")
    steps += [_side("out_h", H, kh, sh, ph, dh, out_h), _side("out_w", W, kw, sw, pw, dw, out_w),
              f"params = filters·(C·k_h·k_w) + filters = {filters}·({C}·{kh}·{kw}) + {filters} = "
              f"{filters * C * kh * kw} + {filters} = {params}",
              f"out_h = {out_h}, out_w = {out_w}, params = {params}"]
    conventions = [
        "PyTorch's Conv2d: out = ⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1 per side (n the input height or "
        "width), i.e. rounded down; padding p zeros on both sides (top and bottom, left and right).",
        "A single number for kernel, stride, padding or dilation applies to height and width; a "
        "pair [h, w] gives them separately.",
        "Each filter has C·k_h·k_w weights and one bias: params = filters·(C·k_h·k_w + 1).",
        "H×W×C is only how the input size is written; PyTorch's tensors are C×H×W — same answer.",
    ]
    hints = ["first the dilated kernel span d·(k − 1) + 1 on each side",
             "out_h = ⌊(H + 2p − d·(k − 1) − 1)/s⌋ + 1 with the height's k, s, p, d",
             "out_w likewise with W and the width's k, s, p, d",
             "params = filters·(C·k_h·k_w) + filters (one bias per filter)"]
    inputs = {"input": list(setup["input"]), **{k: setup[k] for k in
              ("kernel", "stride", "padding", "dilation", "filters")}}
    return Draft(inputs, {"out_h": out_h, "out_w": out_w, "params": params}, prompt, steps,
                 conventions, tolerances={n: INTEGER for n in ("out_h", "out_w", "params")},
                 hints=hints)
