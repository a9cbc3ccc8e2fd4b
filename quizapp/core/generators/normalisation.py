"""Families ``batchnorm_backward`` and ``layernorm_backward``: forward y and the gradients
dx, dγ, dβ from a given upstream dy, as ``torch.nn.BatchNorm1d`` (training) / ``LayerNorm``.

The two share everything but the axis of the statistics (see ``engine.norm``). Draws keep every
variance ≥ 0.1 (no near-constant group) and are redone until the chain, with every intermediate
rounded to the 4 significant digits the solution shows, still lands well inside the tolerance.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from quizapp.core.engine import norm
from quizapp.core.generators.base import Context, Draft, register
from quizapp.core.generators.fair import ATTEMPTS, scaled_tolerance, survives_rounding
from quizapp.core.generators.format import arr, exact, num
from quizapp.core.generators.options import number_option
from quizapp.core.generators.sampling import round_sig, values

__all__ = ["batchnorm_backward", "layernorm_backward"]

ANSWERS = ("y", "dx", "dgamma", "dbeta")
MIN_VAR = 0.1
DY_TRIES = 4


class _Kind:
    def __init__(self, batch: bool) -> None:
        self.batch = batch
        self.forward: Callable[..., norm.NormCache] = (
            norm.batchnorm_forward if batch else norm.layernorm_forward)
        self.group = "column" if batch else "row"
        self.over = "the m rows of the batch" if batch else "the n features of the row"
        self.count = "m" if batch else "n"


BATCH, LAYER = _Kind(True), _Kind(False)


def _backward(c: norm.NormCache, dy: np.ndarray) -> dict[str, np.ndarray]:
    g = norm.norm_backward(c, dy)
    return {"cache": c, "y": c.y, "dx": g.dx, "dgamma": g.dgamma, "dbeta": g.dbeta,
            "dxhat": g.dxhat}


def _rounded(c: norm.NormCache) -> norm.NormCache:
    """The forward pass as a person carries it: √(σ² + ε), x̂ and y to 4 significant digits."""
    std, xhat = round_sig(c.std), round_sig(c.xhat)
    return c._replace(std=std, xhat=xhat, y=round_sig(c.gamma * xhat + c.beta))


def _draw_forward(ctx: Context, kind: _Kind, m: int, n: int, eps: float,
                  check: bool = True) -> tuple[norm.NormCache, norm.NormCache] | None:
    """x, γ, β and the forward pass (exact and rounded), or None when x has a near-constant
    group or y does not survive rounding (x is drawn and checked first, alone)."""
    x = values(ctx.rng, (m, n), ctx.difficulty, allow_zero=True)
    if check and np.min(np.var(x, axis=0 if kind.batch else 1)) < MIN_VAR:
        return None
    gamma = values(ctx.rng, n, ctx.difficulty, bound=2.0, positive=True)
    beta = values(ctx.rng, n, ctx.difficulty, allow_zero=True)
    c = kind.forward(x, gamma, beta, eps)
    r = _rounded(c)
    if check and not survives_rounding({"y": c.y}, {"y": r.y}, ["y"],
                                       {"y": scaled_tolerance(c.y)}):
        return None
    return c, r


def _build(ctx: Context, kind: _Kind, sizes: tuple[int, int]) -> Draft:
    m, n = sizes
    eps = number_option(ctx, "eps", [norm.DEFAULT_EPS], low=0.0, high=10.0)
    fair = False
    for attempt in range(ATTEMPTS):
        # the last attempt takes what it draws (never reached in practice)
        forward = _draw_forward(ctx, kind, m, n, eps, check=attempt < ATTEMPTS - 1)
        if forward is None:
            continue
        exact_c, rounded_c = forward
        for _ in range(DY_TRIES):  # dx cancels for some dy only: a new dy is cheaper than all anew
            dy = values(ctx.rng, (m, n), ctx.difficulty)
            res = _backward(exact_c, dy)
            tolerances = {k: scaled_tolerance(res[k]) for k in ANSWERS}
            fair = survives_rounding(res, _backward(rounded_c, dy), ANSWERS, tolerances)
            if fair:
                break
        if fair:
            break
    inp = {"x": exact_c.x, "gamma": exact_c.gamma, "beta": exact_c.beta, "dy": dy}
    c = res["cache"]
    dxhat = res["dxhat"]
    mean_d = dxhat.mean(axis=c.axis, keepdims=True)
    mean_dx = np.mean(dxhat * c.xhat, axis=c.axis, keepdims=True)
    name = "BatchNorm (training mode)" if kind.batch else "LayerNorm"
    prompt = (
        f"{name} on x ({m}×{n}) = {exact(inp['x'])} ({m} example(s) as rows, {n} feature(s) as "
        f"columns) with γ ({n}) = {exact(inp['gamma'])}, β ({n}) = {exact(inp['beta'])} and "
        f"ε = {num(eps)}; statistics per {kind.group} over {kind.over}. The upstream gradient "
        f"is dy = ∂L/∂y ({m}×{n}) = {exact(inp['dy'])}. Compute y ({m}×{n}), dx ({m}×{n}), "
        f"dgamma ({n}) and dbeta ({n})."
    )
    c_ = kind.count
    steps = [
        f"μ = mean of each {kind.group} over {kind.over} = {arr(c.mu)}",
        f"σ² = mean of (x − μ)² per {kind.group} (biased: ÷ {c_}) = {arr(c.var)}",
        f"√(σ² + ε) with ε = {num(eps)}: {arr(c.std)}",
        f"x̂ = (x − μ)/√(σ² + ε) = {arr(c.xhat)}",
        f"y = γ ⊙ x̂ + β = {arr(res['y'])}",
        f"dβ = Σ over the rows of dy = {arr(res['dbeta'])}",
        f"dγ = Σ over the rows of dy ⊙ x̂ = {arr(res['dgamma'])}",
        f"dx̂ = dy ⊙ γ = {arr(dxhat)}",
        f"mean(dx̂) per {kind.group} = {arr(mean_d)}; mean(dx̂ ⊙ x̂) per {kind.group} = "
        f"{arr(mean_dx)}",
        f"dx = (dx̂ − mean(dx̂) − x̂ ⊙ mean(dx̂ ⊙ x̂)) / √(σ² + ε) = {arr(res['dx'])}",
    ]
    conventions = [
        ("torch.nn.BatchNorm1d in training mode: μ and σ² per feature (column) over the m rows "
         "of the batch." if kind.batch else
         "torch.nn.LayerNorm(n): μ and σ² per example (row) over its n features; γ and β are "
         "per feature (elementwise affine)."),
        f"Biased variance σ² = (1/{c_}) Σ (x − μ)² in the normalisation, ε inside the square "
        "root: x̂ = (x − μ)/√(σ² + ε)"
        + (" (the running_var buffer, not asked, uses the unbiased ÷ (m − 1))." if kind.batch
           else "."),
        "y = γ ⊙ x̂ + β. dy = ∂L/∂y is given; dx, dgamma, dbeta are ∂L/∂x, ∂L/∂γ, ∂L/∂β "
        "(no extra 1/m).",
        f"μ and σ² depend on x, so dx includes their paths: dx = (dx̂ − mean(dx̂) − x̂ ⊙ "
        f"mean(dx̂ ⊙ x̂))/√(σ² + ε) with dx̂ = dy ⊙ γ and means per {kind.group}.",
    ]
    hints = [f"first μ = mean of each {kind.group} of x",
             f"then σ² = mean of (x − μ)² per {kind.group} (biased: ÷ {c_})",
             "x̂ = (x − μ)/√(σ² + ε)", "y = γ ⊙ x̂ + β",
             "dβ = Σ_rows dy and dγ = Σ_rows dy ⊙ x̂", "dx̂ = dy ⊙ γ",
             "dx = (dx̂ − mean(dx̂) − x̂ ⊙ mean(dx̂ ⊙ x̂)) / √(σ² + ε)"]
    answer = {k: res[k] for k in ANSWERS}
    params = {"eps": eps, "training": True} if kind.batch else {"eps": eps}
    return Draft(inp, answer, prompt, steps, conventions, params=params, hints=hints,
                 tolerances=tolerances)


@register("batchnorm_backward", "BatchNorm forward and backward", ANSWERS, options=("eps",))
def batchnorm_backward(ctx: Context) -> Draft:
    sizes = ctx.pick([(3, 1)], medium=[(3, 2), (4, 2)], hard=[(4, 3), (3, 3), (5, 2)])
    return _build(ctx, BATCH, sizes)


@register("layernorm_backward", "LayerNorm forward and backward", ANSWERS, options=("eps",))
def layernorm_backward(ctx: Context) -> Draft:
    sizes = ctx.pick([(1, 3)], medium=[(2, 3), (2, 4)], hard=[(3, 4), (4, 3), (2, 5)])
    return _build(ctx, LAYER, sizes)
