"""Family ``rnn_bptt``: backpropagation through time in a tanh RNN, loss on the last state.

Numbers are redrawn until the question is fair by hand: no pre-activation saturates (|a_t| ≤ 2),
some gradient reaches h0, and redoing the chain with every intermediate rounded to the 4
significant digits the solution shows still lands well inside the answer tolerance.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from quizapp.core.engine import rnn as engine_rnn
from quizapp.core.generators.base import DEFAULT_ATOL, DEFAULT_RTOL, Context, Draft, register
from quizapp.core.generators.format import arr, exact
from quizapp.core.generators.sampling import round_sig, values

__all__ = ["rnn_bptt"]

ANSWERS = ("dWx", "dWh", "db", "dh0")
ATTEMPTS = 200
MAX_A = 2.0
_SIZES = {"easy": [(2, 1, 1)], "medium": [(2, 2, 1), (3, 1, 1), (2, 1, 2)],
          "hard": [(3, 2, 2), (2, 2, 2), (3, 1, 2)]}  # (T, n, h)

CONVENTIONS = [
    "Vanilla RNN, rows are time steps: a_t = x_t Wx + h_{t−1} Wh + b, h_t = tanh(a_t), t = 1 … T; "
    "x_t is row t of x (1×n), Wx (n×h), Wh (h×h), b and the states h_t (h).",
    "The loss sees only the last state: ∂L/∂h_T = dh_T (given); nothing reaches h_1 … h_{T−1} "
    "except through the recurrence.",
    "tanh′(a) = 1 − tanh²(a), so da_t = dh_t ⊙ (1 − h_t²); Wx, Wh and b are shared by every step, "
    "so their gradients are sums over t.",
    "PyTorch's nn.RNN stores W_ih = Wxᵀ, W_hh = Whᵀ and two biases (b = b_ih + b_hh): the same "
    "numbers, transposed.",
]


def _chain(inp: dict[str, np.ndarray],
           r: Callable[[np.ndarray], np.ndarray] = lambda a: a) -> dict[str, np.ndarray]:
    """BPTT with every shown intermediate passed through ``r`` (identity: the engine's values)."""
    x, Wx, Wh, b = inp["x"], inp["Wx"], inp["Wh"], inp["b"]
    T = x.shape[0]
    h = [inp["h0"]]
    for t in range(T):
        h.append(r(np.tanh(r(x[t] @ Wx + h[t] @ Wh + b))))
    dh = inp["dh_T"]
    out = {"dWx": np.zeros_like(Wx), "dWh": np.zeros_like(Wh), "db": np.zeros_like(b)}
    for t in range(T, 0, -1):
        da = r(dh * (1.0 - h[t] ** 2))
        out["dWx"] += x[t - 1][:, None] * da
        out["dWh"] += h[t - 1][:, None] * da
        out["db"] += da
        dh = r(da @ Wh.T)
    out["dh0"] = dh
    return out


def _fair(inp: dict[str, np.ndarray], grads: engine_rnn.RnnGrads) -> bool:
    if not np.any(np.abs(grads.dh0) > 1e-2):
        return False
    rounded = _chain(inp, round_sig)
    exact_ = {"dWx": grads.dWx, "dWh": grads.dWh, "db": grads.db, "dh0": grads.dh0}
    return all(np.all(np.abs(rounded[k] - exact_[k])
                      <= 0.2 * (DEFAULT_ATOL + DEFAULT_RTOL * np.abs(exact_[k]))) for k in ANSWERS)


def _draw(ctx: Context, T: int, n: int, h: int) -> dict[str, np.ndarray]:
    dec = 2 if ctx.hard else 1  # one draw per bound (fewer calls: this family redraws often)
    bound = 2.0 if n == 1 else 1.5  # two inputs at ±2 would saturate tanh too often
    wide = values(ctx.rng, T * n + h, ctx.difficulty, bound=bound, decimals=dec)
    narrow = values(ctx.rng, n * h + h * h + 2 * h, ctx.difficulty, bound=1.0, decimals=dec)
    cut = np.cumsum([h, n * h, h * h])
    h0, Wx, Wh, b = np.split(narrow, cut)
    return {"x": wide[:T * n].reshape(T, n), "h0": h0, "Wx": Wx.reshape(n, h),
            "Wh": Wh.reshape(h, h), "b": b, "dh_T": wide[T * n:]}


def _solution(inp: dict[str, np.ndarray], cache: engine_rnn.RnnCache,
              g: engine_rnn.RnnGrads) -> list[str]:
    T = cache.a.shape[0]
    steps = ["Forward: a_t = x_t Wx + h_{t−1} Wh + b, h_t = tanh(a_t)."]
    for t in range(1, T + 1):
        parts = (inp["x"][t - 1] @ inp["Wx"], cache.h[t - 1] @ inp["Wh"], inp["b"])
        steps.append(f"t = {t}: a_{t} = x_{t} Wx + h_{t - 1} Wh + b = "
                     + " + ".join(arr(v) for v in parts)
                     + f" = {arr(cache.a[t - 1])}; h_{t} = tanh(a_{t}) = {arr(cache.h[t])}")
    steps.append(f"Backward from dh_{T} = {arr(inp['dh_T'])}:")
    for t in range(T, 0, -1):
        steps.append(f"t = {t}: da_{t} = dh_{t} ⊙ (1 − h_{t}²) = {arr(g.dh[t])} ⊙ "
                     f"{arr(1.0 - cache.h[t] ** 2)} = {arr(g.da[t - 1])}; "
                     f"dh_{t - 1} = da_{t} Whᵀ = {arr(g.dh[t - 1])}")
    ts = range(1, T + 1)
    xs = " + ".join(f"x_{t}ᵀ da_{t}" for t in ts)
    hs = " + ".join(f"h_{t - 1}ᵀ da_{t}" for t in ts)
    das = " + ".join(f"da_{t}" for t in ts)
    x_terms = " + ".join(arr(inp["x"][t - 1][:, None] * g.da[t - 1]) for t in ts)
    h_terms = " + ".join(arr(cache.h[t - 1][:, None] * g.da[t - 1]) for t in ts)
    steps += [f"dWx = {xs} = {x_terms} = {arr(g.dWx)}",
              f"dWh = {hs} = {h_terms} = {arr(g.dWh)}",
              f"db = {das} = {arr(g.db)}", f"dh0 = da_1 Whᵀ = {arr(g.dh0)}"]
    return steps


@register("rnn_bptt", "RNN backprop through time", ANSWERS, fixed_activation="tanh")
def rnn_bptt(ctx: Context) -> Draft:
    T, n, h = ctx.pick(_SIZES[ctx.difficulty])
    for _ in range(ATTEMPTS):
        inp = _draw(ctx, T, n, h)
        cache = engine_rnn.rnn_forward(inp["x"], inp["h0"], inp["Wx"], inp["Wh"], inp["b"])
        if np.any(np.abs(cache.a) > MAX_A):  # saturated: redraw before any backward pass
            continue
        if _fair(inp, engine_rnn.rnn_backward(cache, inp["dh_T"])):
            break
    g = engine_rnn.rnn_backward(cache, inp["dh_T"])
    inp = {k: inp[k] for k in ("x", "h0", "Wx", "Wh", "b", "dh_T")}
    prompt = (
        f"A tanh RNN runs T = {T} steps: a_t = x_t Wx + h_{{t−1}} Wh + b, h_t = tanh(a_t), with "
        f"x ({T}×{n}, row t = x_t) = {exact(inp['x'])}, h0 ({h}) = {exact(inp['h0'])}, "
        f"Wx ({n}×{h}) = {exact(inp['Wx'])}, Wh ({h}×{h}) = {exact(inp['Wh'])}, "
        f"b ({h}) = {exact(inp['b'])}. The loss depends only on the last state, with "
        f"dh_T = ∂L/∂h_{T} ({h}) = {exact(inp['dh_T'])}. Compute dWx ({n}×{h}), dWh ({h}×{h}), "
        f"db ({h}) and dh0 ({h})."
    )
    hints = ["first the forward states: a_t = x_t Wx + h_{t−1} Wh + b, h_t = tanh(a_t)",
             "then da_T = dh_T ⊙ (1 − h_T²) at the last step",
             "going back: dh_{t−1} = da_t Whᵀ, then da_{t−1} = dh_{t−1} ⊙ (1 − h_{t−1}²)",
             "sum over the steps: dWx = Σ_t x_tᵀ da_t, dWh = Σ_t h_{t−1}ᵀ da_t, db = Σ_t da_t",
             "dh0 = da_1 Whᵀ"]
    answer = {"dWx": g.dWx, "dWh": g.dWh, "db": g.db, "dh0": g.dh0}
    return Draft(inp, answer, prompt, _solution(inp, cache, g), list(CONVENTIONS), hints=hints)
