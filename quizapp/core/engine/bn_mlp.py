"""The training demo's MLP with BatchNorm1d before the activation of every hidden layer.

Per hidden layer ``H = A W + b``, then (PyTorch ``BatchNorm1d``, training mode) batch statistics
over the rows: ``μ = mean(H)``, ``σ² = mean((H − μ)²)`` (biased), ``x̂ = (H − μ)/√(σ² + ε)``
with ε = 1e-5, ``Z = γ x̂ + β`` (learnable γ = 1, β = 0 at the start), ``A' = f(Z)``. ``Pass.Zs``
holds Z — the activation's input — so ``unit_stats`` counts dead units exactly as for the plain
MLP. The output layer has no BatchNorm.

This is the readable reference only: ``TrainStep`` (the fast fused step) does not do BatchNorm, so
``train`` runs a BatchNorm model through ``loss_and_grads`` + an optimiser from ``optimizers``.

Backward for one layer, with ``g = ∂L/∂Z`` (already divided by the batch size m)::

    dγ = Σ g ⊙ x̂,  dβ = Σ g,  d̂x = γ g,
    dH = (d̂x − mean(d̂x) − x̂ ⊙ mean(d̂x ⊙ x̂)) / √(σ² + ε)

(the per-row ``1/m`` of the mean loss is already in g, so the bracket's means are plain means).

A hidden layer's bias b is cancelled by the mean subtraction: its exact gradient is 0, and what a
computer gets is rounding noise (~1e-17) that Adam, dividing by √v̂, would turn into a random
walk. So, like ``nn.Linear(bias=False)`` before ``BatchNorm1d``, hidden biases are not trained:
``parameters()`` and ``backward`` leave them out (β takes their role). The output bias is trained.
``predict_proba(X, ref)`` normalises with the statistics of ``ref`` (the training data), not of X:
a decision-boundary grid must not be normalised by its own statistics.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from quizapp.core.engine.mlp import MLP, Pass

__all__ = ["BN_EPS", "BatchNormMLP", "BNPass"]

BN_EPS = 1e-5


@dataclass
class BNPass(Pass):
    """A forward pass plus, per hidden layer, x̂ and 1/√(σ² + ε) (for backward) and μ, σ²."""

    xhats: list[np.ndarray] = field(default_factory=list)
    inv_stds: list[np.ndarray] = field(default_factory=list)
    means: list[np.ndarray] = field(default_factory=list)
    variances: list[np.ndarray] = field(default_factory=list)


@dataclass
class BatchNormMLP(MLP):
    """``MLP`` + per hidden layer ``gammas[i]``, ``betas[i]`` (width,). Never uses ``TrainStep``."""

    gammas: list[np.ndarray] | None = None
    betas: list[np.ndarray] | None = None
    eps: float = BN_EPS

    def __post_init__(self) -> None:
        super().__post_init__()
        widths = [W.shape[1] for W in self.Ws[:-1]]
        if self.gammas is None:
            self.gammas = [np.ones(n, dtype=self.dtype) for n in widths]
        if self.betas is None:
            self.betas = [np.zeros(n, dtype=self.dtype) for n in widths]

    @classmethod
    def from_mlp(cls, model: MLP) -> BatchNormMLP:
        """The same weights (copied), γ = 1 and β = 0."""
        return cls([W.copy() for W in model.Ws], [b.copy() for b in model.bs], model.activation,
                   dict(model.params))

    def copy(self) -> BatchNormMLP:
        return BatchNormMLP([W.copy() for W in self.Ws], [b.copy() for b in self.bs],
                            self.activation, dict(self.params), None,
                            [g.copy() for g in self.gammas], [b.copy() for b in self.betas],
                            self.eps)

    def parameters(self) -> list[np.ndarray]:
        """W, γ, β per hidden layer, then W, b of the output: the order of flattened grads."""
        out: list[np.ndarray] = []
        for W, g, b in zip(self.Ws, self.gammas, self.betas):
            out += [W, g, b]
        return [*out, self.Ws[-1], self.bs[-1]]

    def forward(self, X: np.ndarray, stats: BNPass | None = None) -> BNPass:
        """Training-mode pass (batch statistics of X), or with the μ, σ² of ``stats`` if given."""
        A = np.asarray(X, dtype=self.dtype)
        fp = BNPass([A], [])
        last = len(self.Ws) - 1
        for i, (W, b) in enumerate(zip(self.Ws, self.bs)):
            H = A @ W + b
            if i == last:
                fp.Zs.append(H)
                break
            if stats is None:
                mu = H.mean(axis=0)
                var = ((H - mu) ** 2).mean(axis=0)
            else:
                mu, var = stats.means[i], stats.variances[i]
            inv_std = 1.0 / np.sqrt(var + self.eps)
            xhat = (H - mu) * inv_std
            Z = self.gammas[i] * xhat + self.betas[i]
            fp.means.append(mu)
            fp.variances.append(var)
            fp.xhats.append(xhat)
            fp.inv_stds.append(inv_std)
            fp.Zs.append(Z)
            A = self._f(Z, **self.params).astype(self.dtype, copy=False)
            fp.As.append(A)
        return fp

    def backward(self, fp: BNPass, dZ: np.ndarray) -> list[tuple[np.ndarray, ...]]:
        """Per layer ``(dW, dγ, dβ)`` for hidden layers and ``(dW, db)`` for the output."""
        m = dZ.shape[0]
        last = len(self.Ws) - 1
        g = np.divide(dZ, m, dtype=self.dtype)
        grads: list[tuple[np.ndarray, ...]] = [()] * len(self.Ws)
        for i in range(last, -1, -1):
            if i < last:  # g is ∂L/∂Z of this hidden layer: go back through BatchNorm
                xhat = fp.xhats[i]
                dgamma, dbeta = (g * xhat).sum(axis=0), g.sum(axis=0)
                dxhat = g * self.gammas[i]
                g = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) * fp.inv_stds[i]
                grads[i] = (fp.As[i].T @ g, dgamma, dbeta)
            else:
                grads[i] = (fp.As[i].T @ g, g.sum(axis=0))
            if i:
                g = (g @ self.Ws[i].T) * self._df(fp.Zs[i - 1], **self.params)
        return grads

    def train_step(self, X: np.ndarray, y: np.ndarray, lr: float, momentum: float = 0.0) -> float:
        raise NotImplementedError("BatchNormMLP has no fused step; use optimizers.reference_step")

    def predict_proba(self, X: np.ndarray, ref: np.ndarray | None = None) -> np.ndarray:
        """Probabilities with BatchNorm using the statistics of ``ref`` (default: of X itself)."""
        stats = None if ref is None else self.forward(ref)
        z = self.forward(X, stats).logits.astype(np.float64)
        from quizapp.core.engine.activations import sigmoid, softmax
        return sigmoid(z[:, 0]) if z.shape[1] == 1 else softmax(z, axis=1)
