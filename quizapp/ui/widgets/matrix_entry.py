"""Typing one answer of a generated question: a grid of cells sized to the answer's shape.

A number gets one cell, a vector of n one row of n cells, an m×n matrix m rows of n cells (the
attention families' 2×2 at easy are four cells). Up/down move between rows, Enter moves on (the
panel decides where), tab goes through the cells in reading order. The whole answer may also be
typed or pasted into the first cell as ``1, 2; 3, 4``: it is spread over the cells when it has
exactly as many numbers as there are cells. Answers that are not a matrix (3-D, ragged lists, more
than ``MAX_CELLS`` numbers) get one line instead, read the way ``quizapp check-answer`` reads it.

Nothing is graded here: ``read`` turns the cells into the text the grader reads (or says which
cell cannot be read). NumPy-free; parsing (``quizapp.core.answers``) is imported when reading.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Static

from quizapp.core.text.numfmt import num
from quizapp.ui.widgets.matrix_view import is_regular, shape_of

__all__ = ["CELL_WIDTH", "MAX_CELLS", "EntryRead", "MatrixEntry", "grid_shape"]

CELL_WIDTH = 10
MAX_CELLS = 48


def grid_shape(value: Any) -> tuple[int, int] | None:
    """(rows, columns) of the cells for an answer like ``value``; None when it needs one line."""
    if not is_regular(value):
        return None
    shape = shape_of(value)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        rows, cols = 1, shape[0]
    elif len(shape) == 2:
        rows, cols = shape
    else:
        return None
    return (rows, cols) if 0 < rows * cols <= MAX_CELLS else None


@dataclass
class EntryRead:
    """What the cells hold. ``text``: for the grader (None when nothing was typed or a cell is
    unreadable); ``bad``: (cell index, its text, the parser's message); ``missing``: empty cells
    of a partly filled grid."""

    text: str | None
    bad: tuple[int, str, str] | None = None
    missing: tuple[int, ...] = ()


class MatrixEntry(Widget):
    """The cells of one answer; ``cells`` in reading order (one Input in line mode)."""

    DEFAULT_CSS = f"""
    MatrixEntry {{
        width: auto;
        height: auto;
        layout: horizontal;
    }}
    MatrixEntry.-line {{
        width: 1fr;
    }}
    MatrixEntry > .me-bracket {{
        width: 1;
        height: auto;
        color: $text-muted;
    }}
    MatrixEntry > .me-rows {{
        width: auto;
        height: auto;
    }}
    MatrixEntry .me-row {{
        width: auto;
        height: 1;
    }}
    MatrixEntry .me-cell {{
        width: {CELL_WIDTH};
        margin: 0 0 0 1;
        background: $boost;
    }}
    MatrixEntry .me-cell:focus {{
        background: $primary 35%;
    }}
    MatrixEntry .me-row > .me-cell:last-child {{
        margin-right: 1;
    }}
    MatrixEntry.-line .me-cell {{
        width: 1fr;
        margin: 0;
    }}
    MatrixEntry .me-cell.-wrong {{
        color: $text-error;
        text-style: bold;
    }}
    MatrixEntry .me-cell.-right {{
        color: $text-success;
    }}
    """

    BINDINGS = [
        Binding("up", "move(-1)", "Row above", show=False),
        Binding("down", "move(1)", "Row below", show=False),
    ]

    def __init__(self, name: str, value: Any, *, placeholder: str = "") -> None:
        super().__init__(classes="gq-entry")
        self.answer_name = name
        self.grid = grid_shape(value)
        self.set_class(self.grid is None, "-line")
        if self.grid is None:
            self.cells = [Input(placeholder=placeholder, compact=True, classes="me-cell gq-box",
                                select_on_focus=False)]
        else:
            rows, cols = self.grid
            self.cells = [Input(compact=True, classes="me-cell gq-box", select_on_focus=False,
                                placeholder=_cell_hint(rows, cols, i))
                          for i in range(rows * cols)]
        for i, cell in enumerate(self.cells):
            cell.tooltip = self._cell_tooltip(i)

    def compose(self) -> ComposeResult:
        if self.grid is None:
            yield self.cells[0]
            return
        rows, cols = self.grid
        framed = rows * cols > 1  # a vector or matrix gets brackets, like the inputs above
        if framed:
            yield Static(_bracket(rows, 0), classes="me-bracket")
        yield Vertical(*(Horizontal(*self.cells[r * cols:(r + 1) * cols], classes="me-row")
                         for r in range(rows)), classes="me-rows")
        if framed:
            yield Static(_bracket(rows, 1), classes="me-bracket")

    # ---- where -------------------------------------------------------------------------------

    @property
    def count(self) -> int:
        return len(self.cells)

    def where(self, index: int) -> str:
        """"row 2, column 1" / "entry 3" / "" (a scalar or line mode) for a cell."""
        if self.grid is None or self.count == 1:
            return ""
        rows, cols = self.grid
        if rows == 1:
            return f"entry {index + 1}"
        return f"row {index // cols + 1}, column {index % cols + 1}"

    def _cell_tooltip(self, index: int) -> str:
        if self.grid is None:
            return (f"Your {self.answer_name}, e.g. [[1, 2], [3, 4]]. Fractions like 3/2 are "
                    f"fine.")
        place = self.where(index)
        return (f"{self.answer_name}{' ' + place if place else ''}: one number (3/2 is fine). "
                "Or the whole answer in the first cell, rows split by ';'.")

    def index_of(self, cell: Input) -> int:
        return next((i for i, c in enumerate(self.cells) if c is cell), -1)

    def action_move(self, step: int) -> None:
        """Up/down: the cell in the same column one row away (stays put at the edge)."""
        if self.grid is None:
            return
        focused = self.screen.focused
        here = self.index_of(focused) if isinstance(focused, Input) else -1
        if here < 0:
            return
        target = here + step * self.grid[1]
        if 0 <= target < self.count:
            self.cells[target].focus()

    # ---- values ------------------------------------------------------------------------------

    @property
    def texts(self) -> list[str]:
        return [c.value for c in self.cells]

    def is_empty(self) -> bool:
        return not any(t.strip() for t in self.texts)

    def empty_cells(self) -> list[Input]:
        return [c for c in self.cells if not c.value.strip()]

    def clear(self) -> None:
        for cell in self.cells:
            cell.value = ""
            cell.disabled = False
            cell.remove_class("-wrong", "-right")

    def spread(self, cell: Input | None = None) -> bool:
        """If ``cell`` (default: any) holds the whole answer — as many numbers as there are
        cells — write one number into each cell. True when it did."""
        if self.grid is None or self.count == 1:
            return False
        from quizapp.core.answers import AnswerSyntaxError, parse_numbers

        for candidate in [cell] if cell is not None else self.cells:
            text = candidate.value.strip()
            if not text:
                continue
            try:
                values = parse_numbers(text).values
            except AnswerSyntaxError:
                continue
            if values.size == self.count and values.size > 1:
                for target, v in zip(self.cells, values.ravel().tolist(), strict=True):
                    target.value = num(v, 12)
                return True
        return False

    def readable(self, cell: Input) -> bool:
        """Empty, or one number (line mode: anything — the grader reads it)."""
        text = cell.value.strip()
        if self.grid is None or not text:
            return True
        from quizapp.core.answers import AnswerSyntaxError, parse_numbers

        try:
            return parse_numbers(text).values.size == 1
        except AnswerSyntaxError:
            return False

    def read(self) -> EntryRead:
        """The typed answer as one text for the grader."""
        if self.grid is None:
            text = self.cells[0].value
            return EntryRead(text if text.strip() else None)
        if self.is_empty():
            return EntryRead(None)
        self.spread()
        from quizapp.core.answers import AnswerSyntaxError, parse_numbers

        numbers: list[float] = []
        missing = []
        for i, cell in enumerate(self.cells):
            text = cell.value.strip()
            if not text:
                missing.append(i)
                continue
            try:
                values = parse_numbers(text).values
            except AnswerSyntaxError as error:
                return EntryRead(None, (i, cell.value, str(error)))
            if values.size != 1:
                return EntryRead(None, (i, cell.value, f"one number per cell, got {values.size} "
                                                       f"(or the whole answer in the first cell)"))
            numbers.append(float(values.ravel()[0]))
        if missing:
            return EntryRead(None, missing=tuple(missing))
        rows, cols = self.grid
        return EntryRead("; ".join(", ".join(repr(v) for v in numbers[r * cols:(r + 1) * cols])
                                   for r in range(rows)))

    def mark_cells(self, wrong: Iterable[tuple[int, ...]] | None) -> None:
        """After a check: wrong cells in the error colour, the others in the success colour;
        ``None`` clears the marks."""
        for cell in self.cells:
            cell.remove_class("-wrong", "-right")
        if wrong is None or self.grid is None:
            return
        cols = self.grid[1]
        bad = set()
        for idx in wrong:
            if len(idx) == 2:
                bad.add(idx[0] * cols + idx[1])
            elif len(idx) == 1:
                bad.add(idx[0])
            else:
                bad.add(0)
        for i, cell in enumerate(self.cells):
            cell.add_class("-wrong" if i in bad else "-right")


def _cell_hint(rows: int, cols: int, index: int) -> str:
    """A dot marks every empty cell (visible without colours too)."""
    return "·"


def _bracket(rows: int, side: int) -> str:
    """The left (side 0) or right (1) bracket of a grid ``rows`` high, as matrix_view draws it."""
    if rows == 1:
        return "[]"[side]
    top, mid, bottom = ("⎡", "⎢", "⎣") if side == 0 else ("⎤", "⎥", "⎦")
    return "\n".join([top] + [mid] * (rows - 2) + [bottom])
