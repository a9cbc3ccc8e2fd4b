"""Display maths in two dimensions, for a terminal: stacked fractions, matrices, cases, aligned rows.

::

           e^(zᵢ)          ⎡1  2⎤        ⎧ x   if x > 0
    σᵢ = ─────────    A =  ⎣3  4⎦   f =  ⎨
         ∑ⱼ e^(zⱼ)                       ⎩ 0   otherwise

A :class:`Box` is lines of equal width with a baseline; boxes are joined side by side on their
baselines. Only what gains from a second dimension is drawn so (fractions, tables, delimiters
around them); everything else is the one-line text of :mod:`latex_linear`. :func:`layout` returns
``None`` when the result would be one line anyway or wider than ``max_width``.
"""

from __future__ import annotations

import unicodedata

from quizapp.core.text import latex_tables as T
from quizapp.core.text.latex_linear import linear, raised
from quizapp.core.text.latex_nodes import Delim, Frac, Row, Script, Sqrt, Sym, Table


def width(text: str) -> int:
    """Terminal cells taken by ``text`` (combining marks take none, wide characters two)."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch) or ch in "\u200b\u200d":
            continue
        total += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return total


def _pad(text: str, to: int, align: str = "left") -> str:
    gap = to - width(text)
    if gap <= 0:
        return text
    if align == "right":
        return " " * gap + text
    if align == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


class Box:
    __slots__ = ("lines", "base", "width")

    def __init__(self, lines: list[str], base: int = 0) -> None:
        self.width = max((width(line) for line in lines), default=0)
        self.lines = [_pad(line, self.width) for line in lines]
        self.base = base

    @property
    def height(self) -> int:
        return len(self.lines)


def _text(text: str) -> Box:
    return Box([text])


def hcat(boxes: list[Box]) -> Box:
    if not boxes:
        return Box([""])
    above = max(b.base for b in boxes)
    below = max(b.height - b.base for b in boxes)
    lines = [""] * (above + below)
    for b in boxes:
        top = above - b.base
        for r in range(above + below):
            k = r - top
            lines[r] += b.lines[k] if 0 <= k < b.height else " " * b.width
    return Box(lines, above)


def _tall(delim: str, height: int) -> list[str]:
    if not delim:
        return [""] * height
    if height == 1 or delim not in T.TALL:
        return [delim] * height
    top, ext, bottom, centre = T.TALL[delim]
    column = [top] + [ext] * (height - 2) + [bottom]
    if centre and height >= 3:
        column[height // 2] = centre
    return column


def _delimit(left: str, box: Box, right: str) -> Box:
    l_col, r_col = _tall(left, box.height), _tall(right, box.height)
    return Box([l + line + r for l, line, r in zip(l_col, box.lines, r_col, strict=True)], box.base)


def box(node) -> Box:
    if isinstance(node, Row):
        return _row(node)
    if isinstance(node, Frac):
        num, den = box(node.num), box(node.den)
        if num.height == den.height == 1:
            num, den = _text(linear(node.num)), _text(linear(node.den))
        rule = max(num.width, den.width) + 2
        lines = [_pad(x, rule, "center") for x in num.lines] + ["─" * rule]
        lines += [_pad(x, rule, "center") for x in den.lines]
        return Box(lines, num.height)
    if isinstance(node, Delim):
        inner = box(node.body)
        if inner.height == 1:
            return _text(linear(node))
        return _delimit(node.left, inner, node.right)
    if isinstance(node, Sqrt):
        inner = box(node.body)
        if inner.height == 1:
            return _text(linear(node))
        return hcat([_text(linear(Sqrt(Row([Sym("x")]), node.index))[:-1]), _delimit("(", inner, ")")])
    if isinstance(node, Script):
        return _script(node)
    if isinstance(node, Table):
        return _table(node)
    return _text(linear(node))


def _row(row: Row) -> Box:
    boxes: list[Box] = []
    run: list = []  # consecutive one-line items are drawn as one text, so spacing stays linear's
    for item in row.items:
        b = box(item) if isinstance(item, (Row, Frac, Delim, Sqrt, Script, Table)) else None
        if b is not None and b.height > 1:
            if run:
                boxes.append(_text(_join(run, bool(boxes), True)))
                run = []
            boxes.append(b)
        else:
            run.append(item)
    if run:
        boxes.append(_text(_join(run, bool(boxes), False)))
    return hcat(boxes)


def _join(items: list, after_box: bool, before_box: bool) -> str:
    text = linear(Row(items))
    # keep one space where the author wrote one next to a 2-D neighbour (x = ─, not x =─)
    lead = " " if after_box and isinstance(items[0], Sym) and items[0].kind == "space" else ""
    tail = " " if before_box and isinstance(items[-1], Sym) and items[-1].kind == "space" else ""
    return lead + text + tail if text else (lead or tail)


def _script(node: Script) -> Box:
    base = box(node.base) if not isinstance(node.base, Sym) else _text(node.base.text)
    if base.height == 1:
        return _text(linear(node))
    sub = raised(linear(node.sub), T.SUBSCRIPTS, "_") if node.sub is not None else ""
    sup = raised(linear(node.sup), T.SUPERSCRIPTS, "^") if node.sup is not None else ""
    side = [sup] + [""] * (base.height - 2) + [sub]
    return Box([line + extra for line, extra in zip(base.lines, side, strict=True)], base.base)


def _grid(rows: list[list[Box]], aligns: list[str], gap: str) -> Box:
    columns = max(len(r) for r in rows)
    widths = [max((r[c].width for r in rows if c < len(r)), default=0) for c in range(columns)]
    lines: list[str] = []
    for cells in rows:
        cells = cells + [Box([""])] * (columns - len(cells))
        above = max(b.base for b in cells)
        below = max(b.height - b.base for b in cells)
        for r in range(above + below):
            parts = []
            for c, b in enumerate(cells):
                k = r - (above - b.base)
                parts.append(_pad(b.lines[k] if 0 <= k < b.height else "", widths[c], aligns[c % len(aligns)]))
            lines.append(gap.join(parts).rstrip() if aligns == ["left"] else gap.join(parts))
    return Box(lines, (len(lines) - 1) // 2)


def _table(node: Table) -> Box:
    rows = [[box(cell) for cell in row] for row in node.rows]
    if node.kind == "matrix":
        grid = _grid(rows, ["center"], "  ")
        return _delimit(node.left, grid, node.right)
    if node.kind == "cases":
        grid = _grid(rows, ["left"], "   ")
        return _delimit("{", Box([" " + line for line in grid.lines], grid.base), "")
    # aligned rows: columns alternate right and left alignment around the & points
    return _grid(rows, ["right", "left"], " ")


def layout(root: Row, max_width: int) -> list[str] | None:
    """The 2-D lines of ``root``, or None when one line says the same or the block is too wide."""
    result = box(root)
    if result.height <= 1 or result.width > max_width:
        return None
    lines = [line.rstrip() for line in result.lines]
    return lines


__all__ = ["Box", "layout", "width"]
