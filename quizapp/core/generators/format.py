"""Numbers, vectors and matrices as people write them in questions and worked solutions.

* ``num``: 4 significant digits by default, trailing zeros dropped, integers without a point,
  Unicode minus (``−3``), exponents short (``4.54e-5``). ``answers.parse_numbers`` reads all of it.
* ``arr``: a scalar, ``[1, −2, 0.5]`` for a vector, ``[1, 2; 3, 4]`` for a matrix (rows split by
  ``;``), which is also a form the answer box accepts, so the answer key can be typed back as is.
* ``exact``: the same with 10 significant digits, for the given inputs (they are short decimals, so
  this shows them exactly).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["MINUS", "arr", "exact", "num", "shape_text"]

MINUS = "\u2212"
EXACT_SIG = 10


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


def exact(x: Any) -> str:
    """A given input, shown exactly (inputs are short decimals)."""
    return arr(x, EXACT_SIG)


def arr(a: Any, sig: int = 4) -> str:
    """Scalar, ``[a, b]`` vector or ``[a, b; c, d]`` matrix."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        return num(a, sig)
    if a.ndim == 1:
        return "[" + ", ".join(num(v, sig) for v in a) + "]"
    if a.ndim == 2:
        return "[" + "; ".join(", ".join(num(v, sig) for v in row) for row in a) + "]"
    raise ValueError(f"cannot format a {a.ndim}-D array")


def shape_text(a: Any) -> str:
    """"2×3" for a matrix, "3" for a vector, "scalar" for a number."""
    shape = np.shape(a)
    return "×".join(map(str, shape)) if shape else "scalar"
