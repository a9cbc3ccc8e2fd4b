"""Numbers, vectors and matrices drawn with aligned columns and brackets — NumPy-free.

Values are plain Python numbers or nested lists (what ``Question.inputs``/``answer`` hold, or
``ndarray.tolist()``). Numbers are written by ``quizapp.core.text.numfmt.num``, the generators' own
formatter (NumPy-free, so this module may be imported at start-up)::

             ⎡ 2.8  3.6  3.4⎤
    X (3×3)  ⎢−0.9  2.2 −1.7⎥
             ⎣  −2  2.8 −1.4⎦

``highlight`` marks entries (0-based index tuples, as in ``NumericVerdict.wrong_entries``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widgets import Static

from quizapp.core.text.numfmt import MINUS, num

__all__ = ["MINUS", "MatrixView", "is_regular", "matrix_text", "num", "shape_label", "shape_of"]

EXACT_SIG = 10


def shape_of(value: Any) -> tuple[int, ...]:
    """The shape of a number or (rectangular) nested list: ``()``, ``(n,)``, ``(m, n)``, …
    (a ragged list reports its first element's shape; ``is_regular`` tells them apart)."""
    if isinstance(value, list | tuple):
        if not value:
            return (0,)
        return (len(value), *shape_of(value[0]))
    return ()


def is_regular(value: Any) -> bool:
    """True for a number or a rectangular nested list (every element of a level the same shape)."""
    if not isinstance(value, list | tuple):
        return True
    shapes = {shape_of(v) for v in value}
    return len(shapes) <= 1 and all(is_regular(v) for v in value)


def shape_label(value: Any) -> str:
    """"2×3", "3" or "" for a scalar."""
    return "×".join(map(str, shape_of(value)))


def _rows(value: Any) -> list[list[Any]]:
    shape = shape_of(value)
    if len(shape) == 0:
        return [[value]]
    if len(shape) == 1:
        return [list(value)]
    if len(shape) == 2:
        return [list(row) for row in value]
    raise ValueError(f"cannot draw a {len(shape)}-D array")


def _brackets(height: int, row: int) -> tuple[str, str]:
    if height == 1:
        return "[", "]"
    if row == 0:
        return "⎡", "⎤"
    if row == height - 1:
        return "⎣", "⎦"
    return "⎢", "⎥"


def _stacked(value: list, label: str | Text | None, sig: int, highlight: Iterable[tuple[int, ...]],
             highlight_style: str, style: str) -> Text:
    """A 3-D (or ragged) value as one block per leading index, labelled ``[1]``, ``[2]``, …"""
    marks = list(highlight)
    head = Text(label) if isinstance(label, str) else (label or Text())
    out = Text(style=style, end="")
    if head.cell_len:
        out.append_text(head)
    for i, part in enumerate(value):
        mine = [idx[1:] for idx in marks if len(idx) > 1 and idx[0] == i]
        if out.cell_len:
            out.append("\n")
        out.append_text(matrix_text(part, label=Text(f"  [{i + 1}]", style="dim"), sig=sig,
                                    highlight=mine, highlight_style=highlight_style, style=style))
    return out


def matrix_text(value: Any, *, label: str | Text | None = None, sig: int = 4,
                highlight: Iterable[tuple[int, ...]] = (), highlight_style: str = "bold red",
                style: str = "") -> Text:
    """``value`` as aligned text: a scalar plainly, a vector as one bracketed row, a matrix with
    tall brackets. ``label`` goes to the left of the middle row. Cells right-aligned per column.
    A 3-D or ragged list (e.g. a list of gradients of different shapes) is drawn as one block per
    leading index under the label."""
    shape = shape_of(value)
    if len(shape) > 2 or not is_regular(value):
        return _stacked(list(value), label, sig, highlight, highlight_style, style)
    rows = _rows(value)
    cells = [[num(v, sig) for v in row] for row in rows]
    marked: set[tuple[int, int]] = set()
    for idx in highlight:
        if len(shape) == 0:
            marked.add((0, 0))
        elif len(shape) == 1 and len(idx) == 1:
            marked.add((0, idx[0]))
        elif len(idx) == 2:
            marked.add((idx[0], idx[1]))
    ncols = max((len(r) for r in cells), default=0)
    widths = [max((len(r[c]) for r in cells if c < len(r)), default=1) for c in range(ncols)]
    label_text = Text(label) if isinstance(label, str) else (label or Text())
    pad = label_text.cell_len + 2 if label_text.cell_len else 0
    height = len(cells)
    middle = (height - 1) // 2
    out = Text(style=style, end="")
    for r, row in enumerate(cells):
        if r:
            out.append("\n")
        if pad:
            if r == middle:
                out.append_text(label_text)
                out.append(" " * (pad - label_text.cell_len))
            else:
                out.append(" " * pad)
        if not shape:
            out.append(row[0], style=highlight_style if marked else "")
            continue
        left, right = _brackets(height, r)
        out.append(left, style="dim")
        for c, cell in enumerate(row):
            if c:
                out.append("  ")
            out.append(cell.rjust(widths[c]), style=highlight_style if (r, c) in marked else "")
        out.append(right, style="dim")
    return out


class MatrixView(Static):
    """A Static showing one labelled number / vector / matrix with aligned columns."""

    DEFAULT_CSS = """
    MatrixView {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, value: Any = 0, *, label: str | None = None, sig: int = 4,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(matrix_text(value, label=label, sig=sig), id=id, classes=classes)
        self.value = value

    def show(self, value: Any, *, label: str | None = None, sig: int = 4,
             highlight: Iterable[tuple[int, ...]] = ()) -> None:
        self.value = value
        self.update(matrix_text(value, label=label, sig=sig, highlight=highlight))
