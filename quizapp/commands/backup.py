"""`quizapp backup`: back the collection up now; `quizapp backup --list`: every backup, checked.

The app already backs up once a day when it opens the collection (see docs/cli.md); this command
replaces today's backup with a fresh, verified one, e.g. before an experiment.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: Any, common: Any) -> None:
    p = subparsers.add_parser(
        "backup", help="back up the collection now (--list: show the backups)",
        description="Copy the collection into the backups folder (backups/collection-YYYY-MM-DD.sqlite3, "
        "replacing today's), verify the copy with SQLite's integrity check, and keep the newest 7 "
        "daily backups. With --list, show every backup with its date, review count and health.")
    p.add_argument("--list", action="store_true", help="list the backups, newest first, each checked")
    p.add_argument("--json", action="store_true", help="with --list: print JSON")
    common(p)


def run(args: argparse.Namespace) -> int:
    from quizapp.core.paths import resolve_paths

    paths = resolve_paths(args.data_dir)
    if args.list:
        return _list(paths, as_json=args.json)
    from quizapp.commands.collection import open_collection_for as _open
    from quizapp.core.srs.backups import BackupError, take_backup

    _paths, _config, notices, collection = _open(args)  # BrokenCollection: message, exit 1
    with collection:
        for notice in notices:
            print(f"quizapp: {notice}", file=sys.stderr)
        try:
            backup = take_backup(collection, paths.backups_dir)
        except (OSError, BackupError) as error:
            print(f"quizapp: backup failed, the previous backups were kept: {error}", file=sys.stderr)
            return 1
    print(f"Backed up {backup.describe()} to {backup.path} (verified).")
    return 0


def _list(paths, *, as_json: bool) -> int:
    from quizapp.core.srs.backups import KEEP, list_backups

    backups = [b.check() for b in list_backups(paths.backups_dir)]
    if as_json:
        print(json.dumps([{
            "file": str(b.path), "date": b.day.isoformat(), "schema_before_upgrade": b.schema,
            "bytes": b.path.stat().st_size, "ok": b.good, "problem": b.health.problem if not b.good else None,
            "reviews": b.reviews,
        } for b in backups], indent=2))
        return 0
    if not backups:
        print(f"No backups in {paths.backups_dir} yet (the app takes one a day once you have reviews).")
        return 0
    print(f"Backups in {paths.backups_dir}, newest first (the newest {KEEP} daily ones are kept):")
    for b in backups:
        size = f"{b.path.stat().st_size / 1024:,.0f} KB"
        state = (f"{b.reviews} reviews" if b.good else f"DAMAGED: {b.health.headline}")
        note = f"  (taken before upgrading from schema v{b.schema})" if b.schema is not None else ""
        print(f"  {b.day.isoformat()}  {state:<14} {size:>9}  {b.name}{note}")
    print("Restore one with: quizapp restore DATE (or FILE); the current collection is kept aside.")
    return 0
