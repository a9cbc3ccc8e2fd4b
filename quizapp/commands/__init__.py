"""Subcommands beyond the core four, one module each.

Each module defines ``register(subparsers, common)`` — add its subparser, calling ``common(parser)``
for the global options — and ``run(args) -> int``. Modules must import heavy things (numpy) inside
``run`` only, so `quizapp --help` and the TUI stay quick. A module whose name is not its command
(``import_``: ``import`` is a keyword) sets ``COMMAND = "import"``.
"""

MODULES: list[str] = [
    "quizapp.commands.questions",
    "quizapp.commands.check_answer",
    "quizapp.commands.train",
    "quizapp.commands.backup",
    "quizapp.commands.restore",
    "quizapp.commands.ids",
    "quizapp.commands.new",
    "quizapp.commands.import_",
    "quizapp.commands.export",
]
