"""Optimiser families: ``l2_penalty_grad``, ``momentum_step``, ``adam_step`` (``engine.optim``).

An update is usually small next to the weight, so "forgot the weight decay" or even "did not
update" could pass a 1 % tolerance: the new weights are graded to 0.1 % (``UPDATE_TOL``, stated
in the prompt), and the numbers are redrawn until each common mistake (no update, no momentum,
no bias correction, no decay, the other Nesterov form) would be marked wrong.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from quizapp.core.engine import optim as engine_optim
from quizapp.core.generators.base import Context, Draft, Tolerance, register
from quizapp.core.generators.format import arr, exact, num, shape_text
from quizapp.core.generators.options import float_option, given_bool
from quizapp.core.generators.sampling import round_sig, values

__all__ = ["UPDATE_TOL", "adam_step", "l2_penalty_grad", "misses", "momentum_step"]

UPDATE_TOL = Tolerance(rtol=1e-3)
ATTEMPTS = 200
_SHAPES = {"easy": [(1,), (2,), (3,)], "medium": [(2,), (3,), (2, 2)], "hard": [(2, 3), (3, 2), (3, 3)]}


def misses(mistake: Any, true: Any, tol: Tolerance = Tolerance()) -> bool:
    """True when an answer made with a mistake would be graded wrong, with a margin of 2."""
    true = np.asarray(true, dtype=np.float64)
    gap = np.abs(np.asarray(mistake, dtype=np.float64) - true)
    return bool(np.any(gap > 2.0 * (tol.atol + tol.rtol * np.abs(true))))


def _close(rounded: Any, true: Any, tol: Tolerance) -> bool:
    """Working with 4-significant-digit intermediates stays within half the tolerance."""
    true = np.asarray(true, dtype=np.float64)
    return bool(np.all(np.abs(rounded - true) <= 0.5 * (tol.atol + tol.rtol * np.abs(true))))


def _shape(ctx: Context) -> tuple[int, ...]:
    return ctx.pick(_SHAPES[ctx.difficulty])


# ---- l2_penalty_grad -----------------------------------------------------------------------------

_DECAY = {"easy": [(0.1, 0.5), (0.5, 0.5), (0.1, 1.0), (0.2, 0.5)],
          "medium": [(0.1, 0.1), (0.1, 0.2), (0.2, 0.1), (0.05, 0.5)],
          "hard": [(0.01, 0.5), (0.05, 0.1), (0.1, 0.05), (0.03, 0.2)]}  # (lr, λ)


@register("l2_penalty_grad", "L2 penalty vs decoupled weight decay", ("dW_total", "W_new"),
          options=("decoupled",))
def l2_penalty_grad(ctx: Context) -> Draft:
    shape = _shape(ctx)
    lr, lam = ctx.pick(_DECAY[ctx.difficulty])
    decoupled = given_bool(ctx, "decoupled", False if ctx.easy else bool(ctx.rng.integers(2)))
    for _ in range(ATTEMPTS):
        W = values(ctx.rng, shape, ctx.difficulty)
        dW_data = values(ctx.rng, shape, ctx.difficulty, bound=None if ctx.easy else 1.5)
        s = engine_optim.weight_decay_step(W, dW_data, lam, lr, decoupled=decoupled)
        rounded = W - round_sig(lr * round_sig(s.dW_total)) - round_sig(s.decay)
        if (misses(W - lr * dW_data, s.W_new, UPDATE_TOL) and misses(W, s.W_new, UPDATE_TOL)
                and (decoupled or misses(dW_data, s.dW_total))
                and _close(rounded, s.W_new, UPDATE_TOL)):
            break
    how = ("Weight decay is decoupled (AdamW's rule): W ← W − lr·λ·W next to the plain step, "
           "not part of the loss." if decoupled else
           "The penalty is in the loss: L_total = L_data + (λ/2)‖W‖².")
    prompt = (
        f"Weights W ({shape_text(W)}) = {exact(W)} have data gradient dW_data = ∂L_data/∂W = "
        f"{exact(dW_data)}; weight decay λ = {num(lam)}. {how} Take one plain SGD step with "
        f"lr = {num(lr)}. Compute dW_total, the gradient the SGD step uses, and W_new "
        f"(W_new to 0.1 %)."
    )
    if decoupled:
        steps = ["Decoupled: the decay is not in the loss, so the gradient is the data gradient: "
                 f"dW_total = dW_data = {arr(s.dW_total)}",
                 f"Decay: lr·λ·W = {num(lr)}·{num(lam)}·{arr(W)} = {arr(s.decay)}",
                 f"Gradient step: lr·dW_total = {arr(lr * s.dW_total)}",
                 f"W_new = W − lr·λ·W − lr·dW_total = {arr(s.W_new)}"]
    else:
        steps = [f"∂/∂W of (λ/2)‖W‖² = λW = {num(lam)}·{arr(W)} = {arr(lam * W)}",
                 f"dW_total = dW_data + λW = {arr(dW_data)} + {arr(lam * W)} = {arr(s.dW_total)}",
                 f"lr·dW_total = {num(lr)}·{arr(s.dW_total)} = {arr(lr * s.dW_total)}",
                 f"W_new = W − lr·dW_total = {arr(s.W_new)}"]
    steps.append("For plain SGD both forms give the same W_new (W − lr·(dW_data + λW)); they "
                 "differ under Adam, where decoupled decay skips the m̂/√v̂ scaling.")
    conventions = [
        "L2 in the loss: L_total = L_data + (λ/2)‖W‖², so dW_total = dW_data + λW — what "
        "torch.optim.SGD(weight_decay=λ) adds to the gradient.",
        "Decoupled weight decay (torch.optim.AdamW's rule): W ← W − lr·λ·W applied next to the "
        "step, not through the gradient, so dW_total = dW_data.",
        "One plain SGD step (no momentum): W_new = W − lr·dW_total (− lr·λ·W when decoupled).",
    ]
    hints = (["first dW_total = dW_data (decoupled: the decay is not in the loss)",
              "the decay lr·λ·W", "W_new = W − lr·λ·W − lr·dW_total"] if decoupled else
             ["first the penalty's gradient λW (from (λ/2)‖W‖²)", "dW_total = dW_data + λW",
              "W_new = W − lr·dW_total"])
    return Draft({"W": W, "dW_data": dW_data}, {"dW_total": s.dW_total, "W_new": s.W_new},
                 prompt, steps, conventions, params={"lambda": lam, "lr": lr, "decoupled": decoupled},
                 tolerances={"W_new": UPDATE_TOL}, hints=hints)


# ---- momentum_step -------------------------------------------------------------------------------

_MOMENTUM = {"easy": ((0.1, 0.5), (0.5, 0.9)), "medium": ((0.1, 0.05, 0.2), (0.9, 0.8, 0.5)),
             "hard": ((0.01, 0.05, 0.1), (0.9, 0.95, 0.99))}  # (lrs, mus)


@register("momentum_step", "SGD with momentum step", ("v_new", "w_new"), options=("nesterov",))
def momentum_step(ctx: Context) -> Draft:
    shape = _shape(ctx)
    lrs, mus = _MOMENTUM[ctx.difficulty]
    lr, mu = ctx.pick(lrs), ctx.pick(mus)
    nesterov = given_bool(ctx, "nesterov", False if ctx.easy else bool(ctx.rng.integers(2)))
    for _ in range(ATTEMPTS):
        w, g, v = (values(ctx.rng, shape, ctx.difficulty) for _ in range(3))
        s = engine_optim.momentum_step(w, g, v, lr, mu, nesterov=nesterov)
        other = engine_optim.momentum_step(w, g, v, lr, mu, nesterov=not nesterov)
        v_r = round_sig(s.v_new)
        rounded = w - round_sig(lr * (g + round_sig(mu * v_r)) if nesterov else lr * v_r)
        if (misses(g, s.v_new) and misses(w - lr * g, s.w_new, UPDATE_TOL)
                and misses(w, s.w_new, UPDATE_TOL) and misses(other.w_new, s.w_new, UPDATE_TOL)
                and _close(rounded, s.w_new, UPDATE_TOL)):
            break
    rule = "w_new = w − lr·(g + μ·v_new)" if nesterov else "w_new = w − lr·v_new"
    prompt = (
        f"SGD with momentum μ = {num(mu)}{' (Nesterov)' if nesterov else ''} and lr = {num(lr)}, "
        f"as torch.optim.SGD(lr, momentum=μ{', nesterov=True' if nesterov else ''}): weights "
        f"w ({shape_text(w)}) = {exact(w)}, gradient g = {exact(g)}, momentum buffer "
        f"v = {exact(v)}. Compute v_new = μ·v + g and {rule} (w_new to 0.1 %)."
    )
    steps = [f"μ·v = {num(mu)}·{arr(v)} = {arr(mu * v)}",
             f"v_new = μ·v + g = {arr(mu * v)} + {arr(g)} = {arr(s.v_new)}"]
    if nesterov:
        steps += [f"Nesterov look-ahead: g + μ·v_new = {arr(g + mu * s.v_new)}",
                  f"lr·(g + μ·v_new) = {arr(s.step)}"]
    else:
        steps.append(f"lr·v_new = {num(lr)}·{arr(s.v_new)} = {arr(s.step)}")
    steps.append(f"w_new = w − {arr(s.step)} = {arr(s.w_new)}")
    conventions = [
        "torch.optim.SGD with momentum, dampening 0, no weight decay: v ← μ·v + g (the buffer "
        "accumulates raw gradients; no (1 − μ) factor, no lr inside).",
        "Plain momentum: w ← w − lr·v_new. Nesterov (nesterov=True): w ← w − lr·(g + μ·v_new).",
        "PyTorch starts the buffer at v = g on the first step, which is this rule with v = 0.",
    ]
    hints = ["first v_new = μ·v + g",
             "the Nesterov look-ahead g + μ·v_new" if nesterov else "the step lr·v_new",
             rule]
    return Draft({"w": w, "g": g, "v": v}, {"v_new": s.v_new, "w_new": s.w_new}, prompt, steps,
                 conventions, params={"lr": lr, "mu": mu, "nesterov": nesterov},
                 tolerances={"w_new": UPDATE_TOL}, hints=hints)


# ---- adam_step -----------------------------------------------------------------------------------

_ADAM = {"easy": ((0.1, 0.2, 0.5), (1,)), "medium": ((0.1, 0.05, 0.02), (2, 3, 5)),
         "hard": ((0.02, 0.05, 0.1), (2, 4, 10, 20))}  # (lrs, step numbers)
_DECOUPLED = [(0.05, 0.1), (0.1, 0.05), (0.1, 0.1), (0.02, 0.2), (0.05, 0.2)]  # hard (lr, λ)


def _adam_setup(ctx: Context) -> dict[str, Any]:
    lrs, ts = _ADAM[ctx.difficulty]
    lr, t = ctx.pick(lrs), ctx.pick(ts)
    beta2 = ctx.pick([0.999, 0.99]) if ctx.hard else 0.999
    wd = 0.0
    if ctx.hard and ctx.rng.random() < 0.6:
        lr, wd = ctx.pick(_DECOUPLED)
    wd = float_option(ctx, "weight_decay", wd)
    return {"lr": lr, "beta1": 0.9, "beta2": beta2, "eps": 1e-8, "weight_decay": wd, "t": t}


def _adam_draw(ctx: Context, shape: tuple[int, ...], p: dict[str, Any]) -> dict[str, Any]:
    """w, g and a plausible (m, v) state after t − 1 steps (0 before the first)."""
    t = p["t"]
    w, g = values(ctx.rng, shape, ctx.difficulty), values(ctx.rng, shape, ctx.difficulty)
    past = values(ctx.rng, shape, ctx.difficulty)
    scale = values(ctx.rng, shape, ctx.difficulty, positive=True)
    m = round_sig((1 - p["beta1"] ** (t - 1)) * past, 3) if t > 1 else np.zeros(shape)
    v = round_sig((1 - p["beta2"] ** (t - 1)) * scale ** 2, 3) if t > 1 else np.zeros(shape)
    return {"w": w, "g": g, "m": m, "v": v, "t": t}


def _adam_rounded(inp: dict[str, Any], p: dict[str, Any]) -> np.ndarray:
    r = round_sig
    m_hat = r(r(p["beta1"] * inp["m"] + (1 - p["beta1"]) * inp["g"]) / (1 - p["beta1"] ** inp["t"]))
    v_new = r(p["beta2"] * inp["v"] + (1 - p["beta2"]) * inp["g"] ** 2)
    root = r(np.sqrt(r(v_new / (1 - p["beta2"] ** inp["t"]))))
    return inp["w"] - r(p["lr"] * p["weight_decay"] * inp["w"]) - r(p["lr"] * m_hat / (root + p["eps"]))


def _adam_fair(inp: dict[str, Any], p: dict[str, Any], s: engine_optim.AdamStep) -> bool:
    w, t, lr, wd = inp["w"], inp["t"], p["lr"], p["weight_decay"]
    uncorrected = w - lr * wd * w - lr * s.m_new / (np.sqrt(s.v_new) + p["eps"])
    ok = (misses(w, s.w_new, UPDATE_TOL) and misses(uncorrected, s.w_new, UPDATE_TOL)
          and _close(_adam_rounded(inp, p), s.w_new, UPDATE_TOL))
    if wd:
        ok = ok and misses(w - s.step, s.w_new, UPDATE_TOL)
    if t > 1:
        ok = ok and misses(inp["m"], s.m_new) and misses(inp["v"], s.v_new)
    return ok


@register("adam_step", "Adam / AdamW step", ("m_new", "v_new", "w_new"), options=("weight_decay",))
def adam_step(ctx: Context) -> Draft:
    shape = _shape(ctx)
    p = _adam_setup(ctx)
    for _ in range(ATTEMPTS):
        inp = _adam_draw(ctx, shape, p)
        s = engine_optim.adam_step(inp["w"], inp["g"], inp["m"], inp["v"], inp["t"], p["lr"],
                                   p["beta1"], p["beta2"], p["eps"], p["weight_decay"])
        if _adam_fair(inp, p, s):
            break
    t, b1, b2, lr, wd = inp["t"], p["beta1"], p["beta2"], p["lr"], p["weight_decay"]
    name = "AdamW (torch.optim.AdamW)" if wd else "Adam (torch.optim.Adam)"
    decay = f", decoupled weight decay λ = {num(wd)}" if wd else ""
    prompt = (
        f"{name} with lr = {num(lr)}, β₁ = {num(b1)}, β₂ = {num(b2)}, ε = 1e-8{decay} takes step "
        f"t = {t}: weights w ({shape_text(inp['w'])}) = {exact(inp['w'])}, gradient g = "
        f"{exact(inp['g'])}, moments from the previous steps m = {exact(inp['m'])}, "
        f"v = {exact(inp['v'])}. Compute m_new, v_new and w_new (w_new to 0.1 %)."
    )
    bc1, bc2 = 1 - b1 ** t, 1 - b2 ** t
    steps = [f"m_new = β₁·m + (1 − β₁)·g = {num(b1)}·{arr(inp['m'])} + {num(1 - b1)}·"
             f"{arr(inp['g'])} = {arr(s.m_new)}",
             f"v_new = β₂·v + (1 − β₂)·g² = {num(b2)}·{arr(inp['v'])} + {num(1 - b2)}·"
             f"{arr(inp['g'] ** 2)} = {arr(s.v_new)}",
             f"Bias corrections: 1 − β₁ᵗ = 1 − {num(b1)}^{t} = {num(bc1)}; 1 − β₂ᵗ = 1 − "
             f"{num(b2)}^{t} = {num(bc2)}",
             f"m̂ = m_new/(1 − β₁ᵗ) = {arr(s.m_hat)}; v̂ = v_new/(1 − β₂ᵗ) = {arr(s.v_hat)}",
             f"√v̂ = {arr(np.sqrt(s.v_hat))}; step = lr·m̂/(√v̂ + ε) = {arr(s.step)}"]
    if wd:
        steps.append(f"Decoupled decay first: w − lr·λ·w = {arr(inp['w'])} − "
                     f"{arr(lr * wd * inp['w'])} = {arr(s.w_decayed)}")
    steps.append(f"w_new = {'(w − lr·λ·w)' if wd else 'w'} − step = {arr(s.w_new)}")
    conventions = [
        "Adam as torch.optim.Adam: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g² (g² entrywise), "
        "m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), w ← w − lr·m̂/(√v̂ + ε).",
        "t counts steps from 1: m and v are the state after t − 1 steps (both 0 before step 1), "
        "and this is step t.",
        "weight_decay is AdamW's decoupled decay (torch.optim.AdamW): w ← w − lr·λ·w, applied to "
        "the weights before the Adam step; it never enters m or v. λ = 0 is plain Adam.",
        "ε is added after the square root (outside √v̂), as in PyTorch.",
    ]
    hints = ["first m_new = β₁·m + (1 − β₁)·g", "v_new = β₂·v + (1 − β₂)·g²",
             "bias-corrected m̂ = m_new/(1 − β₁ᵗ) and v̂ = v_new/(1 − β₂ᵗ)",
             "the step lr·m̂/(√v̂ + ε)",
             "w_new = w − lr·λ·w − step" if wd else "w_new = w − step"]
    params = {k: p[k] for k in ("lr", "beta1", "beta2", "eps", "weight_decay")}
    return Draft(inp, {"m_new": s.m_new, "v_new": s.v_new, "w_new": s.w_new}, prompt, steps,
                 conventions, params=params, tolerances={"w_new": UPDATE_TOL}, hints=hints)
