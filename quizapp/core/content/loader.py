"""Reading deck files from disk: single files, directories, the decks shipped with the package.

Nothing here raises for a bad file: unreadable or non-UTF-8 files become failed decks with a
located error, so one broken deck never stops the others from loading.
"""

from __future__ import annotations

import importlib.util
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from quizapp.core.content.deck_cache import DeckCache
from quizapp.core.content.gcpause import gc_paused
from quizapp.core.content.library import Library
from quizapp.core.content.model import Deck, Problem, Severity
from quizapp.core.user_files import UserFileError, read_user_file

__all__ = ["Library", "load_deck", "load_library", "shipped_decks_dir", "deck_files", "MAX_DECK_BYTES"]

# A deck is hand-written Markdown (the biggest shipped one is 24 KB): a bigger file is refused with an
# error instead of being read and parsed — whether it was named directly or found in a folder.
MAX_DECK_BYTES = 8 * 1024 * 1024


def load_deck(path: Path, cache: DeckCache | None = None) -> Deck:
    path = Path(path)
    if cache is not None:
        deck = cache.get(path)
        if deck is None:
            deck = load_deck(path)
            cache.put(path, deck)
        return deck
    # The parser (and markdown-it) is imported only when a deck really has to be parsed.
    from quizapp.core.content.parser import parse_deck

    file = str(path)
    try:  # never blocks on a FIFO, never reads a device or a huge file
        data = read_user_file(path, MAX_DECK_BYTES)
    except UserFileError as e:
        return _failed(path, 1, 1, f"cannot read file: {e.reason}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        line_start = data.rfind(b"\n", 0, e.start) + 1
        col = len(data[line_start : e.start].decode("utf-8", errors="replace")) + 1
        return _failed(path, line, col, f"file is not valid UTF-8 (byte 0x{data[e.start]:02x}); save it as UTF-8")
    return parse_deck(text, file)


def _failed(path: Path, line: int, col: int, message: str) -> Deck:
    from quizapp.core.content.parser import default_deck_id

    deck = Deck(id=default_deck_id(str(path)), title=path.stem, path=path, failed=True)
    deck.problems.append(Problem(str(path), line, col, Severity.ERROR, message))
    return deck


def deck_files(directory: Path) -> list[Path]:
    """The deck files of a directory: ``*.md`` (not recursive), sorted, without README.md. Only
    regular files (or links to them) count. Raises OSError when the folder cannot be listed."""
    directory = Path(directory)
    with os.scandir(directory) as entries:
        names = [e.name for e in entries if e.name.endswith(".md") and e.name.lower() != "readme.md"]
    return sorted(p for p in (directory / name for name in names) if p.is_file())


def load_library(paths: Iterable[Path], cache_file: Path | None = None) -> Library:
    """Load every deck file named by ``paths`` (files or directories).

    The same file reached twice is loaded once. When two files declare the same deck id, the later
    one gets an error and is marked failed (its cards would share keys, and so review history, with
    the first deck's); the first one loads normally. With ``cache_file``, decks whose file has not
    changed since they were last parsed are read from that cache (see deck_cache.py).
    """
    cache = DeckCache(cache_file) if cache_file is not None else None
    with gc_paused():
        library = _load_library(paths, cache)
    if cache is not None:
        cache.save()
    return library


def _load_library(paths: Iterable[Path], cache: DeckCache | None) -> Library:
    library = Library()
    seen_files: set[Path] = set()
    owners: dict[str, Deck] = {}
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except OSError as error:
            missing = isinstance(error, (FileNotFoundError, NotADirectoryError))
            message = "no such file or directory" if missing else f"cannot read: {error.strerror or error}"
            library.path_problems.append(Problem(str(path), 1, 1, Severity.ERROR, message))
            continue
        if is_dir:
            try:
                files = deck_files(path)
            except OSError as error:
                reason = error.strerror or str(error)
                library.path_problems.append(Problem(str(path), 1, 1, Severity.ERROR,
                                                     f"cannot read the folder: {reason}"))
                continue
            if not files:
                library.path_problems.append(Problem(str(path), 1, 1, Severity.WARNING, "directory has no deck files (*.md)"))
        else:  # named directly: load_deck checks it is a regular file of a sane size, like any other
            files = [path]
        for file in files:
            try:
                resolved = file.resolve()
            except OSError:
                resolved = file
            if resolved in seen_files:
                continue
            seen_files.add(resolved)
            deck = load_deck(file, cache)
            first = owners.get(deck.id)
            if first is not None and not deck.failed:
                line = _deck_line(deck)
                deck.problems.append(Problem(str(file), line, 1, Severity.ERROR,
                                             f"deck id {deck.id!r} is already used by {first.path}; this deck is not loaded"))
                deck.cards = []
                deck.failed = True
            elif not deck.failed:
                owners[deck.id] = deck
            library.decks.append(deck)
    return library


def _deck_line(deck: Deck) -> int:
    """The line of ``deck = …`` in the front matter, else 1."""
    try:
        lines = read_user_file(deck.path, MAX_DECK_BYTES).decode("utf-8").splitlines()[:200]
    except (OSError, UnicodeDecodeError):
        return 1
    if not lines or lines[0].strip() != "+++":
        return 1
    for i, line in enumerate(lines[1:], start=2):
        if line.strip() == "+++":
            break
        if line.lstrip().startswith("deck") and "=" in line:
            return i
    return 1


def shipped_decks_dir() -> Path:
    """The directory of the decks shipped in the package (``quizapp.decks``, from the repo's content/).

    Works for normal installs (a real directory in site-packages), editable installs (setuptools
    maps the package to content/) and a plain source checkout, where content/ is beside the package.
    """
    try:  # the import system's own answer (importlib.resources would cost a millisecond of start-up)
        decks = importlib.util.find_spec("quizapp.decks")
    except (ModuleNotFoundError, ValueError):
        decks = None
    if decks is not None and decks.submodule_search_locations:
        found = Path(next(iter(decks.submodule_search_locations)))
        if found.is_dir():
            return found
    spec = importlib.util.find_spec("quizapp")
    if spec is not None and spec.origin:
        package = Path(spec.origin).parent
        for candidate in (package / "decks", package.parent / "content"):
            if candidate.is_dir():
                return candidate
    return Path(__file__).resolve().parents[3] / "content"
