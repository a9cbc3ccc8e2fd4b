"""Family ``dropout_backward``: inverted dropout with a given mask, forward y and backward dx."""

from __future__ import annotations

import numpy as np

from quizapp.core.engine import dropout as engine
from quizapp.core.generators.base import Context, Draft, register
from quizapp.core.generators.format import arr, exact, num, shape_text
from quizapp.core.generators.options import number_option
from quizapp.core.generators.sampling import values

__all__ = ["dropout_backward"]


def _mask(ctx: Context, shape: tuple[int, ...], p: float) -> np.ndarray:
    """Each unit kept with probability 1 − p; with 2+ units at least one kept and one dropped."""
    keep = ctx.rng.random(shape) >= p
    flat = keep.reshape(-1)
    if flat.size >= 2 and 0.0 < p < 1.0:
        if flat.all():
            flat[int(ctx.rng.integers(flat.size))] = False
        if not flat.any():
            flat[int(ctx.rng.integers(flat.size))] = True
    return keep.astype(np.int64)


@register("dropout_backward", "Inverted dropout forward and backward", ("y", "dx"),
          options=("p",))
def dropout_backward(ctx: Context) -> Draft:
    shape = ctx.pick([(2,), (3,)], medium=[(2, 2), (2, 3)], hard=[(3, 3), (3, 4), (4, 3)])
    p = number_option(ctx, "p", [0.5], low=0.0, high=1.0, high_open=True,
                      medium=[0.5, 0.2, 0.25], hard=[0.1, 0.2, 0.3, 0.4, 0.25])
    x = values(ctx.rng, shape, ctx.difficulty)
    dy = values(ctx.rng, shape, ctx.difficulty)
    mask = _mask(ctx, shape, p)
    scale = engine.dropout_scale(p)
    y = engine.dropout_forward(x, mask, p)
    dx = engine.dropout_backward(dy, mask, p)
    s = shape_text(x)
    prompt = (f"Inverted dropout with p = {num(p)} (the probability of dropping a unit) in "
              f"training mode. The input x ({s}) = {exact(x)} and the drawn mask ({s}) = "
              f"{exact(mask)} (1 = kept, 0 = dropped). The upstream gradient is dy = ∂L/∂y ({s}) "
              f"= {exact(dy)}. Compute y ({s}) and dx = ∂L/∂x ({s}).")
    steps = [f"Kept units are scaled by 1/(1 − p) = 1/{num(1 - p)} = {num(scale)}",
             f"y = x ⊙ mask / (1 − p) = {arr(y)}",
             f"dx = dy ⊙ mask / (1 − p) = {arr(dx)} (dropped units pass no gradient)"]
    conventions = [
        "Inverted dropout as torch.nn.Dropout(p) in training mode: the mask is given (1 = kept, "
        "0 = dropped) and kept units are scaled by 1/(1 − p), so evaluation needs no rescaling.",
        "dx = ∂L/∂x = dy ⊙ mask / (1 − p): the same mask and scale as the forward pass.",
    ]
    hints = ["first the scale 1/(1 − p) for the kept units", "then y = x ⊙ mask/(1 − p)",
             "dx = dy ⊙ mask/(1 − p)"]
    return Draft({"x": x, "mask": mask.tolist(), "dy": dy}, {"y": y, "dx": dx}, prompt, steps,
                 conventions, params={"p": p}, hints=hints)
