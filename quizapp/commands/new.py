"""`quizapp new ID`: create a starter deck with an example of every construct of the format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers, common) -> None:
    p = subparsers.add_parser(
        "new", help="create a starter deck ID.md in your decks folder, with an example of every card type",
        description="Write ID.md: front matter, a glossary, a comparison table, Q&A with a note, "
        "multiple choice, cloze, a formula drill and a gradient skill card. It passes `quizapp check`; "
        "edit it from there. By default it goes to your decks folder (DATA_DIR/decks, created if "
        "needed), which the app always loads: the deck is on Home the next time you start quizapp "
        "(or a second after you save it, if the app is open).",
    )
    p.add_argument("deck_id", metavar="ID", help="the deck id, a slug such as attention-basics")
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="folder to write it to (default: your decks folder, DATA_DIR/decks); the app "
                   "loads another folder only with --content DIR or content_dirs in config.toml")
    p.add_argument("--title", metavar="TEXT", help="the deck's title (default: from the id)")
    common(p)


def run(args: argparse.Namespace) -> int:
    from quizapp.commands import content_paths
    from quizapp.core.content.scaffold import ScaffoldError, create_deck
    from quizapp.core.paths import resolve_paths, user_decks_dir
    from quizapp.core.user_files import UserFileError

    mine = user_decks_dir(resolve_paths(args.data_dir).data_dir)
    out = args.out if args.out is not None else mine
    try:
        path = create_deck(args.deck_id, out, args.title)
    except ScaffoldError as error:
        print(f"quizapp new: {error}", file=sys.stderr)
        return 2
    except UserFileError as error:  # nothing was created
        print(f"quizapp: {error}", file=sys.stderr)
        return 1
    print(f"created {path}")
    loaded = {p.resolve() for p in content_paths(args) if p.exists()}
    if path.parent.resolve() in loaded or path.resolve() in loaded:
        where = "your decks folder" if path.parent.resolve() == mine.resolve() else "a folder the app loads"
        print(f"It is in {where}: quizapp shows it on Home (edit it, save, and it is re-read).")
        print(f"next: edit it, then run `quizapp check {path}`")
    else:
        print(f"The app does not load {path.parent} yet: start it with `quizapp --content {path.parent}`, "
              "add the folder to content_dirs in config.toml, or make decks with `quizapp new ID` "
              f"(they go to {mine}).")
    return 0
