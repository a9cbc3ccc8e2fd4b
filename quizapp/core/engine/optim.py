"""One optimiser step at a time, in PyTorch's conventions (float64, no in-place surprises).

* ``weight_decay_step`` — L2 in the loss, L + (λ/2)‖W‖², whose gradient is dW + λW (what
  ``torch.optim.SGD(weight_decay=λ)`` feeds the step), vs decoupled decay W ← W − lr·λ·W next to
  the plain gradient step (``torch.optim.AdamW``'s rule). For plain SGD both land on the same W.
* ``momentum_step`` — ``torch.optim.SGD(momentum=μ, dampening=0)``: v ← μ·v + g, then
  w ← w − lr·v, or with ``nesterov=True`` w ← w − lr·(g + μ·v) (v the new buffer). PyTorch
  starts the buffer at v = g on the first step, which is this rule with v = 0.
* ``adam_step`` — ``torch.optim.Adam``/``AdamW``: step t (counting from 1)
  m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ),
  w ← w − lr·λ·w (decoupled, AdamW), then w ← w − lr·m̂/(√v̂ + ε).
* ``clip_grad_norm`` — ``torch.nn.utils.clip_grad_norm_``: the 2-norm over *all* gradients
  together, coef = max_norm/(total + 1e-6) clamped to at most 1, every gradient × coef.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "CLIP_EPS", "AdamStep", "ClipResult", "DecayStep", "MomentumStep", "adam_step",
    "clip_grad_norm", "momentum_step", "weight_decay_step",
]

CLIP_EPS = 1e-6  # torch.nn.utils.clip_grad_norm_ adds it to the total norm


def _arrays(*arrays: Any) -> list[np.ndarray]:
    out = [np.asarray(a, dtype=np.float64) for a in arrays]
    if any(a.shape != out[0].shape for a in out):
        raise ValueError(f"shapes differ: {', '.join(str(a.shape) for a in out)}")
    return out


class DecayStep(NamedTuple):
    dW_total: np.ndarray  # the gradient the SGD step uses
    decay: np.ndarray  # lr·λ·W, the decoupled shrink (zeros when the decay is in the loss)
    W_new: np.ndarray


def weight_decay_step(W: Any, dW_data: Any, lam: float, lr: float, *,
                      decoupled: bool = False) -> DecayStep:
    """One SGD step with weight decay λ, either as an L2 term of the loss or decoupled."""
    W, dW_data = _arrays(W, dW_data)
    if decoupled:
        decay = lr * lam * W
        return DecayStep(dW_data.copy(), decay, W - decay - lr * dW_data)
    dW_total = dW_data + lam * W
    return DecayStep(dW_total, np.zeros_like(W), W - lr * dW_total)


class MomentumStep(NamedTuple):
    v_new: np.ndarray
    step: np.ndarray  # what is subtracted from w: lr·v_new, or lr·(g + μ·v_new) for Nesterov
    w_new: np.ndarray


def momentum_step(w: Any, g: Any, v: Any, lr: float, mu: float, *,
                  nesterov: bool = False) -> MomentumStep:
    """torch.optim.SGD with momentum (no dampening): v ← μv + g; w ← w − lr·(v or g + μv)."""
    w, g, v = _arrays(w, g, v)
    v_new = mu * v + g
    step = lr * (g + mu * v_new) if nesterov else lr * v_new
    return MomentumStep(v_new, step, w - step)


class AdamStep(NamedTuple):
    m_new: np.ndarray
    v_new: np.ndarray
    m_hat: np.ndarray
    v_hat: np.ndarray
    w_decayed: np.ndarray  # w after the decoupled decay, before the Adam step
    step: np.ndarray  # lr·m̂/(√v̂ + ε)
    w_new: np.ndarray


def adam_step(w: Any, g: Any, m: Any, v: Any, t: int, lr: float = 1e-3, beta1: float = 0.9,
              beta2: float = 0.999, eps: float = 1e-8, weight_decay: float = 0.0) -> AdamStep:
    """Step number ``t`` (≥ 1) of Adam; ``weight_decay`` is AdamW's decoupled decay."""
    if isinstance(t, bool) or int(t) != t or t < 1:
        raise ValueError(f"t is the step number (1, 2, …), got {t!r}")
    w, g, m, v = _arrays(w, g, m, v)
    m_new = beta1 * m + (1.0 - beta1) * g
    v_new = beta2 * v + (1.0 - beta2) * g * g
    m_hat = m_new / (1.0 - beta1 ** int(t))
    v_hat = v_new / (1.0 - beta2 ** int(t))
    w_decayed = w - lr * weight_decay * w
    step = lr * m_hat / (np.sqrt(v_hat) + eps)
    return AdamStep(m_new, v_new, m_hat, v_hat, w_decayed, step, w_decayed - step)


class ClipResult(NamedTuple):
    total_norm: float
    coef: float  # max_norm/(total + 1e-6) clamped to ≤ 1: the factor every gradient is scaled by
    clipped: list[np.ndarray]


def clip_grad_norm(grads: Sequence[Any], max_norm: float) -> ClipResult:
    """torch.nn.utils.clip_grad_norm_ (2-norm): total over all grads, one common scale factor."""
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    if not arrays:
        raise ValueError("clip_grad_norm needs at least one gradient")
    total = float(np.sqrt(sum(float(np.sum(a * a)) for a in arrays)))
    coef = min(1.0, max_norm / (total + CLIP_EPS))
    return ClipResult(total, coef, [a * coef for a in arrays])
