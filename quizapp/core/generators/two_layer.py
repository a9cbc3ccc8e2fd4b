"""Family ``two_layer``: full backprop through x → dense → f → dense (linear) → ½‖ŷ − y‖².

The numbers are redrawn until the question is fair to do by hand: hidden pre-activations sit at
least 0.1 from any kink and inside |Z1| ≤ 4 (not saturated), some hidden unit passes gradient
back (not all dead), and redoing the chain with every
intermediate rounded to the 4 significant digits the solution shows still lands well inside the
answer tolerance (this rules out ŷ ≈ y cancellations). Fair draws take ≤ ~20 tries; after
``ATTEMPTS`` the last draw is used rather than failing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from quizapp.core.engine import layers, losses
from quizapp.core.generators.base import DEFAULT_ATOL, DEFAULT_RTOL, Context, Draft, register
from quizapp.core.generators.explain import activation_conventions, describe
from quizapp.core.generators.format import arr, exact, num
from quizapp.core.generators.sampling import KINK_GAP, round_sig, values

__all__ = ["forward_backward", "two_layer"]

ANSWERS = ("dW1", "db1", "dW2", "db2")
MAX_Z1 = 4.0
ATTEMPTS = 200
_EASY_SIZES = [(1, 1), (1, 2), (2, 1), (1, 3), (3, 1)]  # (n, h); k = 1


def _identity(a: np.ndarray) -> np.ndarray:
    return a


def forward_backward(inp: dict[str, np.ndarray], act_name: str, params: dict[str, Any],
                     r: Callable[[np.ndarray], np.ndarray] = _identity) -> dict[str, Any]:
    """Every intermediate of the chain, from the engine; ``r`` rounds each one (identity: exact)."""
    cache = layers.dense_activation_forward(inp["x"], inp["W1"], inp["b1"], act_name, **params)
    Z1 = r(cache.Z)
    cache = cache._replace(Z=Z1, A=r(cache.A))
    yhat = r(layers.dense_forward(cache.A, inp["W2"], inp["b2"]))
    loss = losses.mse(yhat, inp["y"], reduction="sum")
    dyhat = r(loss.grad / 2.0)  # L = ½ Σ (ŷ − y)², so ∂L/∂ŷ = ŷ − y
    g2 = layers.dense_backward(cache.A, inp["W2"], dyhat)
    dA1 = r(g2.dX)
    dZ1, g1 = layers.dense_activation_backward(cache, dA1)
    return {"Z1": Z1, "A1": cache.A, "yhat": yhat, "L": loss.value / 2.0, "dyhat": dyhat,
            "dA1": dA1, "dZ1": dZ1, "dW1": g1.dW, "db1": g1.db, "dW2": g2.dW, "db2": g2.db}


def _fair(ctx: Context, inp: dict[str, np.ndarray], exact_: dict[str, Any]) -> bool:
    Z1 = exact_["Z1"]
    if np.any(np.abs(Z1) > MAX_Z1) or np.any(np.abs(exact_["dyhat"]) < 0.05):
        return False
    if not np.any(np.abs(exact_["dZ1"]) > 1e-3):  # every hidden unit dead or flat: nothing to do
        return False
    if any(np.any(np.abs(Z1 - k) < KINK_GAP) for k in ctx.act.kinks):
        return False
    rounded = forward_backward(inp, ctx.act.name, ctx.act_params, round_sig)
    for name in ANSWERS:
        slack = 0.2 * (DEFAULT_ATOL + DEFAULT_RTOL * np.abs(exact_[name]))
        if np.any(np.abs(rounded[name] - exact_[name]) > slack):
            return False
    return True


def _sizes(ctx: Context) -> tuple[int, int, int]:
    if ctx.easy:
        return (*ctx.pick(_EASY_SIZES), 1)
    if ctx.difficulty == "medium":
        return 2, ctx.pick([2, 3]), ctx.pick([1, 2])
    return ctx.pick([2, 3]), ctx.pick([3, 4]), ctx.pick([2, 3])


def _draw(ctx: Context, n: int, h: int, k: int) -> dict[str, np.ndarray]:
    bound = None if ctx.easy else 2.0  # weights of ±4 would make ŷ and the gradients huge

    def v(shape: tuple[int, ...], limit: float | None = bound) -> np.ndarray:
        return values(ctx.rng, shape, ctx.difficulty, bound=limit)

    return {"x": v((1, n), None), "W1": v((n, h)), "b1": v((h,)), "W2": v((h, k)),
            "b2": v((k,)), "y": v((1, k), None)}


@register("two_layer", "Two-layer network backprop", ANSWERS, uses_activation=True)
def two_layer(ctx: Context) -> Draft:
    n, h, k = _sizes(ctx)
    for _ in range(ATTEMPTS):
        inp = _draw(ctx, n, h, k)
        res = forward_backward(inp, ctx.act.name, ctx.act_params)
        if _fair(ctx, inp, res):
            break
    act, p = ctx.act, ctx.act_params
    shown = act.formulas(**p)
    prompt = (
        f"A network with one hidden layer takes a single example x (1×{n}) = {exact(inp['x'])}. "
        f"Hidden layer: Z1 = x W1 + b1 with W1 ({n}×{h}) = {exact(inp['W1'])}, "
        f"b1 ({h}) = {exact(inp['b1'])}, then A1 = f(Z1) with f = {describe(act, p)}, "
        f"f(z) = {shown.f_text}. "
        f"Output layer (linear): ŷ = A1 W2 + b2 with W2 ({h}×{k}) = {exact(inp['W2'])}, "
        f"b2 ({k}) = {exact(inp['b2'])}. Target y (1×{k}) = {exact(inp['y'])}; "
        f"loss L = ½ Σ (ŷ − y)². Compute dW1 ({n}×{h}), db1 ({h}), dW2 ({h}×{k}) and db2 ({k})."
    )
    fprime = act.derivative(res["Z1"], **p)
    steps = [
        f"Forward: Z1 = x W1 + b1 = {arr(res['Z1'])}",
        f"A1 = f(Z1) = {arr(res['A1'])}   ({act.display}: f(z) = {shown.f_text})",
        f"ŷ = A1 W2 + b2 = {arr(res['yhat'])}; L = ½ Σ (ŷ − y)² = {num(res['L'])}",
        f"Backward: dŷ = ∂L/∂ŷ = ŷ − y = {arr(res['dyhat'])}",
        f"dW2 = A1ᵀ dŷ = {arr(res['dW2'])}; db2 = dŷ = {arr(res['db2'])}",
        f"dA1 = dŷ W2ᵀ = {arr(res['dA1'])}",
        f"f′(Z1) = {arr(fprime)}   (f′(z) = {shown.df_text})",
        f"dZ1 = dA1 ⊙ f′(Z1) = {arr(res['dZ1'])}",
        f"dW1 = xᵀ dZ1 = {arr(res['dW1'])}; db1 = dZ1 = {arr(res['db1'])}",
    ]
    conventions = activation_conventions(act, p) + [
        "Rows are examples; here m = 1, so no averaging: Z1 = x W1 + b1, ŷ = A1 W2 + b2.",
        "Loss L = ½ Σⱼ (ŷⱼ − yⱼ)² (summed over outputs), so ∂L/∂ŷ = ŷ − y.",
        "The output layer is linear (no activation); dW = Aᵀ dZ, db = dZ, dA = dZ Wᵀ.",
    ]
    answer = {name: res[name] for name in ANSWERS}
    return Draft(inp, answer, prompt, steps, conventions)
