"""Dense (fully connected) layer, forward and backward, in the project's one convention.

Batch of m rows: ``Z = X W + b`` with X (m, n_in), W (n_in, n_out), b (n_out,).
``dZ`` is the *per-example* gradient, row i = ∂ℓᵢ/∂Zᵢ, and the loss is the batch mean
L = (1/m) Σᵢ ℓᵢ. Then

    dW = Xᵀ dZ / m        db = Σᵢ dZᵢ / m (column sums)        dX = dZ Wᵀ (per example, no 1/m)

A loss computed with ``reduction="sum"`` (see ``losses``) hands you exactly this per-example dZ;
its ``.dZ`` field gives the same for ``reduction="mean"``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from quizapp.core.engine import activations as _act

__all__ = [
    "DenseCache", "DenseGrads", "dense_activation_backward", "dense_activation_forward",
    "dense_backward", "dense_forward",
]


class DenseGrads(NamedTuple):
    """Gradients of the mean loss; unpacks as ``dW, db, dX = dense_backward(...)``."""

    dW: np.ndarray
    db: np.ndarray
    dX: np.ndarray


class DenseCache(NamedTuple):
    """Intermediates of ``dense_activation_forward``, kept for worked solutions and backprop."""

    X: np.ndarray
    W: np.ndarray
    b: np.ndarray
    Z: np.ndarray
    A: np.ndarray
    activation: str
    params: dict


def _check(X: Any, W: Any, b: Any | None = None) -> tuple[np.ndarray, ...]:
    X = np.asarray(X, dtype=np.float64)
    W = np.asarray(W, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (m, n_in), got shape {X.shape}")
    if W.ndim != 2:
        raise ValueError(f"W must be 2-D (n_in, n_out), got shape {W.shape}")
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"X is {X.shape} but W is {W.shape}: X columns must equal W rows")
    if b is None:
        return X, W
    b = np.asarray(b, dtype=np.float64)
    if b.shape not in ((W.shape[1],), (1, W.shape[1])):
        raise ValueError(f"b must have shape ({W.shape[1]},), got {b.shape}")
    return X, W, b.reshape(W.shape[1])


def dense_forward(X: Any, W: Any, b: Any) -> np.ndarray:
    """Z = X W + b (b broadcast over the m rows)."""
    X, W, b = _check(X, W, b)
    return X @ W + b


def dense_backward(X: Any, W: Any, dZ: Any) -> DenseGrads:
    """Gradients of L = (1/m) Σ ℓᵢ from the per-example dZ: (Xᵀ dZ / m, Σ dZ / m, dZ Wᵀ)."""
    X, W = _check(X, W)
    dZ = np.asarray(dZ, dtype=np.float64)
    if dZ.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"dZ must have shape {(X.shape[0], W.shape[1])}, got {dZ.shape}")
    m = X.shape[0]
    return DenseGrads(X.T @ dZ / m, dZ.sum(axis=0) / m, dZ @ W.T)


def dense_activation_forward(X: Any, W: Any, b: Any, activation: str = "identity",
                             **params: Any) -> DenseCache:
    """A = f(X W + b) for a registry activation; returns every intermediate."""
    act = _act.get(activation)
    p = act.params(**params)
    X, W, b = _check(X, W, b)
    Z = X @ W + b
    return DenseCache(X, W, b, Z, act.forward(Z, **p), act.name, p)


def dense_activation_backward(cache: DenseCache, dA: Any) -> tuple[np.ndarray, DenseGrads]:
    """From the per-example dA = ∂ℓᵢ/∂Aᵢ: dZ = dA ⊙ f′(Z) (softmax: its VJP), then the dense grads."""
    dZ = _act.get(cache.activation).vjp(cache.Z, dA, **cache.params)
    return dZ, dense_backward(cache.X, cache.W, dZ)
