"""Changing one setting in config.toml (what Home's interview date and `quizapp optimize --apply`
do), keeping every other line — comments, order, other settings — as the user wrote it.

The key's top-level ``key = value`` line is replaced (or appended when absent; a value that spans
lines is refused, not mangled), the result is parsed back before it is written, and the file is
replaced atomically (:func:`quizapp.core.user_files.write_user_file`): a failure leaves the old file.
"""

from __future__ import annotations

import errno
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from quizapp.core.config import KNOWN_KEYS, MAX_CONFIG_BYTES, Config, parse_config


class ConfigWriteError(ValueError):
    """The setting could not be written; ``str()`` is one line for the user."""


def toml_value(value: Any) -> str:
    """``value`` as TOML text (dates bare, numbers and lists as JSON, which TOML reads alike)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, float):
        return repr(round(value, 6))
    return json.dumps(value, ensure_ascii=False)


def set_setting(path: Path, key: str, value: Any) -> Config:
    """Write ``key = value`` (``value`` None: remove the line) and return the settings now in force.
    Raises :class:`ConfigWriteError` (nothing written) if the file cannot be read or written, or if
    the result would not be valid."""
    from quizapp.core.user_files import UserFileError, read_user_file, write_user_file

    if key not in KNOWN_KEYS:
        raise ConfigWriteError(f"unknown setting {key!r}")
    path = Path(path)
    try:
        text = read_user_file(path, MAX_CONFIG_BYTES).decode("utf-8-sig")
    except UserFileError as error:
        if error.errno != errno.ENOENT:
            raise ConfigWriteError(f"cannot read {path}: {error.reason}") from None
        text = ""
    except UnicodeDecodeError:
        raise ConfigWriteError(f"{path} is not UTF-8 text; not changed") from None
    line = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=.*$", re.MULTILINE)
    table = re.search(r"^[ \t]*\[", text, re.MULTILINE)  # top-level keys must come before any table
    matches = [m for m in line.finditer(text) if table is None or m.start() < table.start()]
    new_line = "" if value is None else f"{key} = {toml_value(value)}"
    if matches and not _whole(matches[0].group(0)):
        raise ConfigWriteError(f"cannot set {key} in {path}: its value spans several lines; edit it by hand "
                               "(not changed)")
    if matches:
        m = matches[0]
        start, end = m.start(), m.end()
        if new_line == "" and end < len(text) and text[end] == "\n":
            end += 1
        text = text[:start] + new_line + text[end:]
    elif new_line:
        at = table.start() if table is not None else len(text)
        head = text[:at]
        if head and not head.endswith("\n"):
            head += "\n"
        text = head + new_line + "\n" + text[at:]
    config, problems = parse_config(text, path)
    if any(key in p or "not valid TOML" in p for p in problems) or (value is not None and _field(config, key) is None):
        raise ConfigWriteError(f"cannot set {key} in {path} (its line could not be replaced safely); not changed")
    try:
        write_user_file(path, text.encode("utf-8"))
    except UserFileError as error:
        raise ConfigWriteError(str(error)) from None
    return config


def _whole(line: str) -> bool:
    """Whether ``line`` is a whole ``key = value`` on its own (not the start of a multi-line value)."""
    import tomllib

    try:
        tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        return False
    return True


def _field(config: Config, key: str) -> Any:
    return getattr(config, key.removesuffix("_minutes"), None)
