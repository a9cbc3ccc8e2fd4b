"""End of a review session: how many cards, how they were graded, how long it took."""

from __future__ import annotations

from fsrs import Rating
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from quizapp.core.study.review import SessionSummary

_COLOURS = {Rating.Again: "red", Rating.Hard: "yellow", Rating.Good: "green", Rating.Easy: "blue"}


class SummaryScreen(Screen):
    BINDINGS = [
        Binding("enter", "home", "Home"),
        Binding("escape", "home", "Home", show=False),
        Binding("plus", "more_new", "10 more new", key_display="+",
                tooltip="Study 10 more new cards today (shown when the daily new-card limit held some back)"),
    ]

    def __init__(self, summary: SessionSummary, title: str, deck_id: str | None = None,
                 held: str | None = None) -> None:
        """``held``: what to say when the daily new-card limit held new cards of ``deck_id`` back."""
        super().__init__()
        self.summary = summary
        self.deck_title = title
        self.deck_id = deck_id
        self.held = held

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="summary"):
            yield Static(self._headline(), id="summary-headline")
            yield Static(self._table(), id="summary-table")
            if self.held:
                yield Static(Text(self.held, style="yellow"), id="summary-limit")
            yield Static("Press Enter to go back to your decks.", id="summary-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Session summary · {self.deck_title}"

    def _headline(self) -> Text:
        s = self.summary
        if not s.reviewed:
            return Text("Nothing was due here. Come back later, or pick another deck.", style="bold")
        minutes, seconds = divmod(round(s.seconds), 60)
        text = Text("Session complete!\n\n", style="bold green")
        text.append(f"{s.reviewed} card{'s' if s.reviewed != 1 else ''} reviewed in {minutes}m {seconds:02d}s")
        if s.reviewed:
            text.append(f"  ·  {s.seconds / s.reviewed:.1f} s per card")
        return text

    def _table(self) -> Table:
        table = Table(show_edge=False, box=None, padding=(0, 2))
        table.add_column("Grade")
        table.add_column("Cards", justify="right")
        for rating in (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy):
            table.add_row(Text(rating.name, style=_COLOURS[rating]), str(self.summary.by_rating.get(rating, 0)))
        return table

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return bool(self.held) if action == "more_new" else True

    def action_home(self) -> None:
        self.dismiss(None)

    def action_more_new(self) -> None:
        """+: 10 more new cards today, studied at once in a new session of the same deck."""
        app, deck_id = self.app, self.deck_id
        study = app.study

        def extended(_result: None) -> None:
            self.dismiss(None)
            app.call_later(app.start_review, deck_id)

        app.writes.run(lambda: study.extend_new_today(deck_id), extended, what="extending today's limit")
