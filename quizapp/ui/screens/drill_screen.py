"""Formula drills on their own (practice, not spaced repetition): next / previous, a running score.

The score counts each drill's first submission (giving up with F5 counts as wrong); after that the
formula can be edited and checked again as often as you like. Enter on a checked formula that was
not edited since goes to the next drill (as in the Gradient Lab); F3/F4 move at any time.
Dismisses with ``(right, tried)``.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from quizapp.core.formula.drills import Drill
from quizapp.core.text.safe import visible_controls
from quizapp.ui.widgets.drill_panel import DrillPanel


class DrillScreen(Screen[tuple[int, int]]):
    DEFAULT_CSS = """
    DrillScreen #drills {
        padding: 0 1;
    }
    DrillScreen #drill-card {
        border: round $primary;
        border-title-align: right;
        border-title-color: $text-muted;
        padding: 0 1;
        height: auto;
        max-height: 1fr;
        scrollbar-size-vertical: 1;
    }
    DrillScreen #drill-empty {
        padding: 1 2;
    }
    """

    AUTO_FOCUS = "#drill-input"

    # F-keys and ctrl+n never clash with typing in the formula input (ctrl+p is the palette,
    # ctrl+left/right move by word inside the input).
    BINDINGS = [
        # before the input sees Enter, only once the formula on screen was checked (else it checks)
        Binding("enter", "next_after_check", "Next drill", key_display="⏎", priority=True,
                tooltip="After checking (the formula unchanged since): the next drill"),
        Binding("f4,ctrl+n", "next", "Next", key_display="F4",
                tooltip="Next drill (also ctrl+n); your score keeps the first answer of each drill"),
        Binding("f3", "previous", "Previous", key_display="F3", tooltip="Previous drill"),
        Binding("escape", "leave", "Back", tooltip="Leave the drills (the score is not saved)"),
    ]

    def __init__(self, drills: Sequence[Drill], title: str = "Formula drills") -> None:
        super().__init__()
        self.drills = list(drills)
        self.drill_title = title
        self.index = 0
        self.first_verdicts: dict[int, bool] = {}  # drill index → right on the first submission
        self._checked: str | None = None  # the input's text when this drill was last checked

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="drills"):
            if self.drills:
                with VerticalScroll(id="drill-card"):
                    yield DrillPanel(self.drills[0], allow_retry=True)
            else:
                yield Static("There are no formula drills here yet. Esc goes back.", id="drill-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = visible_controls(self.drill_title)
        self._update_progress()

    def on_resize(self, event: events.Resize) -> None:
        for panel in self.query(DrillPanel):
            panel.set_class(event.size.height < 30, "-compact")

    @property
    def score(self) -> tuple[int, int]:
        """``(right, tried)`` counting each drill's first submission."""
        return sum(self.first_verdicts.values()), len(self.first_verdicts)

    def _update_progress(self) -> None:
        right, tried = self.score
        out = Text()
        if self.drills:
            out.append(f"Drill {self.index + 1} of {len(self.drills)}")
            mark = self.first_verdicts.get(self.index)
            if mark is not None:
                out.append(" ✓" if mark else " ✗", style="green" if mark else "red")
            out.append("   ·   ")
        out.append(f"score {right}/{tried}")
        if self.drills:
            card = self.query_one("#drill-card", VerticalScroll)
            card.border_title = out
            keys = [k for k, shown in (("F3 previous", self.index > 0),
                                       ("F4 next", self.index + 1 < len(self.drills))) if shown]
            card.border_subtitle = " · ".join(keys)

    def _show(self, index: int) -> None:
        self.index = index
        self._checked = None
        self.query_one(DrillPanel).show_drill(self.drills[index])
        self.query_one("#drill-card", VerticalScroll).scroll_home(animate=False)
        self._update_progress()
        self.refresh_bindings()

    # ---- actions -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return True if self.index + 1 < len(self.drills) else None
        if action == "previous":
            return True if self.index > 0 else None
        if action == "next_after_check":
            return self._next_after_check()
        return True

    def _next_after_check(self) -> bool:
        if self._checked is None or self.index + 1 >= len(self.drills):
            return False
        typed = self.query("#drill-input").results(Input)
        return any(box.has_focus and box.value == self._checked for box in typed)

    def action_next_after_check(self) -> None:
        if not self._next_after_check():
            raise SkipAction()  # Enter goes on to the input: it checks the edited formula
        self.action_next()

    def action_next(self) -> None:
        if self.index + 1 < len(self.drills):
            self._show(self.index + 1)

    def action_previous(self) -> None:
        if self.index > 0:
            self._show(self.index - 1)

    def action_leave(self) -> None:
        self.dismiss(self.score)

    @on(DrillPanel.Submitted)
    def _submitted(self, event: DrillPanel.Submitted) -> None:
        first = self.index not in self.first_verdicts
        self.first_verdicts.setdefault(self.index, event.verdict.equivalent)
        self._checked = event.panel.input.value
        self._update_progress()
        self.refresh_bindings()
        if first and len(self.first_verdicts) == len(self.drills):
            right, tried = self.score
            self.notify(f"All {tried} drills tried: {right} right first time.", title="Done")
