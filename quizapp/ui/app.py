"""The Textual application: owns the library of decks, the collection and the screen flow."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from quizapp.core.clock import Clock, utcnow
from quizapp.core.config import Config
from quizapp.core.content.loader import Library
from quizapp.core.content.model import Card
from quizapp.core.study.counts import Study
from quizapp.core.srs.store import Collection
from quizapp.core.text.safe import visible_controls
from quizapp.ui.reloader import DeckReloader, LibraryLoaded
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.watcher import carry_over_safely
from quizapp.ui.write_guard import WRITE_PATIENCE, WriteGuard

if TYPE_CHECKING:
    from quizapp.core.study.review import SessionSummary
    from quizapp.ui.screens.recovery import Recovery
    from textual.events import Resize

DARK, LIGHT = "textual-dark", "textual-light"


class QuizApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "quizapp"
    BINDINGS = [Binding("question_mark", "help", "Help", key_display="?", show=False)]

    def __init__(
        self,
        *,
        library: Library,
        collection: Collection | None,
        config: Config | None = None,
        content_paths: Iterable[Path] = (),
        deck_cache: Path | None = None,
        clock: Clock = utcnow,
        review_deck: str | None = None,
        start_in_review: bool = False,
        notices: Iterable[str] = (),
        theme: str = DARK,
        recovery: Recovery | None = None,
        backups_dir: Path | None = None,
    ) -> None:
        """``recovery``: the collection could not be opened (``collection`` is None); the app starts
        on the recovery screen and opens the collection once it was restored or started anew.
        ``backups_dir``: take today's backup there, in a background thread, once the app runs."""
        super().__init__()
        self.library = library
        self.collection = collection
        self.config = config or Config()
        self.content_paths = list(content_paths)
        self.deck_cache = deck_cache
        self.clock = clock
        if collection is not None:
            collection.patience = WRITE_PATIENCE  # a locked collection fails in seconds, offered for retry
        self.writes = WriteGuard(self)  # every collection write of the UI goes through it
        self.reloader = DeckReloader(self)  # re-reads saved decks in a thread
        self.renames = carry_over_safely(collection, library)  # reworded cards keep their history
        self.study = Study(collection, self._loaded_decks(), self.config, clock) if collection is not None else None
        self._recovery = recovery
        self.backups_dir = backups_dir
        self._review_deck = review_deck
        self._start_in_review = start_in_review
        self._notices = list(notices)
        self.theme = theme
        self.monotonic = time.monotonic  # how long a card was on screen; tests freeze it
        self.lab_seed: int | None = None  # None: fresh numbers each time; tests fix it
        self._damaged = False  # the collection was found damaged while running: recovery is on screen

    def _loaded_decks(self):
        return [d for d in self.library.decks if not d.failed]

    def get_default_screen(self) -> Screen:
        """Home is the bottom of the screen stack (one screen to lay out at start-up, not two); while
        the collection needs recovering, an empty screen is, and Home is pushed once it is open."""
        return Screen() if self._recovery is not None else HomeScreen()

    def on_mount(self) -> None:
        if self._recovery is not None:
            self._show_recovery(self._recovery)
        for notice in self._notices:
            self.notify(notice, severity="warning", timeout=8, markup=False)
        if self._recovery is None and self._start_in_review:
            self._start_in_review = False
            self.start_review(self._review_deck)
        self._watch_decks()
        self._daily_backup()

    def on_resize(self, event: Resize) -> None:
        """Class -phone under 60 cells (home.NARROW; app.tcss), on every resize the driver reports:
        Textual's breakpoints never fire under textual-serve's web driver."""
        self.set_class(event.size.width < 60, "-phone")

    # ---- damage found while running ------------------------------------------------------------

    def collection_failed(self, error: BaseException) -> bool:
        """Whether ``error`` shows the collection is damaged (SQLite read a broken page the start-up
        check did not: big files get only the cheap check); if so the recovery screen takes over,
        as for a collection found damaged at start-up."""
        collection = self.collection
        if collection is None:  # already recovering: a screen underneath reached for the old file
            return self._damaged and isinstance(error, sqlite3.Error)
        from quizapp.core.srs.health import damage_in

        health = damage_in(error, collection.path)
        if health is None:
            return False
        self._collection_damaged(collection, health)
        return True

    def _handle_exception(self, error: Exception) -> None:
        """Textual's hook for an unhandled exception, which ends the app: damage to the collection
        found by any screen goes to recovery instead (see :meth:`collection_failed`). Textual sets
        the return code to 1, which `quizapp` exits with."""
        if not self.collection_failed(error):
            super()._handle_exception(error)

    # ---- collection writes ---------------------------------------------------------------------

    def writes_idle(self) -> None:
        """The write guard finished (or gave up) a write: a reload that waited for it goes on."""
        self.reloader.resume()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a write is saving or its failure is on screen, its panel stays on top: no screen
        is opened over it (quitting still works)."""
        if action in ("help", "command_palette") and self.writes.active:
            return False
        return True

    def _collection_damaged(self, collection: Collection, health) -> None:
        from quizapp.core.srs.health import diagnose
        from quizapp.ui.screens.recovery import Recovery

        self._damaged = True
        self.collection = None
        try:
            collection.close()
        except sqlite3.Error:
            pass
        checked = diagnose(collection.path, thorough=True)
        backups = self.backups_dir if self.backups_dir is not None else collection.path.parent / "backups"
        found = Recovery.find(health if checked.ok else checked, collection.path, backups)
        self._show_recovery(dataclasses.replace(found, while_running=True))

    # ---- recovery (the collection could not be opened) ----------------------------------------

    def _show_recovery(self, recovery: Recovery) -> None:
        from quizapp.ui.screens.recovery import RecoveryScreen

        self._recovery = recovery
        self.push_screen(RecoveryScreen(recovery), callback=self._recovered)

    def _recovered(self, message: str | None) -> None:
        """The recovery screen restored a backup or moved the broken file aside: open and go Home."""
        if message is None:
            self.exit()
            return
        from quizapp.core.srs.backups import open_collection
        from quizapp.core.srs.health import CollectionBroken, Health
        from quizapp.ui.screens.recovery import Recovery

        recovery = self._recovery
        try:
            collection, notices = open_collection(recovery.collection_path, recovery.backups_dir, clock=self.clock,
                                                  daily=False)
        except Exception as error:  # noqa: BLE001 — whatever it is, stay on the recovery screen
            health = error.health if isinstance(error, CollectionBroken) else Health(
                False, "unreadable", f"{type(error).__name__}: {error}", recovery.collection_path)
            self._show_recovery(Recovery.find(health, recovery.collection_path, recovery.backups_dir,
                                              recovery.display))
            return
        self.collection = collection
        collection.patience = WRITE_PATIENCE
        self.renames = carry_over_safely(collection, self.library)
        self.study = Study(collection, self._loaded_decks(), self.config, self.clock)
        self._recovery = None
        self._damaged = False
        while len(self.screen_stack) > 1:  # screens of the damaged collection (some may have died)
            self.pop_screen()
        home = self.screen_stack[0]
        if isinstance(home, HomeScreen):  # damage found while running: Home is still at the bottom
            home.refresh_counts()
        else:  # damage found at start-up: an empty screen is at the bottom
            self.push_screen(HomeScreen())
        self.notify(message, title="Recovery", timeout=12, markup=False)
        for notice in notices:
            self.notify(notice, severity="warning", timeout=8, markup=False)
        if self._start_in_review:
            self.start_review(self._review_deck)
        self.backups_dir = recovery.backups_dir
        self._daily_backup()

    def _daily_backup(self) -> None:
        """Today's backup of the collection (once a day; verified), off the UI thread."""
        if self.collection is None or self.backups_dir is None:
            return
        collection, backups_dir = self.collection, self.backups_dir

        async def work() -> None:
            import asyncio

            from quizapp.core.srs.backups import daily_backup

            try:  # a thread does the copy; the notice is posted from the event loop (no call_from_thread,
                # which could block forever on an app that is shutting down)
                await asyncio.to_thread(daily_backup, collection, backups_dir)
            except Exception as error:  # noqa: BLE001 — a failed backup must never stop studying
                self.notify(f"Today's backup of the collection failed: {error}", severity="warning",
                            timeout=10, markup=False)

        self.run_worker(work(), name="daily-backup", group="backup", exit_on_error=False)

    # ---- navigation --------------------------------------------------------------------------

    def deck_title(self, deck_id: str | None) -> str:
        if deck_id is None:
            return "All decks"
        deck = self.library.deck(deck_id)
        return visible_controls(deck.title if deck else deck_id)  # deck text: never raw controls

    def start_review(self, deck_id: str | None) -> None:
        if deck_id is not None and self.library.deck(deck_id) is None:
            self.notify(f"No deck called {deck_id!r}.", severity="error", markup=False)
            return
        from quizapp.ui.screens.review import ReviewScreen

        session = self.study.start_review(deck_id)
        title = self.deck_title(deck_id)
        if session.finished:
            held = self.study.new_cards_held(deck_id)
            if held:
                self.notify(f"Nothing due in {title}. {held}", title="New-card limit", timeout=8, markup=False)
            else:
                self.notify(f"Nothing to study in {title} right now.", title="All caught up", markup=False)
            return
        self.push_screen(ReviewScreen(session, title), callback=self._back_home)

    def show_summary(self, summary: SessionSummary, title: str, deck_id: str | None = None) -> None:
        from quizapp.ui.screens.review import ReviewScreen
        from quizapp.ui.screens.summary import SummaryScreen

        if isinstance(self.screen, ReviewScreen):
            self.switch_screen(SummaryScreen(summary, title, deck_id, self.study.new_cards_held(deck_id)))

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

    def action_drills(self, deck_id: str | None = None, group: tuple[str, list[str]] | None = None) -> None:
        """Practise every formula drill (of one deck, of a Home group ``(name, deck ids)``, or all)
        outside spaced repetition."""
        from quizapp.core.content.model import CardKind
        from quizapp.ui.screens.drill_screen import DrillScreen

        if group is not None:
            decks = [self.library.deck(d) for d in group[1]]
        else:
            decks = [self.library.deck(deck_id)] if deck_id else self._loaded_decks()
        cards = [card for deck in filter(None, decks) for card in deck.cards if card.kind is CardKind.DRILL]
        if not cards:
            self.notify("No formula drills in these decks (```drill blocks; see docs/content-format.md).",
                        severity="warning", markup=False)
            return
        title = visible_controls(group[0]) if group is not None else self.deck_title(deck_id)
        self.push_screen(DrillScreen(cards=cards, title=title))  # read in its thread

    def action_statistics(self) -> None:
        from quizapp.ui.screens.stats_screen import StatisticsScreen

        if not isinstance(self.screen, StatisticsScreen):
            self.push_screen(StatisticsScreen(), callback=self._back_home)

    def action_browse(self) -> None:
        from quizapp.ui.screens.browser import BrowserScreen

        if not isinstance(self.screen, BrowserScreen):
            self.push_screen(BrowserScreen(), callback=self._back_home)

    def action_quiz(self) -> None:
        self.push_screen(self.quiz_setup_screen(), callback=self._back_home)

    def quiz_setup_screen(self):
        """A fresh quiz setup screen (the summary's "new quiz" asks the app, so the quiz screens do
        not import each other in a circle: setup → quiz → summary)."""
        from quizapp.ui.screens.quiz_setup import QuizSetupScreen

        return QuizSetupScreen()

    def _back_home(self, _result: object = None) -> None:
        if isinstance(self.screen, HomeScreen):
            self.screen.refresh_counts()

    def action_help(self) -> None:
        from quizapp.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title == "Keys":  # Textual's docked keys panel squashed Home and ignored Esc
                yield SystemCommand("Keys", "Every key of every screen (Esc or ? closes it)", self.action_help)
            else:
                yield command
        if self.study is None:  # recovering: nothing to study yet
            return
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
            title = visible_controls(deck.title)
            yield SystemCommand(f"Open deck: {title}", f"Review {title}: its due and new cards",
                                lambda deck_id=deck.id: self.start_review(deck_id))
            yield SystemCommand(f"Notes: {title}", f"Read the notes of {title}: its prose, code and diagrams",
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

    def reload_library(self, changed: list[Path] | None = None) -> None:
        """Re-read the decks in a thread: after `e` (everything), or when the watcher saw ``changed``
        files saved. See :mod:`quizapp.ui.reloader`."""
        self.reloader.request(changed)

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        self.reloader.loaded(message)

    # ---- live authoring: saved decks are re-read within a second -------------------------------

    def _watch_decks(self) -> None:
        if self.renames:
            n = len(self.renames)
            self.notify(f"Kept the history of {n} reworded card{'s' * (n != 1)} (see `quizapp check`).",
                        timeout=6, markup=False)
        self.reloader.watch()


def editor_command(editor: str, file: str, line: int) -> list[str]:
    """The command that opens ``file`` at ``line`` in the user's editor."""
    import shlex

    parts = shlex.split(editor)
    name = Path(parts[0]).name
    if name in ("code", "code-insiders", "codium"):
        return [*parts, "--goto", f"{file}:{line}"]
    if name in ("subl", "zed"):
        return [*parts, f"{file}:{line}"]
    return [*parts, f"+{line}", file]
