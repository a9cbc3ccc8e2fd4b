"""Drawing the numbers a question shows, per difficulty, away from kinks.

==========  ==================================================  ==============
difficulty  entries                                             typical shapes
==========  ==================================================  ==============
easy        small integers (|v| ≤ 3) or one decimal (|v| ≤ 2)    1–3 entries
medium      one decimal, |v| ≤ 4                                 vectors, 2×2
hard        two decimals, |v| ≤ 3                                matrices
==========  ==================================================  ==============

Values are exact short decimals (what the prompt shows is what the engine used) and never 0
unless asked. ``avoid`` keeps every entry at least ``gap`` away from the given points (kinks).
All draws come from the caller's ``np.random.Generator``, so a seed fixes everything.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from quizapp.core.engine.activations import Activation

__all__ = [
    "KINK_GAP", "activation_params", "clean", "round_sig", "values",
]

KINK_GAP = 0.1
_SCALE = {"easy": None, "medium": (4.0, 1), "hard": (3.0, 2)}  # (bound, decimals)

def _grid(rng: np.random.Generator, n: int, bound: float, decimals: int) -> np.ndarray:
    step = 10.0 ** -decimals
    top = int(round(bound / step))
    return np.round(rng.integers(-top, top + 1, size=n) * step, decimals)


def values(rng: np.random.Generator, shape: tuple[int, ...] | int, difficulty: str, *,
           bound: float | None = None, decimals: int | None = None,
           avoid: tuple[float, ...] = (), gap: float = KINK_GAP, allow_zero: bool = False,
           positive: bool = False) -> np.ndarray:
    """An array of exact short decimals for ``difficulty`` (see the module table).

    ``bound``/``decimals`` override the difficulty's range and precision; ``positive`` draws
    magnitudes only; ``avoid`` points are kept at least ``gap`` away (|v − k| ≥ gap).
    """
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    n = int(np.prod(shape)) if shape else 1
    if difficulty == "easy":
        use_ints = bool(rng.integers(2))
        d_bound, d_dec = (3.0, 0) if use_ints else (2.0, 1)
    else:
        d_bound, d_dec = _SCALE[difficulty]
    bound = d_bound if bound is None else bound
    decimals = d_dec if decimals is None else decimals
    out = _grid(rng, n, bound, decimals)
    for _ in range(1000):
        if positive:
            out = np.abs(out)
        bad = np.zeros(n, dtype=bool) if allow_zero else out == 0.0
        for k in avoid:
            bad |= np.abs(out - k) < gap - 1e-12
        if not bad.any():
            return out.reshape(shape)
        out[bad] = _grid(rng, int(bad.sum()), bound, decimals)
    raise RuntimeError("could not draw values away from the excluded points")


def activation_params(rng: np.random.Generator, act: Activation, difficulty: str,
                      overrides: dict[str, Any]) -> dict[str, Any]:
    """Every parameter of ``act``: registry defaults at easy, values drawn from the registry's
    ``choices`` at medium/hard, and the caller's ``overrides`` on top. Always consumes the same
    draws (seed-stable)."""
    drawn = {key: opts[int(rng.integers(len(opts)))] for key, opts in act.choices.items()}
    if difficulty == "easy":
        drawn = {}
    for key, value in overrides.items():
        numeric = isinstance(act.defaults.get(key), float)
        if numeric and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ValueError(f"{act.name}: {key} must be a number, got {value!r}")
    return act.params(**{**drawn, **overrides})


def round_sig(a: Any, sig: int = 4) -> np.ndarray:
    """Round to ``sig`` significant digits, elementwise (models a person copying shown values)."""
    a = np.asarray(a, dtype=np.float64)
    mag = np.floor(np.log10(np.where(a == 0, 1.0, np.abs(a))))
    scale = 10.0 ** (sig - 1 - mag)
    return np.round(a * scale) / scale


def clean(a: Any) -> Any:
    """Float noise out of an answer (|v| < 1e-12 → 0, 12 significant digits); lists via tolist()."""
    a = np.asarray(a, dtype=np.float64)
    flat = [0.0 if abs(v) < 1e-12 else float(f"{v:.12g}") for v in a.ravel().tolist()]
    return np.array(flat, dtype=np.float64).reshape(a.shape).tolist()
