"""Numbered options of a multiple-choice card; marks right and wrong once revealed."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from quizapp.core.content.model import Choice
from quizapp.ui.widgets.card_text import inline_markdown


class ChoiceList(Static):
    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
        margin: 1 0 0 2;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.choices: tuple[Choice, ...] = ()
        self.selected: set[int] = set()
        self.revealed = False

    def show_choices(self, choices: tuple[Choice, ...]) -> None:
        self.choices = choices
        self.selected = set()
        self.revealed = False
        self.display = bool(choices)
        self._render_choices()

    def toggle(self, index: int) -> None:
        self.selected ^= {index}
        self._render_choices()

    def select_only(self, index: int) -> None:
        self.selected = {index}
        self._render_choices()

    def reveal(self) -> None:
        self.revealed = True
        self._render_choices()

    def _render_choices(self) -> None:
        out = Text()
        for i, choice in enumerate(self.choices):
            picked = i in self.selected
            box = "[x]" if picked else "[ ]"
            style = "bold" if picked else ""
            mark = ""
            if self.revealed:
                if choice.correct:
                    mark, style = "  ✓", "bold green"
                elif picked:
                    mark, style = "  ✗", "bold red"
                else:
                    style = "dim"
            if i:
                out.append("\n")
            out.append(f"{i + 1}. {box} ", style=style)
            out.append_text(inline_markdown(choice.text, style))
            out.append(mark, style=style)
        self.update(out)
