"""Subcommands beyond the core four, one module each.

Each module defines ``register(subparsers, common)`` — add its subparser, calling ``common(parser)``
for the global options — and ``run(args) -> int``. Modules must import heavy things (numpy) inside
``run`` only, so `quizapp --help` and the TUI stay quick.
"""

MODULES: list[str] = [
    "quizapp.commands.questions",
    "quizapp.commands.check_answer",
    "quizapp.commands.train",
]
