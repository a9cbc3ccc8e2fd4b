"""`quizapp` command line: the TUI by default, subcommands for scripting.

Heavy modules (textual, numpy) are imported inside the commands that need them, so `quizapp check`
stays quick and the TUI's start-up does not pay for NumPy.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from quizapp import __version__
from quizapp.commands import clock_of, content_paths
from quizapp.commands.collection import BrokenCollection, CollectionError, open_collection_for as _open

EPILOG = """\
Without a command, the app opens on the shipped decks plus any --content folders.
Data lives in the user data dir (see --data-dir / QUIZAPP_HOME). Keys in the app: press ?.
Each command has its own --help; docs/cli.md describes the JSON formats.
"""


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help="where the collection and config live (default: QUIZAPP_HOME, else the user data dir)")
    parser.add_argument("--content", metavar="DIR", action="append", type=Path, default=default,
                        help="an extra folder (or .md file) of decks, added to the shipped ones; repeatable")


CORE_COMMANDS = ("review", "check", "stats")
_VALUE_OPTIONS = ("--data-dir", "--content", "--interview-date")


from quizapp.commands.argtypes import UNSET  # noqa: E402 (a sentinel; argtypes imports only argparse)


def interview_date_arg(text: str):
    from quizapp.commands.argtypes import interview_date

    return interview_date(text)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description="Study machine-learning interview topics in the terminal: Markdown decks, "
        "FSRS spaced repetition, a NumPy gradient engine.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    review = sub.add_parser("review", help="open the app straight into a review")
    review.add_argument("--deck", metavar="ID", help="review only this deck (ids: see `quizapp stats`)")
    for p in (parser, review):
        p.add_argument("--interview-date", type=interview_date_arg, metavar="YYYY-MM-DD",
                       default=UNSET if p is parser else argparse.SUPPRESS,
                       help="study toward this interview date (overrides interview_date in config.toml; none: no date)")
    _common(review, top=False)

    check = sub.add_parser("check", help="validate deck files")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="deck files or folders (default: the shipped decks and --content folders)")
    check.add_argument("--json", action="store_true", help="print every card and problem as JSON")
    check.add_argument("--orphans", action="store_true",
                       help="also list review history whose card is in no checked deck (key, last review, reviews)")
    check.add_argument("--strict", action="store_true",
                       help="also warn about cards that state a default, constant, date or who designed it without a source")
    _common(check, top=False)

    stats = sub.add_parser("stats", help="per-deck counts and review totals")
    stats.add_argument("--json", action="store_true", help="print JSON (a stable format; see docs/cli.md)")
    _common(stats, top=False)

    for module in _command_modules(_wanted_commands(argv)).values():
        module.register(sub, lambda p: _common(p, top=False))
    return parser


def _wanted_commands(argv: list[str] | None) -> list[str] | None:
    """The extra commands to register: the one named on the command line, none for the TUI and the
    core commands, every one (None) for --help or an unknown command so both list them all."""
    from quizapp.commands import MODULES

    args = sys.argv[1:] if argv is None else list(argv)
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            if arg in MODULES:
                return [arg]
            return [] if arg in CORE_COMMANDS else None
    return None if any(a in ("-h", "--help") for a in args) else []


def _command_modules(names: list[str] | None) -> dict:
    import importlib

    from quizapp.commands import MODULES

    return {name: importlib.import_module(path) for name, path in MODULES.items() if names is None or name in names}


def parse_args(argv: list[str]) -> argparse.Namespace:
    return build_parser(argv).parse_args(argv)


def main(argv: list[str] | None = None, *, clock=None) -> int:
    """Run ``quizapp argv``. ``clock`` (default: the real one) is "now" for every command — tests pass
    the frozen clock they stamped their data with."""
    from quizapp.core.paths import DataDirError
    from quizapp.core.user_files import UserFileError

    args = build_parser(argv).parse_args(argv)
    args.clock = clock
    try:
        if args.command == "check":
            return cmd_check(args)
        if args.command == "stats":
            return cmd_stats(args)
        modules = _command_modules([args.command]) if args.command else {}
        if args.command in modules:
            return modules[args.command].run(args)
        return cmd_tui(args, review=args.command == "review")
    except (CollectionError, DataDirError, UserFileError) as error:  # one line, no traceback
        print(f"quizapp: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def cmd_check(args: argparse.Namespace) -> int:
    from quizapp.core.content.check import run_check

    missing = [p for p in (args.paths or args.content or []) if _missing(p)]
    for path in missing:
        print(f"{path}: error: no such file or folder", file=sys.stderr)
    if args.paths and len(missing) == len(args.paths):
        return 1  # the paths named are what to check: never the shipped decks instead
    from quizapp.commands import content_sources

    paths, skipped = (args.paths, []) if args.paths else content_sources(args)
    for notice in skipped:
        print(notice, file=sys.stderr)
    report = run_check([p for p in paths if p not in missing], strict=args.strict)
    # The collection, read-only if it exists: reworded cards that continue a history, and orphans.
    from quizapp.core.study.orphans import history_report
    from quizapp.core.paths import resolve_paths

    decks = {d.id for d in report.library.decks} if args.paths else None
    history, history_json = history_report(resolve_paths(args.data_dir).collection, report.library,
                                           orphans=args.orphans, decks=decks)
    if args.json:
        print(json.dumps({**report.to_json(), "history": history_json}, ensure_ascii=False, indent=2))
    else:
        notes = [line for line in history if ": note: " in line]
        print("\n".join([*notes, report.text(), *(["", *history[len(notes):]] if args.orphans else [])]))
    return 1 if missing or (args.orphans and history_json.get("problem")) else report.exit_code


def _missing(path: Path) -> bool:
    """No such path (a path that cannot be looked at is not missing: loading it says why)."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


