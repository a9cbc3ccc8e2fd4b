"""Subcommands beyond the core four, one module each.

Each module defines ``register(subparsers, common)`` — add its subparser, calling ``common(parser)``
for the global options — and ``run(args) -> int``. Modules must import heavy things (numpy) inside
``run`` only. ``MODULES`` maps each command name to its module; the command line imports only the
module of the command it runs (all of them for ``--help`` or an unknown command), so the TUI's
start-up pays for none.
"""

MODULES: dict[str, str] = {
    "questions": "quizapp.commands.questions",
    "check-answer": "quizapp.commands.check_answer",
    "train": "quizapp.commands.train",
    "backup": "quizapp.commands.backup",
    "restore": "quizapp.commands.restore",
    "ids": "quizapp.commands.ids",
    "new": "quizapp.commands.new",
    "import": "quizapp.commands.import_",
    "export": "quizapp.commands.export",
    "serve": "quizapp.commands.serve",
    "plan": "quizapp.commands.plan",
    "optimize": "quizapp.commands.optimize",
}


def clock_of(args):
    """The clock a command reads "now" from: the one ``quizapp.cli.main`` was given (tests pass the
    frozen clock they stamped their data with), else the real one."""
    from quizapp.core.clock import utcnow

    return getattr(args, "clock", None) or utcnow


def content_paths(args) -> list:
    """The shipped decks' folder, then every ``--content`` path, in order."""
    from quizapp.core.content.loader import shipped_decks_dir

    return [shipped_decks_dir(), *(args.content or [])]
