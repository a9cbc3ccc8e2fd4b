"""Markdown deck → :class:`Deck`: front matter, cards with source positions, notes, problems.

``parse_deck`` never raises: whatever the input, the result is a deck plus located problems.
See docs/content-format.md for the format.
"""

from __future__ import annotations

from pathlib import Path

from quizapp.core.content import cloze
from quizapp.core.content.blocks import Block, Source, parse_blocks
from quizapp.core.content.fenced_cards import fence_kind, fenced_draft
from quizapp.core.content.draft import Context, Draft, Report
from quizapp.core.content.frontmatter import read_front_matter
from quizapp.core.content.gcpause import gc_paused
from quizapp.core.content.identity import assign_keys, slug, strip_ids
from quizapp.core.content.model import Deck, Problem, Severity
from quizapp.core.content.notes import Chunk, assemble
from quizapp.core.content.questions import (
    LISTS,
    has_blanks,
    is_answer,
    is_checkbox_list,
    is_id_block,
    is_question,
    line_ids,
    question_run,
)
from quizapp.core.content.tables import table_drafts


def default_deck_id(file: str) -> str:
    """The deck id used when the front matter gives none: the file name as a slug."""
    return slug(Path(file).stem) or "deck"


def normalise_text(text: str) -> str:
    """Newlines to ``\\n``, no byte-order mark, NUL as U+FFFD (as markdown-it sees it)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


def parse_deck(text: str, file: str) -> Deck:
    try:
        with gc_paused():
            return _parse(text, file)
    except Exception as e:  # a bug, not the author's fault: still report it at a location
        path = Path(file)
        deck = Deck(id=default_deck_id(file), title=path.stem, path=path, failed=True)
        deck.problems.append(
            Problem(file, 1, 1, Severity.ERROR, f"internal error while parsing ({type(e).__name__}: {e}); please report it")
        )
        return deck


def _parse(text: str, file: str) -> Deck:
    path = Path(file)
    lines = normalise_text(text).split("\n")
    report = Report(file)
    fm = read_front_matter(lines, report)
    deck_id = fm.deck or default_deck_id(file)
    if not fm.ok:
        return Deck(id=deck_id, title=fm.title or path.stem, path=path, tags=fm.tags,
                    problems=report.sorted(), options=fm.options, failed=True)
    # Blank the front matter out (instead of cutting it) so markdown-it's line numbers are file lines.
    body = [""] * fm.end_line + lines[fm.end_line :]
    src = Source(body)
    ctx = Context(report, src, bool(fm.options.get("typed", False)))
    drafts, chunks, h1 = _walk(parse_blocks("\n".join(body)), ctx)
    cards = assign_keys(deck_id, drafts, report, fm.tags)
    if not cards:
        report.warning(1, 1, "deck has no cards")
    return Deck(
        id=deck_id,
        title=fm.title or h1 or path.stem,
        path=path,
        tags=fm.tags,
        cards=cards,
        notes=assemble(chunks, src),
        problems=report.sorted(),
        options=fm.options,
        sources=fm.sources,
    )


def _walk(blocks: list[Block], ctx: Context) -> tuple[list[Draft], list[Chunk], str]:
    drafts: list[Draft] = []
    chunks: list[Chunk] = []
    h1 = ""
    report, src = ctx.report, ctx.src
    i, n = 0, len(blocks)
    while i < n:
        b = blocks[i]
        t = b.type
        note = False
        made = len(drafts)  # drafts this block makes are summed up in the notes (notes.assemble)
        if t == "heading":
            ctx.section = strip_ids(b.content).strip()
            if b.heading_level == 1 and not h1:
                h1 = ctx.section
            chunks.append(Chunk(b.start, b.end, heading=b.heading_level or 6))
        elif t == "hr":
            chunks.append(Chunk(b.start, b.end, rule=True))
        elif t == "table":
            found = table_drafts(b, ctx)
            if found is None:
                note = True
            else:
                drafts += found
        elif t == "paragraph":
            if is_question(b):
                found, i = question_run(blocks, i, ctx)
                drafts += found
                _cards_chunk(chunks, b.start, drafts[made:])
                continue
            if has_blanks(b):
                extra = []
                if i + 1 < n and is_id_block(blocks[i + 1]):
                    extra = line_ids(ctx, blocks[i + 1].start, blocks[i + 1].end)
                    i += 1
                drafts += cloze.sentence_drafts(b.content, b.start, ctx, extra)
            else:
                note = True
                if is_answer(b):
                    report.warning(b.start + 1, src.indent_col(b.start), "'A:' paragraph without a question above it; kept as notes")
        elif t in LISTS:
            if has_blanks(b):
                _cloze_list(b, ctx, drafts, chunks)
            else:
                note = True
                if is_checkbox_list(b):
                    report.warning(b.start + 1, src.indent_col(b.start),
                                   "[ ]/[x] list is not right after a question; kept as notes")
        elif t == "fence" and fence_kind(b) is not None:
            draft = fenced_draft(b, fence_kind(b), ctx)
            if draft is not None:
                drafts.append(draft)
        elif is_id_block(b):
            report.warning(b.start + 1, src.indent_col(b.start), "id or dup-ok comment is not attached to a card (put it on the card's line)")
        else:
            note = True
        if note:
            chunks.append(Chunk(b.start, b.end))
        _cards_chunk(chunks, b.start, drafts[made:])
        i += 1
    return drafts, chunks, h1


def _cards_chunk(chunks: list[Chunk], line: int, made: list[Draft]) -> None:
    if made:
        chunks.append(Chunk(line, line, cards=tuple(d.kind for d in made)))


def _cloze_list(b: Block, ctx: Context, drafts: list[Draft], chunks: list[Chunk]) -> None:
    """Items with blanks become cloze cards; the other top-level items stay in the notes."""
    item: list[int] | None = None  # [start, end, has cards]
    for t in b.tokens:
        if t.type == "list_item_open" and t.level == 1:
            start, end = t.map if t.map else (b.start, b.end)
            item = [start, end, 0]
        elif t.type == "list_item_close" and t.level == 1 and item is not None:
            if not item[2]:
                chunks.append(Chunk(item[0], item[1]))
            item = None
        elif t.type == "inline" and t.map:
            found = cloze.sentence_drafts(t.content, t.map[0], ctx)
            if found or cloze.scan(t.content)[1]:
                drafts += found
                if item is not None:
                    item[2] = 1
