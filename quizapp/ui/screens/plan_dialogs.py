"""Two small dialogs over Home: the interview date (typed, saved in config.toml) and what to cram."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from quizapp.core.text.safe import visible_controls

_CSS = """
{name} {{ align: center middle; background: $background 40%; }}
{name} > Vertical {{
    width: 64; max-width: 100%; height: auto; padding: 0 1;
    border: round $primary; border-title-style: bold; background: $surface;
}}
{name} .dialog-hint {{ color: $text-muted; }}
{name} .dialog-error {{ color: $text-error; height: auto; }}
{name} OptionList {{ height: auto; max-height: 12; border: none; }}
"""


class InterviewDateScreen(ModalScreen["date | None | bool"]):
    """Dismissed with the date typed, None to clear it, or False when cancelled."""

    DEFAULT_CSS = _CSS.format(name="InterviewDateScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without changing the date")]

    def __init__(self, current: date | None, today: date) -> None:
        super().__init__()
        self.current, self.today = current, today

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Interview date"
            yield Static("When is the interview? Scheduling serves that day: every card introduced in time, "
                         "intervals shortened so you remember them on the day.")
            yield Input(value=self.current.isoformat() if self.current else "", placeholder="YYYY-MM-DD",
                        id="interview-date", max_length=10)
            yield Static("", id="interview-date-error", classes="dialog-error")
            yield Static("Enter saves · empty + Enter clears the date · Esc cancels", classes="dialog-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.dismiss(None)
            return
        try:
            day = date.fromisoformat(text)
        except ValueError:
            self._error(f"{visible_controls(text)!r} is not a date: type it as YYYY-MM-DD, e.g. "
                        f"{(self.today + timedelta(days=14)).isoformat()}")
            return
        if day <= self.today:
            self._error("Pick a day after today (the plan needs days to study).")
            return
        self.dismiss(day)

    def _error(self, message: str) -> None:
        self.query_one("#interview-date-error", Static).update(Text(message))

    def action_cancel(self) -> None:
        self.dismiss(False)


CRAM_CHOICES = (
    ("weakest", "Weakest", "the 20 you are least likely to recall now"),
    ("failed", "Last failed", "latest answer was Again"),
    ("all", "Every card", "deck order, 20 at a time"),
)


class CramScreen(ModalScreen["tuple[str, str | None] | None"]):
    """Dismissed with (filter, tag) or None. Cramming reviews ahead of schedule: the answers are
    logged, the schedule is left as it is."""

    DEFAULT_CSS = _CSS.format(name="CramScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without cramming")]

    def __init__(self, title: str, tags: list[str]) -> None:
        super().__init__()
        self.deck_title, self.tags = title, tags

    def compose(self) -> ComposeResult:
        options = [Option(Text.assemble((name, "bold"), f" — {what}"), id=how) for how, name, what in CRAM_CHOICES]
        options += [Option(Text.assemble(("Tag ", "bold"), (visible_controls(t), "bold")), id=f"tag:{t}")
                    for t in self.tags[:8]]
        with Vertical() as box:
            box.border_title = f"Cram · {visible_controls(self.deck_title)}"
            yield OptionList(*options, id="cram-choices")
            yield Static("Ahead of schedule: answers are logged, no interval changes. Esc cancels.",
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        how = event.option.id or "weakest"
        self.dismiss(("tag", how[4:]) if how.startswith("tag:") else (how, None))

    def action_cancel(self) -> None:
        self.dismiss(None)
