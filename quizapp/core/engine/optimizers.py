"""Optimiser state for the training demo's reference step: SGD (with momentum) and Adam.

``train`` uses these only for the options the fast ``TrainStep`` does not do (``optimizer="adam"``
or ``batchnorm=True``); the default (SGD, no BatchNorm) stays on ``MLP.train_step``.

* ``SGD`` — ``torch.optim.SGD(momentum=μ)``: v ← μv + g, p ← p − lr·v (v starts at 0).
* ``Adam`` — ``torch.optim.Adam``: every step calls ``optim.adam_step`` (bias correction, ε added
  outside the square root) on each parameter and writes the result back in place. ``momentum`` is
  not used by Adam (β₁ = 0.9 plays its part).

Parameters are updated in place, so views (``MLP.Ws``/``bs`` into its packed array) stay valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from quizapp.core.engine.optim import adam_step

__all__ = ["OPTIMIZERS", "SGD", "Adam", "make_optimizer", "model_parameters", "reference_step"]

OPTIMIZERS = ("sgd", "adam")


class SGD:
    def __init__(self, params: Sequence[np.ndarray], lr: float, momentum: float = 0.0) -> None:
        self.params, self.lr, self.momentum = list(params), float(lr), float(momentum)
        self.velocity = [np.zeros_like(p) for p in self.params] if momentum else None

    def step(self, grads: Sequence[np.ndarray]) -> None:
        if self.velocity is None:
            for p, g in zip(self.params, grads):
                p -= self.lr * g
            return
        for p, g, v in zip(self.params, grads, self.velocity):
            v *= self.momentum
            v += g
            p -= self.lr * v


class Adam:
    def __init__(self, params: Sequence[np.ndarray], lr: float, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8) -> None:
        self.params, self.lr, self.betas, self.eps = list(params), float(lr), betas, float(eps)
        self.m = [np.zeros(p.shape) for p in self.params]
        self.v = [np.zeros(p.shape) for p in self.params]
        self.t = 0

    def step(self, grads: Sequence[np.ndarray]) -> None:
        self.t += 1
        b1, b2 = self.betas
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            r = adam_step(p, g, m, v, self.t, self.lr, b1, b2, self.eps)
            p[...] = r.w_new
            m[...] = r.m_new
            v[...] = r.v_new


def model_parameters(model: Any) -> list[np.ndarray]:
    """Every trainable array of ``model`` in the order of its flattened ``backward`` grads."""
    if hasattr(model, "parameters"):
        return model.parameters()
    return [p for pair in zip(model.Ws, model.bs) for p in pair]


def make_optimizer(name: str, model: Any, lr: float, momentum: float = 0.0) -> SGD | Adam:
    if name == "adam":
        return Adam(model_parameters(model), lr)
    if name == "sgd":
        return SGD(model_parameters(model), lr, momentum)
    raise ValueError(f"unknown optimizer {name!r}; known: {', '.join(OPTIMIZERS)}")


def reference_step(model: Any, opt: SGD | Adam, X: np.ndarray, y: np.ndarray) -> float:
    """One step: ``loss_and_grads`` then ``opt.step``; returns the batch loss before the step."""
    res, grads, _ = model.loss_and_grads(X, y)
    opt.step([g for layer in grads for g in layer])
    return res.value
