"""Opening the collection for a command (and for the app): diagnosed first, errors a command can print.

``cli`` and the command modules import from here, so no command imports ``quizapp.cli`` (which imports
them): the import graph has no cycle.
"""

from __future__ import annotations

import argparse
import sqlite3

from quizapp.commands import clock_of


class CollectionError(Exception):
    """The collection file could not be opened; the message says where and why."""


class BrokenCollection(CollectionError):
    """:func:`quizapp.core.srs.health.diagnose` found the collection unusable. The TUI starts on the
    recovery screen instead; commands print :meth:`message` and exit 1."""

    def __init__(self, health, paths, config, problems) -> None:
        super().__init__(str(health.path))
        self.health, self.paths, self.config, self.problems = health, paths, config, problems

    def __str__(self) -> str:
        from quizapp.core.srs.backups import newest_good_backup

        health = self.health
        lines = [f"cannot open the collection {self.paths.collection}", f"  {health.headline}"]
        if health.detail:
            lines.append(f"  {health.detail}")
        lines.append("Nothing was changed.")
        if not health.offers_recovery:  # a full disk, a read-only folder, a lock: no restore can fix it
            return "\n".join(lines)
        backup = newest_good_backup(self.paths.backups_dir)
        if health.problem == "too_new":
            lines.append("Upgrade quizapp to open it (pip install -U quizapp).")
        if backup is not None:
            lines.append(f"`quizapp restore` puts back the newest good backup ({backup.describe()}) and keeps "
                         "the damaged file aside; `quizapp backup --list` shows every backup.")
        else:
            lines.append(f"There is no good backup in {self.paths.backups_dir}.")
        lines.append("Or run `quizapp` to choose between restoring and starting a new collection "
                     "(the damaged file is kept aside, never deleted).")
        return "\n".join(lines)


def open_collection_for(args: argparse.Namespace, *, daily: bool = False, clock=None):
    """Paths, config, notices and the open collection — diagnosed first, backed up before an upgrade
    and (``daily``) once a day. Raises :class:`BrokenCollection` when it cannot be opened. ``clock``
    (default: the real one) is what the collection and its backups read as now."""
    from quizapp.core.config import load_config
    from quizapp.core.paths import resolve_paths
    from quizapp.core.srs.backups import BackupError, open_collection
    from quizapp.core.srs.health import CollectionBroken, Health, diagnose
    from quizapp.core.srs.migrations import SchemaTooNew

    paths = resolve_paths(args.data_dir).make_data_dir()  # DataDirError: a file in the way, no permission
    config, problems = load_config(paths.config_file)
    try:
        collection, notices = open_collection(paths.collection, paths.backups_dir, clock=clock or clock_of(args),
                                              daily=daily)
    except CollectionBroken as error:
        raise BrokenCollection(error.health, paths, config, problems) from error
    except BackupError as error:
        raise CollectionError(str(error)) from error
    except (sqlite3.DatabaseError, SchemaTooNew) as error:  # diagnose passed, opening did not
        health = diagnose(paths.collection, thorough=True)
        if health.ok:
            health = Health(False, "corrupt", f"SQLite says: {error}.", paths.collection)
        raise BrokenCollection(health, paths, config, problems) from error
    return paths, config, [*problems, *notices], collection
