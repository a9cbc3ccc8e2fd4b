"""Checking the plan's settings in config.toml (``interview_*`` and ``fsrs_parameters``; see
:mod:`quizapp.core.config`, which calls :func:`check_plan_key` for them)."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

#: fsrs 6 has 21 weights; the bounds are fsrs's own (checked again by fsrs.Scheduler)
N_PARAMETERS = 21


def parse_date(value: Any) -> date | None:
    """A TOML date, or text ``YYYY-MM-DD``; None if it is neither."""
    if isinstance(value, datetime):
        return None  # a date with a time of day: ambiguous, refused
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def valid_parameters(value: Any) -> tuple[float, ...] | None:
    """21 finite numbers fsrs accepts, as a tuple; None otherwise."""
    if not isinstance(value, (list, tuple)) or len(value) != N_PARAMETERS or not all(_number(v) for v in value):
        return None
    import fsrs

    try:
        fsrs.Scheduler(parameters=[float(v) for v in value])
    except ValueError:
        return None
    return tuple(float(v) for v in value)


def check_plan_key(key: str, value: Any) -> tuple[Any, str | None]:
    """(converted value, None) or (None, what is wrong) — the contract of ``config._check``."""
    if key == "interview_date":
        day = parse_date(value)
        if day is not None:
            return day, None
        return None, "must be a date, e.g. 2026-12-20"
    if key == "interview_decks":
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            return tuple(v.strip() for v in value), None
        return None, 'must be a list of deck ids, e.g. ["ml-basics"]'
    if key == "interview_retention":
        if _number(value) and 0.5 <= value < 1:
            return float(value), None
        return None, "must be a number from 0.5 to 1 (exclusive), e.g. 0.95"
    if key == "interview_new_cap":
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10_000:
            return value, None
        return None, "must be a whole number from 1 to 10000"
    if key == "fsrs_parameters":
        params = valid_parameters(value)
        if params is not None:
            return params, None
        return None, f"must be a list of {N_PARAMETERS} FSRS weights within fsrs's bounds (see `quizapp optimize`)"
    raise KeyError(key)
