"""Deck paths as `quizapp check` prints them: short, and never a path inside the installed package.

With ``pip install .`` the shipped decks live in site-packages (``…/.venv/lib/python3.x/site-packages/
quizapp/decks/…``): editing them there is pointless and the path says nothing to a user, so they are
shown as ``shipped:relu-vs-leaky-relu.md``. Other paths are shown relative to the current folder
when inside it, else with ``~`` for the home folder. JSON output keeps the full paths.
"""

from __future__ import annotations

import os
from pathlib import Path

SHIPPED = "shipped:"


def shown_path(path: str | os.PathLike[str], shipped_dir: Path | None) -> str:
    text = os.fspath(path)
    try:
        full = Path(text).absolute()
    except (OSError, ValueError):
        return text
    if shipped_dir is not None:
        try:
            return SHIPPED + full.relative_to(shipped_dir.absolute()).as_posix()
        except ValueError:
            pass
    try:
        return full.relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        pass
    try:
        return "~/" + full.relative_to(Path.home()).as_posix()
    except (ValueError, RuntimeError, OSError):
        return text
