"""The Textual application: owns the library of decks, the collection and the screen flow."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from quizapp.core.clock import Clock, utcnow
from quizapp.core.config import Config
from quizapp.core.content.loader import Library, load_library
from quizapp.core.content.model import Card
from quizapp.core.session import SessionSummary, Study
from quizapp.core.srs.store import Collection
from quizapp.ui.screens.home import HomeScreen

DARK, LIGHT = "textual-dark", "textual-light"


class QuizApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "quizapp"
    BINDINGS = [Binding("question_mark", "help", "Help", key_display="?", show=False)]

    def __init__(
        self,
        *,
        library: Library,
        collection: Collection,
        config: Config | None = None,
        content_paths: Iterable[Path] = (),
        deck_cache: Path | None = None,
        clock: Clock = utcnow,
        review_deck: str | None = None,
        start_in_review: bool = False,
        notices: Iterable[str] = (),
        theme: str = DARK,
    ) -> None:
        super().__init__()
        self.library = library
        self.collection = collection
        self.config = config or Config()
        self.content_paths = list(content_paths)
        self.deck_cache = deck_cache
        self.clock = clock
        self.study = Study(collection, self._loaded_decks(), self.config, clock)
        self._review_deck = review_deck
        self._start_in_review = start_in_review
        self._notices = list(notices)
        self.theme = theme
        self.monotonic = time.monotonic  # how long a card was on screen; tests freeze it
        self.lab_seed: int | None = None  # None: fresh numbers each time; tests fix it

    def _loaded_decks(self):
        return [d for d in self.library.decks if not d.failed]

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
        for notice in self._notices:
            self.notify(notice, severity="warning", timeout=8, markup=False)
        if self._start_in_review:
            self.start_review(self._review_deck)

    # ---- navigation --------------------------------------------------------------------------

    def deck_title(self, deck_id: str | None) -> str:
        if deck_id is None:
            return "All decks"
        deck = self.library.deck(deck_id)
        return deck.title if deck else deck_id

    def start_review(self, deck_id: str | None) -> None:
        if deck_id is not None and self.library.deck(deck_id) is None:
            self.notify(f"No deck called {deck_id!r}.", severity="error", markup=False)
            return
        from quizapp.ui.screens.review import ReviewScreen

        session = self.study.start_review(deck_id)
        title = self.deck_title(deck_id)
        if session.finished:
            self.notify(f"Nothing to study in {title} right now.", title="All caught up", markup=False)
            return
        self.push_screen(ReviewScreen(session, title), callback=self._back_home)

    def show_summary(self, summary: SessionSummary, title: str) -> None:
        from quizapp.ui.screens.review import ReviewScreen
        from quizapp.ui.screens.summary import SummaryScreen

        if isinstance(self.screen, ReviewScreen):
            self.switch_screen(SummaryScreen(summary, title))

    def show_notes(self, deck_id: str) -> None:
        from quizapp.ui.screens.notes import NotesScreen

        deck = self.library.deck(deck_id)
        if deck is not None:
            self.push_screen(NotesScreen(deck))

    def action_gradient_lab(self) -> None:
        from quizapp.ui.screens.gradient_lab import GradientLabScreen

        self.push_screen(GradientLabScreen(seed=self.lab_seed))

    def action_training(self) -> None:
        from quizapp.ui.screens.training import TrainingScreen

        if not isinstance(self.screen, TrainingScreen):
            self.push_screen(TrainingScreen())

    def action_drills(self, deck_id: str | None = None) -> None:
        """Practise every formula drill (of one deck, or all) outside spaced repetition."""
        from quizapp.core.content.model import CardKind
        from quizapp.core.drills import parse_drill_toml
        from quizapp.ui.screens.drill_screen import DrillScreen

        decks = [self.library.deck(deck_id)] if deck_id else self._loaded_decks()
        drills = []
        for deck in filter(None, decks):
            for card in deck.cards:
                if card.kind is CardKind.DRILL:
                    drill, _problems = parse_drill_toml(card.spec, validate=False)
                    if drill is not None:
                        drills.append(drill)
        if not drills:
            self.notify("No formula drills in these decks (```drill blocks; see docs/content-format.md).",
                        severity="warning", markup=False)
            return
        self.push_screen(DrillScreen(drills, self.deck_title(deck_id)))

    def action_statistics(self) -> None:
        from quizapp.ui.screens.stats_screen import StatisticsScreen

        if not isinstance(self.screen, StatisticsScreen):
            self.push_screen(StatisticsScreen(), callback=self._back_home)

    def action_browse(self) -> None:
        from quizapp.ui.screens.browser import BrowserScreen

        if not isinstance(self.screen, BrowserScreen):
            self.push_screen(BrowserScreen(), callback=self._back_home)

    def action_quiz(self) -> None:
        from quizapp.ui.screens.quiz_setup import QuizSetupScreen

        self.push_screen(QuizSetupScreen(), callback=self._back_home)

    def _back_home(self, _result: object = None) -> None:
        if isinstance(self.screen, HomeScreen):
            self.screen.refresh_counts()

    def action_help(self) -> None:
        # Screens are imported when first needed, so start-up pays only for Home.
        from quizapp.ui.screens.browser import BrowserScreen, CardTable
        from quizapp.ui.screens.drill_screen import DrillScreen
        from quizapp.ui.screens.gradient_lab import GradientLabScreen
        from quizapp.ui.screens.help import HelpScreen
        from quizapp.ui.screens.notes import NotesScreen
        from quizapp.ui.screens.quiz_screen import QuizScreen
        from quizapp.ui.screens.quiz_setup import QuizSetupScreen
        from quizapp.ui.screens.quiz_summary import QuizSummaryScreen
        from quizapp.ui.screens.review import ReviewScreen
        from quizapp.ui.screens.stats_screen import StatisticsScreen
        from quizapp.ui.screens.summary import SummaryScreen
        from quizapp.ui.screens.training import TrainingScreen
        from quizapp.ui.widgets.drill_panel import DrillPanel
        from quizapp.ui.widgets.gradient_question import GradientQuestionPanel

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(
            HelpScreen(
                {
                    "Home": HomeScreen.BINDINGS,
                    "Review": ReviewScreen.BINDINGS,
                    "Browse cards": CardTable.BINDINGS + BrowserScreen.BINDINGS,
                    "Notes and summary": NotesScreen.BINDINGS + SummaryScreen.BINDINGS,
                    "Formula drills": DrillScreen.BINDINGS + DrillPanel.BINDINGS,
                    "Gradient Lab": GradientLabScreen.BINDINGS + GradientQuestionPanel.BINDINGS,
                    "Statistics": StatisticsScreen.BINDINGS,
                    "Quiz": QuizSetupScreen.BINDINGS + QuizScreen.BINDINGS + QuizSummaryScreen.BINDINGS,
                    "Training demo": TrainingScreen.BINDINGS,
                    "Everywhere": self.BINDINGS,
                }
            )
        )

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Review all due", "Study every due card of every deck", lambda: self.start_review(None))
        yield SystemCommand("Quiz", "Practice on chosen decks: scored, timed if you like, schedule untouched",
                            self.action_quiz)
        yield SystemCommand("Formula drills", "Practise every formula drill, graded by equivalence",
                            self.action_drills)
        yield SystemCommand("Gradient Lab", "Practise computing gradients with fresh numbers",
                            self.action_gradient_lab)
        yield SystemCommand("Training demo: dying ReLU",
                            "Train small nets side by side and watch ReLU units die (Leaky ReLU's don't)",
                            self.action_training)
        yield SystemCommand("Statistics", "Review heatmap, due forecast, retention and mastery per deck",
                            self.action_statistics)
        yield SystemCommand("Browse cards", "Search every card; see its history; suspend, bury, reset or edit it",
                            self.action_browse)
        yield SystemCommand("Toggle dark/light theme", "Switch between the dark and light themes",
                            self.action_toggle_theme)
        for deck in self._loaded_decks():
            yield SystemCommand(f"Open deck: {deck.title}", f"Review {deck.id}",
                                lambda deck_id=deck.id: self.start_review(deck_id))
            yield SystemCommand(f"Notes: {deck.title}", f"Read the notes of {deck.id}",
                                lambda deck_id=deck.id: self.show_notes(deck_id))

    # ---- editing -----------------------------------------------------------------------------

    def edit_card(self, card: Card) -> None:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.notify("Set $EDITOR (for example: export EDITOR=nano) to edit decks from here.",
                        severity="warning", markup=False)
            return
        command = editor_command(editor, card.file, card.line)
        try:
            with self.suspend():
                subprocess.run(command, check=False)
        except Exception as error:  # noqa: BLE001 — SuspendNotSupported when headless, a missing editor
            self.notify(f"Could not run {command[0]}: {error}", severity="error", markup=False)
            return
        self.reload_library()

    def reload_library(self) -> None:
        self.library = load_library(self.content_paths, self.deck_cache)
        self.study.set_decks(self._loaded_decks())
        from quizapp.ui.screens.review import ReviewScreen

        if isinstance(self.screen, ReviewScreen):
            self.screen.refresh_card()  # the card on screen shows its edited text
        errors = [p for d in self.library.decks for p in d.errors]
        if errors:
            self.notify(str(errors[0]), title="Deck has errors", severity="error", timeout=10, markup=False)
        else:
            self.notify("Decks reloaded.")


def editor_command(editor: str, file: str, line: int) -> list[str]:
    """The command that opens ``file`` at ``line`` in the user's editor."""
    parts = shlex.split(editor)
    name = Path(parts[0]).name
    if name in ("code", "code-insiders", "codium"):
        return [*parts, "--goto", f"{file}:{line}"]
    if name in ("subl", "zed"):
        return [*parts, f"{file}:{line}"]
    return [*parts, f"+{line}", file]
