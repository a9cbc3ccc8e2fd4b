"""Formula drills on their own (practice, not spaced repetition): next / previous, a running score.

The score counts each drill's first submission (giving up with F5 counts as wrong); after that the
formula can be edited and checked again as often as you like. Enter on a checked formula that was
not edited since goes to the next drill (as in the Gradient Lab); F3/F4 move at any time.
Dismisses with ``(right, tried)``.

The first frame is the frame and a "Loading…" line: a thread reads the drills' TOML (when given deck
cards) and imports the formula checker and the drill panel (NumPy), then the first drill is mounted
(``loaded``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from quizapp.core.text.safe import visible_controls

if TYPE_CHECKING:
    from quizapp.core.content.model import Card
    from quizapp.core.formula.drills import Drill
    from quizapp.ui.widgets.drill_panel import DrillPanel


def drills_of(cards: Sequence[Card]) -> list[Drill]:
    """The drills of deck cards of kind drill whose TOML reads (unchecked: `quizapp check` checks)."""
    from quizapp.core.formula.drills import parse_drill_toml

    drills = []
    for card in cards:
        drill, _problems = parse_drill_toml(card.spec, validate=False)
        if drill is not None:
            drills.append(drill)
    return drills


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

    AUTO_FOCUS = None  # the formula input is focused once the first drill is mounted

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

    def __init__(self, drills: Sequence[Drill] = (), title: str = "Formula drills", *,
                 cards: Sequence[Card] = ()) -> None:
        """``drills``, or deck ``cards`` of kind drill whose TOML is read in the loading thread."""
        super().__init__()
        self.drills = list(drills)
        self._cards = list(cards)
        self.drill_title = title
        self.index = 0
        self.first_verdicts: dict[int, bool] = {}  # drill index → right on the first submission
        self._checked: str | None = None  # the input's text when this drill was last checked
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="drills"):
            yield Static("Loading the drills…", id="drill-loading")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = visible_controls(self.drill_title)
        self.call_after_refresh(self._load)

    class Loaded(Message):
        def __init__(self, drills: list[Drill]) -> None:
            super().__init__()
            self.drills = drills

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        import quizapp.ui.widgets.drill_panel  # noqa: F401 — the formula checker and NumPy

        self.post_message(self.Loaded(self.drills + drills_of(self._cards)))

    @on(Loaded)
    async def _loaded(self, message: Loaded) -> None:
        from quizapp.ui.widgets.drill_panel import DrillPanel

        self.drills = message.drills
        box = self.query_one("#drills")
        await self.query_one("#drill-loading").remove()
        if self.drills:
            panel = DrillPanel(self.drills[0], allow_retry=True)
            panel.set_class(self.size.height < 30, "-compact")
            await box.mount(VerticalScroll(panel, id="drill-card"))
            self.query_one("#drill-input").focus()
        else:
            await box.mount(Static("There are no formula drills here yet. Esc goes back.", id="drill-empty"))
        self.loaded = True
        self._update_progress()
        self.refresh_bindings()

    def on_resize(self, event: events.Resize) -> None:
        for panel in self.query("DrillPanel"):
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
        if self.drills and self.loaded:
            card = self.query_one("#drill-card", VerticalScroll)
            card.border_title = out
            keys = [k for k, shown in (("F3 previous", self.index > 0),
                                       ("F4 next", self.index + 1 < len(self.drills))) if shown]
            card.border_subtitle = " · ".join(keys)

    def _show(self, index: int) -> None:
        self.index = index
        self._checked = None
        self.query_one("DrillPanel").show_drill(self.drills[index])
        self.query_one("#drill-card", VerticalScroll).scroll_home(animate=False)
        self._update_progress()
        self.refresh_bindings()

    # ---- actions -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next", "previous") and not self.loaded:
            return None
        if action == "next":
            return True if self.index + 1 < len(self.drills) else None
        if action == "previous":
            return True if self.index > 0 else None
        if action == "next_after_check":
            return self._next_after_check()
        return True

    def _next_after_check(self) -> bool:
        if not self.loaded or self._checked is None or self.index + 1 >= len(self.drills):
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

    def on_drill_panel_submitted(self, event: DrillPanel.Submitted) -> None:
        """DrillPanel.Submitted, by its handler name (the panel is imported when loaded)."""
        first = self.index not in self.first_verdicts
        self.first_verdicts.setdefault(self.index, event.verdict.equivalent)
        self._checked = event.panel.input.value
        self._update_progress()
        self.refresh_bindings()
        if first and len(self.first_verdicts) == len(self.drills):
            right, tried = self.score
            self.notify(f"All {tried} drills tried: {right} right first time.", title="Done")
