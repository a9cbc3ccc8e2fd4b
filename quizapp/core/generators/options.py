"""A family's own parameters (``params`` of ``generate``): drawn from the seed, or given and checked.

Every helper draws its value first and only then applies the caller's, so giving a parameter never
changes the numbers the rest of the question draws. Bad values raise ValueError naming what is
allowed (``quizapp check`` shows it for a skill card, ``quizapp questions`` prints it).

Two styles: ``number_option``/``bool_option``/``choice_option`` draw the value from a list of choices
themselves; ``int_option``/``float_option``/``given_bool`` take a value the family drew already. The
CLI reads every number as a float and ``true``/``false`` as booleans, so an integer option accepts 2.0
and a boolean option accepts only a real boolean.
"""

from __future__ import annotations

import math
from typing import Any

from quizapp.core.generators.base import Context

__all__ = [
    "bool_option", "choice_option", "float_option", "given_bool", "int_option", "number_option",
]


def _drawn(ctx: Context, choices: tuple | list, by_difficulty: dict) -> Any:
    return ctx.pick(choices, **by_difficulty)


def number_option(ctx: Context, key: str, choices: tuple | list, *, low: float, high: float,
                  high_open: bool = False, none_ok: bool = False, **by_difficulty: Any) -> Any:
    """A number in [low, high] (or [low, high) with ``high_open``); ``none_ok`` allows None."""
    value = _drawn(ctx, choices, by_difficulty)
    if key not in ctx.options:
        return value
    given = ctx.options[key]
    if given is None and none_ok:
        return None
    if isinstance(given, bool) or not isinstance(given, int | float) or not math.isfinite(given):
        raise ValueError(f"{key} must be a number, got {given!r}")
    top_ok = given < high if high_open else given <= high
    if not (low <= given and top_ok):
        bracket = ")" if high_open else "]"
        raise ValueError(f"{key} must be in [{low:g}, {high:g}{bracket}, got {given:g}")
    return float(given)


def bool_option(ctx: Context, key: str, choices: tuple | list = (False, True),
                **by_difficulty: Any) -> bool:
    value = bool(_drawn(ctx, choices, by_difficulty))
    if key not in ctx.options:
        return value
    given = ctx.options[key]
    if not isinstance(given, bool):
        raise ValueError(f"{key} must be true or false, got {given!r}")
    return given


def choice_option(ctx: Context, key: str, allowed: tuple[str, ...], default: str) -> str:
    if key not in ctx.options:
        return default
    given = str(ctx.options[key]).strip().lower()
    if given not in allowed:
        raise ValueError(f"{key} must be one of {', '.join(allowed)}, got {ctx.options[key]!r}")
    return given


def int_option(ctx: Context, name: str, drawn: int, *, low: int = 0, high: int = 16) -> int:
    """``ctx.options[name]`` as an integer in [low, high], else the drawn value."""
    value = ctx.options.get(name)
    if value is None:
        return drawn
    ok = (not isinstance(value, bool) and isinstance(value, int | float)
          and math.isfinite(value) and float(value).is_integer() and low <= value <= high)
    if not ok:
        raise ValueError(f"{name} must be an integer from {low} to {high}, got {value!r}")
    return int(value)


def float_option(ctx: Context, name: str, drawn: float, *, low: float = 0.0,
                 high: float = math.inf, low_open: bool = False) -> float:
    """``ctx.options[name]`` as a float in [low, high] ((low, high] with ``low_open``)."""
    value = ctx.options.get(name)
    if value is None:
        return drawn
    ok = (not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)
          and (value > low if low_open else value >= low) and value <= high)
    if not ok:
        side = ">" if low_open else "≥"
        top = "" if high == math.inf else f" and ≤ {high:g}"
        raise ValueError(f"{name} must be a number {side} {low:g}{top}, got {value!r}")
    return float(value)


def given_bool(ctx: Context, name: str, drawn: bool) -> bool:
    """``ctx.options[name]`` as a boolean (true/false), else the drawn value."""
    value = ctx.options.get(name)
    if value is None:
        return drawn
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false, got {value!r}")
    return value
