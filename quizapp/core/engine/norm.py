"""BatchNorm (training mode) and LayerNorm, forward and closed-form backward, as in PyTorch.

Rows are examples, columns features; γ and β have one entry per feature (column). The two differ
only in the axis the statistics are taken over:

* ``batchnorm_forward``: μ, σ² per *column* over the m rows of the batch (training mode);
* ``layernorm_forward``: μ, σ² per *row* over its n features.

Both use the biased variance σ² = mean((x − μ)²) with ε inside the root,
x̂ = (x − μ)/√(σ² + ε), y = γ ⊙ x̂ + β. Given the upstream dy = ∂L/∂y (no averaging of its own),
with N the count the statistics are taken over and dx̂ = dy ⊙ γ:

    dβ = Σ_rows dy        dγ = Σ_rows dy ⊙ x̂
    dx = (dx̂ − mean(dx̂) − x̂ ⊙ mean(dx̂ ⊙ x̂)) / √(σ² + ε)      (means over the statistics' axis)
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "DEFAULT_EPS", "NormCache", "NormGrads", "batchnorm_forward", "layernorm_forward",
    "norm_backward",
]

DEFAULT_EPS = 1e-5  # torch.nn.BatchNorm1d / LayerNorm


class NormCache(NamedTuple):
    """Every intermediate of the forward pass (``axis``: 0 for BatchNorm, 1 for LayerNorm)."""

    x: np.ndarray
    gamma: np.ndarray
    beta: np.ndarray
    mu: np.ndarray
    var: np.ndarray
    std: np.ndarray  # √(σ² + ε)
    xhat: np.ndarray
    y: np.ndarray
    axis: int
    eps: float


class NormGrads(NamedTuple):
    dx: np.ndarray
    dgamma: np.ndarray
    dbeta: np.ndarray
    dxhat: np.ndarray


def _inputs(x: Any, gamma: Any, beta: Any, eps: float) -> tuple[np.ndarray, ...]:
    x = np.asarray(x, dtype=np.float64)
    gamma = np.asarray(gamma, dtype=np.float64)
    beta = np.asarray(beta, dtype=np.float64)
    if x.ndim != 2 or x.size == 0:
        raise ValueError(f"x must be a non-empty (m, n) matrix, got shape {x.shape}")
    n = x.shape[1]
    if gamma.shape != (n,) or beta.shape != (n,):
        raise ValueError(f"gamma and beta must have shape ({n},), got {gamma.shape}, {beta.shape}")
    if not eps >= 0.0:
        raise ValueError(f"eps must be ≥ 0, got {eps}")
    return x, gamma, beta


def _forward(x: Any, gamma: Any, beta: Any, eps: float, axis: int) -> NormCache:
    x, gamma, beta = _inputs(x, gamma, beta, eps)
    inv_n = 1.0 / x.shape[axis]  # sums × 1/N: np.mean costs more than the maths on tiny arrays
    mu = x.sum(axis=axis, keepdims=True) * inv_n
    centred = x - mu
    var = (centred * centred).sum(axis=axis, keepdims=True) * inv_n
    std = np.sqrt(var + eps)
    if np.any(std == 0.0):
        raise ValueError("variance + eps is 0: constant values with eps = 0 cannot be normalised")
    xhat = centred / std
    return NormCache(x, gamma, beta, mu, var, std, xhat, gamma * xhat + beta, axis, float(eps))


def batchnorm_forward(x: Any, gamma: Any, beta: Any, eps: float = DEFAULT_EPS) -> NormCache:
    """BatchNorm in training mode: statistics per column over the batch (``mu``/``var`` 1×n)."""
    return _forward(x, gamma, beta, eps, axis=0)


def layernorm_forward(x: Any, gamma: Any, beta: Any, eps: float = DEFAULT_EPS) -> NormCache:
    """LayerNorm over the features of each row (``mu``/``var`` m×1)."""
    return _forward(x, gamma, beta, eps, axis=1)


def norm_backward(cache: NormCache, dy: Any) -> NormGrads:
    """dx, dγ, dβ from the upstream dy (same shape as x), in closed form."""
    dy = np.asarray(dy, dtype=np.float64)
    if dy.shape != cache.x.shape:
        raise ValueError(f"dy must have shape {cache.x.shape}, got {dy.shape}")
    xhat, axis = cache.xhat, cache.axis
    inv_n = 1.0 / xhat.shape[axis]
    dxhat = dy * cache.gamma
    mean_d = dxhat.sum(axis=axis, keepdims=True) * inv_n
    mean_dx = (dxhat * xhat).sum(axis=axis, keepdims=True) * inv_n
    dx = (dxhat - mean_d - xhat * mean_dx) / cache.std
    return NormGrads(dx, (dy * xhat).sum(axis=0), dy.sum(axis=0), dxhat)
