"""Scaled dot-product attention for one head, forward and closed-form backward (float64).

Q (t_q×d), K (t_k×d), V (t_k×d_v); as ``torch.nn.functional.scaled_dot_product_attention``:

    S = Q Kᵀ / √d           the scaled scores (``S`` keeps them *before* any mask)
    P = softmax of each row of S, where ``causal`` first sets S[i, j] = −∞ for j > i
    O = P V

Backward from the upstream dO (no averaging):

    dV = Pᵀ dO      dP = dO Vᵀ      dS = P ⊙ (dP − rowsum(dP ⊙ P))   (0 where masked)
    dQ = dS K / √d          dK = dSᵀ Q / √d

The causal mask is the lower triangle aligned at the top left (``torch.ones(t_q, t_k).tril()``),
so every row keeps at least its first key and no row of P is all zero.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from quizapp.core.engine.activations import softmax, softmax_vjp

__all__ = ["AttentionCache", "AttentionGrads", "attention_backward", "attention_forward",
           "causal_mask"]


class AttentionCache(NamedTuple):
    Q: np.ndarray
    K: np.ndarray
    V: np.ndarray
    scale: float  # 1/√d
    S: np.ndarray  # Q Kᵀ/√d before the mask
    keep: np.ndarray  # bool, True where a query may look at a key
    P: np.ndarray
    O: np.ndarray


class AttentionGrads(NamedTuple):
    dQ: np.ndarray
    dK: np.ndarray
    dV: np.ndarray
    dP: np.ndarray
    dS: np.ndarray


def causal_mask(t_q: int, t_k: int) -> np.ndarray:
    """True on and below the diagonal: query i sees keys 0…i."""
    return np.tril(np.ones((t_q, t_k), dtype=bool))


def attention_forward(Q: Any, K: Any, V: Any, causal: bool = False) -> AttentionCache:
    Q, K, V = (np.asarray(a, dtype=np.float64) for a in (Q, K, V))
    if Q.ndim != 2 or K.ndim != 2 or V.ndim != 2 or 0 in Q.shape + K.shape + V.shape:
        raise ValueError(f"Q, K, V must be non-empty matrices, got {Q.shape}, {K.shape}, {V.shape}")
    if Q.shape[1] != K.shape[1]:
        raise ValueError(f"Q and K need the same width d, got {Q.shape} and {K.shape}")
    if K.shape[0] != V.shape[0]:
        raise ValueError(f"K and V need one row per key, got {K.shape} and {V.shape}")
    scale = 1.0 / math.sqrt(Q.shape[1])
    S = (Q @ K.T) * scale
    keep = causal_mask(*S.shape) if causal else np.ones(S.shape, dtype=bool)
    P = softmax(np.where(keep, S, -np.inf), axis=1)
    return AttentionCache(Q, K, V, scale, S, keep, P, P @ V)


def attention_backward(cache: AttentionCache, dO: Any) -> AttentionGrads:
    dO = np.asarray(dO, dtype=np.float64)
    if dO.shape != cache.O.shape:
        raise ValueError(f"dO must have shape {cache.O.shape}, got {dO.shape}")
    dV = cache.P.T @ dO
    dP = dO @ cache.V.T
    dS = softmax_vjp(cache.P, dP, axis=1)  # exactly 0 where P is 0 (masked)
    return AttentionGrads(dS @ cache.K * cache.scale, dS.T @ cache.Q * cache.scale, dV, dP, dS)
