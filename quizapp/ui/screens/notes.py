"""A deck's notes — everything in the file that is not a card — shown as Markdown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, MarkdownViewer

from quizapp.core.content.model import Deck
from quizapp.core.content.sources import sources_section
from quizapp.core.text.maths_markdown import render_maths_markdown
from quizapp.core.text.safe import visible_controls


class NotesScreen(Screen):
    BINDINGS = [Binding("escape", "close", "Back")]

    def __init__(self, deck: Deck) -> None:
        super().__init__()
        self.deck = deck

    def compose(self) -> ComposeResult:
        yield Header()
        notes = render_maths_markdown(visible_controls(self.deck.notes.strip()), layout=False)
        notes = notes or "_This deck has no notes — every part of it is a card._"
        notes += visible_controls(sources_section(self.deck))
        yield MarkdownViewer(notes, show_table_of_contents=False, id="notes")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Notes · {visible_controls(self.deck.title)}"

    def action_close(self) -> None:
        self.dismiss(None)
