"""Re-reading the decks while the app runs (a deck file saved, or edited with `e`), off the UI thread.

The parse runs in a thread worker, so keys keep working however long a deck takes to read; after
:data:`SHOW_AFTER` seconds a banner in the header says which file is being read and for how long. The
worker posts :class:`LibraryLoaded`, and the new library is swapped in on the UI thread: the history
of reworded cards is carried over (a collection write, through the app's write guard), Study gets
the new decks, a running review follows its renamed cards, and the screen on top shows the edit.
Saves made while a reload runs are read by one more reload right after it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from quizapp.core.content.loader import Library, load_library
from quizapp.ui.watcher import (
    POLL_SECONDS,
    DeckWatcher,
    carry_over_safely,
    follow_renames,
    session_renames,
)

if TYPE_CHECKING:
    from textual.app import App as QuizApp  # the quizapp.ui.app.QuizApp it serves (not imported: no cycle)
    from quizapp.ui.widgets.reload_banner import ReloadBanner

SHOW_AFTER = 0.3  # s: a reload shorter than this shows no banner (most take a few milliseconds)


class LibraryLoaded(Message):
    """The reload worker finished: ``library`` is the new one, or ``error`` says why there is none."""

    def __init__(self, library: Library | None, changed: list[Path] | None, error: str | None = None) -> None:
        super().__init__()
        self.library, self.changed, self.error = library, changed, error


class DeckReloader:
    """Watches the content paths and reloads the app's library; one reload at a time."""

    def __init__(self, app: QuizApp) -> None:
        self.app = app
        self.watcher: DeckWatcher | None = None
        self.loading = False
        self._started = 0.0
        self._changed: list[Path] | None = None
        self._queued = False  # more saves arrived while loading: reload once more afterwards
        self._queued_changed: set[Path] | None = set()
        self._loaded: LibraryLoaded | None = None  # waiting for a collection write to finish first
        self._banner: ReloadBanner | None = None

    def watch(self) -> None:
        if self.app.content_paths:
            self.watcher = DeckWatcher(self.app.content_paths)
            self.app.set_interval(POLL_SECONDS, self.poll, name="deck-watcher")

    def poll(self) -> None:
        if self.loading:
            self._update_banner()
        changed = self.watcher.changes() if self.watcher is not None else []
        if changed:
            self.request(changed)

    # ---- loading (a thread) ------------------------------------------------------------------------

    def request(self, changed: list[Path] | None = None) -> None:
        """Reload the decks: ``changed`` files were saved, or (None: after `e`) re-read everything
        and notify every deck error."""
        if self.loading or self._loaded is not None:
            self._queued = True
            if changed is None or self._queued_changed is None:
                self._queued_changed = None
            else:
                self._queued_changed.update(changed)
            return
        if changed is None and self.watcher is not None:
            self.watcher.reset()  # read now: the watcher must not report these saves again
        self.loading, self._started, self._changed = True, time.monotonic(), changed
        paths, cache, app = list(self.app.content_paths), self.app.deck_cache, self.app

        def work() -> None:
            try:
                library = load_library(paths, cache)
            except Exception as error:  # noqa: BLE001 — the loader should not raise; never end the app for it
                app.post_message(LibraryLoaded(None, changed, f"{type(error).__name__}: {error}"))
            else:
                app.post_message(LibraryLoaded(library, changed))

        self.app.run_worker(work, thread=True, name="reload-decks", group="reload-decks", exit_on_error=False)
        self.app.set_timer(SHOW_AFTER, self._update_banner)

    def _update_banner(self) -> None:
        if not self.loading:
            return
        from quizapp.ui.widgets.reload_banner import ReloadBanner

        screen = self.app.screen
        banner = self._banner
        if banner is None or not banner.is_attached or banner.screen is not screen:
            self._remove_banner()
            banner = self._banner = ReloadBanner(id="reload-banner")
            screen.mount(banner)
        changed = self._changed
        names = "the decks" if not changed else ", ".join(sorted({p.name for p in changed}))
        banner.show(names, time.monotonic() - self._started)

    def _remove_banner(self) -> None:
        banner, self._banner = self._banner, None
        if banner is not None and banner.is_attached:
            banner.remove()

    # ---- swapping in (the UI thread) ---------------------------------------------------------------

    def loaded(self, message: LibraryLoaded) -> None:
        self.loading = False
        self._remove_banner()
        if message.library is None:
            self.app.notify(f"Could not reload the decks: {message.error}", severity="error", markup=False)
            self._next()
            return
        self._loaded = message
        self.resume()

    def resume(self) -> None:
        """Swap a loaded library in, unless a collection write is running or failed (its panel is on
        screen): then it waits for that (the app calls this again when writes are idle)."""
        message = self._loaded
        app = self.app
        if message is None or app.writes.active:
            return
        library = message.library
        app.library = library
        if app.study is None:  # recovering: nothing is open to show it in yet
            self._loaded = None
            self._next()
            return
        collection = app.collection
        app.writes.run(lambda: carry_over_safely(collection, library), lambda renames: self._swap(message, renames),
                       what="the history of reworded cards", cancelled=lambda: self._swap(message, []))

    def _swap(self, message: LibraryLoaded, renames: list) -> None:
        from quizapp.ui.screens.review import ReviewScreen

        self._loaded = None
        app, library, changed = self.app, message.library, message.changed
        app.study.set_decks(app._loaded_decks())
        for screen in app.screen_stack:  # a review under a help screen keeps following its cards too
            if isinstance(screen, ReviewScreen):
                session = screen.session
                follow_renames(session, session_renames(session, app.collection, library, renames))
        changed_hook = getattr(app.screen, "library_changed", None)
        if changed_hook is not None:  # the screen on top shows the edit: counts, card text, rows
            changed_hook()
        files = None if changed is None else {str(p) for p in changed}
        errors = [p for d in library.decks for p in d.errors if files is None or p.file in files]
        n = len(renames)
        kept = f" Kept the history of {n} reworded card{'s' * (n != 1)}." if renames else ""
        if errors:
            app.notify(str(errors[0]) + kept, title="Deck has errors", severity="error", timeout=10, markup=False)
        elif changed is not None:
            names = ", ".join(sorted({p.name for p in changed}))
            app.notify(f"Reloaded {names}.{kept}", timeout=3, markup=False)
        else:
            app.notify(f"Decks reloaded.{kept}", markup=False)
        self._next()

    def _next(self) -> None:
        if self._queued:
            changed = None if self._queued_changed is None else sorted(self._queued_changed)
            self._queued, self._queued_changed = False, set()
            self.request(changed)
