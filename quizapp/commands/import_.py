"""`quizapp import`: interview notes (Markdown), an Anki text export or an Anki package (.apkg, see
import_apkg.py) → deck files in our format.

The generated deck is parsed with our own parser before anything is written; any error there is a bug
in the importer and nothing is written (exit 1). An existing file is never overwritten without --force.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

COMMAND = "import"  # the module is import_.py: `import` is a Python keyword
EPILOG = """\
formats (--format auto picks by extension and content):
  notes  Markdown notes: **Q:**/A:, bold questions (🟢 🟡 🔴 ⭐), "1. **What is X?**",
         "### Q1: …" headings, <details><summary>…</summary>…</details>; <br/> or --- separate
  anki   Anki "Notes in Plain Text" export (.txt): #separator:, #html:, #guid column: … headers
  apkg   Anki package (.apkg, by extension): one deck per Anki deck, media beside it in <deck>.media/
examples:
  quizapp import interview-notes.md --dry-run
  quizapp import notes.md --deck ml-basics --out decks/ml-basics.md
  quizapp import "ML::Basics.txt" --force
  quizapp import shared.apkg --out decks/ --with-history
"""


def register(subparsers, common) -> None:
    p = subparsers.add_parser(
        COMMAND, help="turn interview notes, an Anki text export or an .apkg into decks",
        description="Turn raw interview notes (Markdown) or an Anki text export into a deck file in "
        "quizapp's format, checked by quizapp's own parser before it is written.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("source", type=Path, metavar="FILE", help="the notes (.md), Anki export (.txt) or package (.apkg)")
    p.add_argument("--deck", metavar="ID", help="the deck id (default: the file name as a slug)")
    p.add_argument("--title", metavar="TEXT", help="the deck title (default: the first # heading or #deck:)")
    p.add_argument("--out", type=Path, metavar="FILE", help="where to write the deck (default: ./<deck-id>.md); for .apkg a folder (default: .)")
    p.add_argument("--format", choices=("auto", "notes", "anki"), default="auto", help="input format (default auto)")
    p.add_argument("--dry-run", action="store_true", help="list what would be made and skipped; write nothing")
    p.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    p.add_argument("--with-history", action="store_true",
                   help=".apkg only: replay Anki's review log into this collection's history (FSRS)")
    common(p)


def detect_format(path: Path, text: str) -> str:
    if path.suffix.lower() in (".md", ".markdown", ".mdown"):
        return "notes"
    if path.suffix.lower() in (".txt", ".tsv", ".csv"):
        return "anki"
    head = text.lstrip("\ufeff")[:2000]
    if head.startswith(("#separator:", "#html:", "#notetype", "#deck", "#guid", "#tags", "#columns:")):
        return "anki"
    lines = [ln for ln in head.splitlines() if ln.strip()]
    return "anki" if lines and sum("\t" in ln for ln in lines) >= max(1, len(lines) // 2) else "notes"


def _fail(message: str, code: int = 1) -> int:
    print(f"quizapp import: {message}", file=sys.stderr)
    return code


def _refusal(source: Path, out: Path, has_cards: bool, force: bool) -> str | None:
    """Why writing ``out`` must not happen (None: it may) — checked by the real run and reported
    by --dry-run alike."""
    if not has_cards:
        return f"nothing to import from {source}: no questions or tables found; nothing written"
    if out.exists() and out.resolve() == source.resolve():
        return f"{out} is the input file; choose another --out"
    if out.exists() and not force:
        return f"{out} already exists; use --force to overwrite it (or --out FILE)"
    if out.is_dir():
        return f"{out} is a folder; give a file name with --out"
    return None


def run(args: argparse.Namespace) -> int:
    from quizapp.core.content.identity import VALID_ID, slug
    from quizapp.core.interop.deckwriter import ImportGuardError

    source: Path = args.source
    if not os.path.lexists(source):
        return _fail(f"no such file: {source}")
    if args.deck is not None and (slug(args.deck) != args.deck or not VALID_ID.match(args.deck)):
        return _fail(f"--deck must be a slug of a-z, 0-9 and '-' (e.g. {slug(args.deck) or 'my-deck'!r})", 2)
    if source.suffix.lower() == ".apkg":
        from quizapp.commands.import_apkg import run_apkg

        return run_apkg(args)
    if args.with_history:
        return _fail("--with-history needs an Anki package (.apkg)", 2)
    from quizapp.core.content.loader import MAX_DECK_BYTES
    from quizapp.core.user_files import UserFileError, read_user_file

    try:  # a regular file of at most a deck's size: never blocks on a FIFO or reads a device
        text = read_user_file(source, MAX_DECK_BYTES).decode("utf-8")
    except UserFileError as error:
        return _fail(str(error))
    except UnicodeDecodeError as error:
        return _fail(f"cannot read {source}: {error}")
    fmt = args.format if args.format != "auto" else detect_format(source, text)
    if fmt == "anki":
        from quizapp.core.interop.anki_text import import_anki_text as convert
    else:
        from quizapp.core.interop.notes_import import import_notes as convert
    try:
        result = convert(text, str(source), deck_id=args.deck, title=args.title)
    except ImportGuardError as error:
        return _fail(f"internal error: {error}. Nothing was written; please report this with the input file.")
    out: Path = args.out or Path.cwd() / f"{result.deck_id}.md"
    refusal = _refusal(source, out, bool(result.deck.cards), args.force)
    if args.dry_run:
        print(f"{source} → {out} ({fmt}; dry run, nothing written)")
        print(result.report())
        if refusal is not None:  # say now what the real run would stop at
            print(f"quizapp import: warning: the real run would write nothing: {refusal}", file=sys.stderr)
        return 0
    if refusal is not None:
        if not result.deck.cards:
            print(result.report(), file=sys.stderr)
        return _fail(refusal)
    from quizapp.core.user_files import UserFileError, write_user_file

    try:  # whole or not at all: an existing --out is as it was when this fails
        write_user_file(out, result.text.encode("utf-8"), make_parents=True)
    except UserFileError as error:
        print(f"quizapp: {error}", file=sys.stderr)
        return 1
    print(f"wrote {out}: {result.summary()}; skipped {len(result.skipped)} part(s)"
          + (" (see --dry-run)" if result.skipped else ""))
    for notice in result.notices:
        print(f"  note: {notice}")
    return 0
