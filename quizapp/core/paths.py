"""Where quizapp keeps its files.

Precedence for the data directory: an explicit ``data_dir`` (``--data-dir``) > ``$QUIZAPP_HOME`` >
platformdirs' user data dir. The config file normally lives in the user config dir, but whenever the
data directory was chosen explicitly (argument or environment) the config sits next to the collection
(``data_dir/config.toml``), so tests and portable installs never read the user's real settings.

Nothing is created by :func:`resolve_paths` unless ``create=True``; call :meth:`AppPaths.ensure`
(or :meth:`AppPaths.make_data_dir`) right before writing. Both raise :class:`DataDirError`, whose
text is one line for the user, when a folder cannot be made (a file in the way, no permission).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import platformdirs

APP_NAME = "quizapp"
ENV_HOME = "QUIZAPP_HOME"
COLLECTION_NAME = "collection.sqlite3"
CONFIG_NAME = "config.toml"
DECKS_NAME = "decks"  # the user's own decks, in the data directory: always loaded, `quizapp new` writes there


def user_decks_dir(data_dir: Path) -> Path:
    """The folder of the user's own decks (``DATA_DIR/decks``); it may not exist yet."""
    return Path(data_dir) / DECKS_NAME


class DataDirError(OSError):
    """A folder quizapp keeps its files in cannot be used; ``str()`` says which and why."""


class AppPaths(NamedTuple):
    data_dir: Path
    collection: Path
    config_file: Path
    backups_dir: Path

    def ensure(self) -> AppPaths:
        """Create the data, backups and config directories if missing; returns self."""
        for directory in (self.data_dir, self.backups_dir, self.config_file.parent):
            make_folder(directory, "data directory" if directory == self.data_dir else "folder")
        return self

    def make_data_dir(self) -> AppPaths:
        """Create the data directory if missing (what opening the collection needs); returns self."""
        make_folder(self.data_dir, "data directory")
        return self


def make_folder(directory: Path, what: str = "folder") -> None:
    """``mkdir -p directory``, or :class:`DataDirError` saying why not in one line."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        blocker = _first_non_folder(directory)
        if blocker is not None:
            kind = "a file, not a folder" if blocker.is_file() else "not a folder"
            if blocker == directory:
                raise DataDirError(f"{what} {directory} is {kind}") from None
            raise DataDirError(f"cannot create {what} {directory}: {blocker} is {kind}") from None
        raise DataDirError(f"cannot create {what} {directory}: {error.strerror or error}") from None


def _first_non_folder(directory: Path) -> Path | None:
    """The first of ``directory`` and its parents (outermost first) that exists but is no folder."""
    for candidate in (*reversed(directory.parents), directory):
        try:
            if candidate.exists() and not candidate.is_dir():
                return candidate
        except OSError:
            return None
    return None


def resolve_paths(
    data_dir: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] = os.environ,
    *,
    create: bool = False,
) -> AppPaths:
    """Work out every path quizapp uses (see the module docstring for the precedence)."""
    home = env.get(ENV_HOME, "").strip()
    if data_dir is not None and str(data_dir) != "":
        base = Path(data_dir).expanduser()
        config_file = base / CONFIG_NAME
    elif home:
        base = Path(home).expanduser()
        config_file = base / CONFIG_NAME
    else:
        base = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        config_file = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / CONFIG_NAME
    base = base.absolute()
    paths = AppPaths(
        data_dir=base,
        collection=base / COLLECTION_NAME,
        config_file=config_file.absolute(),
        backups_dir=base / "backups",
    )
    return paths.ensure() if create else paths
