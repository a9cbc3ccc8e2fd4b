"""What a drill shows besides the panel: variable names for the screen, and the data of the plot of
the expected formula against the learner's (NumPy; imported only with the drill panel)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
from rich.text import Text

from quizapp.core.formula.drills import Drill
from quizapp.core.formula.equivalence import format_number
from quizapp.core.formula.language import Expr, ExprError, evaluate, parse
from quizapp.core.text.safe import visible_controls

PLOT_POINTS = 241
EXPECTED_STYLE = "bold green"
YOURS_STYLE = "bold magenta"


def _safe(text: str) -> str:
    return visible_controls(text).replace("\n", " ")


def display_name(name: str) -> str:
    """``alpha`` → ``α`` when the Greek letter reads back as the same name; otherwise the name."""
    base = name.removesuffix("_")  # lambda_ is typed λ
    try:
        glyph = unicodedata.lookup(f"GREEK SMALL LETTER {base.upper()}")
    except KeyError:
        return name
    try:
        if parse(glyph).names == {name}:
            return glyph
    except ExprError:
        pass
    return name


def describe_names(drill: Drill) -> Text:
    """``z in [−3, 3]  ·  α = 0.01`` — what the formula may use."""
    out = Text()
    parts: list[str] = [
        f"{display_name(v)} in [{format_number(lo)}, {format_number(hi)}]" for v, (lo, hi) in drill.vars.items()
    ]
    parts += [f"{display_name(c)} = {format_number(value)}" for c, value in drill.constants.items()]
    out.append("  ·  ".join(_safe(p) for p in parts) or "no variables")
    spelled = [n for n in (*drill.vars, *drill.constants) if display_name(n) != n]
    if spelled:
        out.append("    (type " + ", ".join(f"{display_name(n)} or {n}" for n in spelled) + ")", style="dim")
    return out


# ---- the plot's data (pure NumPy, tested without a screen) ------------------------------------

@dataclass(frozen=True)
class PlotData:
    var: str
    x: np.ndarray
    expected: np.ndarray          # nan where undefined or off the chosen y range
    given: np.ndarray
    ylim: tuple[float, float]
    fixed: dict[str, float]       # the other variables, held at their midpoints


def plot_data(drill: Drill, given: Expr, points: int = PLOT_POINTS) -> PlotData | None:
    """Both formulas over the first variable's range (others at midpoints, constants applied)."""
    if not drill.vars:
        return None
    var, (lo, hi) = next(iter(drill.vars.items()))
    x = np.linspace(float(lo), float(hi), points)
    fixed = {v: (float(a) + float(b)) / 2 for v, (a, b) in list(drill.vars.items())[1:]}
    env = {var: x, **fixed, **{k: float(c) for k, c in drill.constants.items()}}
    try:
        with np.errstate(all="ignore"):
            ys = [np.broadcast_to(np.asarray(evaluate(e, env), dtype=np.float64), x.shape).copy()
                  for e in (drill.answer_expr(), given)]
    except (ExprError, ValueError):
        return None
    finite = np.concatenate([y[np.isfinite(y)] for y in ys])
    if finite.size == 0:
        ylim = (-1.0, 1.0)
    else:
        low, high = float(finite.min()), float(finite.max())
        q1, q99 = (float(q) for q in np.percentile(finite, [1, 99]))
        spread = q99 - q1
        if spread > 0 and (low < q1 - 2 * spread or high > q99 + 2 * spread):
            low, high = q1, q99  # a pole (1/z near 0): keep the readable part
        pad = (high - low) * 0.08 if high > low else max(abs(high) * 0.1, 0.5)
        ylim = (low - pad, high + pad)
    for y in ys:
        y[~np.isfinite(y) | (y < ylim[0]) | (y > ylim[1])] = np.nan
    return PlotData(var, x, ys[0], ys[1], ylim, fixed)


def nice_ticks(lo: float, hi: float, most: int = 3) -> list[float]:
    """At most ``most`` round values (multiples of 1, 2 or 5 × 10^k) inside [lo, hi]."""
    span = hi - lo
    if not (np.isfinite(span) and span > 0):
        return [lo]
    power = 10.0 ** np.floor(np.log10(span))
    for step in (power / 10 * m for m in (1, 2, 5, 10, 20, 50, 100)):
        first, last = np.ceil(lo / step), np.floor(hi / step)
        if last - first + 1 <= most:
            return [round(float(k * step), 12) + 0.0 for k in np.arange(first, last + 1)]
    return [lo, hi]


def _runs(y: np.ndarray) -> list[slice]:
    """Slices of consecutive finite values (a curve is drawn in pieces across its gaps)."""
    ok = np.isfinite(y).astype(np.int8)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], ok, [0]])))
    return [slice(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


# ---- the widget --------------------------------------------------------------------------------

