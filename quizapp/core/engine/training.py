"""The training demo: configs, presets, and ``train``/``compare`` as plain generators.

``train(config)`` builds the data set and an MLP from ``config.seed`` and runs SGD, yielding a
``Metrics`` snapshot at step 0, every ``every`` steps and at the last step. Each snapshot is taken on
the *whole* data set at the current weights: loss, accuracy, per hidden layer the share of inactive
units (z ≤ 0 for every input) and of dead units (f′(z) = 0 for every input — ReLU: the inactive
ones; Leaky ReLU: none), per layer (hidden layers, then the output) the gradient norm
‖(dW, db)‖₂, and optionally a grid of probabilities for drawing the decision boundary.

The generator checks ``stop`` before every step; when it is set it yields one last snapshot (if the
current step has not been reported yet) with ``stopped=True`` and returns. A UI runs it in a thread
worker and posts each snapshot as a message; the CLI just iterates.

``compare(config, activations=[...], inits=[...])`` runs one training per combination with the same
data, the same seed — hence identical initial weight arrays for every activation — and the same
hyper-parameters, interleaved so all runs advance together; it yields ``(run_name, Metrics)``.

BLAS is pinned to one thread (threadpoolctl) while the generators run: the matrices are small, so
threads only add overhead, and a demo should not take every core from the UI.

This module imports NumPy lazily (inside ``train``/``setup``) so the CLI can list ``PRESETS`` in
``--help`` without paying for NumPy.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

from quizapp.core.engine.train_metrics import Boundary, Metrics

if TYPE_CHECKING:
    import numpy as np

    from quizapp.core.engine.datasets import Dataset
    from quizapp.core.engine.mlp import MLP

__all__ = [
    "PRESETS",
    "Boundary",
    "Metrics",
    "Preset",
    "TrainConfig",
    "compare",
    "run_names",
    "setup",
    "train",
]

Stop = threading.Event | Callable[[], bool] | None
DATASET_NAMES = ("moons", "circles", "spiral", "xor", "gauss")
INIT_NAMES = ("he", "xavier", "normal", "bad")


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a run. ``depth`` counts hidden layers, each ``width`` units wide."""

    dataset: str = "moons"
    n_samples: int = 200
    noise: float = 0.1
    classes: int = 3                 # spiral / gauss only; 2 → BCE, > 2 → softmax cross-entropy
    depth: int = 3
    width: int = 16
    activation: str = "relu"
    activation_params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    init: str = "he"                 # he | xavier | normal (σ = init_std) | bad (He, biases = bad_bias)
    init_std: float = 0.1
    bad_bias: float = -1.0
    lr: float = 0.1
    momentum: float = 0.0
    steps: int = 500
    batch_size: int | None = None    # None (or ≥ n_samples) → full batch
    dtype: str = "float64"           # or "float32"
    seed: int = 0                    # data, weights and minibatch order all derive from it
    grid: int = 40                   # decision-boundary resolution (grid × grid)
    optimizer: str = "sgd"           # sgd | adam (torch.optim.Adam; momentum unused)
    batchnorm: bool = False          # BatchNorm1d before each hidden activation (bn_mlp)

    def __post_init__(self) -> None:
        object.__setattr__(self, "activation_params", dict(self.activation_params))
        problems = []
        if self.dataset not in DATASET_NAMES:
            problems.append(f"dataset must be one of {', '.join(DATASET_NAMES)}")
        if self.init not in INIT_NAMES:
            problems.append(f"init must be one of {', '.join(INIT_NAMES)}")
        if self.optimizer not in ("sgd", "adam"):
            problems.append("optimizer must be sgd or adam")
        if not isinstance(self.batchnorm, bool):
            problems.append("batchnorm must be True or False")
        elif self.batchnorm and self.batch_size == 1:  # as PyTorch: no statistics from one row
            problems.append("batchnorm needs batch_size ≥ 2")
        if self.dtype not in ("float64", "float32"):
            problems.append("dtype must be float64 or float32")
        for name, low in (("n_samples", 2), ("depth", 0), ("width", 1), ("steps", 0), ("grid", 2),
                          ("classes", 2)):
            if int(getattr(self, name)) < low:
                problems.append(f"{name} must be ≥ {low}")
        if not (self.lr > 0 and math.isfinite(self.lr)):
            problems.append("lr must be > 0")
        if not 0 <= self.momentum < 1:
            problems.append("momentum must be in [0, 1)")
        if self.noise < 0:
            problems.append("noise must be ≥ 0")
        if self.batch_size is not None and self.batch_size < 1:
            problems.append("batch_size must be ≥ 1 (or None for full batch)")
        if problems:
            raise ValueError("bad training config: " + "; ".join(problems))

    def replace(self, **changes: Any) -> TrainConfig:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_preset(cls, name: str, **overrides: Any) -> TrainConfig:
        """Defaults, then the preset's partial config, then ``overrides``."""
        return cls(**{**preset(name).config, **overrides})


