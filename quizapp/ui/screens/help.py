"""Every key of the app, read from the screens' own bindings so the list cannot drift."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

EXTRA = {
    "Review": [("1–4", "Grade: Again, Hard, Good, Easy (after reveal); pick an option on multiple choice")],
    "Everywhere": [("ctrl+p", "Command palette: open a deck, review all, toggle theme"), ("ctrl+q", "Quit")],
}


def _key_name(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    return binding.key.replace("escape", "esc").replace("question_mark", "?").replace("exclamation_mark", "!").replace("minus", "-")


def help_table(sections: dict[str, list[Binding]]) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 2), expand=True)
    table.add_column("Key", style="bold", no_wrap=True, min_width=8)
    table.add_column("Action")
    for title, bindings in sections.items():
        table.add_row(Text(title, style="bold underline"), "")
        seen: set[str] = set()
        for binding in bindings:
            if binding.action.startswith("grade(") or binding.description in seen:
                continue
            seen.add(binding.description)
            keys = [_key_name(b) for b in bindings if b.description == binding.description]
            table.add_row(" / ".join(dict.fromkeys(keys)), binding.tooltip or binding.description)
        for key, action in EXTRA.get(title, []):
            table.add_row(key, action)
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, sections: dict[str, list[Binding]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(help_table(self.sections), id="help-keys")
            yield Static(Text("Esc or ? closes this help.", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
