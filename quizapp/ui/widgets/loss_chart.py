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
from rich.text import Text
from textual_plot import HiResMode, LegendLocation, PlotWidget
from textual_plot.axis_formatter import AxisFormatter

LOSS_FLOOR = 1e-6  # log of 0 is -inf; a loss this small draws at the bottom
LEGEND_BOX_WIDTH = 45  # narrower charts name their series in the border title instead
TITLE = "Loss (log scale)"


class LogLossFormatter(AxisFormatter):
    """Ticks at 1, 2, 5 × 10ᵏ over a narrow range, else at every n-th decade, no more than
    ``limit`` of them (set from the chart's height); labelled as losses: 0.01, 0.1, 1, 1e6."""

    def __init__(self) -> None:
        self.limit = 8

    def get_ticks(self, min_: float, max_: float, max_ticks: int = 8) -> list[float]:
        if not (math.isfinite(min_) and math.isfinite(max_)) or max_ <= min_:
            return []
        limit = max(2, min(max_ticks, self.limit))
        lo, hi = math.floor(min_), math.ceil(max_)

        def inside(ticks: list[float]) -> list[float]:
            return [t for t in ticks if min_ - 1e-9 <= t <= max_ + 1e-9]

        fine = inside([math.log10(m) + e for e in range(lo, hi + 1) for m in (1, 2, 5)])
        if 2 <= len(fine) <= limit:
            return fine
        decades = inside([float(e) for e in range(lo, hi + 1)])
        ticks = decades[::math.ceil(len(decades) / limit)] if decades else []
        return ticks if len(ticks) >= 2 else [min_, max_]

    def get_labels_for_ticks(self, ticks: Sequence[float]) -> list[str]:
        return [_loss_label(t) for t in ticks]


def _loss_label(t: float) -> str:
    """The loss 10ᵗ as a short label: 0.001 … 1000 written out, other decades as 1e6, 1e-5."""
    if abs(t - round(t)) < 1e-9:
        e = round(t)
        return f"{10.0 ** e:g}" if -3 <= e <= 3 else f"1e{e}"
    value = 10.0 ** t
    return f"{value:.0f}" if value >= 100 else f"{value:.2g}"


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
        self.steps_axis = StepFormatter()
        self.loss_axis = LogLossFormatter()
        self.series: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def on_mount(self) -> None:
        self.margin_top = 0
        self.margin_bottom = 2
        self.margin_left = 7
        self.set_y_formatter(self.loss_axis)
        self.set_x_formatter(self.steps_axis)
        self.set_xlabel("step")
        self.border_title = TITLE
        self.set_total(0)

    def on_resize(self) -> None:
        self.steps_axis.limit = max(3, (self.size.width - self.margin_left) // 7)
        self.loss_axis.limit = max(2, (self.size.height - self.margin_bottom - 2) // 2)

    def set_total(self, steps: int) -> None:
        """Empty the chart for a training of ``steps`` steps (0: nothing yet, no axes' labels)."""
        self.series = {}
        self.clear()
        self.set_xlimits(0, max(1, steps))
        self.set_xticks(None if steps else [])
        self.set_yticks([])
        self.show_legend(LegendLocation.TOPRIGHT, is_visible=False)

    def show(self, series: Sequence[tuple[str, Sequence[int], Sequence[float], str]]) -> None:
        """Redraw every run: (label, steps, losses, colour) each. The legend is a box in the
        chart when it is wide enough, else it moves into the border title."""
        self.clear()
        self.series = {}
        self.set_yticks(None)
        boxed = self.size.width >= LEGEND_BOX_WIDTH
        self.show_legend(LegendLocation.TOPRIGHT, is_visible=bool(series) and boxed)
        title = Text(TITLE if boxed or not series else "Loss")
        if not boxed:
            for label, *_rest, colour in series:
                title.append(" ━", style=colour)
                title.append(f" {label}")
        self.border_title = title
        for label, steps, losses, colour in series:
            x = np.asarray(steps, dtype=float)
            y = np.log10(np.maximum(np.asarray(losses, dtype=float), LOSS_FLOOR))
            self.series[label] = (x, y)
            self.plot(x, y, line_style=colour, hires_mode=HiResMode.BRAILLE, label=label)
