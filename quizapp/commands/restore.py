"""`quizapp restore [BACKUP]`: put a backup in place of the collection; the current file is kept aside.

BACKUP is a date (2026-11-27), a file name from `quizapp backup --list`, or a path; without it the
newest backup that passes the integrity check. A healthy collection is only replaced with --force.
Close the app first: a running quizapp would keep writing to the file that was moved aside.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any, common: Any) -> None:
    p = subparsers.add_parser(
        "restore", help="replace the collection with a backup (the current file is kept aside)",
        description="Replace the collection with a backup: the newest good one, or BACKUP. The backup is "
        "verified first; the current collection file is kept as collection.sqlite3.broken-<date>-<time> "
        "(nothing is deleted). A healthy collection is only replaced with --force. Close the app first.")
    p.add_argument("backup", nargs="?", metavar="BACKUP",
                   help="a date (YYYY-MM-DD), a backup file name or a path (default: the newest good backup)")
    p.add_argument("--force", action="store_true", help="replace the collection even if it is healthy")
    common(p)


def run(args: argparse.Namespace) -> int:
    from quizapp.core.paths import resolve_paths
    from quizapp.core.srs.backups import BackupError, find_backup, newest_good_backup, restore
    from quizapp.core.srs.health import diagnose

    paths = resolve_paths(args.data_dir)
    if args.backup:
        backup = find_backup(paths.backups_dir, args.backup)
        if backup is None:
            print(f"quizapp: no backup {args.backup!r} (see `quizapp backup --list`)", file=sys.stderr)
            return 1
        backup = backup.check()
        if not backup.good:
            print(f"quizapp: {backup.path} cannot be restored: {backup.health.message()}", file=sys.stderr)
            return 1
    else:
        backup = newest_good_backup(paths.backups_dir)
        if backup is None:
            print(f"quizapp: there is no good backup in {paths.backups_dir}", file=sys.stderr)
            return 1
    health = diagnose(paths.collection, thorough=True)  # subtle damage counts as broken too
    if health.problem == "locked":
        print(f"quizapp: {paths.collection} is in use by another program; close quizapp and try again", file=sys.stderr)
        return 1
    if health.ok and health.problem is None and not args.force:
        print(f"quizapp: the collection {paths.collection} is healthy ({health.reviews} reviews); restoring "
              f"would replace it with the backup of {backup.describe()}. Pass --force to do it anyway "
              "(the current file is kept aside).", file=sys.stderr)
        return 1
    from quizapp.commands import clock_of

    try:
        done = restore(backup, paths.collection, now=clock_of(args)())
    except (OSError, BackupError) as error:
        print(f"quizapp: restore failed, nothing was changed: {error}", file=sys.stderr)
        return 1
    print(f"Restored the backup of {backup.describe()} into {paths.collection}.")
    if done.kept_aside is not None:
        print(f"The previous file was kept as {done.kept_aside}.")
    return 0
