"""A family's own parameters (``params`` of ``generate``): drawn from the seed, or given and checked.

Every helper draws its value first and only then applies the caller's, so giving a parameter never
changes the numbers the rest of the question draws. Bad values raise ValueError naming what is
allowed (``quizapp check`` shows it for a skill card, ``quizapp questions`` prints it).
"""

from __future__ import annotations

import math
from typing import Any

from quizapp.core.generators.base import Context

__all__ = ["bool_option", "choice_option", "number_option"]


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
