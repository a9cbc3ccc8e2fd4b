"""Questions: Q&A (``**Q: …**`` / ``A: …``, or plain ``Q:``/``A:`` lines) and multiple choice.

A question paragraph may hold several Q/A pairs. The answer runs from ``A:`` to the next question,
heading, thematic break or other card construct, so following paragraphs, lists and code blocks
belong to it. A ``- [ ]``/``- [x]`` list right after an unanswered question makes it multiple
choice; an ``A:`` paragraph after that list is kept as the card's note (the explanation).
"""

from __future__ import annotations

import re

from quizapp.core.content import cloze
from quizapp.core.content.blocks import Block, position
from quizapp.core.content.draft import Context, Draft
from quizapp.core.content.identity import ID_COMMENT, find_ids, strip_ids, take_id
from quizapp.core.content.model import CardKind, Choice

Q_MARK = re.compile(r"(?:\*\*Q:\*\*|__Q:__|\*\*Q\*\*:|\*\*Q:|__Q:|Q:)[ \t]*")
A_MARK = re.compile(r"(?:\*\*A:\*\*|__A:__|\*\*A\*\*:|\*\*A:|__A:|A:)[ \t]*")
CHECKBOX = re.compile(r"\[([ xX])\](?:[ \t]+|$)")
FUTURE_FENCES = ("drill", "gradient")
LISTS = ("bullet_list", "ordered_list")


# ---- block predicates -------------------------------------------------------------------------

def is_question(b: Block) -> bool:
    return b.type == "paragraph" and Q_MARK.match(b.content) is not None


def is_answer(b: Block) -> bool:
    return b.type == "paragraph" and A_MARK.match(b.content) is not None


def is_id_block(b: Block) -> bool:
    return b.type == "html_block" and bool(find_ids(b.content)) and not ID_COMMENT.sub("", b.content).strip()


def is_future_fence(b: Block) -> bool:
    return b.type == "fence" and b.tokens[0].info.strip().split(" ")[0].lower() in FUTURE_FENCES


def inlines(b: Block):
    return [t for t in b.tokens if t.type == "inline"]


def has_blanks(b: Block) -> bool:
    if b.type == "paragraph":
        return _has_blanks(b.content)
    if b.type in LISTS:
        return any(_has_blanks(t.content) for t in inlines(b))
    return False


def _has_blanks(text: str) -> bool:
    blanks, errors = cloze.scan(text)
    return bool(blanks or errors)


def list_items(b: Block) -> list[tuple[int, object]]:
    """Top-level items of a list block as (0-based line, first inline token or None)."""
    items = []
    toks = b.tokens
    for k, t in enumerate(toks):
        if t.type == "list_item_open" and t.level == 1:
            inline = None
            for m in range(k + 1, len(toks)):
                u = toks[m]
                if u.type == "inline":
                    inline = u
                    break
                if u.type == "list_item_close" or u.type.endswith("list_open"):
                    break
            items.append((t.map[0] if t.map else b.start, inline))
    return items


def is_checkbox_list(b: Block) -> bool:
    if b.type not in LISTS:
        return False
    items = list_items(b)
    return bool(items) and items[0][1] is not None and CHECKBOX.match(items[0][1].content) is not None


def continues_answer(b: Block) -> bool:
    if b.type == "paragraph":
        return not is_question(b) and not has_blanks(b)
    if b.type in LISTS:
        return not has_blanks(b)
    if b.type == "fence":
        return not is_future_fence(b)
    return b.type in ("code_block", "blockquote", "html_block")


# ---- questions ----------------------------------------------------------------------------------

def _unmark(text: str, mark: re.Pattern) -> str:
    text = strip_ids(text).strip()
    m = mark.match(text)
    if m is None:
        return text
    opened = m.group().strip()
    rest = text[m.end() :].strip()
    if opened in ("**Q:", "__Q:", "**A:", "__A:") and rest.endswith(opened[:2]):
        rest = rest[:-2].rstrip()
    return rest


def line_ids(ctx: Context, start: int, end: int) -> list[tuple[str, int, int]]:
    found = []
    for i in range(start, end):
        for value, offset in find_ids(ctx.src.line(i)):
            found.append((value, i + 1, offset + 1))
    return found


