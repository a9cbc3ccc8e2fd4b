"""User settings from ``config.toml``. Loading never raises: bad values fall back to defaults and
come back as human-readable problems (``path:line: message``) for the app to show.

Recognised keys (all optional, top level)::

    desired_retention = 0.9           # 0 < r < 1: target probability of recall when a card is due
    learning_steps_minutes = [1, 10]  # steps for new cards
    relearning_steps_minutes = [10]   # steps after forgetting a review card
    new_per_day = 100                 # new cards introduced per study day, all decks together
    deck_new_per_day = 20             # new cards per study day in each deck (a deck's front matter
                                      # new_per_day overrides it)
    day_rollover_hour = 4             # local hour (0-23) when a new study day starts
    maximum_interval_days = 36500
    enable_fuzzing = true             # small random spread of review intervals
    leech_threshold = 8               # lapses after which a card is flagged as a leech (0: never)
    content_dirs = ["~/decks"]        # folders (or .md files) of your own decks, loaded with the
                                      # shipped ones; ~ is your home, a relative path is relative
                                      # to this file's folder

    [new_per_deck]                    # (a table: after the keys above) per deck id, overriding both
    relu-vs-leaky-relu = 5            # new_per_day limits, e.g. for the shipped decks

Studying toward a date (see docs/plan.md and quizapp/core/plan/)::

    interview_date = 2026-12-20       # a TOML date (or "2026-12-20"); unset: no plan
    interview_decks = ["ml-basics"]   # the decks the plan covers (default: every deck)
    interview_retention = 0.95        # predicted recall wanted on the day, per card
    interview_new_cap = 60            # never more new cards a day than this, whatever is left
    fsrs_parameters = [0.212, …]      # 21 FSRS weights (what `quizapp optimize` fits); unset: FSRS's defaults
"""

from __future__ import annotations

import errno
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import fsrs


def _minutes(*values: float) -> tuple[timedelta, ...]:
    return tuple(timedelta(minutes=v) for v in values)


class Config(NamedTuple):  # immutable settings (a named tuple: cheaper to define than a dataclass)
    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = _minutes(1, 10)
    relearning_steps: tuple[timedelta, ...] = _minutes(10)
    new_per_day: int = 100
    day_rollover_hour: int = 4
    maximum_interval_days: int = 36500
    enable_fuzzing: bool = True
    leech_threshold: int = 8
    deck_new_per_day: int = 20
    new_per_deck: tuple[tuple[str, int], ...] = ()  # (deck id, limit), from the [new_per_deck] table
    interview_date: date | None = None
    interview_decks: tuple[str, ...] = ()
    interview_retention: float = 0.95
    interview_new_cap: int = 60
    fsrs_parameters: tuple[float, ...] | None = None
    content_dirs: tuple[str, ...] = ()

    def scheduler(self, *, fuzz: bool | None = None) -> fsrs.Scheduler:
        """An fsrs scheduler with these settings (``fuzz`` overrides ``enable_fuzzing``)."""
        return fsrs.Scheduler(
            desired_retention=self.desired_retention,
            learning_steps=self.learning_steps,
            relearning_steps=self.relearning_steps,
            maximum_interval=self.maximum_interval_days,
            enable_fuzzing=self.enable_fuzzing if fuzz is None else fuzz,
            **({"parameters": self.fsrs_parameters} if self.fsrs_parameters else {}),
        )

    def to_toml_dict(self) -> dict[str, Any]:
        """The settings as they are written in config.toml."""
        out: dict[str, Any] = {}
        for name, value in zip(self._fields, self):
            if name in _STEP_KEYS.values():
                out[f"{name}_minutes"] = [_fmt_minutes(s) for s in value]
            elif name == "new_per_deck":
                out[name] = dict(value)
            elif isinstance(value, tuple):
                out[name] = list(value)
            else:
                out[name] = value
        return out


MAX_CONFIG_BYTES = 1024 * 1024  # a config file is a dozen lines

_STEP_KEYS = {"learning_steps_minutes": "learning_steps", "relearning_steps_minutes": "relearning_steps"}


