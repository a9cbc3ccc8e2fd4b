"""Recovery: the collection cannot be opened. Say what happened, where, and offer the ways out.

Shown instead of Home when :func:`quizapp.core.srs.health.diagnose` finds the collection damaged,
not a collection, or from a newer quizapp. Choices: restore the newest good backup (its date and
review count shown), move the damaged file aside and start a new collection, or quit. Nothing is
deleted: the damaged file is kept as ``collection.sqlite3.broken-YYYYMMDD-HHMMSS``. The screen does
the file work and dismisses with a sentence for the app to show; the app then opens the collection.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from quizapp.core.srs.backups import Backup, BackupError, move_aside, newest_good_backup, restore
from quizapp.core.srs.health import Health

RESTORE, NEW, QUIT = "restore", "new", "quit"


def display_path(path: Path) -> str:
    """``path`` with the home folder written ``~``."""
    try:
        return "~/" + str(Path(path).relative_to(Path.home()))
    except ValueError:
        return str(path)


@dataclass(frozen=True, slots=True)
class Recovery:
    """What the recovery screen needs: the diagnosis, where things are, the backup to offer."""

    health: Health
    collection_path: Path
    backups_dir: Path
    backup: Backup | None = None  # the newest good backup, checked
    display: str | None = None  # how to show collection_path (tests pass a fixed one)
    while_running: bool = False  # found damaged while the app was using it, not at start-up

    @classmethod
    def find(cls, health: Health, collection_path: Path, backups_dir: Path,
             display: str | None = None) -> Recovery:
        """Look for the newest good backup (a full integrity check of each until one passes)."""
        return cls(health, Path(collection_path), Path(backups_dir), newest_good_backup(backups_dir), display)

    @property
    def shown_path(self) -> str:
        return self.display if self.display is not None else display_path(self.collection_path)


class RecoveryScreen(Screen[str | None]):
    """Dismisses with a message once the collection was restored or started anew; None to quit."""

    DEFAULT_CSS = """
    RecoveryScreen #recovery { padding: 1 2; }
    RecoveryScreen #recovery-title { text-style: bold; color: $error; margin-bottom: 1; }
    RecoveryScreen #recovery-what { margin-bottom: 1; }
    RecoveryScreen #recovery-choices { height: auto; max-height: 8; margin: 1 0; border: round $primary; }
    RecoveryScreen #recovery-status { color: $error; height: auto; margin-bottom: 1; display: none; }
    RecoveryScreen #recovery-hint { color: $text-muted; height: auto; }
    """

    BINDINGS = [
        Binding("r", "restore", "Restore backup", tooltip="Put the newest good backup in place"),
        Binding("n", "new", "New collection", tooltip="Move the damaged file aside; start afresh"),
        Binding("q", "quit_recovery", "Quit", tooltip="Leave everything as it is"),
        Binding("escape", "quit_recovery", "Quit", show=False),
    ]

    def __init__(self, recovery: Recovery) -> None:
        super().__init__()
        self.recovery = recovery

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="recovery"):
            yield Static(self._title(), id="recovery-title")
            yield Static(self._what(), id="recovery-what")
            yield OptionList(*self._options(), id="recovery-choices")
            yield Static(id="recovery-status")
            yield Static(self._hint(), id="recovery-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Recovery"
        self.query_one(OptionList).focus()

    # ---- text --------------------------------------------------------------------------------

    @property
    def _file(self) -> str:
        return "file" if self.recovery.health.problem == "too_new" else "damaged file"

    def _title(self) -> str:
        if self.recovery.health.problem == "too_new":
            return "⚠ This collection needs a newer quizapp"
        if self.recovery.while_running:
            return "⚠ Your collection turned out to be damaged"
        return "⚠ Your collection cannot be opened"

    def _what(self) -> Text:
        health = self.recovery.health
        text = Text(health.headline + "\n", style="bold")
        if health.detail:
            text.append(health.detail + "\n")
        text.append("\nFile: ", style="bold")
        text.append(self.recovery.shown_path)
        text.append("\n\nNothing has been changed or deleted. ")
        if health.problem == "too_new":
            text.append("The simplest fix: pip install -U quizapp, then open it again.")
        else:
            text.append("What would you like to do?")
        return text

    def _options(self) -> list[Option]:
        backup = self.recovery.backup
        if backup is not None:
            restore_text = Text.assemble(("r  ", "bold"), "Restore the backup of ", (backup.describe(), "bold"))
            if self.recovery.health.problem == "too_new":
                restore_text.append(" (without what the newer quizapp added)")
            restore_option = Option(restore_text, id=RESTORE)
        else:
            restore_option = Option(Text.assemble(("r  ", "bold"), "No backup to restore (none found)"),
                                    id=RESTORE, disabled=True)
        return [
            restore_option,
            Option(Text.assemble(("n  ", "bold"), f"Move the {self._file} aside and start a new collection"), id=NEW),
            Option(Text.assemble(("q  ", "bold"), "Quit and leave everything as it is"), id=QUIT),
        ]

    def _hint(self) -> Text:
        name = self.recovery.collection_path.name
        return Text(
            f"Restore and New keep the {self._file} next to it as {name}.broken-<date>-<time>.\n"
            "Older backups: quizapp backup --list, then quizapp restore DATE."
        )

    # ---- actions -----------------------------------------------------------------------------

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        {RESTORE: self.action_restore, NEW: self.action_new, QUIT: self.action_quit_recovery}[event.option.id]()

    def action_restore(self) -> None:
        backup = self.recovery.backup
        if backup is None:
            self._status("There is no good backup to restore.")
            return
        try:
            done = restore(backup, self.recovery.collection_path, now=self.app.clock())
        except (OSError, BackupError) as error:
            self._status(f"Restore failed, nothing was changed: {error}")
            return
        kept = f" The {self._file} was kept as {done.kept_aside.name}." if done.kept_aside else ""
        self.dismiss(f"Restored the backup of {backup.describe()}.{kept}")

    def action_new(self) -> None:
        try:
            kept = move_aside(self.recovery.collection_path, now=self.app.clock())
        except OSError as error:
            self._status(f"Could not move the file aside, nothing was changed: {error}")
            return
        where = f" The {self._file} was kept as {kept.name}." if kept else ""
        self.dismiss(f"Started a new collection.{where}")

    def action_quit_recovery(self) -> None:
        self.dismiss(None)

    def _status(self, message: str) -> None:
        status = self.query_one("#recovery-status", Static)
        status.update(Text(message))
        status.display = True
