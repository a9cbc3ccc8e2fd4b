"""Weight initialisation for W of shape (n_in, n_out), as used by ``Z = X W + b``.

He (Kaiming, fan-in, for ReLU family):   std = √(2/n_in),          uniform limit √(6/n_in)
Xavier (Glorot, for tanh/sigmoid):       std = √(2/(n_in+n_out)),  uniform limit √(6/(n_in+n_out))

A uniform on [−L, L] has std L/√3, so each uniform scheme has the same std as its normal twin.
Every sampler takes an explicit ``np.random.Generator`` so results are reproducible.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "SCHEMES", "he_normal", "he_uniform", "init_limit", "init_std", "initialize",
    "xavier_normal", "xavier_uniform",
]

_ALIASES = {
    "he": "he_normal", "kaiming": "he_normal", "kaiming_normal": "he_normal",
    "kaiming_uniform": "he_uniform", "xavier": "xavier_normal", "glorot": "xavier_normal",
    "glorot_normal": "xavier_normal", "glorot_uniform": "xavier_uniform",
}
SCHEMES = ("he_normal", "he_uniform", "xavier_normal", "xavier_uniform")


def _scheme(scheme: str) -> str:
    key = scheme.strip().lower().replace("-", "_").replace(" ", "_")
    key = _ALIASES.get(key, key)
    if key not in SCHEMES:
        raise ValueError(f"unknown init scheme {scheme!r}; known: {', '.join(SCHEMES)}")
    return key


def _fans(n_in: int, n_out: int) -> tuple[int, int]:
    if int(n_in) < 1 or int(n_out) < 1:
        raise ValueError(f"n_in and n_out must be ≥ 1, got {n_in}, {n_out}")
    return int(n_in), int(n_out)


def init_std(scheme: str, n_in: int, n_out: int) -> float:
    """Standard deviation of the weights the scheme draws (normal or uniform)."""
    s = _scheme(scheme)
    n_in, n_out = _fans(n_in, n_out)
    return math.sqrt(2.0 / n_in) if s.startswith("he") else math.sqrt(2.0 / (n_in + n_out))


def init_limit(scheme: str, n_in: int, n_out: int) -> float:
    """Half-width L of the uniform variant, L = √3 · std (√(6/n_in) for He)."""
    return math.sqrt(3.0) * init_std(scheme, n_in, n_out)


def he_normal(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """W ~ N(0, 2/n_in), shape (n_in, n_out)."""
    return rng.normal(0.0, init_std("he_normal", n_in, n_out), size=(int(n_in), int(n_out)))


def he_uniform(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """W ~ U(−√(6/n_in), √(6/n_in)), shape (n_in, n_out)."""
    lim = init_limit("he_uniform", n_in, n_out)
    return rng.uniform(-lim, lim, size=(int(n_in), int(n_out)))


def xavier_normal(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """W ~ N(0, 2/(n_in+n_out)), shape (n_in, n_out)."""
    return rng.normal(0.0, init_std("xavier_normal", n_in, n_out), size=(int(n_in), int(n_out)))


def xavier_uniform(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """W ~ U(−√(6/(n_in+n_out)), √(6/(n_in+n_out))), shape (n_in, n_out)."""
    lim = init_limit("xavier_uniform", n_in, n_out)
    return rng.uniform(-lim, lim, size=(int(n_in), int(n_out)))


_SAMPLERS = {"he_normal": he_normal, "he_uniform": he_uniform,
             "xavier_normal": xavier_normal, "xavier_uniform": xavier_uniform}


def initialize(scheme: str, n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """Dispatch by name ("he", "he_uniform", "glorot", … aliases accepted)."""
    return _SAMPLERS[_scheme(scheme)](n_in, n_out, rng)
