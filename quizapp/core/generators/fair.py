"""Is a drawn question fair to do by hand? Redo it with every shown intermediate rounded to the 4
significant digits the worked solution prints; the answers must still land well inside the
answer tolerance (this rules out cancellations such as p ≈ q in p − q).

Answers whose entries sum to zero by construction (BatchNorm's dx, attention's dS path) have small
entries that no hand computation gets to 1 %; ``scaled_tolerance`` adds an absolute part of about
0.1 % of the answer's largest entry (a power of ten), so those are graded like the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from quizapp.core.generators.base import DEFAULT_ATOL, DEFAULT_RTOL, Tolerance

__all__ = ["ATTEMPTS", "SHARE", "scaled_tolerance", "survives_rounding"]

ATTEMPTS = 200  # redraws before the last draw is used anyway
SHARE = 0.2  # rounding may use at most this share of the tolerance


def scaled_tolerance(value: Any) -> Tolerance:
    """1 % relative, plus an absolute 10^⌊log10(0.001·max|value|)⌋ (never below the default)."""
    top = float(np.max(np.abs(value))) if np.size(value) else 0.0
    if top == 0.0:
        return Tolerance()
    atol = 10.0 ** np.floor(np.log10(1e-3 * top))
    return Tolerance(atol=max(float(atol), DEFAULT_ATOL))


def survives_rounding(exact: Mapping[str, Any], rounded: Mapping[str, Any],
                      names: Iterable[str],
                      tolerances: Mapping[str, Tolerance] | None = None) -> bool:
    for name in names:
        want = np.asarray(exact[name], dtype=np.float64)
        got = np.asarray(rounded[name], dtype=np.float64)
        tol = (tolerances or {}).get(name) or Tolerance(DEFAULT_RTOL, DEFAULT_ATOL)
        slack = SHARE * (tol.atol + tol.rtol * np.abs(want))
        if np.any(np.abs(got - want) > slack):
            return False
    return True
