"""Family ``softmax_xent``: gradient of cross-entropy through softmax, dz = softmax(z) − y.

The true class is kept at probability ≤ 0.95 so that p − 1 is not a catastrophic cancellation
when someone copies p to 4 significant digits.
"""

from __future__ import annotations

import numpy as np

from quizapp.core.engine.activations import log_softmax, softmax
from quizapp.core.engine.losses import softmax_cross_entropy
from quizapp.core.generators.base import Context, Draft, register
from quizapp.core.generators.format import arr, exact, num
from quizapp.core.generators.sampling import values

__all__ = ["softmax_xent"]

MAX_TRUE_PROB = 0.95
ATTEMPTS = 200


def _k(ctx: Context) -> int:
    return ctx.pick([2, 3], medium=[3, 4], hard=[4, 5, 6])


@register("softmax_xent", "Softmax + cross-entropy gradient", ("dz",), fixed_activation="softmax")
def softmax_xent(ctx: Context) -> Draft:
    k = _k(ctx)
    for _ in range(ATTEMPTS):
        z = values(ctx.rng, (1, k), ctx.difficulty, allow_zero=True)
        c = int(ctx.rng.integers(k))
        if softmax(z)[0, c] <= MAX_TRUE_PROB:
            break
    y = np.eye(k)[[c]]
    res = softmax_cross_entropy(z, y, reduction="sum")
    p = softmax(z)
    shifted = z - z.max()
    e = np.exp(shifted)
    prompt = (
        f"Logits z (1×{k}) = {exact(z)} go through softmax, p = softmax(z), and the loss is "
        f"cross-entropy L = −Σⱼ yⱼ log pⱼ with the one-hot target y (1×{k}) = {exact(y)} "
        f"(true class {c + 1}). Compute dz = ∂L/∂z (1×{k})."
    )
    steps = [
        f"Subtract max(z) = {num(z.max(), 10)} for stability: z − max = {arr(shifted)}",
        f"e^(z − max) = {arr(e)}; their sum = {num(e.sum())}",
        f"p = softmax(z) = e^(z − max) / sum = {arr(p)}",
        f"L = −log p_{c + 1} = {num(-log_softmax(z)[0, c])} (for reference)",
        "For softmax followed by cross-entropy the Jacobian collapses: ∂L/∂z = p − y.",
        f"dz = p − y = {arr(p)} − {arr(y)} = {arr(res.grad)}",
    ]
    conventions = [
        "softmax(z)ⱼ = e^(zⱼ) / Σᵢ e^(zᵢ) over the k logits of one example (a 1×k row).",
        "Cross-entropy with a one-hot target: L = −Σⱼ yⱼ log softmax(z)ⱼ (natural log, one example,"
        " no averaging), so ∂L/∂z = softmax(z) − y.",
    ]
    return Draft({"z": z, "y": y}, {"dz": res.grad}, prompt, steps, conventions)
