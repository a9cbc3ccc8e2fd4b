"""The loss curves of every run in one textual-plot chart, on a log scale, one series per run.

``PlotWidget`` draws linear axes only, so the chart plots log₁₀(loss) and labels the ticks with the
losses themselves (0.01, 0.1, 1). It is not focusable and does not pan or zoom: its keys (r, arrows,
+/−) would shadow the Training screen's, and the x axis is fixed to the planned number of steps so
the curves grow from the left while training runs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from textual_plot import HiResMode, LegendLocation, PlotWidget
from textual_plot.axis_formatter import AxisFormatter

LOSS_FLOOR = 1e-6  # log of 0 is -inf; a loss this small draws at the bottom


class LogLossFormatter(AxisFormatter):
    """Ticks at 1, 2, 5 × 10ᵏ (or whole decades when the range is wide), labelled as losses."""

    def get_ticks(self, min_: float, max_: float, max_ticks: int = 8) -> list[float]:
        if not (math.isfinite(min_) and math.isfinite(max_)) or max_ <= min_:
            return []
        lo, hi = math.floor(min_), math.ceil(max_)
        mantissas = (1, 2, 5) if hi - lo <= 2 else (1,)
        ticks = [math.log10(m) + e for e in range(lo, hi + 1) for m in mantissas]
        ticks = [t for t in ticks if min_ - 1e-9 <= t <= max_ + 1e-9]
        if len(ticks) > max_ticks:
            ticks = [t for t in ticks if abs(t - round(t)) < 1e-9]
        if len(ticks) < 2:  # a range inside one 1-2-5 step: fall back to the ends
            ticks = [min_, max_]
        return ticks

    def get_labels_for_ticks(self, ticks: Sequence[float]) -> list[str]:
        return [f"{10 ** t:.2g}" for t in ticks]


class StepFormatter(AxisFormatter):
    """Whole steps at 1, 2, 5 × 10ᵏ intervals, no more than ``limit`` of them (set from the width)."""

    def __init__(self) -> None:
        self.limit = 6

    def get_ticks(self, min_: float, max_: float, max_ticks: int = 8) -> list[float]:
        span = max_ - min_
        if not (math.isfinite(span) and span > 0):
            return []
        limit = max(3, min(max_ticks, self.limit))
        interval = 1.0
        while span / interval > limit - 1:
            interval = _next_nice(interval)
        start = math.ceil(min_ / interval) * interval
        return [start + i * interval for i in range(int((max_ - start) // interval) + 1)]

    def get_labels_for_ticks(self, ticks: Sequence[float]) -> list[str]:
        return [f"{t / 1000:g}k" if t >= 1000 and t % 100 == 0 else f"{t:.0f}" for t in ticks]


def _next_nice(interval: float) -> float:
    """1 → 2 → 5 → 10 → 20 → …"""
    exponent = math.floor(math.log10(interval))
    mantissa = round(interval / 10 ** exponent)
    return {1: 2, 2: 5}.get(mantissa, 10) * 10 ** exponent


class LossChart(PlotWidget, can_focus=False):
    """Call ``set_total(steps)`` once per training, then ``show(series)`` as it runs."""

    DEFAULT_CSS = """
    LossChart {
        height: 1fr;
        width: 1fr;
        min-height: 6;
    }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes, allow_pan_and_zoom=False)
        self.series: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def on_mount(self) -> None:
        self.margin_top = 0
        self.margin_bottom = 2
        self.margin_left = 7
        self.set_y_formatter(LogLossFormatter())
        self.set_x_formatter(self.steps_axis)
        self.set_xlabel("step")
        self.set_total(0)

    def on_resize(self) -> None:
        self.steps_axis.limit = max(3, (self.size.width - self.margin_left) // 7)

    def set_total(self, steps: int) -> None:
        """Empty the chart for a training of ``steps`` steps (0: nothing yet, no axes' labels)."""
        self.series = {}
        self.clear()
        self.set_xlimits(0, max(1, steps))
        self.set_xticks(None if steps else [])
        self.set_yticks([])
        self.show_legend(LegendLocation.TOPRIGHT, is_visible=False)

    def show(self, series: Sequence[tuple[str, Sequence[int], Sequence[float], str]]) -> None:
        """Redraw every run: (label, steps, losses, colour) each."""
        self.clear()
        self.series = {}
        self.set_yticks(None)
        self.show_legend(LegendLocation.TOPRIGHT, is_visible=bool(series))
        for label, steps, losses, colour in series:
            x = np.asarray(steps, dtype=float)
            y = np.log10(np.maximum(np.asarray(losses, dtype=float), LOSS_FLOOR))
            self.series[label] = (x, y)
            self.plot(x, y, line_style=colour, hires_mode=HiResMode.BRAILLE, label=label)
