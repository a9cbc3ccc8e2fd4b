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
    """Where decks are loaded from, in order: the shipped decks, the user's decks folder
    (``DATA_DIR/decks``, where `quizapp new` writes) if it exists, the ``content_dirs`` of
    config.toml that exist, then every ``--content`` path. See :func:`content_sources`."""
    return content_sources(args)[0]


def content_sources(args) -> tuple[list, list[str]]:
    """(paths, notices): :func:`content_paths` and a line for each ``content_dirs`` entry skipped
    because it does not exist (a config file never stops the app from starting)."""
    from pathlib import Path

    from quizapp.core.config import load_config
    from quizapp.core.content.loader import shipped_decks_dir
    from quizapp.core.paths import DataDirError, resolve_paths, user_decks_dir

    paths = [shipped_decks_dir()]
    notices: list[str] = []
    try:
        app_paths = resolve_paths(getattr(args, "data_dir", None))
    except DataDirError:
        app_paths = None
    if app_paths is not None:
        mine = user_decks_dir(app_paths.data_dir)
        if mine.is_dir():
            paths.append(mine)
        config, _problems = load_config(app_paths.config_file)  # problems: reported where the config is opened
        for entry in config.content_dirs:
            folder = Path(entry).expanduser()
            if not folder.is_absolute():
                folder = app_paths.config_file.parent / folder
            if folder.exists():
                paths.append(folder)
            else:
                notices.append(f"{app_paths.config_file}: content_dirs: no such folder {entry!r} (skipped)")
    return [*paths, *(getattr(args, "content", None) or [])], notices
