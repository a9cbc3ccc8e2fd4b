"""The panel shown over a screen while a collection write waits for the collection, or after it failed.

It sits at the bottom, so the card (or table row) the write was about stays readable above it. Its
keys are the only ones that work meanwhile — besides ctrl+q — so nothing else can change the
collection until the user retried or gave up. See :mod:`quizapp.ui.write_guard`.
"""

from __future__ import annotations

import time
from typing import Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static



class WriteGuard(Protocol):
    """What the panel asks of :class:`quizapp.ui.write_guard.WriteGuard` (a protocol: the guard
    opens this panel, so the panel does not import the guard)."""

    def retry(self) -> None: ...

    def cancel(self) -> None: ...


class WriteStatusScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    WriteStatusScreen {
        align: center bottom;
        background: $background 20%;
    }
    WriteStatusScreen #write-status {
        width: 100%;
        height: auto;
        padding: 0 2;
        border: heavy $warning;
        background: $surface;
    }
    WriteStatusScreen.-failed #write-status {
        border: heavy $error;
    }
    WriteStatusScreen #write-status-keys {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("r", "retry", "Retry", tooltip="Try the same write again (after fixing what the panel says)"),
        Binding("escape", "cancel", "Cancel", tooltip="Give the write up: nothing is saved, the screen stays as it was"),
    ]

    def __init__(self, guard: WriteGuard) -> None:
        super().__init__()
        self.guard = guard
        self.message = ""  # the one line saying what went wrong (empty while saving)
        self._what = ""
        self._since = 0.0
        self._failed = False
        self._tries = 1
        self._ready = False  # composed and mounted: the texts can be shown

    def compose(self) -> ComposeResult:
        with Vertical(id="write-status"):
            yield Static(id="write-status-title")
            yield Static(id="write-status-message")
            yield Static(id="write-status-keys")

    def on_mount(self) -> None:
        self._ready = True
        self.set_interval(0.5, self._tick)
        self._show()

    # ---- states ----------------------------------------------------------------------------------

    def saving(self, what: str, since: float) -> None:
        self._failed, self._what, self._since, self.message = False, what, since, ""
        self._show()

    def failed(self, what: str, message: str, tries: int) -> None:
        self._failed, self._what, self.message = True, what, message
        self._tries = tries
        self._show()

    def _show(self) -> None:
        if not self._ready:
            return
        self.set_class(self._failed, "-failed")
        title = self.query_one("#write-status-title", Static)
        message = self.query_one("#write-status-message", Static)
        keys = self.query_one("#write-status-keys", Static)
        if self._failed:
            tries = self._tries
            head = Text.assemble(("✗ Not saved: ", "bold"), (self._what, "bold"),
                                 (f"  (tried {tries} times)" if tries > 1 else "", "dim"))
            title.update(head)
            message.update(Text(self.message))
            keys.update("r retry · esc cancel · ctrl+q quit")
        else:
            title.update(Text.assemble(("Saving… ", "bold"), (f"({self._what})", "")))
            message.update(Text(f"Waiting for the collection ({time.monotonic() - self._since:.0f} s); "
                                "another program may be holding it."))
            keys.update("ctrl+q quit")
        self.refresh_bindings()

    def _tick(self) -> None:
        if not self._failed:
            self._show()

    # ---- keys ------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("retry", "cancel"):
            return self._failed
        return True

    def action_retry(self) -> None:
        self.guard.retry()

    def action_cancel(self) -> None:
        self.guard.cancel()
