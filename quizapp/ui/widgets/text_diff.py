"""Show a typed answer against the expected one: what matched, what was missing, what was extra."""

from __future__ import annotations

from rich.text import Text

from quizapp.core.text.compare import TextVerdict
from quizapp.core.text.safe import visible_controls


def diff_text(verdict: TextVerdict) -> Text:
    if verdict.correct:
        head = Text("✓ Correct", style="bold green")
    elif verdict.close:
        head = Text("≈ Almost — check the spelling", style="bold yellow")
    else:
        head = Text("✗ Not quite", style="bold red")
    if verdict.correct and not verdict.close:
        return head
    head.append("\n")
    for op, chunk in verdict.diff:
        chunk = visible_controls(chunk)
        if op == "equal":
            head.append(chunk)
        elif op == "delete":  # in the expected answer, missing from yours
            head.append(chunk, style="bold green underline")
        elif op == "insert":  # typed but not expected
            head.append(chunk, style="red strike")
    return head
