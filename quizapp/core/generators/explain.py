"""Worked-solution lines for an activation: its formula, conventions and intermediate values.

``forward_steps``/``derivative_steps`` show the quantities a person computes on the way (σ(z),
eᶻ, Φ(z), …) and end with the engine's own ``forward``/``derivative`` result, so the last number
in a solution is always the answer the grader uses.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from quizapp.core.engine import activations as A
from quizapp.core.generators.format import arr, num

__all__ = ["activation_conventions", "derivative_steps", "describe", "forward_steps"]

Steps = list[tuple[str, np.ndarray]]
_GELU_K = math.sqrt(2.0 / math.pi)


def describe(act: A.Activation, params: dict[str, Any]) -> str:
    """"Leaky ReLU (α = 0.1)" — the name with any non-trivial parameter."""
    shown = {k: v for k, v in params.items() if k != "threshold"}
    if not shown:
        return act.display
    sym = {"alpha": "α", "beta": "β"}
    parts = [f"{sym.get(k, k)} = {num(v) if isinstance(v, float) else v}" for k, v in shown.items()]
    return f"{act.display} ({', '.join(parts)})"


def activation_conventions(act: A.Activation, params: dict[str, Any]) -> list[str]:
    """What a question using ``act`` must state: formula, derivative, parameters, kink rule."""
    out = [f"{act.display}: f(z) = {act.formula}; f′(z) = {act.derivative_formula}",
           "f is applied elementwise (same shape in and out)."]
    if act.name == "gelu" and params.get("approximate") == "tanh":
        out.append("GELU, tanh approximation (PyTorch approximate='tanh'): "
                   "f(z) = ½z(1 + tanh(√(2/π)(z + 0.044715z³))).")
    elif act.name == "gelu":
        out.append("GELU, exact form (PyTorch approximate='none'): Φ is the standard normal CDF.")
    if "alpha" in params:
        out.append(f"α = {num(params['alpha'])}.")
    if act.name == "softplus":
        out.append(f"β = {num(params['beta'])} "
                   f"(PyTorch returns z where βz > {num(params['threshold'])}).")
    if act.name == "selu":
        out.append(f"SELU constants (PyTorch): λ = {A.SELU_SCALE:.4f}, α = {A.SELU_ALPHA:.4f}.")
    if act.kink_convention:
        out.append(f"At the kink: {act.kink_convention}.")
    return out


def _mask(z: np.ndarray) -> np.ndarray:
    return (z > 0).astype(np.float64)


def _fwd_parts(name: str, z: np.ndarray, p: dict[str, Any]) -> Steps:
    neg = np.minimum(z, 0.0)
    if name in ("relu", "leaky_relu"):
        return [("1[z > 0]", _mask(z))]
    if name in ("elu", "selu"):
        exp_line = [("e^(min(z, 0))", np.exp(neg))] if np.any(z <= 0) else []
        return [("1[z > 0]", _mask(z))] + exp_line
    if name == "gelu" and p["approximate"] == "tanh":
        u = _GELU_K * (z + 0.044715 * z**3)
        return [("u = √(2/π)(z + 0.044715z³)", u), ("tanh(u)", np.tanh(u))]
    if name == "gelu":
        return [("Φ(z) = ½(1 + erf(z/√2))", 0.5 * (1.0 + A.erf(z / math.sqrt(2.0))))]
    if name == "silu":
        return [("σ(z)", A.sigmoid(z))]
    if name == "softplus":
        return [("βz", p["beta"] * z), ("e^(βz)", np.exp(p["beta"] * z))]
    if name == "sigmoid":
        return [("e^(−z)", np.exp(-z))]
    return []


def _deriv_parts(name: str, z: np.ndarray, p: dict[str, Any]) -> Steps:
    if name in ("relu", "leaky_relu", "elu", "selu"):
        return _fwd_parts(name, z, p)
    if name == "gelu" and p["approximate"] == "tanh":
        return _fwd_parts(name, z, p)
    if name == "gelu":
        phi = np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
        return _fwd_parts(name, z, p) + [("φ(z) = e^(−z²/2)/√(2π)", phi)]
    if name == "silu":
        return [("σ(z)", A.sigmoid(z))]
    if name == "softplus":
        return [("βz", p["beta"] * z), ("σ(βz)", A.sigmoid(p["beta"] * z))]
    if name == "sigmoid":
        return [("σ(z)", A.sigmoid(z))]
    if name == "tanh":
        return [("tanh(z)", np.tanh(z))]
    return []


def _lines(parts: Steps, label: str, result: np.ndarray) -> list[str]:
    return [f"{name} = {arr(v)}" for name, v in parts] + [f"{label} = {arr(result)}"]


def forward_steps(act: A.Activation, z: Any, params: dict[str, Any]) -> list[str]:
    """Formula, intermediates, then ``a = f(z)`` from the engine."""
    z = np.asarray(z, dtype=np.float64)
    head = f"{describe(act, params)}: f(z) = {act.formula}, applied to each entry."
    return [head] + _lines(_fwd_parts(act.name, z, params), "a = f(z)", act.forward(z, **params))


def derivative_steps(act: A.Activation, z: Any, params: dict[str, Any],
                     label: str = "f′(z)") -> list[str]:
    """Derivative formula, intermediates, then ``f′(z)`` from the engine."""
    z = np.asarray(z, dtype=np.float64)
    head = f"{describe(act, params)}: f′(z) = {act.derivative_formula}, entry by entry."
    result = act.derivative(z, **params)
    return [head] + _lines(_deriv_parts(act.name, z, params), label, result)

