"""Loss families: ``mse_grad``, ``bce_logits_grad`` and ``xent_label_smoothing`` — the loss value
and its gradient with respect to the predictions/logits, reductions as PyTorch's defaults."""

from __future__ import annotations

import numpy as np

from quizapp.core.engine import losses
from quizapp.core.engine.activations import log_softmax, sigmoid, softmax
from quizapp.core.generators.base import Context, Draft, register
from quizapp.core.generators.fair import ATTEMPTS, survives_rounding
from quizapp.core.generators.format import arr, exact, num
from quizapp.core.generators.options import choice_option, number_option
from quizapp.core.generators.sampling import round_sig, values

__all__ = ["bce_logits_grad", "mse_grad", "xent_label_smoothing"]


@register("mse_grad", "MSE loss and gradient", ("loss", "dyhat"), options=("reduction",))
def mse_grad(ctx: Context) -> Draft:
    m, k = ctx.pick([(1, 2), (1, 3), (2, 1), (3, 1)], medium=[(2, 2), (2, 3), (3, 2)],
                    hard=[(3, 3), (4, 2), (2, 4)])
    yhat = values(ctx.rng, (m, k), ctx.difficulty)
    y = values(ctx.rng, (m, k), ctx.difficulty, allow_zero=True)
    reduction = choice_option(ctx, "reduction", ("mean", "sum"), "mean")
    res = losses.mse(yhat, y, reduction=reduction)
    r = yhat - y
    total = float(np.sum(r * r))
    n = m * k
    mean = reduction == "mean"
    over = f" / (m·k) = {num(total)} / {n}" if mean else ""
    prompt = (f"Predictions ŷ ({m}×{k}) = {exact(yhat)} and targets y ({m}×{k}) = {exact(y)}. "
              f"The loss is the mean squared error with reduction = '{reduction}'. Compute the "
              f"loss L and dyhat = ∂L/∂ŷ ({m}×{k}).")
    steps = [
        f"Residual r = ŷ − y = {arr(r)}",
        f"r² = {arr(r * r)}; Σ r² = {num(total)}",
        f"L = Σ r²{over} = {num(res.value)}",
        (f"dŷ = 2r / (m·k) = 2·{arr(r)} / {n} = {arr(res.grad)}" if mean
         else f"dŷ = 2r = {arr(res.grad)}"),
    ]
    conventions = [
        (f"torch.nn.MSELoss(reduction='mean'): L = (1/(m·k)) Σᵢⱼ (ŷᵢⱼ − yᵢⱼ)², the mean over "
         f"every entry (m·k = {n}), not only over the m rows." if mean else
         "torch.nn.MSELoss(reduction='sum'): L = Σᵢⱼ (ŷᵢⱼ − yᵢⱼ)²."),
        "No ½ in front of the square, so ∂L/∂ŷ = 2(ŷ − y)" + (f"/{n}." if mean else "."),
    ]
    hints = ["first the residual r = ŷ − y",
             "then L = " + ("the mean of r² over all m·k entries" if mean else "the sum of r²"),
             "dŷ = 2r" + ("/(m·k)" if mean else "")]
    return Draft({"yhat": yhat, "y": y}, {"loss": res.value, "dyhat": res.grad}, prompt, steps,
                 conventions, params={"reduction": reduction}, hints=hints)


def _bce_lines(z: np.ndarray, y: np.ndarray, w: float | None) -> tuple[list[str], np.ndarray]:
    """The per-example loss lines and ℓ, from the stable forms −log σ(z) and −log(1 − σ(z))."""
    neg_log_s = losses.softplus_neg(z)  # −log σ(z)
    neg_log_1ms = losses.softplus_neg(-z)  # −log(1 − σ(z))
    if w is None:
        per = y * neg_log_s + (1.0 - y) * neg_log_1ms
        first = (f"ℓᵢ = max(zᵢ, 0) − zᵢ·yᵢ + log(1 + e^(−|zᵢ|)) (the stable form of "
                 f"−[y log σ(z) + (1 − y) log(1 − σ(z))]) = {arr(per)}")
        return [first], per
    per = w * y * neg_log_s + (1.0 - y) * neg_log_1ms
    return [f"−log σ(z) = max(−z, 0) + log(1 + e^(−|z|)) = {arr(neg_log_s)}",
            f"−log(1 − σ(z)) = max(z, 0) + log(1 + e^(−|z|)) = {arr(neg_log_1ms)}",
            f"ℓᵢ = w·yᵢ·(−log σ(zᵢ)) + (1 − yᵢ)·(−log(1 − σ(zᵢ))) with w = {num(w)}: "
            f"{arr(per)}"], per


