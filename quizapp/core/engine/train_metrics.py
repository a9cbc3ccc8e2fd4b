"""What ``training.train`` yields: ``Metrics`` snapshots and the decision-boundary ``Boundary``.

Kept apart from ``training`` (which re-exports both) so that module stays about running.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["Boundary", "Metrics"]


@dataclass(frozen=True, eq=False)
class Boundary:
    """Model probabilities on a grid over the data's bounding box.

    ``probs[j, i]`` is at (``xs[i]``, ``ys[j]``): P(class 1) for binary models, else the class
    probabilities ``probs[j, i, c]``.
    """

    xs: Any
    ys: Any
    probs: Any

    def to_json(self) -> dict[str, Any]:
        return {"x": [float(v) for v in self.xs], "y": [float(v) for v in self.ys],
                "probs": self.probs.round(4).tolist()}


def _num(v: float) -> float | None:
    return float(v) if math.isfinite(v) else None


@dataclass(frozen=True)
class Metrics:
    """One snapshot of a run. Per-layer tuples: ``inactive``/``dead`` one entry per hidden layer
    (fractions 0..1); ``grad_norm`` one per layer, hidden layers then the output layer."""

    run: str
    step: int
    loss: float
    accuracy: float
    inactive: tuple[float, ...]
    dead: tuple[float, ...]
    grad_norm: tuple[float, ...]
    boundary: Boundary | None = None
    stopped: bool = False            # ended early by the stop flag
    done: bool = False               # the last snapshot of this run
    diverged: bool = False           # loss became inf/nan; the run ends there
    inactive_counts: tuple[int, ...] = ()  # the same per hidden layer, as numbers of units
    dead_counts: tuple[int, ...] = ()

    @property
    def dead_share(self) -> float:
        """Fraction of all hidden units that are dead (layers are equally wide)."""
        return sum(self.dead) / len(self.dead) if self.dead else 0.0

    @property
    def inactive_share(self) -> float:
        return sum(self.inactive) / len(self.inactive) if self.inactive else 0.0

    def to_json(self) -> dict[str, Any]:
        out = {"run": self.run, "step": self.step, "loss": _num(self.loss),
               "accuracy": self.accuracy, "inactive": list(self.inactive), "dead": list(self.dead),
               "grad_norm": [_num(g) for g in self.grad_norm], "stopped": self.stopped,
               "done": self.done, "diverged": self.diverged,
               "inactive_units": list(self.inactive_counts), "dead_units": list(self.dead_counts)}
        if self.boundary is not None:
            out["boundary"] = self.boundary.to_json()
        return out
