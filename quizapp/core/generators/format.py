"""Numbers, vectors and matrices as people write them in questions and worked solutions.

* ``num``: 4 significant digits by default, trailing zeros dropped, integers without a point,
  Unicode minus (``−3``), exponents short (``4.54e-5``). ``answers.parse_numbers`` reads all of it.
* ``arr``: a scalar, ``[1, −2, 0.5]`` for a vector, ``[1, 2; 3, 4]`` for a matrix (rows split by
  ``;``), ``[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]`` for a 3-D array (a conv kernel); all forms the
  answer box accepts, so the answer key can be typed back as is.
* ``exact``: the same with 10 significant digits, for the given inputs (they are short decimals, so
  this shows them exactly).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from quizapp.core.text.numfmt import MINUS, num

__all__ = ["MINUS", "arr", "exact", "num", "shape_text"]

EXACT_SIG = 10


def exact(x: Any) -> str:
    """A given input, shown exactly (inputs are short decimals)."""
    return arr(x, EXACT_SIG)


def arr(a: Any, sig: int = 4) -> str:
    """Scalar, ``[a, b]`` vector, ``[a, b; c, d]`` matrix or ``[[[a, b]], [[c, d]]]`` 3-D array."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        return num(a, sig)
    if a.ndim == 1:
        return "[" + ", ".join(num(v, sig) for v in a) + "]"
    if a.ndim == 2:
        return "[" + "; ".join(", ".join(num(v, sig) for v in row) for row in a) + "]"
    if a.ndim == 3:  # fully bracketed, so a 1×1×k kernel cannot read back as a 1×k matrix
        return "[" + ", ".join("[" + ", ".join(arr(row, sig) for row in mat) + "]" for mat in a) + "]"
    raise ValueError(f"cannot format a {a.ndim}-D array")


def shape_text(a: Any) -> str:
    """"2×3" for a matrix, "3" for a vector, "scalar" for a number."""
    shape = np.shape(a)
    return "×".join(map(str, shape)) if shape else "scalar"
