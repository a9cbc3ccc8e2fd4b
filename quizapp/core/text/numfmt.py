"""Numbers as people write them in questions, answers and worked solutions (no NumPy, so the UI
can format without importing it): 4 significant digits by default, trailing zeros dropped, integers
without a point, Unicode minus (``−3``), short exponents (``4.54e-5``)."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["MINUS", "num"]

MINUS = "\u2212"


def num(x: Any, sig: int = 4) -> str:
    """One number to ``sig`` significant digits ("0.1192", "−3", "1.5e-5")."""
    x = float(f"{float(x):.12g}")  # drop float noise as the answer key does: 2.91249999… → 2.9125
    if x == 0.0:
        return "0"
    if not math.isfinite(x):
        return str(x)
    if x.is_integer() and abs(x) < 1e6:
        text = str(int(x))
    else:
        text = f"{x:.{sig}g}"
        if "e" in text:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", MINUS)
