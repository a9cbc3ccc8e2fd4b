"""TOML front matter between ``+++`` lines at the top of a deck file.

``split_front_matter`` finds it; ``read_front_matter`` parses and checks it. Problems are located at
file lines: TOML line 1 is the line after the opening ``+++``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from quizapp.core.content.draft import Report

DECK_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
KNOWN_KEYS = ("deck", "title", "tags", "typed", "sources", "new_per_day", "group")
_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END = re.compile(r"\s*\(at end of document\)\s*$")
# The first name of a key line (``key =``, ``"key" =``, ``key.sub =``) or of a table header ``[key]``.
_KEY_LINE = re.compile(r"""\s*(\[{1,2})?\s*(?:"([^"\\]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*([.=\]])""")


@dataclass(slots=True)
class FrontMatter:
    present: bool = False
    ok: bool = True  # False: the TOML could not be read, the deck fails
    deck: str | None = None
    title: str | None = None
    tags: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    options: dict = field(default_factory=dict)
    end_line: int = 0  # number of file lines the front matter occupies (0 when absent)
    deck_line: int = 1  # where `deck = …` is, for problems about the id


def split_front_matter(lines: list[str]) -> tuple[int, int] | None:
    """(open, close) 0-based indexes of the ``+++`` lines, (0, -1) when never closed, or None."""
    if not lines or lines[0].rstrip() != "+++":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() == "+++":
            return 0, i
    return 0, -1


def read_front_matter(lines: list[str], report: Report) -> FrontMatter:
    span = split_front_matter(lines)
    if span is None:
        _warn_yaml(lines, report)
        return FrontMatter()
    _, close = span
    if close < 0:
        report.error(1, 1, "front matter opened with +++ is never closed by a +++ line")
        return FrontMatter(present=True, ok=False, end_line=len(lines))
    fm = FrontMatter(present=True, end_line=close + 1)
    body = lines[1:close]
    try:
        data = tomllib.loads("\n".join(body))
    except tomllib.TOMLDecodeError as e:
        report.error(*_toml_position(str(e), len(body)), f"front matter is not valid TOML: {_toml_message(str(e))}")
        fm.ok = False
        return fm
    except Exception as e:  # tomllib only raises TOMLDecodeError, but never let a deck crash the app
        report.error(2, 1, f"front matter could not be read: {e}")
        fm.ok = False
        return fm

    found = key_positions(body)

    def where(key: str) -> tuple[int, int]:
        return found.get(key, (1, 1))

    deck = data.get("deck")
    fm.deck_line = where("deck")[0] if "deck" in data else 1
    if deck is None:
        report.error(1, 1, "front matter has no deck id (add: deck = \"my-deck\"); using the file name")
    elif not isinstance(deck, str) or not DECK_ID.match(deck):
        report.error(*where("deck"), f"deck id {deck!r} must be a slug of a-z, 0-9 and '-' (e.g. \"relu-basics\")")
    else:
        fm.deck = deck
    title = data.get("title")
    if title is not None:
        if isinstance(title, str) and title.strip():
            fm.title = title.strip()
        else:
            report.error(*where("title"), "title must be a non-empty string")
    tags = data.get("tags")
    if tags is not None:
        if isinstance(tags, list) and all(isinstance(t, str) for t in tags):
            fm.tags = tuple(t.strip() for t in tags if t.strip())
        else:
            report.error(*where("tags"), "tags must be a list of strings, e.g. tags = [\"activations\"]")
    sources = data.get("sources")
    if sources is not None:
        if isinstance(sources, list) and all(isinstance(s, str) for s in sources):
            fm.sources = tuple(s.strip() for s in sources if s.strip())
        else:
            report.error(*where("sources"), 'sources must be a list of strings, e.g. sources = ["He et al. 2015, arXiv:1502.01852"]')
    typed = data.get("typed", False)
    if isinstance(typed, bool):
        fm.options["typed"] = typed
    else:
        report.error(*where("typed"), "typed must be true or false")
        fm.options["typed"] = False
    limit = data.get("new_per_day")
    if limit is not None:
        if isinstance(limit, int) and not isinstance(limit, bool) and 0 <= limit <= 10_000:
            fm.options["new_per_day"] = limit
        else:
            report.error(*where("new_per_day"), "new_per_day must be a whole number from 0 to 10000 "
                         "(new cards of this deck per study day)")
    group = data.get("group")
    if group is not None:  # Home lists decks under it (else under their first tag)
        if isinstance(group, str) and group.strip():
            fm.options["group"] = group.strip()[:60]
        else:
            report.error(*where("group"), 'group must be a non-empty string, e.g. group = "Training"')
    for key in data:
        if key not in KNOWN_KEYS:
            report.warning(*where(key), f"unknown front-matter key {key!r} ignored (known: {', '.join(KNOWN_KEYS)})")
    return fm


def key_positions(body: list[str]) -> dict[str, tuple[int, int]]:
    """Where each top-level key of the TOML ``body`` is first written: key → (file line, column),
    the file line of body line 0 being 2. One pass over the lines, so a file of many keys stays
    linear. (Top-level keys come before any table header, so a first occurrence is the right one.)"""
    found: dict[str, tuple[int, int]] = {}
    for i, line in enumerate(body):
        m = _KEY_LINE.match(line)
        if m is not None and (m.group(1) or m.group(5) != "]"):
            key = m.group(2) or m.group(3) or m.group(4) or ""
            found.setdefault(key, (i + 2, len(line) - len(line.lstrip()) + 1))
    return found


def _toml_position(message: str, n_lines: int) -> tuple[int, int]:
    m = _TOML_POS.search(message)
    if m:
        return int(m.group(1)) + 1, int(m.group(2))
    return n_lines + 1, 1  # "at end of document": point at the last TOML line


def _toml_message(message: str) -> str:
    return _TOML_END.sub("", _TOML_POS.sub("", message))


def _warn_yaml(lines: list[str], report: Report) -> None:
    if len(lines) > 1 and lines[0].rstrip() == "---" and re.match(r"\w+\s*:", lines[1]):
        report.warning(1, 1, "YAML front matter (---) is not supported; use TOML between +++ lines")