def question_run(blocks: list[Block], i: int, ctx: Context) -> tuple[list[Draft], int]:
    """Cards of the question paragraph ``blocks[i]`` and what follows it; returns the next index."""
    src, report = ctx.src, ctx.report
    b = blocks[i]
    units: list[list[int]] = []  # [question line, answer line or -1]
    for k in range(b.start, b.end):
        s = src.line(k).strip()
        if Q_MARK.match(s):
            units.append([k, -1])
        elif units and units[-1][1] < 0 and A_MARK.match(s):
            units[-1][1] = k
    drafts: list[Draft] = []
    j = i + 1
    for u, (q, a) in enumerate(units):
        last = u == len(units) - 1
        end = units[u + 1][0] if not last else b.end
        q_end = a if a >= 0 else end
        front = _unmark("\n".join(src.line(k).strip() for k in range(q, q_end)), Q_MARK)
        ids = line_ids(ctx, q, end)
        col = src.indent_col(q)
        if not front:
            report.error(q + 1, col, "question is empty")
        back_parts: list[str] = []
        if a >= 0:
            back_parts.append(_unmark(src.slice(a, end), A_MARK))
        if last:
            if j < len(blocks) and is_id_block(blocks[j]):
                ids += line_ids(ctx, blocks[j].start, blocks[j].end)
                j += 1
            if a < 0 and j < len(blocks) and is_checkbox_list(blocks[j]):
                draft, j = _multiple_choice(blocks, j, ctx, front, q, col, ids)
                if draft is not None and front:
                    drafts.append(draft)
                return drafts, j
            if a < 0 and j < len(blocks) and is_answer(blocks[j]):
                back_parts.append(_unmark(src.slice(blocks[j].start, blocks[j].end), A_MARK))
                ids += line_ids(ctx, blocks[j].start, blocks[j].end)
                a = blocks[j].start
                j += 1
            if a >= 0:
                j = _continuation(blocks, j, ctx, back_parts, ids)
        if a < 0:
            report.error(q + 1, col, "question has no answer (add a line starting with 'A:' or a [ ]/[x] list)")
            continue
        back = "\n\n".join(p for p in back_parts if p).strip()
        if not back:
            report.error(a + 1, src.indent_col(a), "answer is empty")
            continue
        if not front:
            continue
        author_id, id_line, id_col = take_id(ids, report)
        drafts.append(
            Draft(CardKind.QA, front, back, line=q + 1, col=col, group=ctx.new_group(), section=ctx.section,
                  author_id=author_id, id_line=id_line, id_col=id_col, typed=ctx.typed)
        )
    return drafts, j


def _continuation(blocks: list[Block], j: int, ctx: Context, parts: list[str], ids: list) -> int:
    while j < len(blocks) and continues_answer(blocks[j]):
        blk = blocks[j]
        if is_id_block(blk):
            ids += line_ids(ctx, blk.start, blk.end)
        else:
            parts.append(ctx.src.slice(blk.start, blk.end))
        j += 1
    return j


def _multiple_choice(
    blocks: list[Block], j: int, ctx: Context, front: str, q: int, col: int, ids: list
) -> tuple[Draft | None, int]:
    src, report = ctx.src, ctx.report
    lst = blocks[j]
    choices: list[Choice] = []
    for line, inline in list_items(lst):
        content = inline.content if inline is not None else ""
        m = CHECKBOX.match(content)
        if m is None:
            report.error(line + 1, src.indent_col(line), "option has no [ ] or [x] box; option skipped")
            continue
        for value, offset in find_ids(content):
            k, c = position(content, offset)
            text_line = content.split("\n")[k]
            ids.append((value, line + k + 1, src.col_in(line + k, text_line, c)))
        text = strip_ids(content[m.end() :]).strip()
        if not text:
            report.error(line + 1, src.indent_col(line), "option is empty; option skipped")
            continue
        choices.append(Choice(text, m.group(1) != " "))
    j += 1
    if j < len(blocks) and is_id_block(blocks[j]):
        ids += line_ids(ctx, blocks[j].start, blocks[j].end)
        j += 1
    note_parts: list[str] = []
    if j < len(blocks) and is_answer(blocks[j]):
        note_parts.append(_unmark(src.slice(blocks[j].start, blocks[j].end), A_MARK))
        j = _continuation(blocks, j + 1, ctx, note_parts, ids)
    where = (lst.start + 1, src.indent_col(lst.start))
    if len(choices) < 2:
        report.error(*where, "multiple-choice question needs at least two options")
        return None, j
    if not any(c.correct for c in choices):
        report.error(*where, "multiple-choice question has no correct option (mark one with [x])")
        return None, j
    author_id, id_line, id_col = take_id(ids, report)
    back = "; ".join(c.text for c in choices if c.correct)
    draft = Draft(CardKind.MCQ, front, back, line=q + 1, col=col, group=ctx.new_group(), section=ctx.section,
                  author_id=author_id, id_line=id_line, id_col=id_col, choices=tuple(choices),
                  note="\n\n".join(p for p in note_parts if p))
    return draft, j
