"""Dead and inactive units per hidden layer, as hand-drawn bars with eighth-block precision.

One row per layer when there is room: ``L2 ███████▍▒▒▒░░░░░░  64%`` — the solid part is the share of
dead units (f′(z) = 0 for every input), the lighter part continues to the share of inactive units
(z ≤ 0 for every input; for Leaky ReLU these are inactive but alive), the rest is the track. When the
widget is shorter than the number of layers, each layer becomes a vertical bar instead (deep nets).

``bar_cells`` is the pure part: which glyph and which two zones every cell shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

LEFT_EIGHTHS = " ▏▎▍▌▋▊▉█"
LOWER_EIGHTHS = " ▁▂▃▄▅▆▇█"
DEAD, INACTIVE, TRACK = 0, 1, 2


def _zone(x: float, dead: float, inactive: float) -> int:
    return DEAD if x < dead else INACTIVE if x < inactive else TRACK


def bar_cells(dead: float, inactive: float, cells: int) -> list[tuple[int, int, int]]:
    """For each of ``cells`` cells along a bar: (eighths of the cell in the first zone, first zone,
    second zone). Zones: DEAD for [0, dead), INACTIVE for [dead, inactive), TRACK for the rest."""
    dead = min(max(dead, 0.0), 1.0)
    inactive = min(max(inactive, dead), 1.0)
    out = []
    for c in range(cells):
        lo, hi = c / cells, (c + 1) / cells
        first = _zone(lo, dead, inactive)
        edges = [e for e in (dead, inactive) if lo < e < hi]
        if not edges:
            out.append((8, first, first))
            continue
        edge = edges[0]
        eighths = round((edge - lo) / (hi - lo) * 8)
        second = _zone(edge, dead, inactive)
        if eighths == 0:
            out.append((8, second, second))
        elif eighths == 8:
            out.append((8, first, first))
        else:
            out.append((eighths, first, second))
    return out


def _pct(share: float) -> str:
    pct = 100 * share
    return "<1%" if 0 < pct < 1 else f"{pct:.0f}%"


class DeadBars(Widget):
    """Call ``show(dead, inactive)`` with one fraction per hidden layer."""

    COMPONENT_CLASSES = {"dead-bars--dead", "dead-bars--inactive", "dead-bars--track",
                         "dead-bars--label"}
    DEFAULT_CSS = """
    DeadBars {
        height: auto;
        width: 1fr;
        & > .dead-bars--dead { color: $error; }
        & > .dead-bars--inactive { color: $warning-darken-3; }
        & > .dead-bars--track { color: $panel-lighten-1; }
        & > .dead-bars--label { color: $text-muted; }
    }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.dead: tuple[float, ...] = ()
        self.inactive: tuple[float, ...] = ()

    def show(self, dead: Sequence[float], inactive: Sequence[float]) -> None:
        dead, inactive = tuple(dead), tuple(inactive)
        if (dead, inactive) == (self.dead, self.inactive):
            return
        relayout = len(dead) != len(self.dead)
        self.dead, self.inactive = dead, inactive
        self.refresh(layout=relayout)

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self.dead))

    def _styles(self) -> dict[int, str]:
        return {zone: self.get_component_rich_style(f"dead-bars--{name}").color
                for zone, name in ((DEAD, "dead"), (INACTIVE, "inactive"), (TRACK, "track"))}

    def render(self) -> Text:
        width, height = self.size
        if not self.dead:
            return Text("no hidden layers", style=self.get_component_rich_style("dead-bars--label"))
        if height >= len(self.dead):
            return self._rows(width)
        return self._columns(width, height)

    def _rows(self, width: int) -> Text:
        colours = self._styles()
        label_style = self.get_component_rich_style("dead-bars--label")
        label_w = len(f"L{len(self.dead)}") + 1
        cells = max(1, width - label_w - 5)
        out = Text(no_wrap=True, overflow="crop")
        for i, (d, a) in enumerate(zip(self.dead, self.inactive)):
            if i:
                out.append("\n")
            out.append(f"L{i + 1}".ljust(label_w), style=label_style)
            for eighths, first, second in bar_cells(d, a, cells):
                out.append(LEFT_EIGHTHS[eighths], style=Style(color=colours[first], bgcolor=colours[second]))
            out.append(f"{_pct(d):>5}", style="bold" if d > 0 else label_style)
        return out

    def _columns(self, width: int, height: int) -> Text:
        """Vertical bars, one per layer (left to right = input to output), for deep nets."""
        colours = self._styles()
        n = len(self.dead)
        col_w = max(1, min(3, width // n - 1))
        gap = 1 if (col_w + 1) * n <= width else 0
        columns = [bar_cells(d, a, height) for d, a in zip(self.dead, self.inactive)]
        out = Text(no_wrap=True, overflow="crop")
        for row in range(height):
            if row:
                out.append("\n")
            level = height - 1 - row  # cells are counted from the bottom
            for cells in columns:
                eighths, first, second = cells[level]
                out.append(LOWER_EIGHTHS[eighths] * col_w,
                           style=Style(color=colours[first], bgcolor=colours[second]))
                out.append(" " * gap)
        return out
