"""Questions: Q&A (``**Q: …**`` / ``A: …``, or plain ``Q:``/``A:`` lines) and multiple choice.

A question paragraph may hold several Q/A pairs. The answer runs from ``A:`` to the next question,
heading, thematic break or other card construct, so following paragraphs, lists and code blocks
belong to it. A ``- [ ]``/``- [x]`` list right after an unanswered question makes it multiple
choice; an ``A:`` paragraph after that list is kept as the card's note (the explanation). An ``A:``
line glued to the last option (no blank line) is read as that explanation, with a warning.

A ``Note:`` line or paragraph (or a ``> Note:`` quote) after an answer or explanation ends it and
starts the card's note, which runs on the same way as the answer did.
"""

from __future__ import annotations

import re

from quizapp.core.content import cloze
from quizapp.core.content.blocks import Block, position
from quizapp.core.content.draft import Context, Draft
from quizapp.core.content.identity import find_ids, only_card_comments, strip_ids, take_id
from quizapp.core.content.model import CardKind, Choice

Q_MARK = re.compile(r"(?:\*\*Q:\*\*|__Q:__|\*\*Q\*\*:|\*\*Q:|__Q:|Q:)[ \t]*")
A_MARK = re.compile(r"(?:\*\*A:\*\*|__A:__|\*\*A\*\*:|\*\*A:|__A:|A:)[ \t]*")
NOTE_MARK = re.compile(r"(?:\*\*Note:\*\*|__Note:__|\*\*Note\*\*:|\*\*Note:|__Note:|Note:)[ \t]*", re.IGNORECASE)
QUOTE_PREFIX = re.compile(r"^[ ]{0,3}>[ ]?", re.MULTILINE)
CHECKBOX = re.compile(r"\[([ xX])\](?:[ \t]+|$)")
CARD_FENCES = ("drill", "gradient")  # fenced TOML cards (fenced_cards.py); they end an answer
LISTS = ("bullet_list", "ordered_list")


# ---- block predicates -------------------------------------------------------------------------

def is_question(b: Block) -> bool:
    return b.type == "paragraph" and Q_MARK.match(b.content) is not None


def is_answer(b: Block) -> bool:
    return b.type == "paragraph" and A_MARK.match(b.content) is not None


def is_note(b: Block) -> bool:
    """A ``Note:`` paragraph, or a quote whose first paragraph starts with ``Note:``."""
    if b.type == "paragraph":
        return NOTE_MARK.match(b.content) is not None
    if b.type == "blockquote":
        return (len(b.tokens) > 2 and b.tokens[1].type == "paragraph_open"
                and NOTE_MARK.match(b.tokens[2].content) is not None)
    return False


def is_id_block(b: Block) -> bool:
    """A line of id (or dup-ok) comments only: it belongs to the card above it."""
    return b.type == "html_block" and only_card_comments(b.content)


def is_card_fence(b: Block) -> bool:
    return b.type == "fence" and b.tokens[0].info.strip().split(" ")[0].lower() in CARD_FENCES


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
        return not is_card_fence(b)
    return b.type in ("code_block", "blockquote", "html_block")


# ---- questions ----------------------------------------------------------------------------------

def _unmark(text: str, mark: re.Pattern) -> str:
    text = strip_ids(text).strip()
    m = mark.match(text)
    if m is None:
        return text
    opened = m.group().strip()
    rest = text[m.end() :].strip()
    bold = opened[:2]
    if bold in ("**", "__") and bold not in opened[2:] and rest.endswith(bold):
        rest = rest[:-2].rstrip()
    return rest


def line_ids(ctx: Context, start: int, end: int) -> list[tuple[str, int, int]]:
    found = []
    for i in range(start, end):
        for value, offset in find_ids(ctx.src.line(i)):
            found.append((value, i + 1, offset + 1))
    return found


def _note_line(ctx: Context, start: int, end: int) -> int:
    """The first line after ``start`` (below ``end``) that starts a note, or -1."""
    for k in range(start + 1, end):
        if NOTE_MARK.match(ctx.src.line(k).strip()):
            return k
    return -1


