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
