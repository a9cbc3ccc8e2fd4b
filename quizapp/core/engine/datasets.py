"""Small 2-D classification data sets for the training demo, NumPy only, seeded.

Every generator takes ``(n, noise, rng)`` (and ``classes`` where it makes sense) and returns a
``Dataset``: ``X`` of shape (n, 2) float64 and integer labels ``y`` of shape (n,). Points are roughly
inside [−1.5, 1.5]², so one decision-boundary box fits every set. ``make_dataset`` is the seeded
entry point the trainer uses; the same (name, n, noise, seed) always gives the same arrays.

=========  =======================================================  =========
name       what                                                     classes
=========  =======================================================  =========
moons      two interleaving half circles (as scikit-learn's)        2
circles    a disc inside a ring (inner radius 0.5 × outer)          2
spiral     ``classes`` interleaved spiral arms                      k ≥ 2
xor        uniform square, label = sign(x₁·x₂); noise jitters x     2
gauss      ``classes`` Gaussian blobs on a circle (2: at ±(1, 1))   k ≥ 2
=========  =======================================================  =========

``noise`` is the standard deviation of Gaussian jitter added to the points (spiral: to the angle,
scaled by the radius, so arms stay separated at the centre; gauss: the blobs' spread).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["DATASETS", "Dataset", "make_dataset"]


@dataclass(frozen=True, eq=False)
class Dataset:
    name: str
    X: np.ndarray          # (n, 2) float64
    y: np.ndarray          # (n,) int64 class labels 0..n_classes-1
    n_classes: int

    def __len__(self) -> int:
        return int(self.X.shape[0])

    def bounds(self, margin: float = 0.1) -> tuple[float, float, float, float]:
        """(x_min, x_max, y_min, y_max) of the points, widened by ``margin`` × the larger side."""
        lo = self.X.min(axis=0)
        hi = self.X.max(axis=0)
        pad = margin * float(max(hi - lo))
        return (float(lo[0] - pad), float(hi[0] + pad), float(lo[1] - pad), float(hi[1] + pad))


def _split(n: int, k: int) -> np.ndarray:
    """Class sizes for n points over k classes, as equal as possible (first classes get the extra)."""
    return np.array([n // k + (1 if i < n % k else 0) for i in range(k)])


def _jitter(X: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    return X + rng.normal(0.0, noise, size=X.shape) if noise > 0 else X


def moons(n: int, noise: float, rng: np.random.Generator, classes: int = 2) -> tuple:
    n_out, n_in = _split(n, 2)
    t_out = np.linspace(0.0, math.pi, n_out)
    t_in = np.linspace(0.0, math.pi, n_in)
    outer = np.column_stack([np.cos(t_out), np.sin(t_out)])
    inner = np.column_stack([1.0 - np.cos(t_in), 0.5 - np.sin(t_in)])
    X = np.vstack([outer, inner]) - np.array([0.5, 0.25])  # centre the pair on the origin
    y = np.repeat([0, 1], [n_out, n_in])
    return _jitter(X, noise, rng), y, 2


def circles(n: int, noise: float, rng: np.random.Generator, classes: int = 2) -> tuple:
    n_out, n_in = _split(n, 2)
    t_out = np.linspace(0.0, 2 * math.pi, n_out, endpoint=False)
    t_in = np.linspace(0.0, 2 * math.pi, n_in, endpoint=False)
    outer = np.column_stack([np.cos(t_out), np.sin(t_out)])
    inner = 0.5 * np.column_stack([np.cos(t_in), np.sin(t_in)])
    y = np.repeat([0, 1], [n_out, n_in])
    return _jitter(np.vstack([outer, inner]), noise, rng), y, 2


def spiral(n: int, noise: float, rng: np.random.Generator, classes: int = 3) -> tuple:
    k = max(2, int(classes))
    parts, labels = [], []
    for c, size in enumerate(_split(n, k)):
        r = np.linspace(0.05, 1.0, size)
        theta = c * 2 * math.pi / k + 4.0 * r + rng.normal(0.0, noise, size)
        parts.append(np.column_stack([r * np.sin(theta), r * np.cos(theta)]))
        labels.append(np.full(size, c))
    return np.vstack(parts), np.concatenate(labels), k


def xor(n: int, noise: float, rng: np.random.Generator, classes: int = 2) -> tuple:
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    X += np.sign(X) * 0.05  # a small gap around the axes so labels are learnable
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    return _jitter(X, noise, rng), y, 2


def gauss(n: int, noise: float, rng: np.random.Generator, classes: int = 2) -> tuple:
    k = max(2, int(classes))
    angles = math.pi / 4 + 2 * math.pi * np.arange(k) / k
    centres = math.sqrt(2.0) * np.column_stack([np.cos(angles), np.sin(angles)])
    sizes = _split(n, k)
    y = np.repeat(np.arange(k), sizes)
    spread = max(float(noise), 1e-3)
    return centres[y] + rng.normal(0.0, spread, size=(n, 2)), y, k


DATASETS: dict[str, Callable[..., tuple]] = {
    "moons": moons, "circles": circles, "spiral": spiral, "xor": xor, "gauss": gauss,
}


def make_dataset(name: str, n: int = 200, noise: float = 0.1, seed: int = 0,
                 classes: int = 3) -> Dataset:
    """The named data set with ``n`` points; ``classes`` is used by spiral and gauss only."""
    key = name.strip().lower()
    if key not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}")
    if int(n) < 2:
        raise ValueError(f"a dataset needs at least 2 points, got n={n}")
    if noise < 0:
        raise ValueError(f"noise must be ≥ 0, got {noise}")
    rng = np.random.default_rng(seed)
    X, y, k = DATASETS[key](int(n), float(noise), rng, classes=classes)
    X = np.ascontiguousarray(X, dtype=np.float64)
    return Dataset(key, X, np.asarray(y, dtype=np.int64), int(k))
