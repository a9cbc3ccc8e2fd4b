"""One run of the Training screen: its decision boundary over the data, its dead units per layer,
and (in the border) its loss and accuracy."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from quizapp.core.engine.narrate import run_title
from quizapp.core.engine.training import Metrics
from quizapp.ui.widgets.boundary_map import BoundaryMap
from quizapp.ui.widgets.dead_bars import DeadBars


class RunPanel(Vertical):
    """One run: its decision boundary over the data, dead units per layer, loss and accuracy."""

    DEFAULT_CSS = """
    RunPanel {
        width: 1fr;
        height: 1fr;
        border: round $secondary;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
    }
    RunPanel DeadBars {
        max-height: 45%;
    }
    """

    def __init__(self, run: str, colour: str) -> None:
        super().__init__(classes="run-panel")
        self.run = run
        self.latest: Metrics | None = None
        self.border_title = run_title(run)
        self.styles.border_title_color = colour

    def compose(self) -> ComposeResult:
        yield BoundaryMap()
        yield DeadBars()

    def on_resize(self) -> None:
        if self.latest is not None:
            self.show(self.latest)  # the subtitle picks a length that fits

    def show(self, m: Metrics) -> None:
        self.latest = m
        self.query_one(BoundaryMap).show(m.boundary)
        self.query_one(DeadBars).show(m.dead, m.inactive)
        loss = "diverged" if m.diverged else f"{m.loss:.2g}"
        room = self.size.width - 4  # corners and the spaces around the subtitle
        options = (f"loss {loss} · {m.accuracy:.0%} right", f"{loss} · {m.accuracy:.0%}", loss)
        self.border_subtitle = next((o for o in options if len(o) <= room), options[-1])
