"""Family ``dense_backward``: gradients of a dense layer from the per-example dZ.

Convention (``engine.layers``): Z = X W + b over a batch of m rows, L = (1/m) Σᵢ ℓᵢ, dZ row i =
∂ℓᵢ/∂Zᵢ; then dW = Xᵀ dZ / m, db = column sums of dZ / m, dX = dZ Wᵀ (per example, no 1/m).
"""

from __future__ import annotations

import numpy as np

from quizapp.core.engine.layers import dense_backward as engine_dense_backward
from quizapp.core.generators.base import Context, Draft, register
from quizapp.core.generators.format import arr, exact, num, shape_text
from quizapp.core.generators.sampling import values

__all__ = ["DENSE_CONVENTIONS", "dense_backward"]

DENSE_CONVENTIONS = [
    "Dense layer on a batch of m rows: Z = X W + b, X (m×n), W (n×k), b (k) added to every row.",
    "dZ is the per-example gradient (row i = ∂ℓᵢ/∂Zᵢ) and the loss is the batch mean "
    "L = (1/m) Σᵢ ℓᵢ, so dW = Xᵀ dZ / m and db = (column sums of dZ) / m.",
    "dX = dZ Wᵀ is per example (no 1/m): row i is ∂ℓᵢ/∂Xᵢ, what the previous layer needs.",
]

_EASY_SHAPES = [(1, 2, 1), (1, 3, 1), (2, 1, 1), (3, 1, 1), (1, 1, 2), (1, 1, 3)]


def _sizes(ctx: Context) -> tuple[int, int, int]:
    if ctx.easy:
        return ctx.pick(_EASY_SHAPES)
    if ctx.difficulty == "medium":
        return ctx.pick([2, 3]), ctx.pick([2, 3]), ctx.pick([1, 2])
    return ctx.pick([2, 3, 4]), ctx.pick([2, 3, 4]), ctx.pick([2, 3])


def _first_entry(X: np.ndarray, dZ: np.ndarray) -> str:
    """"dW[1,1] = (x₁₁·dZ₁₁ + x₂₁·dZ₂₁) / m" spelled out with numbers, for the first entry."""
    terms = " + ".join(f"({num(X[i, 0], 10)})·({num(dZ[i, 0], 10)})" for i in range(X.shape[0]))
    m = X.shape[0]
    return f"For example dW[1,1] = Σᵢ X[i,1]·dZ[i,1] / m = ({terms}) / {m}"


@register("dense_backward", "Dense layer backward pass", ("dW", "db", "dX"))
def dense_backward(ctx: Context) -> Draft:
    m, n, k = _sizes(ctx)
    X = values(ctx.rng, (m, n), ctx.difficulty)
    W = values(ctx.rng, (n, k), ctx.difficulty)
    b = values(ctx.rng, (k,), ctx.difficulty)
    dZ = values(ctx.rng, (m, k), ctx.difficulty)
    grads = engine_dense_backward(X, W, dZ)
    prompt = (
        f"A dense layer computes Z = X W + b for a batch of m = {m} row(s): "
        f"X ({m}×{n}) = {exact(X)}, W ({n}×{k}) = {exact(W)}, b ({k}) = {exact(b)}. "
        f"The per-example upstream gradient is dZ ({m}×{k}) = {exact(dZ)} (row i = ∂ℓᵢ/∂Zᵢ; "
        f"L = (1/m) Σᵢ ℓᵢ). Compute dW = Xᵀ dZ / m ({shape_text(grads.dW)}), "
        f"db = column sums of dZ / m ({k}) and dX = dZ Wᵀ ({m}×{n}, no 1/m)."
    )
    steps = [
        f"m = {m}; shapes: X {m}×{n}, W {n}×{k}, dZ {m}×{k}.",
        f"Xᵀ dZ = {arr(X.T @ dZ)}",
        _first_entry(X, dZ) + f" = {num(grads.dW[0, 0])}",
        f"dW = Xᵀ dZ / {m} = {arr(grads.dW)}",
        f"Column sums of dZ = {arr(dZ.sum(axis=0))}; db = {arr(dZ.sum(axis=0))} / {m} = {arr(grads.db)}",
        f"dX = dZ Wᵀ = {arr(dZ)} · {arr(W.T)} = {arr(grads.dX)}",
        "b does not enter the gradients: Z is linear in b with slope 1 for every row.",
    ]
    return Draft({"X": X, "W": W, "b": b, "dZ": dZ},
                 {"dW": grads.dW, "db": grads.db, "dX": grads.dX},
                 prompt, steps, list(DENSE_CONVENTIONS))
