"""Where a field of a drill's TOML is written, for located problems: ``answer``, ``accept[2]``, ``vars.z``.

A :class:`FieldLocator` reads the lines once per top-level key it is asked about and then answers
from dictionaries, so a drill with thousands of problems (a thousand bad constants, a thousand
unknown keys) is located in linear time instead of rescanning the text for each one.

Rules (unchanged from the first, per-problem version): a key is the first line that starts with
``key =`` or ``[key]``; ``key.sub`` is the first ``sub =`` after the key's ``=``; ``key[i]`` is the
i-th string literal after it. The search looks at most 200 lines down and stops after the next line
that starts another key or table.
"""

from __future__ import annotations

import re

__all__ = ["FieldLocator"]

_FIELD = re.compile(r"(\w+)(?:\[(\d+)\]|\.(\w+))?")
_KEY_START = re.compile(r"\s*(\[\s*(\w+)\s*\]|(\w+)\s*=)")
_SUB = re.compile(r"\b(\w+)\s*=")
_STRING = re.compile(r"(\"(?:[^\"\\]|\\.)*\"|'[^']*')")
_NEXT_KEY = re.compile(r"^\s*(\w+\s*=|\[)")
_REACH = 200  # lines searched below a key for its subfields


class FieldLocator:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self._keys: dict[str, tuple[int, int]] | None = None
        self._subs: dict[str, tuple[dict[str, tuple[int, int]], list[tuple[int, int]]]] = {}

    def locate(self, field_name: str) -> tuple[int, int]:
        """0-based line and 1-based column of ``field_name`` (answer, accept[2], vars.z, …)."""
        m = _FIELD.match(field_name)
        if not m:
            return 0, 1
        root, index, sub = m.groups()
        line, col = self._key(root)
        if sub is None and index is None:
            return line, col
        names, strings = self._inside(root, line)
        if sub is not None:
            return names.get(sub, (line, col))
        k = int(index)
        return strings[k] if k < len(strings) else (line, col)

    def _key(self, root: str) -> tuple[int, int]:
        if self._keys is None:
            self._keys = {}
            for i, text in enumerate(self.lines):
                m = _KEY_START.match(text)
                if m:
                    self._keys.setdefault(m.group(2) or m.group(3), (i, m.start(1) + 1))
        return self._keys.get(root, (0, 1))

    def _inside(self, root: str, line: int) -> tuple[dict[str, tuple[int, int]], list[tuple[int, int]]]:
        """``name =`` positions (first of each name) and string literals in order, below ``root``."""
        if root not in self._subs:
            names: dict[str, tuple[int, int]] = {}
            strings: list[tuple[int, int]] = []
            for i in range(line, min(len(self.lines), line + _REACH)):
                text = self.lines[i]
                start = text.find("=") + 1 if i == line else 0
                for hit in _SUB.finditer(text, start):
                    names.setdefault(hit.group(1), (i, hit.start() + 1))
                strings.extend((i, hit.start() + 1) for hit in _STRING.finditer(text, start))
                if i > line and _NEXT_KEY.match(text):
                    break
            self._subs[root] = (names, strings)
        return self._subs[root]
