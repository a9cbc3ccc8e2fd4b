"""Inverted dropout with a given keep mask, as ``torch.nn.Dropout`` in training mode.

The mask (1 = kept, 0 = dropped) is given rather than drawn, so a question fixes it:
y = x ⊙ mask / (1 − p) and dx = dy ⊙ mask / (1 − p). With p = 1 every unit is dropped and PyTorch
returns zeros (no division by 0); at evaluation time dropout is the identity (not modelled here).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["dropout_backward", "dropout_forward", "dropout_scale"]


def dropout_scale(p: float) -> float:
    """1/(1 − p), the factor kept units are multiplied by (0 when p = 1)."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability p must be in [0, 1], got {p}")
    return 0.0 if p == 1.0 else 1.0 / (1.0 - p)


def _mask(mask: Any, shape: tuple[int, ...]) -> np.ndarray:
    m = np.asarray(mask, dtype=np.float64)
    if m.shape != shape:
        raise ValueError(f"mask must have shape {shape}, got {m.shape}")
    if not np.all((m == 0.0) | (m == 1.0)):
        raise ValueError("mask entries must be 0 (dropped) or 1 (kept)")
    return m


def dropout_forward(x: Any, mask: Any, p: float) -> np.ndarray:
    """y = x ⊙ mask / (1 − p)."""
    x = np.asarray(x, dtype=np.float64)
    return x * _mask(mask, x.shape) * dropout_scale(p)


def dropout_backward(dy: Any, mask: Any, p: float) -> np.ndarray:
    """dx = dy ⊙ mask / (1 − p): the same scaling as the forward pass."""
    dy = np.asarray(dy, dtype=np.float64)
    return dy * _mask(mask, dy.shape) * dropout_scale(p)
