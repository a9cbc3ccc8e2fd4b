"""Make untrusted deck text safe to put on a terminal.

A shared deck must not be able to drive the user's terminal: escape sequences (ESC [ …, OSC 52
clipboard writes), BEL and other control characters are replaced by their visible Unicode
"control picture" (ESC → ␛, BEL → ␇) before any text reaches a widget. Newlines and tabs stay.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls have no picture; show the replacement character


def visible_controls(text: str) -> str:
    """Return ``text`` with every control character except newline and tab made visible."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(_picture, text)
