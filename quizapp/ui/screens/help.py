"""Every key of the app, read from the screens' own bindings so the list cannot drift.

Reading them means importing every screen (NumPy included), and laying out a Rich table of ~100
rows is slow too, so the first frame is the panel with a "Reading the keys…" line; a thread imports
the screens and renders the table to text at the panel's width (again after a resize), and the
text is shown when it is ready (``loaded``)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
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
        table.add_row(Text.assemble((title, "bold underline")), "")  # a span: padding not underlined
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


def app_sections(everywhere: list[Binding]) -> dict[str, list[Binding]]:
    """The keys of every screen, by section. Screens are imported here, when help is first opened,
    so start-up pays only for Home."""
    from quizapp.ui.screens.browser import BrowserScreen, CardTable
    from quizapp.ui.screens.drill_screen import DrillScreen
    from quizapp.ui.screens.gradient_lab import GradientLabScreen
    from quizapp.ui.screens.home import HomeScreen
    from quizapp.ui.screens.notes import NotesScreen
    from quizapp.ui.screens.quiz_screen import QuizScreen
    from quizapp.ui.screens.quiz_setup import QuizSetupScreen
    from quizapp.ui.screens.quiz_summary import QuizSummaryScreen
    from quizapp.ui.screens.review import ReviewScreen
    from quizapp.ui.screens.stats_screen import StatisticsScreen
    from quizapp.ui.screens.summary import SummaryScreen
    from quizapp.ui.screens.training import TrainingScreen
    from quizapp.ui.screens.write_status import WriteStatusScreen
    from quizapp.ui.widgets.drill_panel import DrillPanel
    from quizapp.ui.widgets.gradient_question import GradientQuestionPanel

    return {
        "Home": HomeScreen.BINDINGS,
        "Review": ReviewScreen.BINDINGS,
        "Browse cards": CardTable.BINDINGS + BrowserScreen.BINDINGS,
        "Notes and summary": NotesScreen.BINDINGS + SummaryScreen.BINDINGS,
        "Formula drills": DrillScreen.BINDINGS + DrillPanel.BINDINGS,
        "Gradient Lab": GradientLabScreen.BINDINGS + GradientQuestionPanel.BINDINGS,
        "Statistics": StatisticsScreen.BINDINGS,
        "Quiz": QuizSetupScreen.BINDINGS + QuizScreen.BINDINGS + QuizSummaryScreen.BINDINGS,
        "Training demo": TrainingScreen.BINDINGS,
        "Not saved": WriteStatusScreen.BINDINGS,
        "Everywhere": everywhere,
    }


def table_text(table: Table, width: int) -> Text:
    """``table`` rendered at ``width`` cells as styled text (no Textual involved: a thread can do it)."""
    import io

    from rich.console import Console

    console = Console(width=width, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      legacy_windows=False)
    out = Text(no_wrap=True, overflow="crop")
    for k, line in enumerate(console.render_lines(table, console.options.update_width(width), pad=False)):
        if k:
            out.append("\n")
        for segment in line:
            if not segment.control:
                out.append(segment.text, segment.style)
    out.rstrip()
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    class Ready(Message):
        def __init__(self, sections: dict[str, list[Binding]], text: Text, width: int) -> None:
            super().__init__()
            self.sections, self.text, self.width = sections, text, width

    def __init__(self, sections: dict[str, list[Binding]] | None = None) -> None:
        """``sections``: None reads every screen's keys (:func:`app_sections`), in the thread."""
        super().__init__()
        self.sections = sections
        self.loaded = False
        self._width = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(Text("Reading the keys…", style="dim"), id="help-keys")
            yield Static(Text("Esc or ? closes this help.", style="dim"))

    def on_mount(self) -> None:
        self.call_after_refresh(self._render_keys)

    def on_resize(self, _event: events.Resize) -> None:
        if self.loaded:
            self.call_after_refresh(self._render_keys)

    def _render_keys(self) -> None:
        width = self.query_one("#help-keys").content_size.width - 2  # room for the scrollbar the list brings
        if width > 0 and width != self._width:
            self._width = width
            self._build(width, list(self.app.BINDINGS))

    @work(thread=True, exclusive=True, group="load")
    def _build(self, width: int, everywhere: list[Binding]) -> None:
        sections = self.sections if self.sections is not None else app_sections(everywhere)
        self.post_message(self.Ready(sections, table_text(help_table(sections), width), width))

    @on(Ready)
    def _ready(self, message: Ready) -> None:
        self.sections = message.sections
        if message.width == self._width:
            self.query_one("#help-keys", Static).update(message.text)
            self.loaded = True

    def action_close(self) -> None:
        self.dismiss(None)
