"""`quizapp import deck.apkg`: an Anki package → Markdown decks (+ media, + history with --with-history).

Everything is read and converted (each deck checked by our parser) before anything is written.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path


def _fail(message: str, code: int = 1) -> int:
    print(f"quizapp import: {message}", file=sys.stderr)
    return code


def run_apkg(args: argparse.Namespace) -> int:
    from quizapp.core.interop.apkg_import import existing_is_ours, plan_apkg, write_plan
    from quizapp.core.interop.apkg_package import ApkgError, Package
    from quizapp.core.interop.deckwriter import ImportGuardError
    from quizapp.core.user_files import UserFileError

    source: Path = args.source
    out_dir: Path = args.out or Path.cwd()
    if out_dir.suffix.lower() == ".md":
        return _fail("for a .apkg, --out is the folder the decks go to (one deck per Anki deck)", 2)
    if out_dir.exists() and not out_dir.is_dir():
        return _fail(f"{out_dir} is not a folder; give a folder with --out")
    try:
        with Package(source) as package, package.database() as db:
            col = package.collection(db)
            plan = plan_apkg(package, col, out_dir, deck_id=args.deck, title=args.title)
            reviews = list(package.reviews(db)) if args.with_history else []
            if not plan.decks or not plan.cards:
                return _fail(f"nothing to import from {source}: no notes; nothing written")
            if args.dry_run:
                print(f"{source} → {out_dir} (apkg, {col.format} format; dry run, nothing written)")
                for deck in plan.decks:
                    print(f"  {deck.path.name}: {deck.result.summary()}; media {len(deck.media)}")
                print(f"{plan.notes} notes, {plan.cards} cards" + (f", {len(reviews)} reviews in the log" if reviews else ""))
                return 0
            for deck in plan.decks:
                if deck.path.exists() and not args.force and not existing_is_ours(deck.path):
                    return _fail(f"{deck.path} already exists and was not imported from a package; use --force "
                                 "to overwrite it (or --out FOLDER); nothing written")
                if deck.path.is_dir():
                    return _fail(f"{deck.path} is a folder; nothing written")
                if deck.media and (deck.media_dir.is_symlink() or (deck.media_dir.exists() and not deck.media_dir.is_dir())):
                    return _fail(f"{deck.media_dir} is not a plain folder (a link or a file); nothing written")
            collection = None
            if args.with_history:
                from quizapp.commands.collection import CollectionError, open_collection_for

                try:  # opened before anything is written: a broken collection stops the import whole
                    _paths, config, _notices, collection = open_collection_for(args)
                except CollectionError as error:
                    return _fail(f"cannot open the collection for --with-history: {str(error).splitlines()[0]}")
            media = write_plan(package, plan, out_dir)
            written = 0
            if collection is not None:
                from quizapp.commands import clock_of
                from quizapp.core.clock import next_rollover
                from quizapp.core.interop.apkg_history import import_history
                from quizapp.core.srs.scheduling import Scheduler

                with collection:
                    try:
                        now = clock_of(args)()
                        written = import_history(plan, reviews, collection, Scheduler(config), now,
                                                 bury_until=next_rollover(now, config.day_rollover_hour))
                    except sqlite3.Error as error:
                        return _fail(f"the decks were written but the review history was not saved ({error}); "
                                     "run the same import again to add it")
    except ApkgError as error:
        return _fail(str(error))
    except ImportGuardError as error:
        return _fail(f"internal error: {error}. Nothing was written; please report this with the package.")
    except (UserFileError, OSError) as error:
        return _fail(str(error))
    except sqlite3.Error as error:
        return _fail(f"{source}: the collection inside is damaged ({error})")
    for deck in plan.decks:
        print(f"wrote {deck.path}: {deck.result.summary()}" + (f"; {len(deck.media)} media file(s) in {deck.media_dir}"
                                                              if deck.media else ""))
    for notice in plan.notices:
        print(f"  note: {notice}")
    print(f"{plan.notes} notes, {plan.cards} cards, {written} reviews imported" + (f", {media} media files" if media else ""))
    return 0
