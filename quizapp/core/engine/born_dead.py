"""How often is a ReLU network dead before training? (Lu, Shin, Su & Karniadakis, arXiv 1903.06733)

Setup, as in the paper: a network with 1-D input, ``depth`` hidden layers of ``width`` units, He-normal
weights (std √(2/n_in)) and zero biases, evaluated on ``n_points`` = 201 grid points in [−1, 1]. It is
*born dead* when some hidden layer outputs 0 for every input: from there on every layer (zero
biases) and the output are constant, so no gradient reaches the weights before it.

Width 1, derived (this is what the tests check the simulation against): layer 1 computes
a₁ = relu(w₁x); since the grid has both signs, a₁ ≠ 0 on half the grid whatever w₁ ≠ 0 is, so layer 1
is never dead. Every later layer gets a₍ₗ₋₁₎ ≥ 0, not identically 0, and aₗ = relu(wₗ·a₍ₗ₋₁₎) is dead
exactly when wₗ < 0, with probability ½, independently. So

    P(born dead | width 1, depth L) = 1 − 2^−(L−1)        (L = number of hidden layers)

(With inputs of one sign only, layer 1 could die too and it would be 1 − 2^−L.)

Leaky ReLU is injective (z ↦ z or αz), so a layer outputs 0 for every input only if all its
pre-activations are 0, which happens with probability 0: the table shows p = 0 for it.

Vectorised over trials: a chunk of networks is one array (trials, points, width) pushed through
batched matmuls; each trial's depth-L network is the first L layers of its deepest network (the
weights of layer l never depend on how many layers follow), so one pass per width fills every depth.
Each chunk of trials has its own seed (seed, width, chunk), so a cell does not depend on which other
widths or depths were asked for, and ReLU and Leaky ReLU see the very same weights.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from quizapp.core.engine import activations as _act
from quizapp.core.engine.init import init_std

__all__ = [
    "DEFAULT_DEPTHS", "DEFAULT_WIDTHS", "BornDeadCell", "born_dead_counts",
    "born_dead_probability", "born_dead_table", "width1_probability",
]

DEFAULT_WIDTHS = (2, 3, 4, 5, 10)
DEFAULT_DEPTHS = (2, 5, 10, 20, 50)
CHUNK = 250  # trials per batched pass: (250, 201, 10) float64 is 4 MB, cache-friendly


def width1_probability(depth: int) -> float:
    """Exact born-dead probability of a width-1 ReLU net with ``depth`` hidden layers: 1 − 2^−(L−1)."""
    if int(depth) < 1:
        raise ValueError(f"depth must be ≥ 1, got {depth}")
    return 1.0 - 2.0 ** -(int(depth) - 1)


@dataclass(frozen=True)
class BornDeadCell:
    activation: str
    width: int
    depth: int
    p_dead: float
    dead: int
    trials: int

    def to_json(self) -> dict[str, Any]:
        return {"activation": self.activation, "width": self.width, "depth": self.depth,
                "p_dead": self.p_dead, "trials": self.trials}


def born_dead_counts(width: int, depths: Sequence[int], *, activation: str = "relu",
                     params: Mapping[str, Any] | None = None, trials: int = 1000, seed: int = 0,
                     n_points: int = 201) -> dict[int, int]:
    """Number of born-dead networks among ``trials`` for every depth in ``depths`` (one pass)."""
    width, trials, n_points = int(width), int(trials), int(n_points)
    if width < 1 or trials < 1 or n_points < 2:
        raise ValueError("need width ≥ 1, trials ≥ 1 and n_points ≥ 2")
    depths = sorted({int(d) for d in depths})
    if not depths or depths[0] < 1:
        raise ValueError(f"depths must be ≥ 1, got {depths}")
    act = _act.get(activation)
    if not act.is_elementwise:
        raise ValueError(f"{act.name} is not elementwise")
    p = act.params(**dict(params or {}))
    f = act.fn
    max_depth = depths[-1]
    x = np.linspace(-1.0, 1.0, n_points)
    dead_at = np.zeros(max_depth, dtype=np.int64)  # networks whose first dead layer is l
    for chunk, start in enumerate(range(0, trials, CHUNK)):
        t = min(CHUNK, trials - start)
        rng = np.random.default_rng([int(seed), width, chunk])
        A = np.broadcast_to(x[None, :, None], (t, n_points, 1))
        alive = np.ones(t, dtype=bool)
        for layer in range(max_depth):
            n_in = A.shape[2]
            W = rng.standard_normal((t, n_in, width)) * init_std("he_normal", n_in, width)
            A = f(np.matmul(A, W), **p)
            dead_now = alive & ~A.any(axis=(1, 2))
            dead_at[layer] += int(np.count_nonzero(dead_now))
            alive &= ~dead_now
    dead_by = np.cumsum(dead_at)  # dead_by[L-1]: some layer among the first L is dead
    return {d: int(dead_by[d - 1]) for d in depths}


def born_dead_probability(width: int, depth: int, *, activation: str = "relu",
                          params: Mapping[str, Any] | None = None, trials: int = 1000,
                          seed: int = 0, n_points: int = 201) -> float:
    """Fraction of ``trials`` random networks that are born dead."""
    counts = born_dead_counts(width, [depth], activation=activation, params=params,
                              trials=trials, seed=seed, n_points=n_points)
    return counts[int(depth)] / int(trials)


def born_dead_table(widths: Sequence[int] = DEFAULT_WIDTHS, depths: Sequence[int] = DEFAULT_DEPTHS,
                    activations: Sequence[str] = ("relu", "leaky_relu"), *, trials: int = 1000,
                    seed: int = 0, n_points: int = 201,
                    stop: threading.Event | Callable[[], bool] | None = None,
                    ) -> Iterator[BornDeadCell]:
    """Yield one ``BornDeadCell`` per activation × width × depth (a width's depths come together).

    ``stop`` is checked between widths. BLAS is pinned to one thread while it runs.
    """
    from threadpoolctl import threadpool_limits

    should_stop = (stop.is_set if hasattr(stop, "is_set") else stop) or (lambda: False)
    names = [_act.get(a).name for a in activations]
    depths = [int(d) for d in depths]
    for name in names:
        for width in widths:
            if should_stop():
                return
            with threadpool_limits(1):
                counts = born_dead_counts(width, depths, activation=name, trials=trials,
                                          seed=seed, n_points=n_points)
            for depth in depths:
                yield BornDeadCell(name, int(width), depth, counts[depth] / int(trials),
                                   counts[depth], int(trials))
