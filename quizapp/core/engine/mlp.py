"""A plain multi-layer perceptron for the training demo: parameters, forward, backward, SGD.

Conventions are the engine's (``layers``): a batch is m rows, ``Z = A W + b`` with W (n_in, n_out),
the loss is the batch mean, ``dZ`` is the per-example gradient and ``dW = Aᵀ dZ / m``,
``db = Σ dZ / m``, ``dA = dZ Wᵀ``. Hidden layers all use one activation from the registry (with
its parameters); the output layer is linear and the loss takes logits: binary cross-entropy for two
classes (one output unit), softmax cross-entropy for more (one unit per class).

The hot loop writes the ``layers`` formulas out, into reusable buffers (``Workspace``), rather than
calling ``layers.dense_forward``/``dense_backward``: those always compute in float64 (the float32
option must stay float32), return dX for the input layer too, and allocate fresh arrays — and
allocating/freeing a dozen 128 KB arrays per step made glibc page-fault them back in every step
(~25 % of a step in ``benchmarks/train_speed.py``). ``tests/core/training`` checks every layer's
gradients against ``layers.dense_backward`` and the whole network against finite differences.

Unit statistics (``unit_stats``) are taken over a whole data set:

* *inactive*: pre-activation ``z ≤ 0`` for every input;
* *dead*: activation derivative ``f′(z) == 0`` for every input, i.e. the unit passes no gradient
  back and its incoming weights can never change again. For ReLU (``f′(0) = 0``) dead = inactive;
  for Leaky ReLU no unit is ever dead (``f′ = α ≠ 0`` on the negative side).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from quizapp.core.engine import activations as _act
from quizapp.core.engine import init as _init
from quizapp.core.engine.activations import sigmoid, softmax
from quizapp.core.engine.losses import LossResult, bce_with_logits, softmax_cross_entropy

__all__ = ["INITS", "MLP", "Pass", "UnitStats", "Workspace", "init_mlp", "layer_sizes"]

INITS = ("he", "xavier", "normal", "bad")


def layer_sizes(n_in: int, depth: int, width: int, n_out: int) -> list[int]:
    """[n_in, width × depth, n_out]: ``depth`` hidden layers of ``width`` units."""
    if int(depth) < 0 or int(width) < 1:
        raise ValueError(f"need depth ≥ 0 and width ≥ 1, got depth={depth}, width={width}")
    return [int(n_in), *([int(width)] * int(depth)), int(n_out)]


@dataclass
class Pass:
    """One forward pass: ``As[0]`` is the input, ``As[i+1] = f(Zs[i])``; ``Zs[-1]`` are the logits."""

    As: list[np.ndarray]
    Zs: list[np.ndarray]

    @property
    def logits(self) -> np.ndarray:
        return self.Zs[-1]


@dataclass(frozen=True)
class UnitStats:
    """Per hidden layer: fraction of units inactive / dead over a whole data set."""

    inactive: tuple[float, ...]
    dead: tuple[float, ...]
    inactive_counts: tuple[int, ...]
    dead_counts: tuple[int, ...]


@dataclass
class MLP:
    """Weights ``Ws[i]`` (n_i, n_{i+1}) and biases ``bs[i]`` (n_{i+1},); hidden activation by name."""

    Ws: list[np.ndarray]
    bs: list[np.ndarray]
    activation: str = "relu"
    params: Mapping[str, Any] = field(default_factory=dict)
    velocity: list[np.ndarray] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        act = _act.get(self.activation)
        if not act.is_elementwise:
            raise ValueError(f"{act.name} is not elementwise; hidden layers need an elementwise activation")
        self.activation = act.name
        self.params = act.params(**dict(self.params))  # defaults filled in once, not per call
        self._f, self._df = act.fn, act.dfn
        if len(self.Ws) != len(self.bs) or not self.Ws:
            raise ValueError("need one bias per weight matrix and at least one layer")
        self.dtype = self.Ws[0].dtype

    # --- shapes and copies ---------------------------------------------------------------
    @property
    def sizes(self) -> list[int]:
        return [self.Ws[0].shape[0], *(W.shape[1] for W in self.Ws)]

    @property
    def depth(self) -> int:
        return len(self.Ws) - 1

    def copy(self) -> MLP:
        return MLP([W.copy() for W in self.Ws], [b.copy() for b in self.bs], self.activation,
                   dict(self.params))

    def with_activation(self, activation: str, params: Mapping[str, Any] | None = None) -> MLP:
        """The same weights (copied) with another hidden activation."""
        return MLP([W.copy() for W in self.Ws], [b.copy() for b in self.bs], activation,
                   dict(params or {}))

    # --- forward / backward --------------------------------------------------------------
    def workspace(self, m: int) -> Workspace:
        """Reusable buffers for batches of ``m`` rows (kept on the model, rebuilt when m changes)."""
        ws = getattr(self, "_ws", None)
        if ws is None or ws.m != m:
            ws = self._ws = Workspace(m, self)
        return ws

    def forward(self, X: np.ndarray, ws: Workspace | None = None) -> Pass:
        """The pass over X; with ``ws`` the pre-activations land in its buffers (valid until reuse)."""
        A = np.asarray(X, dtype=self.dtype)
        As, Zs = [A], []
        f, params, dtype = self._f, self.params, self.dtype
        last = len(self.Ws) - 1
        for i, (W, b) in enumerate(zip(self.Ws, self.bs)):
            Z = A @ W if ws is None else np.matmul(A, W, out=ws.Z[i])
            Z += b
            Zs.append(Z)
            if i < last:
                A = f(Z, **params).astype(dtype, copy=False)
                As.append(A)
        return Pass(As, Zs)

    def loss(self, logits: np.ndarray, y: np.ndarray) -> LossResult:
        """Mean loss over the rows; ``y`` holds int class labels (m,)."""
        if logits.shape[1] == 1:
            return bce_with_logits(logits, np.asarray(y, dtype=np.float64).reshape(-1, 1))
        return softmax_cross_entropy(logits, np.asarray(y, dtype=np.int64))

    def backward(self, fp: Pass, dZ: np.ndarray,
                 ws: Workspace | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """(dW, db) for every layer from the per-example output gradient ``dZ`` (m, n_out).

        Same results as ``layers.dense_backward`` layer by layer (the tests check it), computed
        as ``g = dZ/m`` once at the top, then ``dW = Aᵀg``, ``db = Σg``, ``g ← (g Wᵀ) ⊙ f′(Z)``
        in place, with no dX for the input layer. With ``ws`` every result lands in its buffers.
        """
        m = dZ.shape[0]
        last = len(self.Ws) - 1
        g = np.divide(dZ, m, out=None if ws is None else ws.G[last], dtype=self.dtype)
        grads: list[tuple[np.ndarray, np.ndarray]] = [None] * len(self.Ws)  # type: ignore[list-item]
        df, params, As, Zs, Ws = self._df, self.params, fp.As, fp.Zs, self.Ws
        for i in range(last, -1, -1):
            AT = As[i].T
            dW = AT @ g if ws is None else np.matmul(AT, g, out=ws.dW[i])
            grads[i] = (dW, np.add.reduce(g, axis=0))
            if i:
                WT = Ws[i].T
                g = g @ WT if ws is None else np.matmul(g, WT, out=ws.G[i - 1])
                g *= df(Zs[i - 1], **params)
        return grads

    def loss_and_grads(self, X: np.ndarray, y: np.ndarray, ws: Workspace | None = None):
        """(LossResult, grads, Pass) of the mean loss on (X, y); arrays in ``ws`` if given."""
        fp = self.forward(X, ws)
        res = self.loss(fp.logits, y)
        return res, self.backward(fp, res.dZ, ws), fp

    def train_step(self, X: np.ndarray, y: np.ndarray, lr: float, momentum: float = 0.0) -> float:
        """One SGD step on the batch (X, y), in reusable buffers; returns the batch loss.

        The buffers matter: allocating and freeing a dozen 128 KB arrays per step made glibc hand
        memory back to the OS and page-fault it in again every step (~25 % of the step time).
        """
        res, grads, _fp = self.loss_and_grads(X, y, self.workspace(X.shape[0]))
        if momentum:
            self.sgd_step(grads, lr, momentum)
        else:  # the gradients are scratch here: scale them in place, no temporaries
            for W, b, (dW, db) in zip(self.Ws, self.bs, grads):
                dW *= lr
                W -= dW
                db *= lr
                b -= db
        return res.value

    def sgd_step(self, grads: Sequence[tuple[np.ndarray, np.ndarray]], lr: float,
                 momentum: float = 0.0) -> None:
        """In place. With momentum μ (PyTorch's form): v ← μv + g, p ← p − lr·v."""
        params = [p for pair in zip(self.Ws, self.bs) for p in pair]
        flat = [g for pair in grads for g in pair]
        if momentum:
            if self.velocity is None:
                self.velocity = [np.zeros_like(p) for p in params]
            for p, g, v in zip(params, flat, self.velocity):
                v *= momentum
                v += g
                p -= lr * v
        else:
            for p, g in zip(params, flat):
                p -= lr * g

    # --- read-outs -----------------------------------------------------------------------
    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """P(class 1) of shape (m,) for binary nets; class probabilities (m, k) otherwise."""
        z = self.forward(X).logits.astype(np.float64)
        return sigmoid(z[:, 0]) if z.shape[1] == 1 else softmax(z, axis=1)

    @staticmethod
    def accuracy(logits: np.ndarray, y: np.ndarray) -> float:
        pred = (logits[:, 0] > 0).astype(np.int64) if logits.shape[1] == 1 else logits.argmax(axis=1)
        return float(np.mean(pred == y))

    def unit_stats(self, fp: Pass) -> UnitStats:
        """Inactive/dead fractions per hidden layer, from a forward pass over the whole data set."""
        ic, dc, inact, dead = [], [], [], []
        for Z in fp.Zs[:-1]:
            n = Z.shape[1]
            i = int(np.count_nonzero(np.all(Z <= 0, axis=0)))
            d = int(np.count_nonzero(np.all(self._df(Z, **self.params) == 0, axis=0)))
            ic.append(i)
            dc.append(d)
            inact.append(i / n)
            dead.append(d / n)
        return UnitStats(tuple(inact), tuple(dead), tuple(ic), tuple(dc))


class Workspace:
    """Buffers for one batch size: pre-activations Z, back-propagated g, and dW per layer."""

    def __init__(self, m: int, model: MLP) -> None:
        self.m = m
        dt = model.dtype
        self.Z = [np.empty((m, W.shape[1]), dtype=dt) for W in model.Ws]
        self.G = [np.empty((m, W.shape[1]), dtype=dt) for W in model.Ws]
        self.dW = [np.empty_like(W) for W in model.Ws]


def init_mlp(sizes: Sequence[int], init: str, rng: np.random.Generator, *,
             activation: str = "relu", params: Mapping[str, Any] | None = None,
             std: float = 0.1, bad_bias: float = -1.0, dtype: Any = np.float64) -> MLP:
    """Weights for layer sizes ``sizes``; biases 0 except ``init="bad"``.

    ``he``: N(0, 2/n_in) (``init.he_normal``); ``xavier``: N(0, 2/(n_in+n_out)); ``normal``:
    N(0, std²); ``bad``: He weights with every *hidden* bias set to ``bad_bias`` (e.g. −1), so many
    units start inactive. Every scheme draws the same standard normals from ``rng`` and only scales
    them, so runs that differ in init (or activation) start from comparable weights.
    """
    key = init.strip().lower()
    if key not in INITS:
        raise ValueError(f"unknown init {init!r}; known: {', '.join(INITS)}")
    if key == "normal" and not std > 0:
        raise ValueError(f"normal init needs std > 0, got {std}")
    Ws, bs = [], []
    for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        if key in ("he", "bad"):
            W = _init.he_normal(n_in, n_out, rng)
        elif key == "xavier":
            W = _init.xavier_normal(n_in, n_out, rng)
        else:
            W = rng.normal(0.0, std, size=(n_in, n_out))
        hidden = i < len(sizes) - 2
        b = np.full(n_out, bad_bias if key == "bad" and hidden else 0.0)
        Ws.append(np.ascontiguousarray(W, dtype=dtype))
        bs.append(b.astype(dtype))
    return MLP(Ws, bs, activation, dict(params or {}))
