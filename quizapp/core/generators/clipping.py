"""Family ``clip_grad_norm``: torch.nn.utils.clip_grad_norm_ over several gradients at once.

``grads`` holds one parameter's (flattened) gradient per row, so the list is a matrix. Draws keep
the total norm at least 10 % away from max_norm, and whenever there are several gradients the
per-gradient clipping mistake would be graded wrong.
"""

from __future__ import annotations

import numpy as np

from quizapp.core.engine import optim as engine_optim
from quizapp.core.generators.base import Context, Draft, register
from quizapp.core.generators.format import arr, exact, num
from quizapp.core.generators.optim import misses
from quizapp.core.generators.options import float_option
from quizapp.core.generators.sampling import values

__all__ = ["clip_grad_norm"]

ATTEMPTS = 200
_SHAPES = {"easy": [(1, 2), (1, 3), (2, 1), (3, 1)], "medium": [(2, 2), (2, 3), (3, 2)],
           "hard": [(3, 3), (2, 4), (4, 2)]}  # (gradients, entries each)
_MAX_NORM = {"easy": (1.0, 2.0, 5.0), "medium": (1.0, 2.0, 5.0, 10.0), "hard": (0.5, 1.0, 5.0, 10.0)}


def _fair(grads: np.ndarray, max_norm: float, res: engine_optim.ClipResult) -> bool:
    if abs(res.total_norm / max_norm - 1.0) < 0.1:
        return False
    if res.coef == 1.0 or grads.shape[0] == 1:
        return True
    per_row = np.stack([engine_optim.clip_grad_norm([row], max_norm).clipped[0] for row in grads])
    return misses(per_row, np.stack(res.clipped))


@register("clip_grad_norm", "Gradient clipping by total norm", ("total_norm", "clipped_grads"),
          options=("max_norm",))
def clip_grad_norm(ctx: Context) -> Draft:
    p, n = ctx.pick(_SHAPES[ctx.difficulty])
    max_norm = float_option(ctx, "max_norm", ctx.pick(_MAX_NORM[ctx.difficulty]), low_open=True)
    for _ in range(ATTEMPTS):
        grads = values(ctx.rng, (p, n), ctx.difficulty)
        res = engine_optim.clip_grad_norm(list(grads), max_norm)
        if _fair(grads, max_norm, res):
            break
    clipped = np.stack(res.clipped)
    squares = (grads * grads).sum(axis=1)
    prompt = (
        f"torch.nn.utils.clip_grad_norm_(parameters, max_norm = {num(max_norm)}) is applied to "
        f"{p} gradient(s), one per row of grads ({p}×{n}) = {exact(grads)}. Compute total_norm, "
        f"the 2-norm of all the gradients together, and clipped_grads ({p}×{n}), the gradients "
        f"after clipping."
    )
    total_sq = float(squares.sum())
    steps = [f"Squares summed per gradient (row): {arr(squares)}; over all of them: "
             f"{num(total_sq)}",
             f"total_norm = √{num(total_sq)} = {num(res.total_norm)}"]
    raw = max_norm / (res.total_norm + engine_optim.CLIP_EPS)
    line = f"coef = max_norm/(total_norm + 1e−6) = {num(max_norm)}/{num(res.total_norm)} = {num(raw)}"
    if res.coef < 1.0:
        steps += [line + " < 1: every gradient is scaled by it",
                  f"clipped_grads = {num(res.coef)}·grads = {arr(clipped)}"]
    else:
        steps += [line + " ≥ 1: clamped to 1, nothing changes",
                  f"clipped_grads = grads = {arr(clipped)}"]
    conventions = [
        "As torch.nn.utils.clip_grad_norm_ (norm_type 2): total_norm = √(Σ over every gradient of "
        "Σ g²) — one norm for all the gradients together, not one per gradient.",
        "coef = max_norm/(total_norm + 1e−6), clamped to at most 1; every gradient is multiplied by "
        "the same coef (so the direction of the whole gradient is kept).",
        "Each row of grads is one parameter's gradient, flattened.",
    ]
    hints = ["first the squares of every entry of every gradient, summed",
             "total_norm = √(that sum)",
             "coef = max_norm/(total_norm + 1e−6), clamped to at most 1",
             "clipped_grads = coef·grads"]
    return Draft({"grads": grads}, {"total_norm": res.total_norm, "clipped_grads": clipped},
                 prompt, steps, conventions, params={"max_norm": max_norm}, hints=hints)
