"""Losses with their gradients, reduction stated explicitly (``reduction="mean"|"sum"``).

Every function returns ``LossResult(value, grad, dZ)``:

* ``value`` — the reduced loss (a float);
* ``grad``  — the exact gradient of ``value`` w.r.t. the predictions/logits (what finite
  differences of ``value`` give);
* ``dZ``    — the per-example gradient ∂ℓᵢ/∂zᵢ that ``layers.dense_backward`` expects (it divides
  by m itself). With ``"sum"`` it equals ``grad``; with ``"mean"`` it is ``grad`` × m.

Batches are rows. What "mean" averages over follows PyTorch:

=======================  ======================================  ==========================
loss                     ℓ (per element / example)               "mean" divides by
=======================  ======================================  ==========================
mse                      (ŷ − y)²                                every element (m·k)
bce_with_logits          max(z,0) − z·y + log(1 + e^(−|z|))      every element (m·k)
softmax_cross_entropy    −Σⱼ yⱼ log softmax(z)ⱼ  (one row)       rows (m)
=======================  ======================================  ==========================

``bce_with_logits(pos_weight=w)`` weighs the positive term as ``torch.nn.BCEWithLogitsLoss``:
ℓ = −[w·y log σ(z) + (1 − y) log(1 − σ(z))]. ``softmax_cross_entropy(label_smoothing=ε)`` is
``torch.nn.CrossEntropyLoss(label_smoothing=ε)``: the target row y becomes (1 − ε)·y + ε/k.

For mse/BCE with k > 1 outputs the per-example ℓᵢ under "mean" is the mean over that row's
k entries, so "mean" is still (1/m) Σ ℓᵢ and ``dZ`` is consistent with ``dense_backward``.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import numpy as np

from quizapp.core.engine.activations import log_softmax, sigmoid, softmax

__all__ = [
    "LossResult", "bce_with_logits", "mse", "smooth_targets", "softmax_cross_entropy",
    "softplus_neg",
]

Reduction = Literal["mean", "sum"]


class LossResult(NamedTuple):
    value: float
    grad: np.ndarray
    dZ: np.ndarray


def _rows(shape: tuple[int, ...]) -> int:
    return shape[0] if len(shape) >= 1 else 1


def _check_reduction(reduction: str) -> None:
    if reduction not in ("mean", "sum"):
        raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")


def _pair(a: Any, b: Any, names: str) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"{names}: shapes differ, {a.shape} vs {b.shape}")
    if a.size == 0:
        raise ValueError(f"{names}: empty input")
    return a, b


def _elementwise(loss: np.ndarray, dloss: np.ndarray, reduction: str) -> LossResult:
    """Reduce an elementwise loss whose elementwise derivative is ``dloss``."""
    if reduction == "sum":
        return LossResult(float(loss.sum()), dloss, dloss)
    m = _rows(loss.shape)
    grad = dloss / loss.size
    return LossResult(float(loss.mean()), grad, grad * m)


def mse(y_pred: Any, y_true: Any, *, reduction: Reduction = "mean") -> LossResult:
    """Squared error Σ(ŷ − y)², averaged over all elements ("mean") or summed; grad 2(ŷ − y)/N."""
    _check_reduction(reduction)
    y_pred, y_true = _pair(y_pred, y_true, "mse(y_pred, y_true)")
    diff = y_pred - y_true
    return _elementwise(diff * diff, 2.0 * diff, reduction)


def softplus_neg(z: Any) -> np.ndarray:
    """−log σ(z) = log(1 + e^(−z)) = max(−z, 0) + log1p(e^(−|z|)), finite for any z."""
    z = np.asarray(z, dtype=np.float64)
    return np.maximum(-z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def bce_with_logits(z: Any, y: Any, *, reduction: Reduction = "mean",
                    pos_weight: float | None = None) -> LossResult:
    """Binary cross-entropy of labels y ∈ [0, 1] against logits z, stable for any z.

    ℓ = −[y log σ(z) + (1 − y) log(1 − σ(z))] = max(z, 0) − z·y + log1p(e^(−|z|)); ∂ℓ/∂z = σ(z) − y.
    With ``pos_weight`` w (torch's): ℓ = w·y·(−log σ(z)) + (1 − y)·(−log(1 − σ(z)))
    = (1 − y)·z + (1 + (w − 1)·y)·(−log σ(z)), so ∂ℓ/∂z = (1 + (w − 1)·y)·σ(z) − w·y.
    """
    _check_reduction(reduction)
    z, y = _pair(z, y, "bce_with_logits(z, y)")
    if pos_weight is None:
        loss = np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))
        return _elementwise(loss, sigmoid(z) - y, reduction)
    w = float(pos_weight)
    weight = 1.0 + (w - 1.0) * y
    loss = (1.0 - y) * z + weight * softplus_neg(z)
    return _elementwise(loss, weight * sigmoid(z) - w * y, reduction)


def _targets(labels: Any, shape: tuple[int, ...]) -> np.ndarray:
    """One-hot / probability targets of ``shape`` from int class labels or an array of that shape."""
    lab = np.asarray(labels)
    k = shape[-1]
    if lab.shape == shape and lab.dtype.kind in "fiub":
        return lab.astype(np.float64)
    if lab.shape == shape[:-1] and lab.dtype.kind in "iu":
        if lab.size and (lab.min() < 0 or lab.max() >= k):
            raise ValueError(f"class labels must be in 0..{k - 1}, got {lab.min()}..{lab.max()}")
        return np.eye(k)[lab]
    raise ValueError(f"labels must be ints of shape {shape[:-1]} or targets of shape {shape},"
                     f" got {lab.dtype} {lab.shape}")


def smooth_targets(y: np.ndarray, eps: float) -> np.ndarray:
    """(1 − ε)·y + ε/k over the last axis: torch's label smoothing of one-hot/probability rows."""
    if not 0.0 <= eps <= 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1], got {eps}")
    return (1.0 - eps) * y + eps / y.shape[-1]


def softmax_cross_entropy(logits: Any, labels: Any, *, reduction: Reduction = "mean",
                          label_smoothing: float = 0.0) -> LossResult:
    """Cross-entropy of softmax(logits) against int labels or one-hot/probability rows.

    logits (m, k) or a single row (k,); ℓᵢ = −Σⱼ yᵢⱼ log softmax(zᵢ)ⱼ; "mean" averages over rows.
    ∂ℓᵢ/∂zᵢ = softmax(zᵢ)·Σⱼyᵢⱼ − yᵢ, i.e. softmax − y for one-hot rows. ``label_smoothing`` ε
    replaces y by (1 − ε)·y + ε/k first (``torch.nn.CrossEntropyLoss(label_smoothing=ε)``).
    """
    _check_reduction(reduction)
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim not in (1, 2) or z.size == 0:
        raise ValueError(f"logits must be (m, k) or (k,), got shape {z.shape}")
    y = _targets(labels, z.shape)
    if label_smoothing:
        y = smooth_targets(y, float(label_smoothing))
    per_row = -np.sum(y * log_softmax(z, axis=-1), axis=-1)
    d = softmax(z, axis=-1) * np.sum(y, axis=-1, keepdims=True) - y
    if reduction == "sum":
        return LossResult(float(per_row.sum()), d, d)
    m = _rows(z.shape) if z.ndim == 2 else 1
    return LossResult(float(per_row.sum() / m), d / m, d)
