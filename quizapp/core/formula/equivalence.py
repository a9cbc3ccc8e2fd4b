"""Grade a typed formula by mathematical equivalence: do both formulas agree at well-chosen points?

Points: for each variable, fixed points on both sides of 0 and of every kink of the expected formula
(±0.01, ±0.1, ±0.5, ±1, ±3 times a "nice" scale of the range, clipped to it), the other variables
random; then seeded random points (rounded to readable numbers) — at least 30 in all. A point where
the expected formula is not finite is skipped; where it is finite and the given one is not, the
answer is wrong. Exact kink points are judged only with ``check_kinks=True`` (that is where
conventions like ReLU′(0) = 0 differ).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from quizapp.core.formula.language import Expr, ExprError, check_names, parse
from quizapp.core.formula.var_ranges import range_problem, too_many_vars

__all__ = ["ExprError", "Verdict", "compare_values", "equivalent", "format_number", "sample_points"]

OFFSETS = (1.0, 0.5, 3.0, 0.1, 0.01)  # order = preference for the reported counterexample
MIN_POINTS = 30
MIN_RANDOM = 20
RTOL = 1e-6
ATOL = 1e-9


@dataclass(frozen=True)
class Verdict:
    equivalent: bool
    message: str
    counterexample: dict[str, float] | None = None   # variable → value where they differ
    points_checked: int = 0
    given_value: float | None = None                 # at the counterexample
    expected_value: float | None = None

    def to_json(self) -> dict:
        def num(x: float | None) -> float | None:
            return x if x is not None and math.isfinite(x) else None
        return {
            "equivalent": self.equivalent,
            "message": self.message,
            "counterexample": self.counterexample,
            "given_value": num(self.given_value),
            "expected_value": num(self.expected_value),
            "points_checked": self.points_checked,
        }


def format_number(x: float) -> str:
    """Short human form with a real minus sign: −0.007, 1.5, nan, inf."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "−inf"
    text = f"{x:.6g}"
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}e{int(exp)}"
    return text.replace("-", "−")


def _nice_scale(width: float) -> float:
    raw = width / 6.0
    if not math.isfinite(raw) or raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for step in (5.0, 2.0, 1.0):
        if step * power <= raw * (1 + 1e-9):
            return step * power
    return power


def _decimals(width: float) -> int:
    if not math.isfinite(width) or width <= 0:
        return 2
    return max(0, 2 - math.floor(math.log10(width)))


def _fixed_values(lo: float, hi: float, kinks: tuple[float, ...], check_kinks: bool) -> list[float]:
    scale = _nice_scale(hi - lo)
    centers = [c for c in sorted({0.0, *kinks}) if lo <= c <= hi] or [0.0]
    out: list[float] = []
    for c in centers:
        if check_kinks and lo <= c <= hi:
            out.append(c)
        for off in OFFSETS:
            for sign in (-1.0, 1.0):
                out.append(float(np.clip(round(c + sign * off * scale, 12), lo, hi)))
    seen: set[float] = set()
    result = []
    for x in out:
        if x in seen or (not check_kinks and x in kinks):
            continue
        seen.add(x)
        result.append(x)
    return result


def sample_points(vars: Mapping[str, tuple[float, float]], kinks: Mapping[str, tuple[float, ...]],
                  *, seed: int = 0, check_kinks: bool = False) -> dict[str, np.ndarray]:
    """Column arrays (one per variable, equal length) of the points to compare at.

    Raises ValueError for more than ``MAX_VARS`` variables or a range :func:`range_problem` refuses.
    Each variable brings its own fixed points, at which every other variable needs a value, so the
    work grows with the square of the variable count; the cap keeps it small."""
    _check_ranges(vars, {})
    names = list(vars)
    if not names:
        return {}
    rng = np.random.default_rng(seed)
    bounds = {v: (float(vars[v][0]), float(vars[v][1])) for v in names}
    var_kinks = {v: tuple(k for k in kinks.get(v, ())) for v in names}

    def randoms(v: str, n: int) -> np.ndarray:
        lo, hi = bounds[v]
        raw = rng.uniform(lo, hi, n)
        with np.errstate(all="ignore"):  # rounding a tiny range's values can overflow (10**400)
            rounded = np.round(raw, _decimals(hi - lo))
        values = np.clip(np.where(np.isfinite(rounded), rounded, raw), lo, hi)
        if not check_kinks and var_kinks[v]:
            for _ in range(5):  # a rounded random point landing exactly on a kink: draw again
                hit = np.isin(values, var_kinks[v])
                if not hit.any():
                    break
                values[hit] = rng.uniform(lo, hi, int(hit.sum()))
        return values

    columns: dict[str, list[np.ndarray]] = {v: [] for v in names}
    n_fixed = 0
    for v in names:
        fixed = np.asarray(_fixed_values(*bounds[v], var_kinks[v], check_kinks), dtype=np.float64)
        n_fixed += len(fixed)
        for w in names:
            columns[w].append(fixed if w == v else randoms(w, len(fixed)))
    n_random = max(MIN_RANDOM, MIN_POINTS - n_fixed)
    for w in names:
        columns[w].append(randoms(w, n_random))
    return {w: np.concatenate(parts) for w, parts in columns.items()}


