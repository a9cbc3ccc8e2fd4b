"""What a gradient question shows as text: title, inputs as aligned matrices, conventions, hints
and the worked solution — rich renderables built from the ``Question`` alone (never Textual markup;
deck and question text goes through ``visible_controls``). NumPy-free."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.columns import Columns
from rich.console import Group
from rich.text import Text

from quizapp.core.text.safe import visible_controls
from quizapp.ui.widgets.matrix_view import EXACT_SIG, matrix_text, shape_label

if TYPE_CHECKING:
    from quizapp.core.generators import Question

__all__ = ["conventions_text", "hints_text", "inputs_block", "safe", "solution_block", "title_text"]


def safe(text: str, style: str = "") -> Text:
    return Text(visible_controls(text), style=style)


def title_text(q: Question) -> Text:
    title = safe(q.title or q.family, "bold")
    details = [q.difficulty] + ([q.activation] if q.activation else [])
    title.append("   " + " · ".join(details), style="not bold dim")
    return title


def _labelled(values: dict[str, Any], style: str, sig: int = 4) -> Any:
    blocks = []
    for name, value in values.items():
        shape = shape_label(value)
        label = f"{name} ({shape}) =" if shape else f"{name} ="
        blocks.append(matrix_text(value, label=safe(label, style), sig=sig))
    return Columns(blocks, padding=(1, 4)) if blocks else ""


def inputs_block(q: Question) -> Any:
    """Every input, shown exactly, side by side where they fit."""
    return _labelled(q.inputs, "bold", EXACT_SIG)


def conventions_text(q: Question) -> Text:
    out = Text(end="")
    for i, line in enumerate(q.conventions):
        if i:
            out.append("\n")
        out.append("• ")
        out.append_text(safe(line))
    return out


def hints_text(hints: Sequence[str], shown: int) -> Text:
    """"Hint 1/7: first μ = mean of each column of x", one line per hint shown so far."""
    out = Text(end="")
    for i, hint in enumerate(hints[:shown], 1):
        if i > 1:
            out.append("\n")
        out.append(f"Hint {i}/{len(hints)}: ", style="bold")
        out.append_text(safe(hint))
    return out


def solution_block(q: Question) -> Any:
    """The numbered worked solution, then every answer as a matrix."""
    out = Text()
    out.append("Worked solution", style="bold underline")
    out.append("\n")
    for i, step in enumerate(q.solution, 1):
        out.append(f"{i:>2}. ", style="bold")
        out.append_text(safe(step))
        out.append("\n")
    out.rstrip()
    return Group(out, Text(), Text("Answer", style="bold"), _labelled(q.answer, "bold green"))
