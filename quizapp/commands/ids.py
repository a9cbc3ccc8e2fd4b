"""`quizapp ids`: stamp an ``<!-- id: … -->`` on every card that has none.

Without ``--write`` (or with ``--dry-run``) nothing is written: it lists each id it would add and the
count. With ``--write`` the files are changed in place — only the stamped lines; everything else stays
byte for byte — and, when a collection exists (``--data-dir`` / ``QUIZAPP_HOME``), the review history
of each card moves from its old implicit key to its new id (a ``rename`` event in the log), so
stamping ids never loses progress.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EPILOG = """\
examples:
  quizapp ids my-decks/                 show the ids that would be added (nothing written)
  quizapp ids --write my-decks/ x.md    add them; the collection keeps every card's history
"""


def register(subparsers, common) -> None:
    p = subparsers.add_parser(
        "ids", help="add <!-- id: … --> to cards without one (--write)",
        description="Give every card without an explicit id one, derived from its current front, so "
        "that rewording it later keeps its review history.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="deck files or folders")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="change the files (and carry progress over)")
    mode.add_argument("--dry-run", action="store_true", help="only show what would change (the default)")
    common(p)


def _files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    from quizapp.core.content.loader import deck_files

    files, problems = [], []
    for path in paths:
        if os.path.isdir(path):
            try:
                files += deck_files(path)
            except OSError as error:
                problems.append(f"{path}: error: cannot read the folder: {error.strerror or error}")
        elif os.path.lexists(path):
            files.append(path)  # stamp_file says why if it is not a regular file
        else:
            problems.append(f"{path}: error: no such file or folder")
    return list(dict.fromkeys(files)), problems


def run(args: argparse.Namespace) -> int:
    from quizapp.core.content.stamp_ids import stamp_file
    from quizapp.core.user_files import UserFileError

    files, problems = _files(args.paths)
    for line in problems:
        print(line, file=sys.stderr)
    write = bool(args.write)
    collection = _collection(args) if write else None
    try:
        if collection is not None:
            _carry_over_first(collection, files)
        total = changed = 0
        renames: dict[str, str] = {}
        failed = bool(problems)
        for file in files:
            try:
                result = stamp_file(file, write=write)
            except UserFileError as error:  # the file is as it was; its cards keep their keys
                print(f"quizapp: {error}", file=sys.stderr)
                failed = True
                continue
            if result.error:
                print(f"{file}: error: {result.error}", file=sys.stderr)
                failed = True
                continue
            for stamp in result.stamps:
                print(f"{file}:{stamp.line}: {'added' if write else 'would add'} <!-- id: {stamp.id} -->")
            total += len(result.stamps)
            changed += bool(result.stamps)
            renames.update(result.renames)
        kept = _carry(collection, renames) if collection is not None else 0
    finally:
        if collection is not None:
            collection.close()
    verb = "added" if write else "would add"
    summary = f"{verb} {total} id{'s' * (total != 1)} in {changed} file{'s' * (changed != 1)}"
    if write and collection is not None:
        summary += f"; history carried over for {kept} card{'s' * (kept != 1)}"
    elif write:
        summary += "; no collection found, so no history to carry over"
    elif total:
        summary += " (nothing written: use --write)"
    print(summary)
    return 1 if failed else 0


def _collection(args: argparse.Namespace):
    """The collection, if one exists (stamping never creates one)."""
    from quizapp.commands.collection import CollectionError
    from quizapp.core.paths import resolve_paths

    path = resolve_paths(getattr(args, "data_dir", None)).collection
    if not path.exists():
        return None
    import sqlite3

    from quizapp.commands import clock_of
    from quizapp.core.srs.store import Collection

    try:
        return Collection(path, clock_of(args))
    except sqlite3.DatabaseError as error:
        raise CollectionError(f"cannot open the collection {path}: {error}") from error


def _carry_over_first(collection, files: list[Path]) -> None:
    """Cards reworded since the last run first take over their orphaned history (by front), so the
    renames below start from the keys that hold the progress."""
    from quizapp.core.content.loader import load_library
    from quizapp.core.study.orphans import carry_over

    for rename in carry_over(collection, load_library(files)):
        print(rename.note())


def _carry(collection, renames: dict[str, str]) -> int:
    """Move the history of every stamped card with history to its new key; returns how many."""
    known = collection.known_keys()
    moves = {old: new for old, new in renames.items() if old in known and new not in known}
    collection.rename_keys(moves)
    return len(moves)
