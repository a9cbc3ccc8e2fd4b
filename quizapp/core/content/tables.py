"""Glossary and comparison tables.

* Glossary: the first header is term-like (Term, Concept, Name, Word, Keyword), or the table has
  exactly two columns. Each row gives a GLOSSARY card (term → definition) and a GLOSSARY_REVERSE card
  (definition → term); further columns become the card's note.
* Comparison: any other table with three or more columns; one COMPARISON card per non-empty cell.
  When the first header names aspects (Aspect, Feature, Property, Criterion, Metric …) the rows are
  aspects and the columns are the things compared: "<column> — <row>?" ("Leaky ReLU — Formula?").
  Otherwise rows are the things (Function, Problem …): "<row> — <column>?" ("ReLU — Pros?").

Cell counts are taken from the raw source line, because markdown-it pads or truncates ragged rows.
"""

from __future__ import annotations

import re

from quizapp.core.content.blocks import Block
from quizapp.core.content.draft import Context, Draft
from quizapp.core.content.identity import find_ids, normalise, slug, strip_ids, take_id
from quizapp.core.content.model import CardKind
from quizapp.core.content.sources import SOURCE_HEADERS

TERM_WORDS = frozenset(
    "term terms concept concepts name names word words keyword keywords acronym abbreviation".split()
)
ASPECT_WORDS = frozenset(
    "aspect aspects feature features property properties criterion criteria metric metrics "
    "characteristic characteristics attribute attributes dimension dimensions".split()
)
_PIPE_OR_ESCAPE = re.compile(r"\\.|\|")


class Cell:
    __slots__ = ("raw", "text", "col")

    def __init__(self, raw: str, col: int) -> None:
        self.raw = raw  # as written, with any id comment
        self.text = strip_ids(raw).replace("\\|", "|")
        self.col = col


def split_row(line: str) -> list[Cell]:
    """The cells of a raw table line (GFM rules: optional outer pipes, ``\\|`` escapes a pipe)."""
    pipes = [m.start() for m in _PIPE_OR_ESCAPE.finditer(line) if m.group() == "|"]
    bounds = [-1, *pipes, len(line)]
    segments = [(bounds[k] + 1, bounds[k + 1]) for k in range(len(bounds) - 1)]
    if pipes and not line[: pipes[0]].strip():
        segments = segments[1:]
    if pipes and len(segments) > 1 and not line[pipes[-1] + 1 :].strip():
        segments = segments[:-1]
    cells = []
    for s, e in segments:
        raw = line[s:e]
        lead = len(raw) - len(raw.lstrip()) if raw.strip() else 0  # an empty cell: just after its pipe
        cells.append(Cell(raw.strip(), s + lead + 1))
    return cells


def _question(text: str) -> str:
    return text if text.endswith("?") else text + "?"


def _words(header: str) -> list[str]:
    return normalise(header).split()


