"""`quizapp export --apkg OUT.apkg`: decks → an Anki package (genanki), stable across exports.

genanki is imported inside ``run`` (via quizapp.core.interop.apkg_export), so `quizapp --help` and
the TUI do not pay for it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

COMMAND = "export"
EPILOG = """\
examples:
  quizapp export --apkg quizapp.apkg                       every deck (shipped + --content)
  quizapp export --apkg relu.apkg --deck relu-vs-leaky-relu --force
Exporting again gives the same note GUIDs, so Anki updates the notes instead of duplicating them.
"""


def register(subparsers, common) -> None:
    p = subparsers.add_parser(
        COMMAND, help="write decks as an Anki package (.apkg)",
        description="Write decks as an Anki package: glossary rows as Basic (and reversed card), Q&A, "
        "comparison cells, multiple choice, drills and skill cards as Basic, cloze sentences as Cloze.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--apkg", type=Path, required=True, metavar="OUT", help="the .apkg file to write")
    p.add_argument("--deck", action="append", metavar="ID", help="export only this deck; repeatable (default: all)")
    p.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    common(p)


def _fail(message: str, code: int = 1) -> int:
    print(f"quizapp export: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    from quizapp.commands import content_paths
    from quizapp.core.content.loader import load_library

    out: Path = args.apkg
    if out.exists() and not args.force:
        return _fail(f"{out} already exists; use --force to overwrite it")
    if out.is_dir():
        return _fail(f"{out} is a folder; give a file name")
    paths = content_paths(args)
    missing = [p for p in paths if not p.exists()]
    if missing:
        return _fail(f"no such content folder: {missing[0]}", 2)
    library = load_library(paths)
    decks = [d for d in library.decks if not d.failed]
    if args.deck:
        known = {d.id: d for d in decks}
        unknown = [d for d in args.deck if d not in known]
        if unknown:
            return _fail(f"no deck {unknown[0]!r}; decks: {', '.join(sorted(known))}", 2)
        decks = [known[d] for d in dict.fromkeys(args.deck)]
    if not any(d.cards for d in decks):
        return _fail("no cards to export")
    from quizapp.core.interop.apkg_export import write_apkg
    from quizapp.core.user_files import UserFileError

    try:  # whole or not at all: an existing OUT is as it was when this fails
        summary = write_apkg(decks, out)
    except UserFileError as error:
        print(f"quizapp: {error}", file=sys.stderr)
        return 1
    print(f"wrote {out}: {summary.text()}")
    return 0
