"""The variables of a formula comparison: how many there may be, and what makes a range usable.

Every way a range enters — a drill's ``vars = { z = [lo, hi] }``, ``check-answer --var z=LO:HI``, a
:class:`~quizapp.core.formula.drills.Drill` built in code — goes through :func:`range_problem`, so a range
that would overflow the sampler (``[-1e308, 1e308]``: hi − lo is infinite) is refused with a
message instead of raising ``OverflowError`` somewhere inside NumPy. No NumPy here: the CLI checks
its arguments before importing the formula machinery.
"""

from __future__ import annotations

import math

__all__ = ["MAX_VARS", "range_problem", "too_many_vars"]

# Sample points grow with the number of variables (each gets its own fixed points, at which every
# other variable needs a value), so the count is capped. Real drills use one to three.
MAX_VARS = 16


def range_problem(name: str, lo: float, hi: float) -> str | None:
    """Why ``[lo, hi]`` cannot be sampled as the range of ``name``, or None when it can:
    both ends finite numbers, lo < hi, and hi − lo a finite number too."""
    try:
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError, OverflowError):
        return f"range of {name!r} must be two numbers [lo, hi], got [{lo!r}, {hi!r}]"
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return f"range of {name!r} must be finite, got [{lo:g}, {hi:g}]"
    if not lo < hi:
        return f"range of {name!r} must have lo < hi, got [{lo:g}, {hi:g}]"
    if not math.isfinite(hi - lo):
        return f"range of {name!r} is too wide (hi − lo overflows), got [{lo:g}, {hi:g}]"
    return None


def too_many_vars(count: int, subject: str = "the comparison has") -> str | None:
    """``"<subject> 1000 variables; at most 16"`` when ``count`` is over ``MAX_VARS``, else None."""
    if count <= MAX_VARS:
        return None
    return f"{subject} {count} variables; at most {MAX_VARS}"
