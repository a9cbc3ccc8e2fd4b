"""Families on one elementwise activation: its value, its derivative, and backprop through it.

At easy the prompt gives the special values the work needs (e⁻ᶻ, σ(z), Φ(z), …; see by_hand);
identity keeps easy's size at every difficulty.

Inputs avoid kinks by at least 0.1; ``params={"at_kink": True}`` (derivative families only) puts
one entry exactly on the kink and the prompt then states the convention that decides it.
"""

from __future__ import annotations

import numpy as np

from quizapp.core.generators.base import Context, Draft, register
from quizapp.core.generators.by_hand import given_values, same_size_at_every_difficulty
from quizapp.core.generators.explain import (
    activation_conventions, derivative_steps, describe, forward_steps,
)
from quizapp.core.generators.format import arr, exact, shape_text
from quizapp.core.generators.sampling import values

__all__ = ["activation_derivative", "activation_value", "backprop_activation", "draw_z"]


def _shape(ctx: Context) -> tuple[int, ...]:
    if ctx.easy or same_size_at_every_difficulty(ctx.act):
        return (int(ctx.rng.integers(1, 4)),)
    if ctx.difficulty == "medium":
        return (int(ctx.rng.integers(2, 5)),)
    return ctx.pick([(2, 2), (2, 3), (3, 2), (3, 3)])


def draw_z(ctx: Context, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """Pre-activations for ``ctx.act``, away from its kinks (or with one on it if asked)."""
    z = values(ctx.rng, shape or _shape(ctx), ctx.difficulty, avoid=ctx.act.kinks)
    if ctx.options.get("at_kink"):
        if not ctx.act.kinks:
            raise ValueError(f"{ctx.act.name} has no kink; at_kink needs relu, leaky_relu, elu or selu")
        z.reshape(-1)[int(ctx.rng.integers(z.size))] = ctx.act.kinks[0]
    return z


def _entries(z: np.ndarray) -> str:
    n = z.size
    return f"{n} entr{'y' if n == 1 else 'ies'}" if z.ndim == 1 else f"shape {shape_text(z)}"


def _convention_note(ctx: Context, z: np.ndarray) -> str:
    act = ctx.act
    if act.kink_convention and np.any(act.at_kink(z)):
        return f" One entry sits exactly on the kink: use {act.kink_convention}."
    if act.kink_convention:
        return f" (Convention: {act.kink_convention}; no entry is at the kink.)"
    return ""


def _givens(ctx: Context, z: np.ndarray, *, derivative: bool) -> str:
    """At easy: the special values the work needs (see by_hand), so it can be done on paper."""
    return given_values(ctx.act, ctx.act_params, z, derivative=derivative) if ctx.easy else ""


def _kink_param(ctx: Context) -> dict:
    return {"at_kink": True} if ctx.options.get("at_kink") else {}


def _conventions(ctx: Context) -> list[str]:
    return activation_conventions(ctx.act, ctx.act_params)


@register("activation_value", "Activation value", ("a",), uses_activation=True)
def activation_value(ctx: Context) -> Draft:
    act, p = ctx.act, ctx.act_params
    z = draw_z(ctx)
    a = act.forward(z, **p)
    prompt = (f"{describe(act, p)} is applied elementwise to z = {exact(z)} ({_entries(z)}). "
              f"Compute a = f(z), same shape as z. f(z) = {act.formulas(**p).f_text}."
              + _givens(ctx, z, derivative=False))
    return Draft({"z": z}, {"a": a}, prompt, forward_steps(act, z, p), _conventions(ctx))


@register("activation_derivative", "Activation derivative", ("dadz",), uses_activation=True,
          options=("at_kink",))
def activation_derivative(ctx: Context) -> Draft:
    act, p = ctx.act, ctx.act_params
    z = draw_z(ctx)
    d = act.derivative(z, **p)
    prompt = (f"For {describe(act, p)} applied elementwise to z = {exact(z)} ({_entries(z)}), "
              f"f(z) = {act.formulas(**p).f_text}, "
              f"compute dadz = f′(z) = ∂a/∂z entry by entry, same shape as z."
              + _convention_note(ctx, z) + _givens(ctx, z, derivative=True))
    steps = derivative_steps(act, z, p, label="dadz = f′(z)")
    return Draft({"z": z}, {"dadz": d}, prompt, steps, _conventions(ctx), _kink_param(ctx))


@register("backprop_activation", "Backprop through an activation", ("dz",), uses_activation=True,
          options=("at_kink",))
def backprop_activation(ctx: Context) -> Draft:
    act, p = ctx.act, ctx.act_params
    z = draw_z(ctx)
    da = values(ctx.rng, z.shape, ctx.difficulty)
    dz = act.vjp(z, da, **p)
    prompt = (f"a = f(z) with {describe(act, p)} applied elementwise; z = {exact(z)} and the "
              f"upstream gradient da = ∂L/∂a = {exact(da)} ({_entries(z)} each); "
              f"f(z) = {act.formulas(**p).f_text}. "
              f"Compute dz = ∂L/∂z = da ⊙ f′(z), same shape as z." + _convention_note(ctx, z)
              + _givens(ctx, z, derivative=True))
    steps = derivative_steps(act, z, p)
    steps.append(f"dz = da ⊙ f′(z) = {arr(da)} ⊙ {arr(act.derivative(z, **p))} = {arr(dz)}")
    conventions = _conventions(ctx) + [
        "da = ∂L/∂a is the upstream gradient; dz = ∂L/∂z = da ⊙ f′(z) (⊙: elementwise product)."]
    return Draft({"z": z, "da": da}, {"dz": dz}, prompt, steps, conventions, _kink_param(ctx))
