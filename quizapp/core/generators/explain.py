"""Worked-solution lines for an activation: its formula, conventions and intermediate values.

Every formula shown comes from the registry (``Activation.formulas``, the variant the question
computes). ``forward_steps``/``derivative_steps`` show the quantities a person computes on the way
(σ(z), eᶻ, Φ(z), u, …): each is a formula-language text evaluated by the formula evaluator, so the
number on a line is the value of the text on that line. They end with the engine's own
``forward``/``derivative`` result, so the last number in a solution is the answer the grader uses.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from quizapp.core.engine import activations as A
from quizapp.core.engine.formula_text import FormulaText
from quizapp.core.formula.language import Expr, evaluate, parse
from quizapp.core.generators.format import arr, num

__all__ = ["activation_conventions", "derivative_steps", "describe", "forward_steps", "part_values",
           "step_parts"]

# An intermediate: (name, formula-language text, whether the line shows the text after the name).
Part = tuple[str, str, bool]
_POSITIVE: Part = ("1[z > 0]", "1 if z > 0 else 0", False)
_EXP_NEG: Part = ("", "e^(min(z, 0))", True)
_PHI: Part = ("Φ(z)", "½·(1 + erf(z/√2))", True)
_PDF: Part = ("φ(z)", "e^(−z²/2)/√(2·π)", True)


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
    shown = act.formulas(**params)
    out = [f"{act.display}: f(z) = {shown.f_text}; f′(z) = {shown.df_text}",
           "f is applied elementwise (same shape in and out)."]
    if shown.label:
        out.append(f"{act.display}, {shown.label}.")
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


def step_parts(act: A.Activation, params: dict[str, Any], z: np.ndarray, *,
               derivative: bool) -> list[Part]:
    """The intermediates a worked solution shows for ``act`` with ``params`` at ``z``."""
    name, shown = act.name, act.formulas(**params)
    where: list[Part] = [(n, text, True) for n, text in shown.where]
    if name in ("relu", "leaky_relu"):
        return [_POSITIVE]
    if name in ("elu", "selu"):
        return [_POSITIVE] + ([_EXP_NEG] if np.any(z <= 0) else [])
    if name == "gelu" and where:
        return where + [("", "tanh(u)", True)]
    if name == "gelu":
        return [_PHI, _PDF] if derivative else [_PHI]
    if name == "silu":
        return [("", "σ(z)", True)]
    if name == "softplus":
        return [("", "β·z", True), ("", "σ(β·z)" if derivative else "e^(β·z)", True)]
    if name == "sigmoid":
        return [("", "σ(z)" if derivative else "e⁻ᶻ", True)]
    if name == "tanh" and derivative:
        return [("", "tanh(z)", True)]
    return []


@cache
def _parsed(text: str) -> Expr:
    return parse(text)


def _evaluated(parts: list[Part], shown: FormulaText, z: np.ndarray) -> list[np.ndarray]:
    env: dict[str, Any] = {**shown.constants, "z": z}
    for n, text in shown.where:
        env[n] = evaluate(_parsed(text), env)
    return [evaluate(_parsed(text), env) for _name, text, _show in parts]


def _lines(parts: list[Part], shown: FormulaText, z: np.ndarray, label: str,
           result: np.ndarray) -> list[str]:
    out = []
    for (name, text, show_text), value in zip(parts, _evaluated(parts, shown, z), strict=True):
        head = (f"{name} = {text}" if show_text else name) if name else text
        out.append(f"{head} = {arr(value)}")
    return out + [f"{label} = {arr(result)}"]


def part_values(act: A.Activation, params: dict[str, Any], z: Any,
                parts: list[Part]) -> list[tuple[str, np.ndarray]]:
    """(label, value at ``z``) of each intermediate: what an easy question gives."""
    z = np.asarray(z, dtype=np.float64)
    values = _evaluated(parts, act.formulas(**params), z)
    return [(name or text, value) for (name, text, _show), value in zip(parts, values, strict=True)]


def forward_steps(act: A.Activation, z: Any, params: dict[str, Any]) -> list[str]:
    """Formula, intermediates, then ``a = f(z)`` from the engine."""
    z = np.asarray(z, dtype=np.float64)
    shown = act.formulas(**params)
    head = f"{describe(act, params)}: f(z) = {shown.f_text}, applied to each entry."
    parts = step_parts(act, params, z, derivative=False)
    return [head] + _lines(parts, shown, z, "a = f(z)", act.forward(z, **params))


def derivative_steps(act: A.Activation, z: Any, params: dict[str, Any],
                     label: str = "f′(z)") -> list[str]:
    """Derivative formula, intermediates, then ``f′(z)`` from the engine."""
    z = np.asarray(z, dtype=np.float64)
    shown = act.formulas(**params)
    head = f"{describe(act, params)}: f′(z) = {shown.df_text}, entry by entry."
    parts = step_parts(act, params, z, derivative=True)
    return [head] + _lines(parts, shown, z, label, act.derivative(z, **params))
