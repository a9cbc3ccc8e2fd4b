"""Finite-difference references for the engine's closed-form gradients.

``numeric_grad`` perturbs one entry at a time (any scalar function); ``numeric_derivative`` is the
vectorised shortcut for elementwise functions. Centred differences have O(eps²) truncation error
and O(ε_mach/eps) rounding error; eps ≈ 1e-6 (1e-5 for curvy functions) balances the two.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "GradCheck", "check_grad", "max_rel_error", "numeric_derivative", "numeric_grad",
    "numeric_vjp", "rel_error",
]

TINY = np.finfo(np.float64).tiny


def numeric_grad(f: Callable[[np.ndarray], Any], x: Any, eps: float = 1e-6) -> np.ndarray:
    """∂f/∂x by centred differences, (f(x + eps·eᵢ) − f(x − eps·eᵢ)) / 2eps, for scalar f."""
    x = np.array(x, dtype=np.float64)  # private copy; the caller's array is never touched
    grad = np.empty_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        hi = float(f(x))
        flat[i] = old - eps
        lo = float(f(x))
        flat[i] = old
        gflat[i] = (hi - lo) / (2.0 * eps)
    return grad


def numeric_derivative(f: Callable[[np.ndarray], np.ndarray], z: Any,
                       eps: float = 1e-6) -> np.ndarray:
    """f′(z) for an *elementwise* f, all entries at once."""
    z = np.asarray(z, dtype=np.float64)
    return (np.asarray(f(z + eps)) - np.asarray(f(z - eps))) / (2.0 * eps)


def numeric_vjp(f: Callable[[np.ndarray], np.ndarray], x: Any, g: Any,
                eps: float = 1e-6) -> np.ndarray:
    """∂/∂x of Σ g ⊙ f(x): the reference for any backward pass with upstream gradient g."""
    g = np.asarray(g, dtype=np.float64)
    return numeric_grad(lambda v: np.sum(g * f(v)), x, eps)


def rel_error(a: Any, n: Any) -> np.ndarray:
    """Elementwise |a − n| / max(|a| + |n|, tiny); 0 where both are exactly 0."""
    a = np.asarray(a, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    return np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), TINY)


def max_rel_error(a: Any, n: Any) -> float:
    """Largest elementwise relative error (0.0 for empty arrays)."""
    r = rel_error(a, n)
    return float(r.max()) if r.size else 0.0


class GradCheck(NamedTuple):
    ok: bool
    max_rel_error: float
    analytic: np.ndarray
    numeric: np.ndarray


def check_grad(f: Callable[[np.ndarray], Any], grad: Any, x: Any, eps: float = 1e-6,
               tol: float = 1e-7) -> GradCheck:
    """Compare an analytic gradient of scalar f at x with centred differences."""
    num = numeric_grad(f, x, eps)
    a = np.asarray(grad, dtype=np.float64)
    err = max_rel_error(a, num)
    return GradCheck(err < tol, err, a, num)
