"""Live authoring: notice saved deck files, and keep review history across reworded cards.

:class:`DeckWatcher` polls the content paths (the app calls :meth:`DeckWatcher.changes` every
:data:`POLL_SECONDS` from a Textual interval): one ``stat`` per deck file plus one directory listing
per folder, so a tick costs well under a millisecond for a few dozen decks and needs no thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from quizapp.core.content.library import Library
from quizapp.core.content.loader import deck_files

POLL_SECONDS = 0.5

Stamp = tuple[int, int]  # (mtime in ns, size)


class DeckWatcher:
    """Remembers each deck file's modification time and size; reports what changed since."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self.paths = [Path(p) for p in paths]
        self._stamps = self.scan()

    def scan(self) -> dict[Path, Stamp]:
        stamps: dict[Path, Stamp] = {}
        for path in self.paths:
            try:
                files = deck_files(path) if path.is_dir() else [path]
            except OSError:
                continue
            for file in files:
                try:
                    st = file.stat()
                except OSError:
                    continue  # deleted (or being replaced by an editor): absent from the scan
                stamps[file] = (st.st_mtime_ns, st.st_size)
        return stamps

    def changes(self) -> list[Path]:
        """Deck files added, removed or modified since the last call (or :meth:`reset`)."""
        now = self.scan()
        changed = sorted(f for f in now.keys() | self._stamps.keys() if now.get(f) != self._stamps.get(f))
        self._stamps = now
        return changed

    def reset(self) -> None:
        """Take the current files as seen (after a reload that did not come from the watcher)."""
        self._stamps = self.scan()


def carry_over_safely(collection, library: Library) -> list:
    """:func:`quizapp.core.study.orphans.carry_over`, or [] without a collection or when it fails (another
    process holding the lock for long, a read-only file): progress is then carried over next time."""
    if collection is None:
        return []
    from quizapp.core.study.orphans import carry_over

    try:
        return carry_over(collection, library)
    except (sqlite3.Error, ValueError, RuntimeError):
        return []


def follow_renames(session, renames: dict[str, str]) -> None:
    """Point a running review session at the new keys of cards whose history was carried over, so
    the card on screen stays on screen after its front was reworded. (A grade given before the
    rename can no longer be undone: the store refuses, and the session leaves it be.)"""
    if renames and session is not None:
        session.rename_keys(renames)


def session_renames(session, collection, library: Library, renames: list) -> dict[str, str]:
    """Old key → new key for the cards of a running review ``session`` after a reload: the carried
    over ``renames``, plus never-reviewed cards of the session whose front was reworded (matched by
    front like a carry-over, but nothing is logged: they have no history)."""
    mapping = {r.old_key: r.new_key for r in renames}
    if session is None:
        return mapping
    keys = session.keys()
    vanished = {k for k in keys if k not in mapping} - {c.key for c in library.cards}
    if vanished:
        from quizapp.core.study.orphans import match_renames

        try:
            known = collection.known_keys() | vanished
        except (sqlite3.Error, RuntimeError):
            return mapping
        mapping.update((r.old_key, r.new_key) for r in match_renames(known, library) if r.old_key in vanished)
    return mapping
