"""Families ``attention_forward`` (S, P, O) and ``attention_backward`` (dQ, dK, dV): one head of
scaled dot-product attention, optionally causal, as ``torch.nn.functional.scaled_dot_product_attention``.

Sizes: t×d = 2×2 at easy, up to 3×3 at medium and 4×4 at hard. Q and K stay within ±2 (±1.5 at
hard) so the scores do not saturate the softmax; draws are redone until the chain with rounded
intermediates still lands inside the tolerance.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from quizapp.core.engine import attention as engine
from quizapp.core.generators.base import Context, Draft, Tolerance, register
from quizapp.core.generators.fair import ATTEMPTS, scaled_tolerance, survives_rounding
from quizapp.core.generators.format import arr, exact, num
from quizapp.core.generators.options import bool_option
from quizapp.core.generators.sampling import round_sig, values

__all__ = ["attention_backward", "attention_forward"]

FORWARD = ("S", "P", "O")
BACKWARD = ("dQ", "dK", "dV")
_QK_BOUND = {"easy": 2.0, "medium": 2.0, "hard": 1.5}


def _sizes(ctx: Context) -> tuple[int, int]:
    return ctx.pick([(2, 2)], medium=[(2, 2), (2, 3), (3, 2), (3, 3)],
                    hard=[(3, 2), (3, 4), (4, 2), (4, 3), (4, 4)])


def _draw(ctx: Context, t: int, d: int, backward: bool) -> dict[str, np.ndarray]:
    qk = _QK_BOUND[ctx.difficulty]
    inp = {"Q": values(ctx.rng, (t, d), ctx.difficulty, bound=qk, allow_zero=True),
           "K": values(ctx.rng, (t, d), ctx.difficulty, bound=qk, allow_zero=True),
           "V": values(ctx.rng, (t, d), ctx.difficulty, allow_zero=True)}
    if backward:
        inp["dO"] = values(ctx.rng, (t, d), ctx.difficulty)
    return inp


def _solve(inp: dict[str, np.ndarray], causal: bool,
           r: Callable[[np.ndarray], np.ndarray] = lambda a: a) -> dict[str, np.ndarray]:
    c = engine.attention_forward(inp["Q"], inp["K"], inp["V"], causal)
    c = c._replace(S=r(c.S), P=r(c.P))
    out = {"cache": c, "S": c.S, "P": c.P, "O": c.P @ c.V}
    if "dO" in inp:
        g = engine.attention_backward(c, inp["dO"])
        out.update(dQ=g.dQ, dK=g.dK, dV=g.dV, dP=g.dP, dS=g.dS)
    return out


def _masked(S: np.ndarray, keep: np.ndarray) -> str:
    """S with −∞ where the mask removes a score, written like ``arr``."""
    rows = [", ".join(num(v) if k else "−∞" for v, k in zip(row, krow, strict=True))
            for row, krow in zip(S, keep, strict=True)]
    return "[" + "; ".join(rows) + "]"


def _forward_steps(c: engine.AttentionCache, causal: bool) -> list[str]:
    d = c.Q.shape[1]
    scores = np.where(c.keep, c.S, -np.inf)
    row_max = scores.max(axis=1, keepdims=True)
    e = np.where(c.keep, np.exp(scores - row_max), 0.0)
    steps = [f"d = {d}, so the scale is 1/√d = {num(c.scale)}",
             f"Q Kᵀ = {arr(c.Q @ c.K.T)}",
             f"S = Q Kᵀ/√d = {arr(c.S)}"]
    if causal:
        steps.append(f"Causal mask: S[i, j] → −∞ for j > i (query i sees keys 1…i): "
                     f"{_masked(c.S, c.keep)}")
    steps += [f"Row maxima = {arr(row_max)}; e^(S − row max) = {arr(e)}"
              + (" (0 where masked)" if causal else ""),
              f"Row sums = {arr(e.sum(axis=1, keepdims=True))}",
              f"P = e^(S − row max) / row sum = {arr(c.P)}"]
    return steps


def _conventions(causal: bool, backward: bool) -> list[str]:
    out = [
        "One head of scaled dot-product attention as torch.nn.functional."
        "scaled_dot_product_attention: S = Q Kᵀ/√d (d = the width of Q and K), P = softmax of "
        "each row of S, O = P V. Rows of Q are queries; rows of K and V are keys and values.",
        ("Causal (is_causal=True): before the softmax S[i, j] is set to −∞ for j > i, so query i "
         "attends to keys 1…i and P[i, j] = 0 above the diagonal. The answer S is the scaled "
         "score before masking." if causal else
         "No mask: every query attends to every key. S is the scaled score Q Kᵀ/√d."),
        "The row softmax is computed stably: subtract each row's maximum before exponentiating.",
    ]
    if backward:
        out.append("dO = ∂L/∂O is given; dQ, dK, dV are ∂L/∂Q, ∂L/∂K, ∂L/∂V (no averaging). "
                   "The scale 1/√d is a constant (it does not depend on Q or K).")
    return out


def _setup(ctx: Context, backward: bool,
           names: tuple[str, ...]) -> tuple[dict, dict, bool, dict[str, Tolerance]]:
    t, d = _sizes(ctx)
    causal = bool_option(ctx, "causal")
    for _ in range(ATTEMPTS):
        inp = _draw(ctx, t, d, backward)
        res = _solve(inp, causal)
        tolerances = {k: scaled_tolerance(res[k]) for k in names}
        if survives_rounding(res, _solve(inp, causal, round_sig), names, tolerances):
            break
    return inp, res, causal, tolerances


def _given(inp: dict[str, np.ndarray], causal: bool) -> str:
    t, d = inp["Q"].shape
    mask = "causal (query i sees keys 1…i)" if causal else "no mask"
    return (f"One attention head, {mask}: Q ({t}×{d}) = {exact(inp['Q'])}, K ({t}×{d}) = "
            f"{exact(inp['K'])}, V ({t}×{d}) = {exact(inp['V'])}.")


@register("attention_forward", "Attention forward pass", FORWARD, options=("causal",))
def attention_forward(ctx: Context) -> Draft:
    inp, res, causal, tolerances = _setup(ctx, False, FORWARD)
    t, d = inp["Q"].shape
    prompt = (_given(inp, causal) + f" Compute the scaled scores S = Q Kᵀ/√d ({t}×{t}, before "
              f"any mask), the attention weights P = row softmax ({t}×{t}) and the output "
              f"O = P V ({t}×{d}).")
    steps = _forward_steps(res["cache"], causal) + [f"O = P V = {arr(res['O'])}"]
    hints = ["first S = Q Kᵀ/√d"]
    if causal:
        hints.append("then mask: S[i, j] = −∞ for j > i")
    hints += ["P = softmax of each row of S (subtract the row max first)", "O = P V"]
    return Draft(inp, {k: res[k] for k in FORWARD}, prompt, steps, _conventions(causal, False),
                 params={"causal": causal}, hints=hints, tolerances=tolerances)


@register("attention_backward", "Attention backward pass", BACKWARD, options=("causal",))
def attention_backward(ctx: Context) -> Draft:
    inp, res, causal, tolerances = _setup(ctx, True, BACKWARD)
    t, d = inp["Q"].shape
    c = res["cache"]
    prompt = (_given(inp, causal) + f" The upstream gradient is dO = ∂L/∂O ({t}×{d}) = "
              f"{exact(inp['dO'])}. Compute dQ, dK and dV (each {t}×{d}).")
    rowsum = np.sum(res["dP"] * c.P, axis=1, keepdims=True)
    steps = _forward_steps(c, causal) + [
        f"dV = Pᵀ dO = {arr(res['dV'])}",
        f"dP = dO Vᵀ = {arr(res['dP'])}",
        f"Row sums of dP ⊙ P = {arr(rowsum)}",
        f"dS = P ⊙ (dP − row sum) = {arr(res['dS'])}" + (" (0 where masked)" if causal else ""),
        f"dQ = dS K / √d = {arr(res['dQ'])}",
        f"dK = dSᵀ Q / √d = {arr(res['dK'])}",
    ]
    hints = ["first the forward pass: S = Q Kᵀ/√d" + (", masked" if causal else "")
             + ", then P = row softmax", "then dV = Pᵀ dO", "dP = dO Vᵀ",
             "dS = P ⊙ (dP − rowsum(dP ⊙ P))", "dQ = dS K/√d", "dK = dSᵀ Q/√d"]
    return Draft(inp, {k: res[k] for k in BACKWARD}, prompt, steps, _conventions(causal, True),
                 params={"causal": causal}, hints=hints, tolerances=tolerances)