def _note_text(b: Block, ctx: Context) -> str:
    text = ctx.src.slice(b.start, b.end)
    if b.type == "blockquote":
        text = QUOTE_PREFIX.sub("", text)
    return _unmark(text, NOTE_MARK)


def _answer_block(b: Block, ctx: Context, back_parts: list[str], note_parts: list[str]) -> bool:
    """Reads an ``A:`` paragraph into ``back_parts``, splitting off a ``Note:`` line; True when a
    note started (what follows then belongs to the note)."""
    n = _note_line(ctx, b.start, b.end)
    back_parts.append(_unmark(ctx.src.slice(b.start, n if n >= 0 else b.end), A_MARK))
    if n >= 0:
        note_parts.append(_unmark(ctx.src.slice(n, b.end), NOTE_MARK))
    return n >= 0


def _answer_tail(blocks: list[Block], j: int, ctx: Context, back_parts: list[str], note_parts: list[str],
                 ids: list, in_note: bool) -> int:
    """What follows an answer (or explanation): more answer, then an optional note; the next index."""
    if not in_note:
        j = _continuation(blocks, j, ctx, back_parts, ids)
        if j < len(blocks) and is_note(blocks[j]) and continues_answer(blocks[j]):
            note_parts.append(_note_text(blocks[j], ctx))
            ids += line_ids(ctx, blocks[j].start, blocks[j].end)
            j += 1
            in_note = True
    if in_note:
        j = _continuation(blocks, j, ctx, note_parts, ids, in_note=True)
    return j


def question_run(blocks: list[Block], i: int, ctx: Context) -> tuple[list[Draft], int]:
    """Cards of the question paragraph ``blocks[i]`` and what follows it; returns the next index."""
    src, report = ctx.src, ctx.report
    b = blocks[i]
    units: list[list[int]] = []  # [question line, answer line or -1, note line or -1]
    for k in range(b.start, b.end):
        s = src.line(k).strip()
        if Q_MARK.match(s):
            units.append([k, -1, -1])
        elif units and units[-1][1] < 0 and A_MARK.match(s):
            units[-1][1] = k
        elif units and units[-1][1] >= 0 and units[-1][2] < 0 and NOTE_MARK.match(s):
            units[-1][2] = k
    drafts: list[Draft] = []
    j = i + 1
    for u, (q, a, n) in enumerate(units):
        last = u == len(units) - 1
        end = units[u + 1][0] if not last else b.end
        q_end = a if a >= 0 else end
        front = _unmark("\n".join(src.line(k).strip() for k in range(q, q_end)), Q_MARK)
        ids = line_ids(ctx, q, end)
        col = src.indent_col(q)
        if not front:
            report.error(q + 1, col, "question is empty")
        back_parts: list[str] = []
        note_parts: list[str] = []
        if a >= 0:
            back_parts.append(_unmark(src.slice(a, n if n >= 0 else end), A_MARK))
        if n >= 0:
            note_parts.append(_unmark(src.slice(n, end), NOTE_MARK))
        if last:
            if j < len(blocks) and is_id_block(blocks[j]):
                ids += line_ids(ctx, blocks[j].start, blocks[j].end)
                j += 1
            if a < 0 and j < len(blocks) and is_checkbox_list(blocks[j]):
                draft, j = _multiple_choice(blocks, j, ctx, front, q, col, ids)
                if draft is not None and front:
                    drafts.append(draft)
                return drafts, j
            in_note = n >= 0
            if a < 0 and j < len(blocks) and is_answer(blocks[j]):
                in_note = _answer_block(blocks[j], ctx, back_parts, note_parts)
                ids += line_ids(ctx, blocks[j].start, blocks[j].end)
                a = blocks[j].start
                j += 1
            if a >= 0:
                j = _answer_tail(blocks, j, ctx, back_parts, note_parts, ids, in_note)
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
                  author_id=author_id, id_line=id_line, id_col=id_col, typed=ctx.typed,
                  note="\n\n".join(p for p in note_parts if p))
        )
    return drafts, j


