"""`quizapp new ID`: create a starter deck with an example of every construct of the format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers, common) -> None:
    p = subparsers.add_parser(
        "new", help="create a starter deck ID.md with an example of every card type",
        description="Write ID.md: front matter, a glossary, a comparison table, Q&A with a note, "
        "multiple choice, cloze, a formula drill and a gradient skill card. It passes `quizapp check`; "
        "edit it from there.",
    )
    p.add_argument("deck_id", metavar="ID", help="the deck id, a slug such as attention-basics")
    p.add_argument("--out", type=Path, default=Path("."), metavar="DIR",
                   help="folder to write it to (default: the current folder)")
    p.add_argument("--title", metavar="TEXT", help="the deck's title (default: from the id)")
    common(p)


def run(args: argparse.Namespace) -> int:
    from quizapp.core.content.scaffold import ScaffoldError, create_deck
    from quizapp.core.user_files import UserFileError

    try:
        path = create_deck(args.deck_id, args.out, args.title)
    except ScaffoldError as error:
        print(f"quizapp new: {error}", file=sys.stderr)
        return 2
    except UserFileError as error:  # nothing was created
        print(f"quizapp: {error}", file=sys.stderr)
        return 1
    print(f"created {path}")
    print(f"next: edit it, run `quizapp check {path}`, then `quizapp --content {path.parent}`")
    return 0
