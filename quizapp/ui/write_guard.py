"""Every write the UI makes to the collection goes through :class:`WriteGuard`.

A write can fail: the file is read-only, the disk is full, another program holds the lock. The
guard makes sure such a failure is never shown as done and never ends the app:

* the write runs on one background thread. The UI waits for it up to :data:`INLINE_WAIT` (a grade
  takes about a millisecond, so the next card shows at once, as before); a write that takes longer
  (the collection is locked) goes on in the background while a "Saving…" panel says so, and the
  app stays responsive (ctrl+q still quits);
* only when the write succeeded does the screen get the result (``done``): the next card, the
  "Suspended" notice. Until then nothing on screen changes;
* a failure opens the panel of :mod:`quizapp.ui.screens.write_status` over the card — what happened,
  in one line, then ``r retry · esc cancel · ctrl+q quit`` — so the user can retry the same write
  once the fault is fixed, give it up, or quit (the exit status then says something was not saved);
* damage to the file (SQLite's "malformed") goes to the recovery screen instead, like damage found
  anywhere else (:meth:`QuizApp.collection_failed`).

Failures are recognised in ONE place, :func:`failure_message`, and caught broadly (any exception
the write raised) until the srs package raises one family of write errors.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import errno
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App as QuizApp  # the quizapp.ui.app.QuizApp it serves (not imported: no cycle)
    from quizapp.ui.screens.write_status import WriteStatusScreen

INLINE_WAIT = 0.25  # s the UI waits for a write (~1 ms) before it goes on in the background behind "Saving…"
# How long the collection keeps retrying a locked database before a write fails (the store's default
# is 120 s, meant for scripts): long enough for another quizapp's grade or backup (milliseconds to a
# second), short enough that a write stuck behind a lock held for minutes is offered for retry within
# seconds, and that quitting meanwhile ends the process soon. (A store whose SQLite busy timeout does
# not follow the patience waits that timeout, 5 s, once.)
WRITE_PATIENCE = 3.0

BUSY = "Another program (another quizapp?) is holding the collection's lock."
NO_SPACE = "The disk is full: free some space, then retry."
READ_ONLY = "The collection is read-only: check the permissions of its file and folder."
IO_ERROR = "The disk reported an I/O error while saving (is it full, or removed?)."
MOVED = "The collection file cannot be opened any more: was it moved or deleted?"


def failure_message(error: BaseException, path: Path | None = None) -> str:
    """What went wrong with a collection write, as one line a user understands. ``path``: the
    collection, looked at when SQLite only says "disk I/O error" (it does for a full disk or a
    file that cannot be written to)."""
    if isinstance(getattr(error, "kind", None), str) and str(error).strip():
        return _one_line(str(error))  # the srs package's own write error carries its message
    code = getattr(error, "errno", None)
    text = str(error).lower()
    if code in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in text or "no space" in text:
        return NO_SPACE
    if "locked" in text or "busy" in text or "in use" in text:
        return BUSY
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in text or "read-only" in text:
        return READ_ONLY
    if code == errno.EIO or "disk i/o error" in text:
        return _probe(path) or IO_ERROR
    if code == errno.ENOENT or "unable to open" in text or "no such file" in text:
        return MOVED
    if isinstance(error, sqlite3.Error | OSError):
        return _one_line(f"The collection could not be written: {error}")
    return _one_line(f"The collection could not be written: {type(error).__name__}: {error}")


def _probe(path: Path | None) -> str | None:
    """READ_ONLY or NO_SPACE if the collection's files or folder show why a write failed."""
    if path is None:
        return None
    try:
        for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"), path.parent):
            if file.exists() and not os.access(file, os.W_OK):
                return READ_ONLY
        if shutil.disk_usage(path.parent).free < 1 << 20:
            return NO_SPACE
    except OSError:
        return None
    return None


def _one_line(text: str, limit: int = 200) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass(eq=False)
class _Write:
    job: Callable[[], Any]
    done: Callable[[Any], None] | None
    what: str  # "your grade": names the write in the panel ("Not saved: your grade")
    cancelled: Callable[[], None] | None
    tries: int = 0
    started: float = 0.0


