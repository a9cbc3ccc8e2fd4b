"""Feedback for typed answers of a generated question: ✓/✗ per quantity, the grader's message, a
located caret under unreadable input, and for wrong entries your numbers beside the answer with
those entries highlighted. Rich renderables only (never Textual markup); NumPy-free."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from quizapp.core.text.safe import visible_controls
from quizapp.ui.widgets.matrix_view import matrix_text, shape_of

if TYPE_CHECKING:
    from quizapp.core.answers import NumericVerdict
    from quizapp.core.generators import Question

__all__ = [
    "grade_safely", "results_block", "unreadable_block", "unready_parts", "verdict_block",
]

_COLUMN = re.compile(r"column (\d+)")


def grade_safely(grade, q: Question, name: str, text: str) -> NumericVerdict:
    """``grade(q, name, text)``, or a wrong verdict carrying the error (never a traceback)."""
    try:
        return grade(q, name, text)
    except Exception as error:  # noqa: BLE001 — feedback, never a traceback
        from quizapp.core.answers import NumericVerdict

        return NumericVerdict(False, f"Could not grade this answer: {error}", [], "", str(error))


def unreadable_block(name: str, typed: str, error: str, where: str = "") -> Any:
    """"? dW  could not read row 2, column 1" with the typed text and a caret under the column
    the parser names."""
    head = Text()
    head.append("? ", style="bold yellow")
    head.append(name, style="bold")
    head.append(f"  could not read {where or 'this answer'}", style="yellow")
    shown = visible_controls(typed)
    caret = Text("    " + shown + "\n")
    match = _COLUMN.search(error)
    if match:
        col = min(max(int(match.group(1)), 1), len(shown) + 1)
        caret.append("    " + " " * (col - 1) + "^ ", style="bold yellow")
    else:
        caret.append("    ")
    caret.append(visible_controls(error), style="yellow")
    return Group(head, caret)


def verdict_block(name: str, typed: str, verdict: NumericVerdict, expected: Any,
                  common_tolerance: str | None = None) -> Any:
    """One quantity's feedback after a check."""
    message = visible_controls(verdict.message)
    if common_tolerance:  # said once above the list
        message = message.replace(f" (tolerance: {common_tolerance})", "")
    head = Text()
    if verdict.correct:
        head.append("✓ ", style="bold green")
        head.append(name, style="bold")
        head.append("  " + message)
        return head
    if verdict.parse_error is not None and typed.strip():
        return unreadable_block(name, typed, verdict.parse_error)
    head.append("✗ ", style="bold red")
    head.append(name, style="bold")
    if verdict.parse_error is not None:
        head.append("  no answer given", style="red")
        return head
    head.append("  " + message)
    given = getattr(verdict, "given", None)
    if given is None or not verdict.wrong_entries:
        return head
    given_list = given.tolist()
    if shape_of(given_list) != shape_of(expected):
        return head
    grid = Table.grid(padding=(0, 4))
    grid.add_column()
    grid.add_column()
    grid.add_row(
        matrix_text(given_list, label=Text("yours", style="dim"), highlight=verdict.wrong_entries),
        matrix_text(expected, label=Text("answer", style="dim"), highlight=verdict.wrong_entries,
                    highlight_style="bold green"),
    )
    return Group(head, Padding(grid, (0, 0, 0, 4)))


def results_block(q: Question, typed: dict[str, str], results: dict[str, NumericVerdict],
                  all_correct: bool) -> Any:
    """The heading (all correct / k of n right, the shared tolerance) and one block per answer."""
    right = sum(v.correct for v in results.values())
    head = Text()
    if all_correct:
        head.append("✓ All correct", style="bold green")
    else:
        head.append(f"✗ {right} of {len(results)} right", style="bold red")
    tolerances = {v.tolerance for v in results.values() if v.tolerance}
    common = tolerances.pop() if len(tolerances) == 1 else None
    if common:
        head.append(f"\ntolerance: {common}", style="not bold dim")
    parts: list[Any] = [head]
    for name, verdict in results.items():
        parts.append(verdict_block(name, typed[name], verdict, q.answer[name], common))
    return Group(*parts)


def unready_parts(rows: list, reads: dict, results: dict | None = None
                  ) -> tuple[list[Any], list[str], tuple[str, int]] | None:
    """Why the typed answers cannot be checked yet — unreadable cells first, then answers typed on
    one line that the grader could not read or that hold the wrong number of entries (their
    ``results``), else the empty cells of partly filled matrices: (feedback blocks, the answers
    concerned, (answer, cell) to focus). None when every answer can be graded. ``rows`` are
    ``AnswerRow``s, ``reads`` their ``EntryRead``s by answer name."""
    bad = [row for row in rows if reads[row.answer_name].bad]
    unusable = [row for row in rows if not bad and results and reads[row.answer_name].text
                and results[row.answer_name].input_error is not None]
    if unusable:
        parts = [unreadable_block(row.answer_name, reads[row.answer_name].text,
                                  results[row.answer_name].input_error) for row in unusable]
        return parts, [r.answer_name for r in unusable], (unusable[0].answer_name, 0)
    if bad:
        parts = []
        for row in bad:
            index, typed, error = reads[row.answer_name].bad
            parts.append(unreadable_block(row.answer_name, typed, error, row.entry.where(index)))
        return parts, [r.answer_name for r in bad], (bad[0].answer_name, reads[bad[0].answer_name].bad[0])
    partial = [row for row in rows if reads[row.answer_name].missing]
    if not partial:
        return None
    parts = []
    for row in partial:
        missing = reads[row.answer_name].missing
        where = ", ".join(row.entry.where(i) for i in missing[:3])
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        line = Text()
        line.append("? ", style="bold yellow")
        line.append(row.answer_name, style="bold")
        line.append(f"  empty: {where}{more}", style="yellow")
        parts.append(line)
    first = partial[0].answer_name
    return parts, [r.answer_name for r in partial], (first, reads[first].missing[0])