def cmd_stats(args: argparse.Namespace) -> int:
    from quizapp.core.content.loader import load_library
    from quizapp.core.study.counts import Study
    from quizapp.core.study.stats import compute_stats, deck_keys

    _paths, config, _problems, collection = _open(args)
    with collection:
        library = load_library(content_paths(args))
        study = Study(collection, [d for d in library.decks if not d.failed], config, clock_of(args))
        stats = study.stats()
        if args.json:  # the Statistics screen's figures, under keys of their own (docs/cli.md)
            extra = compute_stats(collection, deck_keys(study.decks), config, study.now(), study.tz)
            for key in ("heatmap", "forecast", "retention", "mastery", "streak_longest", "time"):
                stats[key] = extra[key]
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    print(format_stats(stats))
    return 0


def format_stats(stats: dict) -> str:
    columns = ("cards", "new", "learning", "due", "suspended", "reviews_today", "total_reviews")
    heads = ("Cards", "New", "Learn", "Due", "Susp.", "Today", "Reviews")
    rows = [(d["id"], *(str(d[c]) for c in columns)) for d in stats["decks"]]
    totals = stats["totals"]
    rows.append(("total", *(str(totals[c]) for c in columns)))
    width = max(len(r[0]) for r in rows + [("Deck",)])
    lines = ["Deck".ljust(width) + "".join(h.rjust(9) for h in heads)]
    for i, row in enumerate(rows):
        if i == len(rows) - 1:
            lines.append("-" * len(lines[0]))
        lines.append(row[0].ljust(width) + "".join(v.rjust(9) for v in row[1:]))
    lines.append(f"\nStreak: {stats['streak']} day(s)")
    return "\n".join(lines)


def cmd_tui(args: argparse.Namespace, *, review: bool) -> int:
    """Run the app. Exit status: 0; 1 after an unhandled failure (Textual printed it), when a change
    could not be saved (said on stderr, in one line), or when quit from the recovery screen."""
    app = build_app(args, review=review)
    if app is None:
        return 2
    unsaved = None
    try:
        app.run()
    finally:
        if app.writes.running:
            print("quizapp: waiting a few seconds for the last change to be saved…", file=sys.stderr)
        unsaved = app.writes.settle()  # a write still waiting for the collection: its outcome
        if app.collection is not None:
            app.collection.close()
    if app.return_code:
        return app.return_code
    if unsaved:
        print(f"quizapp: not saved: {unsaved}", file=sys.stderr)
        return 1
    return 0 if app.collection is not None else 1  # 1: quit from the recovery screen


def build_app(args: argparse.Namespace, *, review: bool = False, clock=None):
    """The app as `quizapp` would run it (also used by benchmarks/startup.py); None after a usage error.
    ``clock`` (default: :func:`clock_of` ``args``) reaches the collection, its backups and every screen."""
    from quizapp.core.content.loader import load_library
    from quizapp.ui.app import QuizApp

    from quizapp.commands import content_sources

    content, skipped = content_sources(args)
    missing = [p for p in content if not p.exists()]
    if missing:
        print(f"quizapp: no such content folder: {missing[0]}", file=sys.stderr)
        return None
    from quizapp.core.paths import resolve_paths

    deck_cache = resolve_paths(args.data_dir).data_dir / "cache" / "decks.json"
    library = load_library(content, deck_cache)
    deck = getattr(args, "deck", None)
    if deck is not None and library.deck(deck) is None:
        known = ", ".join(d.id for d in library.decks if not d.failed)
        print(f"quizapp: no deck {deck!r}; decks: {known}", file=sys.stderr)
        return None
    recovery = None
    clock = clock or clock_of(args)
    try:  # today's backup is taken by the app, in a background thread
        paths, config, problems, collection = _open(args, clock=clock)
    except BrokenCollection as broken:  # start on the recovery screen
        from quizapp.ui.screens.recovery import Recovery

        paths, config, problems, collection = broken.paths, broken.config, broken.problems, None
        recovery = Recovery.find(broken.health, broken.paths.collection, broken.paths.backups_dir)
    from quizapp.commands.argtypes import with_interview_date

    app = QuizApp(library=library, collection=collection, config=with_interview_date(config, args),
                  content_paths=content, deck_cache=deck_cache, review_deck=deck, start_in_review=review,
                  notices=[*problems, *skipped], recovery=recovery, backups_dir=paths.backups_dir, clock=clock)
    app.config_file = paths.config_file  # where Home's interview date and fitted parameters are saved
    return app