@dataclass(frozen=True)
class Preset:
    """A named partial config plus the runs it is meant to compare."""

    name: str
    summary: str
    config: Mapping[str, Any]
    activations: tuple[str, ...] = ("relu", "leaky_relu")
    inits: tuple[str, ...] = ()


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("dying-relu",
           "circles, 2×64, learning rate 3.0 (too high): ReLU ends with ~1/3 of its units dead "
           "(20 of 20 seeds), Leaky ReLU with none; both still fit the data",
           {"dataset": "circles", "depth": 2, "width": 64, "lr": 3.0, "steps": 300}),
    Preset("deep-narrow",
           "moons, 8 hidden layers of 4 units, momentum 0.9: ReLU often collapses to a constant "
           "(a dead layer), Leaky ReLU keeps a gradient everywhere",
           {"dataset": "moons", "depth": 8, "width": 4, "lr": 0.1, "momentum": 0.9,
            "steps": 500}),
    Preset("he-vs-xavier",
           "ReLU, 10×32 on circles: He init keeps the signal's scale through depth; Xavier "
           "halves its variance at every ReLU layer, so the net starts almost flat",
           {"dataset": "circles", "depth": 10, "width": 32, "lr": 0.05, "steps": 500},
           activations=("relu",), inits=("he", "xavier")),
    Preset("born-dead",
           "moons, 10 hidden layers of 3 units, He weights, zero biases, seed 1: the ReLU net is "
           "dead before the first step (one layer outputs 0 for every input); Leaky ReLU with the "
           "same weights trains",
           {"dataset": "moons", "depth": 10, "width": 3, "lr": 0.1, "momentum": 0.9,
            "steps": 500, "seed": 1}),
    Preset("bad-init",
           "He weights with every hidden bias −1: most ReLU units start inactive and stay dead; "
           "Leaky ReLU's units are inactive too but still learn through the α slope",
           {"dataset": "moons", "depth": 3, "width": 16, "init": "bad", "bad_bias": -1.0,
            "lr": 0.5, "steps": 500}),
)}


def preset(name: str) -> Preset:
    if name not in PRESETS:
        raise KeyError(f"unknown preset {name!r}; known: {', '.join(PRESETS)}")
    return PRESETS[name]


def _stop_fn(stop: Stop) -> Callable[[], bool]:
    if stop is None:
        return lambda: False
    if hasattr(stop, "is_set"):
        return stop.is_set
    return stop


def setup(config: TrainConfig) -> tuple[Dataset, MLP, np.random.Generator]:
    """The data set, the initial network and the minibatch RNG of a run, all from ``config.seed``.

    The weights do not depend on the activation, so runs differing only in activation start from
    identical arrays; He/Xavier/normal scale the same standard-normal draws.
    """
    import numpy as np

    from quizapp.core.engine.datasets import make_dataset
    from quizapp.core.engine.mlp import init_mlp, layer_sizes

    data_ss, weight_ss, batch_ss = np.random.SeedSequence(config.seed).spawn(3)
    data = make_dataset(config.dataset, config.n_samples, config.noise,
                        seed=int(data_ss.generate_state(1)[0]), classes=config.classes)
    n_out = 1 if data.n_classes == 2 else data.n_classes
    sizes = layer_sizes(data.X.shape[1], config.depth, config.width, n_out)
    model = init_mlp(sizes, config.init, np.random.default_rng(weight_ss),
                     activation=config.activation, params=config.activation_params,
                     std=config.init_std, bad_bias=config.bad_bias,
                     dtype=np.dtype(config.dtype))
    if config.batchnorm:
        from quizapp.core.engine.bn_mlp import BatchNormMLP
        model = BatchNormMLP.from_mlp(model)
    return data, model, np.random.default_rng(batch_ss)