def _fmt_minutes(step: timedelta) -> float | int:
    m = step.total_seconds() / 60
    return int(m) if m == int(m) else m


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _check(key: str, value: Any) -> tuple[Any, str | None]:
    """(converted value, None) or (None, what is wrong)."""
    if key == "desired_retention":
        if _is_number(value) and 0 < value < 1:
            return float(value), None
        return None, "must be a number between 0 and 1 (exclusive), e.g. 0.9"
    if key in _STEP_KEYS:
        if isinstance(value, list) and all(_is_number(v) and 0 < v <= 60 * 24 * 30 for v in value):
            return _minutes(*value), None
        return None, "must be a list of positive numbers of minutes (at most 30 days), e.g. [1, 10]"
    if key in ("new_per_day", "deck_new_per_day"):
        if _is_int(value) and 0 <= value <= 10_000:
            return value, None
        return None, "must be a whole number from 0 to 10000"
    if key == "new_per_deck":
        if isinstance(value, dict) and all(isinstance(k, str) and _is_int(v) and 0 <= v <= 10_000
                                           for k, v in value.items()):
            return tuple(value.items()), None
        return None, "must be a table of deck id = whole number from 0 to 10000, e.g. [new_per_deck] my-deck = 5"
    if key == "day_rollover_hour":
        if _is_int(value) and 0 <= value <= 23:
            return value, None
        return None, "must be a whole hour from 0 to 23"
    if key == "maximum_interval_days":
        if _is_int(value) and 1 <= value <= 36500:
            return value, None
        return None, "must be a whole number of days from 1 to 36500"
    if key == "enable_fuzzing":
        if isinstance(value, bool):
            return value, None
        return None, "must be true or false"
    if key == "leech_threshold":
        if _is_int(value) and 0 <= value <= 1000:
            return value, None
        return None, "must be a whole number from 0 (never) to 1000"
    if key in PLAN_KEYS:
        from quizapp.core.plan.settings import check_plan_key

        return check_plan_key(key, value)
    if key == "content_dirs":
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() and "\0" not in v for v in value):
            return tuple(v.strip() for v in value), None
        return None, 'must be a list of folder paths, e.g. ["~/decks"]'
    raise KeyError(key)


KNOWN_KEYS = (
    "desired_retention", "learning_steps_minutes", "relearning_steps_minutes", "new_per_day",
    "day_rollover_hour", "maximum_interval_days", "enable_fuzzing", "leech_threshold", "deck_new_per_day",
    "new_per_deck", "content_dirs",
)
PLAN_KEYS = ("interview_date", "interview_decks", "interview_retention", "interview_new_cap", "fsrs_parameters")
KNOWN_KEYS += PLAN_KEYS


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _where(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else str(path)


def parse_config(text: str, path: Path | str = "config.toml") -> tuple[Config, list[str]]:
    """Parse config TOML text; see :func:`load_config`."""
    import difflib  # only when there is a config file to read: not on every start-up
    import tomllib

    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        m = re.search(r"\(at line (\d+), column (\d+)\)", message)
        where = f"{path}:{m.group(1)}:{m.group(2)}" if m else str(path)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        return Config(), [f"{where}: not valid TOML ({message}); using the default settings"]
    problems: list[str] = []
    changes: dict[str, Any] = {}
    defaults = Config().to_toml_dict()
    for key, value in data.items():
        line = _line_of(text, key)
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"{_where(path, line)}: unknown setting {key!r} ignored{hint}")
            continue
        converted, why = _check(key, value)
        if why is not None:
            problems.append(
                f"{_where(path, line)}: {key} {why}; got {value!r}, "
                + (f"using the default {defaults[key]!r}" if defaults[key] is not None else "leaving it unset")
            )
            continue
        changes[_STEP_KEYS.get(key, key)] = converted
    return Config()._replace(**changes), problems


def load_config(path: str | Path) -> tuple[Config, list[str]]:
    """Read ``path``. A missing file gives the defaults and no problems; never raises."""
    from quizapp.core.user_files import UserFileError, read_user_file

    path = Path(path)
    try:  # never blocks on a FIFO or reads a device
        raw = read_user_file(path, MAX_CONFIG_BYTES)
    except UserFileError as error:
        if error.errno == errno.ENOENT:
            return Config(), []
        return Config(), [f"{path}: cannot read the config file ({error.reason}); using the defaults"]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return Config(), [f"{path}:{line}: the config file is not UTF-8 text; using the default settings"]
    return parse_config(text, path)