def _continuation(blocks: list[Block], j: int, ctx: Context, parts: list[str], ids: list,
                  in_note: bool = False) -> int:
    """Appends the blocks that continue an answer (a note ends it) or a note; the next index."""
    while j < len(blocks) and continues_answer(blocks[j]):
        blk = blocks[j]
        note = is_note(blk)
        if note and not in_note:
            break
        if is_id_block(blk):
            ids += line_ids(ctx, blk.start, blk.end)
        else:
            parts.append(_note_text(blk, ctx) if note else ctx.src.slice(blk.start, blk.end))
        j += 1
    return j


def _last_item_inlines(lst: Block) -> list:
    """The paragraphs (inline tokens) directly inside the list's last top-level item."""
    toks = lst.tokens
    start = max((k for k, t in enumerate(toks) if t.type == "list_item_open" and t.level == 1), default=-1)
    found = []
    for t in toks[start + 1 :] if start >= 0 else ():
        if t.type == "list_item_close" and t.level == 1:
            break
        if t.type == "inline" and t.level == 3 and t.map:
            found.append(t)
    return found


def _glued_explanation(lst: Block) -> tuple[int, int, str]:
    """An ``A:`` line inside the last option (written without a blank line before it): (first
    inline's line count kept as option text or -1, 0-based source line of ``A:`` or -1, the text
    from ``A:`` to the item's end)."""
    inl = _last_item_inlines(lst)
    for m, t in enumerate(inl):
        lines = t.content.split("\n")
        for k in range(1 if m == 0 else 0, len(lines)):
            if A_MARK.match(lines[k].strip()):
                rest = ["\n".join(lines[k:])] + [u.content for u in inl[m + 1 :]]
                return (k if m == 0 else -1), t.map[0] + k, "\n\n".join(rest)
    return -1, -1, ""


def _multiple_choice(
    blocks: list[Block], j: int, ctx: Context, front: str, q: int, col: int, ids: list
) -> tuple[Draft | None, int]:
    src, report = ctx.src, ctx.report
    lst = blocks[j]
    choices: list[Choice] = []
    items = list_items(lst)
    keep, glued_line, glued = _glued_explanation(lst)
    for x, (line, inline) in enumerate(items):
        content = inline.content if inline is not None else ""
        if x == len(items) - 1 and keep >= 0:
            content = "\n".join(content.split("\n")[:keep])
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
    note_parts: list[str] = []
    in_note = False
    explained = glued_line >= 0
    if explained:
        report.warning(glued_line + 1, src.indent_col(glued_line),
                       "'A:' line is part of the last option; read as the explanation "
                       "(put a blank line before it, not indented)")
        ids += line_ids(ctx, glued_line, lst.end)
        head, tail = _split_note(glued)
        note_parts.append(_unmark(head, A_MARK))
        if tail is not None:
            note_parts.append(_unmark(tail, NOTE_MARK))
            in_note = True
    j += 1
    if j < len(blocks) and is_id_block(blocks[j]):
        ids += line_ids(ctx, blocks[j].start, blocks[j].end)
        j += 1
    if not explained and j < len(blocks) and is_answer(blocks[j]):
        in_note = _answer_block(blocks[j], ctx, note_parts, note_parts)
        j += 1
        explained = True
    if explained or (j < len(blocks) and is_note(blocks[j])):
        # The explanation is already the card's note: a Note: after it simply continues that note.
        j = _answer_tail(blocks, j, ctx, note_parts, note_parts, ids, in_note)
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


def _split_note(text: str) -> tuple[str, str | None]:
    """``text`` up to its first ``Note:`` line (not the first line), and the rest from that line."""
    lines = text.split("\n")
    for k in range(1, len(lines)):
        if NOTE_MARK.match(lines[k].strip()):
            return "\n".join(lines[:k]), "\n".join(lines[k:])
    return text, None