def table_drafts(block: Block, ctx: Context) -> list[Draft] | None:
    """Cards of a table, or None when the table is not a card table (one column: kept as notes)."""
    src, report = ctx.src, ctx.report
    row_lines = [t.map[0] for t in block.tokens if t.type == "tr_open" and t.map]
    if not row_lines:
        return None
    header = split_row(src.line(row_lines[0]))
    n = len(header)
    if n < 2:
        return None
    words = _words(header[0].text)
    glossary = n == 2 or (bool(words) and (words[-1] in TERM_WORDS or " ".join(words) in TERM_WORDS))
    column_major = bool(words) and (words[0] in ASPECT_WORDS or words[-1] in ASPECT_WORDS)
    bad_columns = set()
    if not glossary:
        for c in range(1, n):
            if not header[c].text:
                report.error(row_lines[0] + 1, header[c].col, f"table column {c + 1} has no header; its cells are skipped")
                bad_columns.add(c)

    # A comparison table's Source column (or, when rows are aspects, its Source row) gives the sources
    # of the cells beside it (or below it) instead of cards of its own.
    source_columns = set() if glossary or column_major else {c for c in range(1, n) if _is_source(header[c].text)}
    rows: list[tuple[int, list[Cell]]] = []
    column_sources: dict[int, tuple[str, ...]] = {}
    for i in row_lines[1:]:
        line_no = i + 1
        raw = src.line(i)
        cells = split_row(raw)
        if len(cells) != n:
            col = cells[n].col if len(cells) > n else len(raw.rstrip()) + 1
            report.error(line_no, col, f"table row has {len(cells)} cells but the header has {n}; row skipped")
        elif column_major and _is_source(cells[0].text):
            column_sources = {c: (cells[c].text,) for c in range(1, n) if cells[c].text}
        else:
            rows.append((line_no, cells))
    drafts: list[Draft] = []
    for line_no, cells in rows:
        if glossary:
            drafts.extend(_glossary_row(cells, header, line_no, ctx))
            continue
        sources = column_sources
        if source_columns:
            row_sources = tuple(cells[c].text for c in sorted(source_columns) if cells[c].text)
            sources = {c: row_sources for c in range(1, n)}
        drafts.extend(_comparison_row(cells, header, line_no, ctx, column_major, bad_columns | source_columns, sources))
    return drafts


def _is_source(header: str) -> bool:
    return normalise(header) in SOURCE_HEADERS


def _ids(cells: list[Cell], line_no: int) -> list[tuple[str, int, int]]:
    return [(value, line_no, cell.col + offset) for cell in cells for value, offset in find_ids(cell.raw)]


def _glossary_row(cells: list[Cell], header: list[Cell], line_no: int, ctx: Context) -> list[Draft]:
    term, definition = cells[0], cells[1]
    if not term.text or not definition.text:
        ctx.report.error(line_no, term.col, "glossary row needs both a term and a definition; row skipped")
        return []
    author_id, id_line, id_col = take_id(_ids(cells, line_no), ctx.report)
    note = "\n".join(f"{h.text}: {c.text}" for h, c in zip(header[2:], cells[2:], strict=False) if c.text)
    group = ctx.new_group()
    common = dict(line=line_no, group=group, section=ctx.section, author_id=author_id, id_line=id_line, id_col=id_col, note=note)
    return [
        Draft(CardKind.GLOSSARY, term.text, definition.text, col=term.col, **common),
        Draft(CardKind.GLOSSARY_REVERSE, definition.text, term.text, col=definition.col, id_suffix=":reverse",
              identity=term.text, **common),
    ]


def _comparison_row(
    cells: list[Cell], header: list[Cell], line_no: int, ctx: Context, column_major: bool, bad_columns: set[int],
    sources: dict[int, tuple[str, ...]],
) -> list[Draft]:
    label = cells[0]
    if not label.text:
        ctx.report.error(line_no, label.col, "comparison row has no label in its first cell; row skipped")
        return []
    row_id, row_id_line, row_id_col = take_id(_ids([label], line_no), ctx.report)
    drafts = []
    for c in range(1, len(cells)):
        cell = cells[c]
        if c in bad_columns or not cell.text:
            continue
        column = header[c].text
        front = _question(f"{column} — {label.text}" if column_major else f"{label.text} — {column}")
        cell_id, id_line, id_col = take_id(_ids([cell], line_no), ctx.report)
        if cell_id is not None:
            author_id, suffix = cell_id, ""
        elif row_id is not None:
            author_id, suffix, id_line, id_col = row_id, ":" + (slug(column) or str(c + 1)), row_id_line, row_id_col
        else:
            author_id, suffix = None, ""
        # Each cell is its own construct unless it shares the row's id.
        group = ctx.new_group() if cell_id is not None or row_id is None else -line_no
        drafts.append(
            Draft(
                CardKind.COMPARISON, front, cell.text, line=line_no, col=cell.col, group=group, section=ctx.section,
                author_id=author_id, id_suffix=suffix, id_line=id_line, id_col=id_col, sources=sources.get(c, ()),
            )
        )
    return drafts