@register("bce_logits_grad", "BCE with logits: loss and gradient", ("loss", "dz"),
          options=("pos_weight",))
def bce_logits_grad(ctx: Context) -> Draft:
    m = ctx.pick([2, 3], medium=[3, 4], hard=[4, 5, 6])
    z = values(ctx.rng, m, ctx.difficulty, allow_zero=True)
    y = ctx.rng.integers(0, 2, size=m).astype(np.float64)
    w = number_option(ctx, "pos_weight", [None], low=0.0, high=1e6, none_ok=True,
                      medium=[None, 2.0, 3.0], hard=[2.0, 3.0, 0.5, 1.5, 4.0])
    res = losses.bce_with_logits(z, y, reduction="mean", pos_weight=w)
    s = sigmoid(z)
    lines, per = _bce_lines(z, y, w)
    if w is None:
        slope_text, slope = "σ(zᵢ) − yᵢ", s - y
        torch_call = "torch.nn.BCEWithLogitsLoss()"
    else:
        slope_text, slope = "(1 + (w − 1)·yᵢ)·σ(zᵢ) − w·yᵢ", (1.0 + (w - 1.0) * y) * s - w * y
        torch_call = f"torch.nn.BCEWithLogitsLoss(pos_weight={num(w)})"
    weight = "" if w is None else f" with pos_weight w = {num(w)} on the positive term"
    prompt = (f"Logits z ({m}) = {exact(z)} and labels y ({m}) = {exact(y)} (1 = positive). The "
              f"loss is binary cross-entropy on the logits{weight}, averaged over the {m} "
              f"examples. Compute the loss L and dz = ∂L/∂z ({m}).")
    steps = [f"σ(z) = 1/(1 + e^(−z)) = {arr(s)}", *lines,
             f"L = mean of ℓᵢ = {num(per.sum())} / {m} = {num(res.value)}",
             f"∂ℓᵢ/∂zᵢ = {slope_text} = {arr(slope)}",
             f"dz = ∂L/∂z = (∂ℓᵢ/∂zᵢ) / m = {arr(res.grad)}"]
    w_text = "w·" if w is not None else ""
    conventions = [
        f"{torch_call}, reduction='mean': L = (1/m) Σᵢ ℓᵢ with ℓᵢ = −[{w_text}yᵢ log σ(zᵢ) + "
        "(1 − yᵢ) log(1 − σ(zᵢ))], natural log, σ(z) = 1/(1 + e^(−z)).",
        "pos_weight (when given) multiplies only the positive (y = 1) term, as in PyTorch.",
        "Computed from the logits in the stable form (−log σ(z) = max(−z, 0) + log(1 + e^(−|z|))),"
        " never as log of a rounded σ.",
        "dz includes the 1/m of the mean.",
    ]
    hints = ["first σ(z) = 1/(1 + e^(−z))",
             "then each ℓᵢ in the stable form (max(z, 0) − z·y + log(1 + e^(−|z|)) without "
             "pos_weight)",
             "L = the mean of ℓᵢ", f"∂ℓᵢ/∂zᵢ = {slope_text}", "dz = (∂ℓᵢ/∂zᵢ)/m"]
    return Draft({"z": z, "y": y}, {"loss": res.value, "dz": res.grad}, prompt, steps,
                 conventions, params={"pos_weight": w}, hints=hints)


