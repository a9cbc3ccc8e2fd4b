"""A deck's notes — everything in the file that is not a card — shown as Markdown.

The first frame is the screen's frame and a line saying the notes are being read; a thread
prepares the Markdown (maths rendered, Mermaid diagrams as text, code blocks given a language so
nothing is guessed) and the viewer is mounted when it is ready (``loaded``)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from quizapp.core.content.model import Deck
from quizapp.core.text.safe import visible_controls


def notes_markdown(deck: Deck) -> str:
    """The notes as the viewer shows them (headless: tests and the worker call it)."""
    from quizapp.core.content.sources import sources_section
    from quizapp.core.text.maths_markdown import render_maths_markdown
    from quizapp.core.text.notes_fences import prepare_fences

    notes = render_maths_markdown(visible_controls(deck.notes.strip()), layout=False)
    notes = prepare_fences(notes) if notes else "_This deck has no notes — every part of it is a card._"
    return notes + visible_controls(sources_section(deck))


class NotesScreen(Screen):
    BINDINGS = [Binding("escape", "close", "Back")]

    class Ready(Message):
        def __init__(self, markdown: str) -> None:
            super().__init__()
            self.markdown = markdown

    def __init__(self, deck: Deck) -> None:
        super().__init__()
        self.deck = deck
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the notes…", id="notes-loading")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Notes · {visible_controls(self.deck.title)}"
        self.call_after_refresh(self._prepare)

    @work(thread=True, exclusive=True, group="load")
    def _prepare(self) -> None:
        import re

        import textual.widgets._markdown_viewer  # noqa: F401 — imported here, not on the UI thread
        from textual.highlight import highlight

        markdown = notes_markdown(self.deck)
        # Pygments loads and compiles a language's lexer when it is first used: here, not while
        # the viewer mounts its code blocks on the UI thread
        for language in set(re.findall(r"^\s*(?:`{3,}|~{3,})\s*([\w+-]+)", markdown, re.MULTILINE)):
            highlight("x", language=language)
        self.post_message(self.Ready(markdown))

    @on(Ready)
    async def _ready(self, message: Ready) -> None:
        from textual.widgets import MarkdownViewer

        viewer = MarkdownViewer(message.markdown, show_table_of_contents=False, id="notes")
        await self.mount(viewer, after="#notes-loading")
        await self.query_one("#notes-loading").remove()
        viewer.document.focus()  # keys scroll the viewer (it cannot take focus itself)
        self.loaded = True

    def action_close(self) -> None:
        self.dismiss(None)
