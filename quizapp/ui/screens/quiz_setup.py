"""Quiz setup: which decks, which kinds of question, how many, and an optional time limit.

How many questions of each kind the chosen decks give is counted in a thread (it builds the
multiple-choice options of every card): the first frame shows "…" for the counts (``loaded`` once
they are in), and the kinds that have questions are ticked when they arrive."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from quizapp.core.study.quiz_items import KIND_LABELS, QuizKind
from quizapp.core.text.safe import visible_controls

MAX_QUESTIONS = 200


class QuizSetupScreen(Screen):
    DEFAULT_CSS = """
    QuizSetupScreen #quiz-setup { padding: 0 2; }
    QuizSetupScreen #setup-intro { height: auto; color: $text-muted; margin: 1 0; }
    QuizSetupScreen #setup-lists { height: auto; max-height: 1fr; }
    QuizSetupScreen SelectionList {
        width: 1fr; height: auto; max-height: 12; border: round $primary; padding: 0 1;
    }
    QuizSetupScreen SelectionList:focus { border: round $accent; }
    QuizSetupScreen #setup-options { height: auto; margin-top: 1; }
    QuizSetupScreen #setup-options Label { padding: 1 1 0 0; }
    QuizSetupScreen #quiz-count { width: 10; }
    QuizSetupScreen #quiz-minutes { width: 10; }
    QuizSetupScreen #quiz-start { margin-left: 2; min-width: 10; }
    QuizSetupScreen #setup-error { height: auto; color: $error; }
    QuizSetupScreen #setup-hint { height: auto; color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [
        Binding("ctrl+s", "start", "Start", tooltip="Start the quiz (Enter in the number boxes too)"),
        Binding("escape", "back", "Back", tooltip="Back to your decks"),
    ]

    class Counts(Message):
        def __init__(self, counts: dict[QuizKind, int], chosen: frozenset[str]) -> None:
            super().__init__()
            self.counts, self.chosen = counts, chosen

    def __init__(self) -> None:
        super().__init__()
        self.loaded = False

    def compose(self) -> ComposeResult:
        app = self.app
        decks = [d for d in app.library.decks if not d.failed]
        yield Header()
        with Vertical(id="quiz-setup"):
            yield Static("Practice on your decks. A quiz is scored now and never changes your review "
                         "schedule; missed cards can be sent to review at the end.", id="setup-intro")
            with Horizontal(id="setup-lists"):
                deck_list = SelectionList[str](
                    *(Selection(Text(visible_controls(d.title)), d.id, True) for d in decks), id="quiz-decks")
                deck_list.border_title = "Decks"
                yield deck_list
                kind_list = SelectionList[str](
                    *(Selection(self._kind_prompt(k, None), str(k), False) for k in QuizKind), id="quiz-kinds")
                kind_list.border_title = "Questions"
                yield kind_list
            with Horizontal(id="setup-options"):
                yield Label("Questions")
                yield Input("10", type="integer", id="quiz-count", max_length=3)
                yield Label("  Minutes")
                yield Input("", placeholder="none", type="number", id="quiz-minutes", max_length=5)
                yield Button("Start", id="quiz-start", variant="primary")
            yield Static(id="setup-error")
            yield Static("Space toggles a deck or kind · Tab moves · Enter in a box or ctrl+s starts · "
                         "Esc back", id="setup-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Quiz"
        self.query_one("#setup-error", Static).display = False
        self.query_one("#quiz-decks", SelectionList).focus()
        self.call_after_refresh(self._decks_changed)

    @staticmethod
    def _kind_prompt(kind: QuizKind, count: int | None) -> Text:
        text = Text(f"{KIND_LABELS[kind]:<16}", style="" if count else "dim")
        text.append(f"{'…' if count is None else count:>4}", style="dim")
        return text

    @on(SelectionList.SelectedChanged, "#quiz-decks")
    def _decks_changed(self) -> None:
        decks = self._chosen_decks()
        self._count_kinds(decks, frozenset(d.id for d in decks))

    @work(thread=True, exclusive=True, group="load")
    def _count_kinds(self, decks: list, chosen: frozenset[str]) -> None:
        from quizapp.core.study.quiz_build import available_counts

        self.post_message(self.Counts(available_counts(decks), chosen))

    @on(Counts)
    def _counted(self, message: Counts) -> None:
        if message.chosen != frozenset(self.query_one("#quiz-decks", SelectionList).selected):
            return  # the decks changed since: a newer count is on its way
        kinds = self.query_one("#quiz-kinds", SelectionList)
        for index, kind in enumerate(QuizKind):
            kinds.replace_option_prompt_at_index(index, self._kind_prompt(kind, message.counts.get(kind, 0)))
        if not self.loaded:  # the first counts tick every kind that has questions
            for kind in QuizKind:
                if message.counts.get(kind, 0):
                    kinds.select(str(kind))
            self.loaded = True

    def _chosen_decks(self):
        chosen = set(self.query_one("#quiz-decks", SelectionList).selected)
        return [d for d in self.app.library.decks if not d.failed and d.id in chosen]

    def _error(self, message: str) -> None:
        error = self.query_one("#setup-error", Static)
        error.update(message)
        error.display = True

    @on(Input.Submitted)
    @on(Button.Pressed, "#quiz-start")
    def action_start(self) -> None:
        decks = self._chosen_decks()
        kinds = [QuizKind(k) for k in self.query_one("#quiz-kinds", SelectionList).selected]
        count_text = self.query_one("#quiz-count", Input).value.strip()
        minutes_text = self.query_one("#quiz-minutes", Input).value.strip()
        if not decks:
            return self._error("Pick at least one deck (Space toggles).")
        if not kinds:
            return self._error("Pick at least one kind of question (Space toggles).")
        try:
            count = int(count_text)
        except ValueError:
            count = 0
        if not 1 <= count <= MAX_QUESTIONS:
            return self._error(f"Questions: a whole number from 1 to {MAX_QUESTIONS}.")
        limit = None
        if minutes_text:
            try:
                minutes = float(minutes_text)
            except ValueError:
                minutes = -1
            if not 0 < minutes <= 600:
                return self._error("Minutes: leave empty for no limit, or a number from 0.1 to 600.")
            limit = minutes * 60
        from quizapp.core.study.quiz_build import build_quiz

        app = self.app
        quiz = build_quiz(decks, kinds, count, seed=getattr(app, "quiz_seed", None), time_limit=limit,
                          collection=app.collection, clock=app.clock, now=app.monotonic())
        if not quiz.items:
            return self._error("No questions of those kinds in those decks.")
        from quizapp.ui.screens.quiz_screen import QuizScreen

        self.app.switch_screen(QuizScreen(quiz))

    def action_back(self) -> None:
        self.dismiss(None)
