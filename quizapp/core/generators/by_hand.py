"""Difficulty follows the work, not the size of the matrix: which activation a question draws, and
what an easy question gives so that it can be done on paper.

* **Drawn activations.** Without an activation a question draws one for its difficulty: easy draws
  ReLU, Leaky ReLU, sigmoid and tanh (for a two-layer network only ReLU and Leaky ReLU: there is no
  room to give every σ), medium any but identity, hard the ones with the most steps (ELU, SELU,
  GELU, SiLU, softplus, sigmoid, tanh) — never ReLU or identity, whose "hard" answer is the input
  copied with some entries zeroed. Identity is never drawn: f(z) = z has nothing to compute.
* **Identity asked for** keeps easy's size at every difficulty (a bigger matrix is not more work).
* **Easy gives the special values.** At easy an activation question states the values of the
  special functions its work needs at the inputs — e⁻ᶻ, σ(z), tanh(z), Φ(z), φ(z), eᶻ, u and
  tanh(u) — to 4 significant digits (never the answer itself), so what is left is arithmetic on
  paper: "GELU at z = −3" needs no erf.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from quizapp.core.engine import activations as A
from quizapp.core.generators.explain import part_values, step_parts
from quizapp.core.generators.format import arr

__all__ = ["POOLS", "drawn_pool", "given_values", "same_size_at_every_difficulty"]

POOLS = {
    "easy": ("relu", "leaky_relu", "sigmoid", "tanh"),
    "medium": ("relu", "leaky_relu", "elu", "selu", "gelu", "silu", "softplus", "sigmoid", "tanh"),
    "hard": ("elu", "selu", "gelu", "silu", "softplus", "sigmoid", "tanh"),
}
_NO_GIVENS_EASY = ("relu", "leaky_relu")  # families that do not state special values (two_layer)
_GIVING_FAMILIES = frozenset({"activation_value", "activation_derivative", "backprop_activation"})
_NOT_SPECIAL = frozenset({"1 if z > 0 else 0", "β·z"})  # comparisons and products: paper work


def drawn_pool(family: str, difficulty: str, *, at_kink: bool = False) -> list[str]:
    """The activations a question of ``family`` at ``difficulty`` draws from (registry order)."""
    names = POOLS[difficulty]
    if difficulty == "easy" and family not in _GIVING_FAMILIES:
        names = _NO_GIVENS_EASY
    if at_kink:
        kinked = [n for n in names if A.get(n).kinks]
        names = kinked or [n for n in A.names(elementwise_only=True) if A.get(n).kinks]
    return [n for n in A.names(elementwise_only=True) if n in names]


def same_size_at_every_difficulty(act: A.Activation | None) -> bool:
    """Identity: a harder question would only be a bigger copy."""
    return act is not None and act.name == "identity"


def given_values(act: A.Activation, params: dict[str, Any], z: np.ndarray, *,
                 derivative: bool) -> str:
    """The prompt's sentence giving the special values an easy question needs ("" if none)."""
    parts = [p for p in step_parts(act, params, z, derivative=derivative) if p[1] not in _NOT_SPECIAL]
    if act.name == "tanh" and not derivative:
        parts = [("", "e^(−2·z)", True)]  # tanh(z) = (1 − e^(−2z))/(1 + e^(−2z))
    if act.name == "softplus":  # f′ = σ(βz) itself: give e^(−βz); f is a logarithm: give nothing
        if not derivative:
            return ""
        parts = [("", "e^(−β·z)", True)]
    if not parts:
        return ""
    shown = [f"{label} ≈ {arr(value)}" for label, value in part_values(act, params, z, parts)]
    return f" To work it on paper, use {' and '.join(shown)} (4 significant digits)."