def _point(points: Mapping[str, np.ndarray], i: int | None) -> dict[str, float]:
    return {k: float(v[i]) for k, v in points.items()} if i is not None else {}


def compare_values(points: Mapping[str, np.ndarray], expected: np.ndarray, given: np.ndarray, *,
                   rtol: float = RTOL, atol: float = ATOL) -> Verdict:
    """Verdict from values already computed at ``points`` (same length, or 0-d with no variables)."""
    expected = np.atleast_1d(np.asarray(expected, dtype=np.float64))
    given = np.atleast_1d(np.asarray(given, dtype=np.float64))
    expected, given = np.broadcast_arrays(expected, given)
    with np.errstate(all="ignore"):
        finite = np.isfinite(expected)
        close = np.abs(given - expected) <= atol + rtol * np.abs(expected)
        bad = finite & ~(np.isfinite(given) & close)
    checked = int(finite.sum())
    if checked == 0:
        return Verdict(False, "the expected formula is undefined at every sample point", None, 0)
    if not bad.any():
        return Verdict(True, f"equivalent: agrees at all {checked} sample points", None, checked)
    i = int(np.argmax(bad))
    point = _point(points, i) if points else {}
    where = ", ".join(f"{k} = {format_number(v)}" for k, v in point.items())
    at = f"at {where} " if where else ""
    g, e = float(given[i]), float(expected[i])
    if math.isnan(g):
        says = f"{at}your formula is undefined (nan), expected {format_number(e)}"
    else:
        says = f"{at}your formula gives {format_number(g)}, expected {format_number(e)}"
    return Verdict(False, says[0].upper() + says[1:] if not at else says, point or None, checked, g, e)


def _check_ranges(vars: Mapping[str, tuple[float, float]], constants: Mapping[str, float]) -> None:
    too_many = too_many_vars(len(vars))
    if too_many:
        raise ValueError(too_many)
    for name, rng in vars.items():
        try:
            lo, hi = rng
        except (TypeError, ValueError):
            raise ValueError(f"range of {name!r} must be two numbers [lo, hi], got {rng!r}") from None
        problem = range_problem(name, lo, hi)
        if problem:
            raise ValueError(problem)
    both = set(vars) & set(constants)
    if both:
        raise ValueError(f"{', '.join(sorted(both))} declared both as a variable and a constant")


def _kinks(expr: Expr, constants: Mapping[str, float]) -> Mapping[str, tuple[float, ...]]:
    """The formula's kinks; none if finding them overflows (they only add sample points)."""
    try:
        return expr.kinks(constants)
    except (OverflowError, ZeroDivisionError):
        return {}


def _values(expr: Expr, env: Mapping[str, object], n: int) -> np.ndarray:
    """``expr`` at the points; an overflow that escapes as an exception makes them all non-finite
    (NumPy itself gives inf under the evaluator's errstate, but nothing here may raise into a UI)."""
    try:
        return expr.evaluate(env)
    except (OverflowError, FloatingPointError):
        return np.full(max(n, 1), np.nan)


def equivalent(expected: Expr | str, given: Expr | str, vars: Mapping[str, tuple[float, float]],
               constants: Mapping[str, float] | None = None, *, seed: int = 0,
               check_kinks: bool = False, rtol: float = RTOL, atol: float = ATOL) -> Verdict:
    """Whether ``given`` equals ``expected`` over the variables' ranges (constants fixed).

    Raises :class:`ExprError` (with a column in *that* formula) if either does not parse or uses a
    name that is neither a variable nor a constant; ValueError for bad ranges.
    """
    constants = dict(constants or {})
    _check_ranges(vars, constants)
    known = [*vars, *constants]
    with _about("expected"):
        exp = parse(expected) if isinstance(expected, str) else expected
    with _about("given"):
        giv = parse(given) if isinstance(given, str) else given
    with _about("expected"):
        check_names(exp, known)
    with _about("given"):
        check_names(giv, known)
    points = sample_points(vars, _kinks(exp, constants), seed=seed, check_kinks=check_kinks)
    env = {**points, **{k: float(v) for k, v in constants.items()}}
    n = len(next(iter(points.values()))) if points else 1
    with _about("expected"):
        expected_values = _values(exp, env, n)
    with _about("given"):
        given_values = _values(giv, env, n)
    return compare_values(points, expected_values, given_values, rtol=rtol, atol=atol)


@contextmanager
def _about(formula: str) -> Iterator[None]:
    """An :class:`ExprError` raised inside is marked as being about ``formula`` (its ``formula``)."""
    try:
        yield
    except ExprError as error:
        error.formula = formula
        raise

