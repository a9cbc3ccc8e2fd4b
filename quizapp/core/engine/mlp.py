"""A plain multi-layer perceptron for the training demo: parameters, forward, backward, SGD.

Conventions are the engine's (``layers``): a batch is m rows, ``Z = A W + b`` with W (n_in, n_out),
the loss is the batch mean, ``dZ`` is the per-example gradient and ``dW = Aᵀ dZ / m``,
``db = Σ dZ / m``, ``dA = dZ Wᵀ``. Hidden layers all use one activation from the registry (with
its parameters); the output layer is linear and the loss takes logits: binary cross-entropy for two
classes (one output unit), softmax cross-entropy for more (one unit per class).

Each layer's parameters are stored as one array ``Wb = [W; b]`` of shape (n_in + 1, n_out);
``Ws[i]`` and ``bs[i]`` are views of it (``packed``). ``forward``/``backward``/``sgd_step`` are the
readable reference and never notice; ``train_step`` hands the step to ``trainstep.TrainStep``, which
uses the packed form to do the bias add and the bias gradient inside the matmuls. ``tests/core/training``
checks every layer's gradients against ``layers.dense_backward``, the whole network against finite
differences, and ``train_step`` against ``loss_and_grads`` + ``sgd_step``.

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
from quizapp.core.engine.trainstep import TrainStep

__all__ = ["INITS", "MLP", "Pass", "UnitStats", "init_mlp", "layer_sizes"]

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
        self._pack()
        self._step: TrainStep | None = None

    # --- storage ---------------------------------------------------------------------------
    def _pack(self) -> None:
        self._flat, self._Wbs = _pack(self.Ws, self.bs, self.dtype)
        self.Ws = [Wb[:-1] for Wb in self._Wbs]
        self.bs = [Wb[-1] for Wb in self._Wbs]

    def packed(self) -> tuple[np.ndarray, list[np.ndarray]]:
        """Every parameter in one flat array, and per layer ``[W; b]`` (n_in + 1, n_out), a view of it.

        ``Ws[i]`` and ``bs[i]`` are views of ``[W; b]``. If an entry of ``Ws``/``bs`` was replaced by
        another array, packs the values anew into new arrays (callers can tell by identity).
        """
        if len(self.Ws) != len(self._Wbs) or not _views_of(self._flat, self.Ws, self.bs):
            self._pack()
        return self._flat, self._Wbs

    def packed_velocity(self) -> np.ndarray:
        """The momentum buffer, laid out like ``packed()``'s flat array; ``velocity`` (W, b, W, b, …)
        holds views of it. Zeros at first; a ``velocity`` set by hand is packed anew."""
        v, flat = self.velocity, getattr(self, "_vflat", None)
        if (v is None or flat is None or len(v) != 2 * len(self.Ws)
                or not _views_of(flat, v[::2], v[1::2])):
            if v is None:
                v = [np.zeros_like(p) for pair in zip(self.Ws, self.bs) for p in pair]
            flat, Vbs = _pack(v[::2], v[1::2], self.dtype)
            self._vflat = flat
            self.velocity = [p for V in Vbs for p in (V[:-1], V[-1])]
        return flat

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
    def forward(self, X: np.ndarray) -> Pass:
        """The pass over X: ``Z = A W + b`` per layer, the hidden activation between layers."""
        A = np.asarray(X, dtype=self.dtype)
        As, Zs = [A], []
        f, params, dtype = self._f, self.params, self.dtype
        last = len(self.Ws) - 1
        for i, (W, b) in enumerate(zip(self.Ws, self.bs)):
            Z = A @ W
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

    def backward(self, fp: Pass, dZ: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """(dW, db) for every layer from the per-example output gradient ``dZ`` (m, n_out).

        Same results as ``layers.dense_backward`` layer by layer (the tests check it), computed
        as ``g = dZ/m`` once at the top, then ``dW = Aᵀg``, ``db = Σg``, ``g ← (g Wᵀ) ⊙ f′(Z)``
        in place, with no dX for the input layer.
        """
        m = dZ.shape[0]
        last = len(self.Ws) - 1
        g = np.divide(dZ, m, dtype=self.dtype)
        grads: list[tuple[np.ndarray, np.ndarray]] = [None] * len(self.Ws)  # type: ignore[list-item]
        df, params, As, Zs, Ws = self._df, self.params, fp.As, fp.Zs, self.Ws
        for i in range(last, -1, -1):
            AT = As[i].T
            grads[i] = (AT @ g, np.add.reduce(g, axis=0))
            if i:
                g = g @ Ws[i].T
                g *= df(Zs[i - 1], **params)
        return grads

    def loss_and_grads(self, X: np.ndarray, y: np.ndarray):
        """(LossResult, grads, Pass) of the mean loss on (X, y)."""
        fp = self.forward(X)
        res = self.loss(fp.logits, y)
        return res, self.backward(fp, res.dZ), fp

    def train_step(self, X: np.ndarray, y: np.ndarray, lr: float, momentum: float = 0.0) -> float:
        """One SGD step on the batch (X, y), as ``loss_and_grads`` + ``sgd_step`` would do it, but
        in ``TrainStep``'s reusable buffers (rebuilt when the batch size changes); returns the
        batch loss (before the step)."""
        step = self._step
        if step is None or step.m != X.shape[0]:
            step = self._step = TrainStep(self, X.shape[0])
        return step(X, y, lr, momentum)

    def sgd_step(self, grads: Sequence[tuple[np.ndarray, np.ndarray]], lr: float,
                 momentum: float = 0.0) -> None:
        """In place. With momentum μ (PyTorch's form): v ← μv + g, p ← p − lr·v."""
        params = [p for pair in zip(self.Ws, self.bs) for p in pair]
        flat = [g for pair in grads for g in pair]
        if momentum:
            self.packed_velocity()
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


def _pack(Ws: Sequence[np.ndarray], bs: Sequence[np.ndarray],
          dtype: Any) -> tuple[np.ndarray, list[np.ndarray]]:
    """One flat array holding every layer's ``[W; b]`` (W on top, b as the last row), and those."""
    shapes = [(W.shape[0] + 1, W.shape[1]) for W in Ws]
    flat = np.empty(sum(r * c for r, c in shapes), dtype=dtype)
    Wbs, pos = [], 0
    for (r, c), W, b in zip(shapes, Ws, bs):
        Wb = flat[pos:pos + r * c].reshape(r, c)
        Wb[:-1] = W
        Wb[-1] = b
        Wbs.append(Wb)
        pos += r * c
    return flat, Wbs


def _views_of(flat: np.ndarray, Ws: Sequence[np.ndarray], bs: Sequence[np.ndarray]) -> bool:
    """Whether every ``Ws[i]``/``bs[i]`` is still a view of ``flat`` (nobody replaced one)."""
    return all(p.base is flat for p in Ws) and all(p.base is flat for p in bs)


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
