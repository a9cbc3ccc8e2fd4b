"""The answer part of a gradient question: one row per answer — its name and shape, a grid of
cells shaped like it (``MatrixEntry``) and a ✓ / ✗ / ? once checked. Rows are rebuilt only when
the answer names or shapes change (new numbers of the same kind keep the cells). NumPy-free."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label

from quizapp.ui.widgets.matrix_entry import EntryRead, MatrixEntry, grid_shape
from quizapp.ui.widgets.matrix_view import shape_label, shape_of

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from quizapp.core.answers import NumericVerdict
    from quizapp.core.generators import Question

__all__ = ["AnswerArea", "AnswerRow", "answer_label", "answer_placeholder"]


def answer_label(name: str, value: Any, integer: bool = False) -> str:
    """"dW (2×3)", "db (2)", "std" — what the cells beside it want."""
    if integer:
        return f"{name} (integer)"
    shape = shape_label(value)
    return f"{name} ({shape})" if shape else name


def answer_placeholder(value: Any, integer: bool = False) -> str:
    """What a one-line box (an answer that is no matrix) asks for."""
    shape = shape_of(value)
    if integer:
        return "a whole number"
    if not shape:
        return "a number, e.g. 0.25 or 3/2"
    if len(shape) == 1 or (len(shape) == 2 and 1 in shape):
        n = max(shape)
        return "1 number, e.g. 0.5" if n == 1 else f"{n} numbers, e.g. 0.5, −0.02"
    if len(shape) == 2:
        return f"{shape[0]} rows split by ';', e.g. 1, 2; 3, 4"
    return "nested lists, e.g. [[[1, 2]], [[3, 4]]]"


class AnswerRow(Horizontal):
    """Name and shape, the cells of one answer, and a ✓ / ✗ / ? once checked."""

    def __init__(self, name: str, label: str, value: Any, placeholder: str, width: int) -> None:
        super().__init__()
        self.answer_name = name
        self.entry = MatrixEntry(name, value, placeholder=placeholder)
        self._label, self._width = label, width

    def compose(self) -> ComposeResult:
        tag = Label(Text(self._label, style="bold"), classes="gq-name", markup=False)
        tag.styles.width = self._width
        yield tag
        yield self.entry
        yield Label("", classes="gq-mark", markup=False)

    @property
    def box(self) -> Input:
        """The first cell (where a whole answer may be typed)."""
        return self.entry.cells[0]

    def mark(self, mark: str) -> None:
        label = self.query_one(".gq-mark", Label)
        style = {"✓": "bold green", "✗": "bold red"}.get(mark, "bold yellow")
        label.update(Text(mark, style=style))
        self.set_class(mark == "✓", "-right")
        self.set_class(mark == "✗", "-wrong")


def _layout(question: Question) -> list[tuple[str, Any, bool]]:
    """What decides the rows: each answer's name, cell grid and whether it is an integer."""
    return [(n, grid_shape(v), question.tolerances[n].integer) for n, v in question.answer.items()]


class AnswerArea(VerticalScroll):
    """The rows of the current question's answers (scrolls when a big question needs it)."""

    DEFAULT_CSS = """
    AnswerArea AnswerRow {
        height: auto;
    }
    AnswerArea .gq-name {
        height: 1;
        padding-right: 1;
    }
    AnswerArea .gq-mark {
        width: 3;
        height: 1;
        padding-left: 1;
    }
    """

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes, can_focus=False)
        self._layout: list[tuple[str, Any, bool]] | None = None

    def rows(self) -> list[AnswerRow]:
        return list(self.query_children(AnswerRow))

    def entry(self, name: str) -> MatrixEntry:
        for row in self.rows():
            if row.answer_name == name:
                return row.entry
        raise KeyError(name)

    def cells(self) -> list[Input]:
        return [cell for row in self.rows() for cell in row.entry.cells]

    def show(self, question: Question) -> AwaitMount | None:
        """Rows for ``question``'s answers, emptied: the mounting of new rows to await, or None
        when the old rows were reused (same names and shapes)."""
        layout = _layout(question)
        if layout == self._layout:
            for row in self.rows():
                row.entry.clear()
                row.mark("")
            return None
        self._layout = layout
        labels = {n: answer_label(n, v, question.tolerances[n].integer)
                  for n, v in question.answer.items()}
        width = max(len(label) for label in labels.values()) + 1
        rows = [AnswerRow(n, labels[n], v,
                          answer_placeholder(v, question.tolerances[n].integer), width)
                for n, v in question.answer.items()]
        self.remove_children()
        return self.mount_all(rows)

    def read(self) -> dict[str, EntryRead]:
        return {row.answer_name: row.entry.read() for row in self.rows()}

    def all_empty(self) -> bool:
        return all(row.entry.is_empty() for row in self.rows())

    def spread_from(self, cell: Input) -> None:
        """A whole answer typed into ``cell`` goes into its grid's cells."""
        for row in self.rows():
            if cell in row.entry.cells:
                row.entry.spread(cell)

    def readable(self, cell: Input) -> bool:
        """Whether ``cell`` is empty or holds one number (or its grid's whole answer, spread)."""
        for row in self.rows():
            if cell in row.entry.cells:
                return row.entry.readable(cell)
        return True

    def mark_results(self, results: dict[str, NumericVerdict]) -> None:
        for row in self.rows():
            verdict = results[row.answer_name]
            row.mark("✓" if verdict.correct else "✗")
            row.entry.mark_cells([] if verdict.correct else verdict.wrong_entries)

    def mark_unready(self, names: set[str]) -> None:
        for row in self.rows():
            row.mark("?" if row.answer_name in names else "")
