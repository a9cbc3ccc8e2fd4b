"""Training-time families: one SGD step, the init std of a layer, counting dead ReLU neurons."""

from __future__ import annotations

import math

import numpy as np

from quizapp.core.engine.init import init_std as engine_init_std
from quizapp.core.generators.base import INTEGER, Context, Draft, register
from quizapp.core.generators.format import arr, exact, num, shape_text
from quizapp.core.generators.sampling import values

__all__ = ["dead_neurons", "init_std", "sgd_step"]

_LR = {"easy": (0.1, 0.2, 0.5), "medium": (0.1, 0.05, 0.01, 0.2), "hard": (0.01, 0.001, 0.05, 0.03)}
_SCHEMES = {"he": "he", "kaiming": "he", "xavier": "xavier", "glorot": "xavier"}


@register("sgd_step", "SGD update", ("W_new",))
def sgd_step(ctx: Context) -> Draft:
    shape = ctx.pick([(1,), (2,), (3,)], medium=[(2, 2), (2, 3), (3,)], hard=[(3, 3), (3, 4), (4, 3)])
    W = values(ctx.rng, shape, ctx.difficulty)
    dW = values(ctx.rng, shape, ctx.difficulty)
    lr = ctx.pick(_LR[ctx.difficulty])
    step = lr * dW
    W_new = W - step
    prompt = (f"Plain SGD with learning rate lr = {num(lr)}: the weights W ({shape_text(W)}) = "
              f"{exact(W)} have gradient dW = ∂L/∂W = {exact(dW)}. "
              f"Compute the updated weights W_new = W − lr·dW ({shape_text(W)}).")
    steps = [f"lr·dW = {num(lr)} · {arr(dW)} = {arr(step)}",
             f"W_new = W − lr·dW = {arr(W)} − {arr(step)} = {arr(W_new)}"]
    conventions = ["Vanilla SGD, no momentum or weight decay: W ← W − lr·∂L/∂W, entry by entry."]
    return Draft({"W": W, "dW": dW, "lr": lr}, {"W_new": W_new}, prompt, steps, conventions)


def _scheme(ctx: Context) -> str:
    drawn = ctx.pick(["he", "xavier"])
    given = ctx.options.get("scheme")
    if given is None:
        return drawn
    key = str(given).strip().lower()
    if key not in _SCHEMES:
        raise ValueError(f"unknown scheme {given!r}; use he or xavier")
    return _SCHEMES[key]


def _fans(ctx: Context, scheme: str) -> tuple[int, int]:
    rng = ctx.rng
    if ctx.easy:  # 2/fan is a perfect square: std = 1/q
        q = ctx.pick([1, 2, 3, 4, 5] if scheme == "he" else [2, 3, 4, 5])
        total = 2 * q * q
        if scheme == "he":
            return total, int(rng.integers(1, 11))
        n_in = int(rng.integers(1, total))
        return n_in, total - n_in
    top = 512 if ctx.difficulty == "medium" else 4096
    return int(rng.integers(10, top + 1)), int(rng.integers(10, top + 1))


@register("init_std", "Weight-initialisation std", ("std",), options=("scheme",))
def init_std(ctx: Context) -> Draft:
    scheme = _scheme(ctx)
    n_in, n_out = _fans(ctx, scheme)
    std = engine_init_std(scheme, n_in, n_out)
    if scheme == "he":
        name, formula, inner = "He (Kaiming, fan-in)", "√(2/n_in)", f"√(2/{n_in})"
        ratio = 2.0 / n_in
    else:
        name, formula, inner = "Xavier (Glorot)", "√(2/(n_in + n_out))", f"√(2/({n_in} + {n_out}))"
        ratio = 2.0 / (n_in + n_out)
    # The question asks for the formula's value: neither the prompt nor the conventions state it
    # (the worked solution and the hints do).
    prompt = (f"A dense layer maps n_in = {n_in} inputs to n_out = {n_out} outputs (W is "
              f"{n_in}×{n_out}). With {name} initialisation, what standard deviation (std) do "
              f"the weights get?")
    steps = [f"{name}: std = {formula}",
             f"std = {inner} = √{num(ratio)} = {num(math.sqrt(ratio))}"]
    conventions = [
        "He (Kaiming): PyTorch's kaiming_normal_ with mode='fan_in' and nonlinearity='relu' "
        "(the default for ReLU-family layers).",
        "Xavier (Glorot): PyTorch's xavier_normal_ with gain 1 (for tanh/sigmoid layers).",
        "std is the standard deviation of the normal draw (the uniform variants have the same std).",
    ]
    return Draft({"n_in": n_in, "n_out": n_out}, {"std": std}, prompt, steps, conventions,
                 params={"scheme": scheme})


def _post_relu(ctx: Context, m: int, k: int) -> np.ndarray:
    A = values(ctx.rng, (m, k), ctx.difficulty, positive=True)
    dead = ctx.rng.random(k) < 0.4
    if m > 1:  # alive neurons may still be 0 on some examples (a distractor)
        zeros = ctx.rng.random((m, k)) < 0.3
        keep = ctx.rng.integers(m, size=k)  # one example per neuron stays positive
        zeros[keep, np.arange(k)] = False
        A[zeros] = 0.0
    A[:, dead] = 0.0
    return A


@register("dead_neurons", "Dead ReLU neurons", ("dead",), fixed_activation="relu")
def dead_neurons(ctx: Context) -> Draft:
    m, k = ctx.pick([(1, 2), (1, 3), (2, 1), (3, 1)], medium=[(3, 4), (4, 3), (4, 4)],
                    hard=[(5, 6), (6, 8), (4, 8)])
    A = _post_relu(ctx, m, k)
    col_max = A.max(axis=0)
    dead_cols = [j + 1 for j in range(k) if col_max[j] == 0.0]
    dead = len(dead_cols)
    prompt = (f"A ({m}×{k}) = {exact(A)} holds post-ReLU activations: {m} example(s) as rows, "
              f"{k} neuron(s) as columns. How many neurons are dead on this batch, i.e. output 0 "
              f"for every example? Answer an integer (dead).")
    which = ", ".join(map(str, dead_cols)) if dead_cols else "none"
    steps = [f"Largest value in each column (neuron) = {arr(col_max)}",
             f"Columns whose largest value is 0: {which}",
             f"dead = {dead}"]
    conventions = [
        "A neuron is a column of A (examples are rows); it is dead on the batch when its ReLU "
        "output is 0 for every example.",
        "ReLU′(z) = 0 for z ≤ 0 (PyTorch), so a dead neuron passes no gradient to its weights.",
    ]
    return Draft({"A": A}, {"dead": dead}, prompt, steps, conventions, tolerances={"dead": INTEGER})
