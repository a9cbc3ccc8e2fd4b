"""One SGD step of an ``MLP`` on a batch, in buffers made once per batch size (``MLP.train_step``).

``MLP.forward``/``backward``/``sgd_step`` are the readable reference: a row per example,
``Z = A W + b``. ``TrainStep`` does the same arithmetic arranged for speed. At the demo's sizes
(batch 256, width 64, float64, one core) a step is six 256×64×64 matmuls of ~47 µs each, already
close to the core's FLOP peak, plus a few dozen small NumPy calls whose overhead, temporaries and
cache misses cost nearly as much again when written out plainly. So the step cuts calls and memory
traffic:

* **Feature-major, bias folded in.** Layer i's input is held transposed, one column per example,
  with a row of ones under it: ``Ã = [Aᵀ; 1]``, shape (n_in + 1, m). The parameters are the model's
  packed ``Wb = [W; b]`` (``MLP.packed``). Then ``Zᵀ = Wbᵀ Ã`` adds the bias inside the matmul and
  ``dWb = Ã Gᵀ = [dW; db]`` yields the bias gradient (the sum over examples) as its last row: no
  broadcast bias add and no column sum per layer.
* **One update for all parameters.** Parameters and gradients each live in one flat array (the
  per-layer ``Wb``/``dWb`` are views), so plain SGD is one in-place subtraction for the whole
  network: the output gradient is scaled by lr/m rather than 1/m, so every dWb comes out as lr·dWb.
* **No batch-sized allocation, a small working set.** Every matmul and elementwise op writes into
  a buffer (``out=``); the layers' gradients take turns in two buffers. With ReLU the matmul writes
  straight into the next layer's ``Ã`` and the activation is applied there in place: ``Zᵀ`` is not
  kept, because the backward mask ``a > 0`` equals ``z > 0``.
* **ReLU** is ``np.maximum`` against a zeros array (NumPy only vectorises it when both operands are
  arrays: ~2× faster than against the scalar 0). Other activations call the registry's f and f′,
  with ``Zᵀ`` kept per layer for f′.
* **Binary cross-entropy** computes e^(−|z|) once for the loss and for σ(z).
* **One output unit**: back-propagating through it is an outer product, which NumPy does slowly
  either way (matmul with inner dimension 1, or a broadcast multiply); it is done as a matmul with
  the inner dimension padded to 2 by zeros (``_bind``).

Same math as the reference, not the same rounding (the bias now enters the matmul's sum, the sum
over examples is BLAS's): ``tests/core/training/test_training_trainstep.py`` checks steps against
``loss_and_grads`` + ``sgd_step`` to 1e-12.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from quizapp.core.engine.losses import softmax_cross_entropy


class SteppableModel(Protocol):
    """What a step needs of its model (``mlp.MLP`` is one): sizes, the activation and its functions,
    and its parameters packed into one flat array. A protocol, so this module does not import mlp."""

    sizes: Sequence[int]
    dtype: Any
    activation: str
    params: Mapping[str, Any]
    _f: Callable[..., np.ndarray]
    _df: Callable[..., np.ndarray]

    def packed(self) -> tuple[np.ndarray, list[np.ndarray]]: ...

    def packed_velocity(self) -> np.ndarray: ...

__all__ = ["TrainStep"]


class TrainStep:
    """SGD steps of ``model`` on batches of ``m`` rows; called like ``MLP.train_step``."""

    def __init__(self, model: SteppableModel, m: int) -> None:
        self.model, self.m = model, m
        dt, sizes = model.dtype, model.sizes
        self.relu = model.activation == "relu"
        outs = sizes[1:]
        # Ã per layer, (n_in + 1, m); the last row stays 1.
        self.A = [np.ones((n + 1, m), dtype=dt) for n in sizes[:-1]]
        # Zᵀ per layer; with ReLU a hidden layer's Zᵀ is the next Ã's top rows (activated in place).
        self.Z = [self.A[i + 1][:-1] if self.relu and i < len(outs) - 1 else np.empty((n, m), dt)
                  for i, n in enumerate(outs)]
        # ∂L/∂Zᵀ per layer (L the batch mean), alternating between two buffers; a layer of one unit
        # gets a (2, m) buffer of its own whose second row stays 0 (see _bind).
        turns = [np.empty((max(outs), m), dtype=dt) for _ in range(2)]
        self._padded = {i: np.zeros((2, m), dtype=dt) for i, n in enumerate(outs) if n == 1}
        self.G = [self._padded[i][:1] if i in self._padded else turns[i % 2][:n]
                  for i, n in enumerate(outs)]
        width = max(sizes[1:-1], default=0)
        self._zeros = np.zeros((width, m), dtype=dt)
        self._mask = np.empty((width, m), dtype=bool)
        self._y = np.empty(m)  # binary labels as float64
        self._bind(*model.packed())

    def _bind(self, flat: np.ndarray, Wbs: list[np.ndarray]) -> None:
        """Views of the model's packed parameters and their gradients (redone if it re-packs)."""
        self.flat, self.dflat = flat, np.empty_like(flat)
        dWbs, pos = [], 0
        for Wb in Wbs:
            dWbs.append(self.dflat[pos:pos + Wb.size].reshape(Wb.shape))
            pos += Wb.size
        A, Z, G, last = self.A, self.Z, self.G, len(Wbs) - 1
        # forward: Wbᵀ, Ã, Zᵀ, and for hidden layers where the activation goes plus zeros to use
        self._fwd = [(Wb.T, A[i], Z[i], *((A[i + 1][:-1], self._zeros[:len(Z[i])]) if i < last
                                           else (None, None)))
                     for i, Wb in enumerate(Wbs)]
        # backward, output layer first: Ã, Gᵀ, dWb (for dWb = Ã Gᵀ); the operands of W G, the pad
        # to refresh from the weights (or None) and the weights; the layer below's G, its Zᵀ (with
        # ReLU: its activation, which has the same sign pattern) and mask rows — None for layer 0.
        self._bwd = []
        for i in range(last, -1, -1):
            W, g, pad = Wbs[i][:-1], G[i], None
            if i and i in self._padded:
                # One unit: W G is an outer product. At 64 × 256, np.matmul with inner dimension 1
                # takes ~20 µs and a broadcast np.multiply ~10 µs (it fills 128 KB of buffers);
                # [W 0] @ [G; 0] takes ~4 µs and only adds exact zeros.
                W, g = np.zeros((len(W), 2), dtype=W.dtype), self._padded[i]
                pad = W[:, :1]  # refreshed from the weights every step
            below = (G[i - 1], Z[i - 1], self._mask[:len(Z[i - 1])]) if i else (None,) * 3
            self._bwd.append((A[i], G[i].T, dWbs[i], W, g, pad, Wbs[i][:-1], *below))

    def __call__(self, X: np.ndarray, y: np.ndarray, lr: float, momentum: float = 0.0) -> float:
        """One step on the rows X (m, n_in) with int labels y (m,); returns the loss before it."""
        model = self.model
        flat, Wbs = model.packed()
        if flat is not self.flat:
            self._bind(flat, Wbs)
        np.copyto(self.A[0][:-1], X.T)
        relu, f, df, params = self.relu, model._f, model._df, model.params

        for WbT, A, Z, out, zeros in self._fwd:
            np.matmul(WbT, A, out=Z)
            if out is not None:
                if relu:
                    np.maximum(Z, zeros, out=out)  # in place: out is Z
                else:
                    np.copyto(out, f(Z, **params))

        loss = self._loss(y, 1.0 if momentum else lr)  # plain SGD needs only lr·g, momentum g

        for A, GT, dWb, W, g, pad, weights, g_down, Z_down, mask in self._bwd:
            np.matmul(A, GT, out=dWb)
            if g_down is None:
                continue
            if pad is not None:
                np.copyto(pad, weights)
            np.matmul(W, g, out=g_down)
            if relu:
                np.multiply(g_down, np.greater(Z_down, 0.0, out=mask), out=g_down)
            else:
                g_down *= df(Z_down, **params)

        step = self.dflat  # lr·g without momentum, else g
        if momentum:  # PyTorch's form, as MLP.sgd_step: v ← μv + g, p ← p − lr·v
            v = model.packed_velocity()
            v *= momentum
            v += step
            np.multiply(v, lr, out=step)
        flat -= step
        return loss

    def _loss(self, y: np.ndarray, scale: float = 1.0) -> float:
        """The mean loss of the logits in ``Z[-1]``; writes ``scale`` × ∂L/∂Zᵀ into ``G[-1]``.

        Same formulas as ``losses.bce_with_logits`` (one output unit) and
        ``losses.softmax_cross_entropy``, in float64 whatever the model's dtype.
        """
        m, logits, g = self.m, self.Z[-1], self.G[-1]
        if len(logits) > 1:
            res = softmax_cross_entropy(logits.T, np.asarray(y, dtype=np.int64))
            np.multiply(res.dZ.T, scale / m, out=g)
            return res.value
        z = logits[0].astype(np.float64, copy=False)
        t = self._y
        np.copyto(t, y)
        e = np.exp(-np.abs(z))
        loss = float((np.maximum(z, 0.0) - z * t + np.log1p(e)).sum()) / m  # np.mean: 3× the time
        sigma = np.where(z >= 0, 1.0, e) / (1.0 + e)                           # σ(z) for any z
        np.multiply(sigma - t, scale / m, out=g[0])
        return loss