def _xent(z: np.ndarray, labels: np.ndarray, eps: float, r=lambda a: a) -> dict:
    res = losses.softmax_cross_entropy(z, labels, reduction="mean", label_smoothing=eps)
    p = r(softmax(z, axis=1))
    q = losses.smooth_targets(np.eye(z.shape[1])[labels], eps)
    return {"loss": res.value, "dz": (p - q) / z.shape[0], "exact_dz": res.grad, "p": p, "q": q}


@register("xent_label_smoothing", "Cross-entropy with label smoothing", ("loss", "dz"),
          options=("eps",))
def xent_label_smoothing(ctx: Context) -> Draft:
    m, k = ctx.pick([(1, 2), (1, 3)], medium=[(2, 3), (2, 4), (3, 3)],
                    hard=[(3, 4), (4, 5), (3, 5)])
    eps = number_option(ctx, "eps", [0.1, 0.2], low=0.0, high=1.0,
                        medium=[0.1, 0.2, 0.05], hard=[0.05, 0.1, 0.15, 0.2])
    for _ in range(ATTEMPTS):
        z = values(ctx.rng, (m, k), ctx.difficulty, allow_zero=True)
        labels = ctx.rng.integers(0, k, size=m)
        res = _xent(z, labels, eps)
        if survives_rounding({"dz": res["exact_dz"]}, _xent(z, labels, eps, round_sig), ["dz"]):
            break
    p, q = res["p"], res["q"]
    row_max = z.max(axis=1, keepdims=True)
    lse = row_max + np.log(np.sum(np.exp(z - row_max), axis=1, keepdims=True))
    logp = log_softmax(z, axis=1)
    per = -np.sum(q * logp, axis=1)
    prompt = (f"Logits z ({m}×{k}) = {exact(z)}, one row per example, and true classes y ({m}) "
              f"= {exact(labels)} (class ids from 0). The loss is cross-entropy with label "
              f"smoothing ε = {num(eps)}, averaged over the {m} example(s). Compute the loss L and "
              f"dz = ∂L/∂z ({m}×{k}).")
    steps = [
        f"Smoothed targets q = (1 − ε)·onehot(y) + ε/k: the true class gets 1 − ε + ε/k = "
        f"{num(1 - eps + eps / k)}, every other class ε/k = {num(eps / k)}; q = {arr(q)}",
        f"Row maxima = {arr(row_max)}; logsumexp(z) = max + log Σⱼ e^(zⱼ − max) = {arr(lse)}",
        f"log p = z − logsumexp(z) = {arr(logp)}",
        f"ℓᵢ = −Σⱼ qᵢⱼ log pᵢⱼ = {arr(per)}",
        f"L = mean over the {m} row(s) = {num(res['loss'])}",
        f"p = softmax(z) = e^(log p) = {arr(p)}",
        f"dz = (p − q) / m = {arr(res['exact_dz'])}",
    ]
    conventions = [
        f"torch.nn.CrossEntropyLoss(label_smoothing={num(eps)}), reduction='mean': the target row "
        "is q = (1 − ε)·onehot(y) + ε/k over the k classes (the true class gets 1 − ε + ε/k).",
        "Class ids count from 0, as in PyTorch.",
        "ℓᵢ = −Σⱼ qᵢⱼ log softmax(zᵢ)ⱼ (natural log); L = (1/m) Σᵢ ℓᵢ; so dz = (softmax(z) − q)/m.",
        "log softmax is computed stably: z − logsumexp(z), subtracting the row maximum first.",
    ]
    hints = ["first q = (1 − ε)·onehot(y) + ε/k",
             "then log p = z − logsumexp(z) per row (subtract the row max first)",
             "ℓᵢ = −Σⱼ qᵢⱼ log pᵢⱼ and L = their mean over the rows",
             "p = softmax(z)", "dz = (p − q)/m"]
    return Draft({"z": z, "y": labels.tolist()}, {"loss": res["loss"], "dz": res["exact_dz"]},
                 prompt, steps, conventions, params={"eps": eps}, hints=hints)
