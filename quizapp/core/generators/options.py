"""Family options (``params`` of ``generate``, ``--param`` of the CLI, ``params`` of a skill card),
read and checked: a bad value is a ValueError naming the option and what it accepts.

The CLI reads every number as a float and ``true``/``false`` as booleans, so an integer option
accepts 2.0 and a boolean option accepts only a real boolean.
"""

from __future__ import annotations

import math
from typing import Any

from quizapp.core.generators.base import Context

__all__ = ["bool_option", "float_option", "int_option"]


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


def bool_option(ctx: Context, name: str, drawn: bool) -> bool:
    """``ctx.options[name]`` as a boolean (true/false), else the drawn value."""
    value = ctx.options.get(name)
    if value is None:
        return drawn
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false, got {value!r}")
    return value
