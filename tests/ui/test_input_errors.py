"""An answer typed on one line (big answers) with the wrong number of entries is reported like a
typo — "fix it and press Enter" — and nothing is graded (issue 21, item 4)."""

from __future__ import annotations

import io
from types import SimpleNamespace

from rich.console import Console, Group

from quizapp.core.answers import grade_numbers
from quizapp.ui.widgets.answer_feedback import unready_parts
from quizapp.ui.widgets.matrix_entry import EntryRead


def plain(parts) -> str:
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(Group(*parts))
    return console.export_text()


def test_a_line_answer_with_too_few_entries_is_not_graded():
    rows = [SimpleNamespace(answer_name="dX", entry=SimpleNamespace(where=lambda i: ""))]
    reads = {"dX": EntryRead("1, 2")}
    results = {"dX": grade_numbers("1, 2", [1.0, 2.0, 3.0])}
    unready = unready_parts(rows, reads, results)
    assert unready is not None
    parts, names, focus = unready
    assert names == ["dX"] and focus == ("dX", 0)
    assert "expected 3 numbers, got 2 numbers" in plain(parts)
    # the right count, wrong numbers: graded as usual
    results = {"dX": grade_numbers("1, 2, 4", [1.0, 2.0, 3.0])}
    assert unready_parts(rows, {"dX": EntryRead("1, 2, 4")}, results) is None