class WriteGuard:
    """Runs the app's collection writes one at a time (see the module docstring)."""

    def __init__(self, app: QuizApp) -> None:
        self.app = app
        self.unsaved: str | None = None  # "your grade: The disk is full…": a failure not retried successfully
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._write: _Write | None = None  # running, or failed with its panel on screen
        self._future: concurrent.futures.Future | None = None  # a write going on in the background
        self._panel: WriteStatusScreen | None = None

    @property
    def active(self) -> bool:
        """A write is running or its failure is on screen: no other write may start meanwhile."""
        return self._write is not None

    @property
    def running(self) -> bool:
        return self._future is not None

    def run(self, job: Callable[[], Any], done: Callable[[Any], None] | None = None, *, what: str,
            cancelled: Callable[[], None] | None = None) -> bool:
        """Run ``job`` (a collection write; it must not touch widgets) and pass its result to
        ``done`` on the UI thread once it succeeded. ``cancelled`` runs if the user gives up after a
        failure. Returns False (and does nothing) while another write is active."""
        if self._write is not None:
            self.app.notify("Still saving the last change; try again in a moment.", severity="warning")
            return False
        self._write = _Write(job, done, what, cancelled)
        self._attempt()
        return True

    # ---- the panel's keys ------------------------------------------------------------------------

    def retry(self) -> None:
        if self._write is not None and self._future is None:
            self._attempt()

    def cancel(self) -> None:
        """Give up the failed write (nothing was saved) and close the panel."""
        write = self._write
        if write is None or self._future is not None:
            return
        self._write, self.unsaved = None, None
        self._close_panel()
        if write.cancelled is not None:
            write.cancelled()
        self.app.writes_idle()

    # ---- internals -------------------------------------------------------------------------------

    def _pool(self) -> concurrent.futures.ThreadPoolExecutor:
        if self._executor is None:
            self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="quizapp-write")
        return self._executor

    def _attempt(self) -> None:
        write = self._write
        assert write is not None
        write.tries += 1
        write.started = time.monotonic()
        future = self._pool().submit(write.job)
        finished, _ = concurrent.futures.wait([future], timeout=INLINE_WAIT)
        if not finished:  # locked, most likely: wait in the background, say so, stay responsive
            self._future = future
            self._show_panel().saving(write.what, write.started)
            self.app.run_worker(self._wait(future), name="collection-write", group="collection-write")
            return
        self._settled(future)

    async def _wait(self, future: concurrent.futures.Future) -> None:
        try:
            await asyncio.wrap_future(future)
        except Exception:  # noqa: BLE001 — looked at in _settled
            pass
        if self._future is future:
            self._future = None
            self._settled(future)

    def _settled(self, future: concurrent.futures.Future) -> None:
        write = self._write
        assert write is not None
        error = future.exception()
        if error is None:
            self._write, self.unsaved = None, None
            self._close_panel()
            if write.done is not None:
                write.done(future.result())
            self.app.writes_idle()
            return
        self._close_panel()
        if self.app.collection_failed(error):  # damaged: the recovery screen has taken over
            self._write, self.unsaved = None, None
            return
        message = failure_message(error, self._path())
        self.unsaved = f"{write.what}: {message}"
        self._show_panel().failed(write.what, message, write.tries)

    def _path(self) -> Path | None:
        collection = self.app.collection
        return getattr(collection, "path", None)

    def _show_panel(self) -> WriteStatusScreen:
        from quizapp.ui.screens.write_status import WriteStatusScreen

        if self._panel is None or not self._panel.is_attached:
            self._panel = WriteStatusScreen(self)
            self.app.push_screen(self._panel)
        return self._panel

    def _close_panel(self) -> None:
        panel, self._panel = self._panel, None
        if panel is not None and self.app.screen is panel:  # (the app keeps other screens off it)
            self.app.pop_screen()

    def settle(self, timeout: float = WRITE_PATIENCE + 10.0) -> str | None:
        """After the app ended: wait for a write still going on in the background (it gives up
        within the collection's patience) and return what was not saved, as one line, or None."""
        future, write = self._future, self._write
        if future is not None and write is not None:
            try:
                future.result(timeout=timeout)
            except concurrent.futures.TimeoutError:
                if not future.done():
                    self.unsaved = f"{write.what}: still waiting for the collection when the app ended"
                else:
                    self.unsaved = f"{write.what}: {failure_message(future.exception(), self._path())}"
            except Exception as error:  # noqa: BLE001 — any failure means: not saved
                self.unsaved = f"{write.what}: {failure_message(error, self._path())}"
            else:
                self.unsaved = None  # it was committed after all
            self._future = None
        if self._executor is not None:
            self._executor.shutdown(wait=False)
        return self.unsaved