def train(config: TrainConfig, *, every: int = 10, want_boundary: bool = False, stop: Stop = None,
          run: str | None = None, pin_threads: bool = True) -> Iterator[Metrics]:
    """Run SGD on ``config``; yield ``Metrics`` at step 0, every ``every`` steps and at the end."""
    import numpy as np

    if int(every) < 1:
        raise ValueError(f"every must be ≥ 1, got {every}")
    every = int(every)
    name = run or config.activation
    should_stop = _stop_fn(stop)
    data, model, rng = setup(config)
    X = data.X.astype(model.dtype)
    y = data.y
    m = len(data)
    batch = m if config.batch_size is None else min(int(config.batch_size), m)
    grid_pts = xs = ys = None
    if want_boundary:
        x0, x1, y0, y1 = data.bounds()
        xs, ys = np.linspace(x0, x1, config.grid), np.linspace(y0, y1, config.grid)
        gx, gy = np.meshgrid(xs, ys)
        grid_pts = np.column_stack([gx.ravel(), gy.ravel()]).astype(model.dtype)

    def snapshot(step: int, **flags: bool) -> Metrics:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return _snapshot(step, **flags)

    def _snapshot(step: int, **flags: bool) -> Metrics:
        fp = model.forward(X)
        res = model.loss(fp.logits, y)
        grads = model.backward(fp, res.dZ)
        stats = model.unit_stats(fp)
        norms = tuple(math.sqrt(sum(float(np.sum(g * g)) for g in layer)) for layer in grads)
        boundary = None
        if grid_pts is not None:  # BatchNorm: normalised with the data set's statistics
            p = model.predict_proba(grid_pts, X) if config.batchnorm else model.predict_proba(grid_pts)
            boundary = Boundary(xs, ys, p.reshape(config.grid, config.grid, *p.shape[1:]))
        diverged = not math.isfinite(res.value)
        if diverged:
            flags["done"] = True
        return Metrics(name, step, res.value, model.accuracy(fp.logits, y), stats.inactive,
                       stats.dead, norms, boundary, diverged=diverged,
                       inactive_counts=stats.inactive_counts, dead_counts=stats.dead_counts, **flags)

    limiter = None
    if pin_threads:
        from threadpoolctl import threadpool_limits
        limiter = threadpool_limits(1)
    # Divergence is reported (Metrics.diverged), not warned about. errstate is entered around each
    # step, never across a yield: it is a context variable and would leak into the consumer.
    quiet = {"over": "ignore", "invalid": "ignore", "divide": "ignore"}
    fast = config.optimizer == "sgd" and not config.batchnorm  # else no TrainStep: optimizers.py
    if not fast:
        from quizapp.core.engine.optimizers import make_optimizer, reference_step
        opt = make_optimizer(config.optimizer, model, config.lr, config.momentum)
    try:
        first = snapshot(0, done=config.steps == 0)
        yield first
        if first.done:
            return
        order, pos = np.arange(m), m
        reported = 0
        for step in range(1, config.steps + 1):
            if should_stop():
                if reported != step - 1:
                    yield snapshot(step - 1, stopped=True, done=True)
                return
            if batch >= m:
                Xb, yb = X, y
            else:
                if pos + batch > m:
                    order, pos = rng.permutation(m), 0
                idx = order[pos:pos + batch]
                pos += batch
                Xb, yb = X.take(idx, axis=0), y.take(idx)  # take: ~7× faster than X[idx] here
            with np.errstate(**quiet):
                if fast:
                    loss = model.train_step(Xb, yb, config.lr, config.momentum)
                else:
                    loss = reference_step(model, opt, Xb, yb)
            if not math.isfinite(loss) or step % every == 0 or step == config.steps:
                snap = snapshot(step, done=step == config.steps)
                reported = step
                yield snap
                if snap.done:
                    return
    finally:
        if limiter is not None:
            limiter.restore_original_limits()


def _label(name: str, params: Mapping[str, Any]) -> str:
    if not params:
        return name
    return f"{name}(" + ", ".join(f"{k}={v}" for k, v in params.items()) + ")"


def run_names(config: TrainConfig, activations: Sequence[str] | None = None,
              inits: Sequence[str] | None = None) -> list[tuple[str, TrainConfig]]:
    """(name, config) for every activation × init combination ``compare`` would run.

    ``activation_params`` from ``config`` go to each activation that accepts them (``alpha`` reaches
    Leaky ReLU and ELU, not ReLU); a parameter no activation accepts is an error.
    """
    from quizapp.core.engine.activations import get

    acts = [get(a).name for a in (activations or [config.activation])]
    its = list(inits or [config.init])
    params = dict(config.activation_params)
    used: set[str] = set()
    runs, seen = [], {}
    for act, it in itertools.product(acts, its):
        accepted = {k: v for k, v in params.items() if k in get(act).defaults}
        used |= set(accepted)
        parts = []
        if len(acts) > 1 or len(its) == 1:
            parts.append(_label(act, accepted))
        if len(its) > 1:
            parts.append(it)
        name = "/".join(parts)
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name}#{seen[name]}"
        runs.append((name, config.replace(activation=act, init=it, activation_params=accepted)))
    unused = set(params) - used
    if unused:
        raise TypeError(f"activation parameter(s) {', '.join(sorted(unused))} accepted by none of "
                        f"{', '.join(acts)}")
    return runs


def compare(config: TrainConfig, activations: Sequence[str] | None = None,
            inits: Sequence[str] | None = None, *, every: int = 10, want_boundary: bool = False,
            stop: Stop = None) -> Iterator[tuple[str, Metrics]]:
    """Train every activation × init on the same data and seed; yield ``(run_name, Metrics)``.

    Runs are interleaved snapshot by snapshot (run A step k, run B step k, …), so a consumer can
    draw all curves together; each run checks ``stop`` before every step.
    """
    runs = run_names(config, activations, inits)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        gens = [(name, train(cfg, every=every, want_boundary=want_boundary, stop=stop, run=name,
                             pin_threads=False)) for name, cfg in runs]
        try:
            while gens:
                for item in list(gens):
                    name, gen = item
                    snap = next(gen, None)
                    if snap is None:
                        gens.remove(item)
                        continue
                    yield name, snap
        finally:
            for _name, gen in gens:
                gen.close()
