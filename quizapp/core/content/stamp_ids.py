"""``quizapp ids --write``: stamp an ``<!-- id: … -->`` on every card that has none.

Each id is derived from the card's current implicit identity (its normalised front; a glossary row's
term, a comparison row's label, a cloze sentence with its blanks filled in), slugified and made
unique in the deck. The comment goes where the parser reads it:

* Q&A and multiple choice: at the end of the question line;
* glossary row: at the end of the row's last non-empty cell (the id names the whole row);
* comparison row: at the end of the first cell (a row id: cells become ``<id>:<column>``);
* cloze: at the end of the paragraph or list item that holds the blanks.

Only those lines change; everything else — line endings (LF, CRLF, CR), trailing spaces, a byte-order
mark — stays byte for byte. The result is parsed again before anything is written: every card must
come back with the same kind, front and back and the expected explicit key, and no new problem may
appear; otherwise the file is left alone and the reason reported. Running it twice changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.core.content.blocks import parse_blocks
from quizapp.core.content.identity import slug
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.content.parser import normalise_text, parse_deck
from quizapp.core.content.tables import split_row

MAX_ID_LENGTH = 40
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


@dataclass(slots=True)
class Stamp:
    """One id comment to add: after column ``offset`` (0-based, in the line's text) of ``line``."""

    line: int  # 1-based
    offset: int
    id: str
    cards: list[Card] = field(default_factory=list)  # the cards it names
    row: bool = False  # a comparison row id: its cells' keys get the column's slug


@dataclass(slots=True)
class StampResult:
    file: str
    stamps: list[Stamp] = field(default_factory=list)
    text: str = ""  # the new text (== the old one when nothing changes)
    renames: dict[str, str] = field(default_factory=dict)  # old implicit key → new explicit key
    error: str = ""  # why the file was left alone

    @property
    def changed(self) -> bool:
        return bool(self.stamps) and not self.error

    def lines_changed(self) -> int:
        return len({s.line for s in self.stamps})


def split_lines(text: str) -> list[tuple[str, str]]:
    """(content, terminator) for each line; the terminators are kept exactly (``\\r\\n``, ``\\r``,
    ``\\n`` or none on the last line). Only these three end a line, as in the parser."""
    out = []
    for m in _LINE.finditer(text):
        chunk = m.group()
        if not chunk and m.start() == len(text):
            break
        body = chunk.rstrip("\r\n")
        out.append((body, chunk[len(body):]))
    return out


def unique_id(base: str, kind: str, taken: set[str]) -> str:
    """``base`` (a slug) shortened at a word boundary and made unique in ``taken`` (lowercased ids,
    which it is added to) with ``-2``, ``-3`` …; ``kind`` when the slug is empty."""
    base = base[:MAX_ID_LENGTH]
    if len(base) == MAX_ID_LENGTH and "-" in base:
        base = base.rsplit("-", 1)[0]  # cut at a word boundary
    base = base.strip("-") or kind.replace("_", "-")
    candidate, n = base, 2
    while candidate.lower() in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate.lower())
    return candidate


def _author_ids(deck: Deck) -> set[str]:
    """The ids already used in the deck (lowercased: ids that differ only in case confuse people)."""
    return {c.key[len(deck.id) + 1:].split(":", 1)[0].lower() for c in deck.cards if c.explicit_id is not None}


def _ranges(lines: list[str]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """0-based [start, end) line ranges of every paragraph (inline) and of every table."""
    paragraphs, tables = [], []
    for block in parse_blocks("\n".join(lines)):
        if block.type == "table":
            tables.append((block.start, block.end))
            continue
        for t in block.tokens:
            if t.type == "inline" and t.map and block.type != "heading":
                paragraphs.append((t.map[0], t.map[1]))
    return paragraphs, tables


def _innermost(ranges: list[tuple[int, int]], row: int) -> tuple[int, int] | None:
    around = [(s, e) for s, e in ranges if s <= row < e]
    return min(around, key=lambda r: r[1] - r[0]) if around else None


def _end(cell) -> int:
    return cell.col - 1 + len(cell.raw)


def plan_stamps(deck: Deck, lines: list[str]) -> list[Stamp]:
    """Where each missing id goes. ``lines`` are the deck's normalised lines (as the parser saw them)."""
    taken = _author_ids(deck)
    stamps: dict[tuple, Stamp] = {}  # construct → stamp
    ranges = None
    for card in deck.cards:
        if card.explicit_id is not None or card.kind in (CardKind.DRILL, CardKind.GRADIENT):
            continue
        row = card.line - 1
        text = lines[row] if 0 <= row < len(lines) else ""
        is_row = False
        if card.kind in (CardKind.QA, CardKind.MCQ):
            construct, offset, name = ("q", row, card.col), len(text.rstrip()), card.front
        elif card.kind in (CardKind.GLOSSARY, CardKind.GLOSSARY_REVERSE):
            cells = [c for c in split_row(text) if c.raw]
            if not cells:
                continue
            construct, offset = ("row", row), _end(cells[-1])
            name = card.back if card.kind is CardKind.GLOSSARY_REVERSE else card.front
        elif card.kind is CardKind.COMPARISON:
            ranges = ranges or _ranges(lines)
            table = _innermost(ranges[1], row)
            cells = split_row(text)
            index = next((i for i, c in enumerate(cells) if c.col == card.col), None)
            if table is None or index is None or not cells[0].raw:
                continue
            header = split_row(lines[table[0]])
            columns = [slug(h.text) or str(i + 1) for i, h in enumerate(header)][1:]
            if index < len(header) and columns.count(columns[index - 1]) > 1:
                # Two columns with the same slug would give a row id's cells the same key: this
                # cell gets an id of its own.
                construct, offset = ("cell", row, index), _end(cells[index])
                name = f"{cells[0].text} {header[index].text}"
            else:
                construct, offset, name, is_row = ("row", row), _end(cells[0]), cells[0].text, True
        elif card.kind is CardKind.CLOZE:
            ranges = ranges or _ranges(lines)
            paragraph = _innermost(ranges[0], row)
            if paragraph is None:
                continue
            row = paragraph[1] - 1
            construct, offset, name = ("cloze", *paragraph), len(lines[row].rstrip()), card.context or card.front
        else:
            continue
        stamp = stamps.get(construct)
        if stamp is None:
            new_id = unique_id(slug(name), str(card.kind).replace("_", "-"), taken)
            stamp = stamps[construct] = Stamp(row + 1, offset, new_id, row=is_row)
        stamp.cards.append(card)
    return sorted(stamps.values(), key=lambda s: (s.line, s.offset))


def _apply(text: str, stamps: list[Stamp]) -> str:
    lines = split_lines(text)
    bom = 1 if text.startswith("\ufeff") else 0
    by_line: dict[int, list[Stamp]] = {}
    for s in stamps:
        by_line.setdefault(s.line, []).append(s)
    out = []
    for number, (body, end) in enumerate(lines, start=1):
        shift = bom if number == 1 else 0
        for s in sorted(by_line.get(number, ()), key=lambda s: -s.offset):
            at = s.offset + shift
            body = f"{body[:at]} <!-- id: {s.id} -->{body[at:]}"
        out.append(body + end)
    return "".join(out)


def stamp_text(text: str, file: str) -> StampResult:
    """The ids ``text`` (a deck file's contents) needs, and the new text; nothing is written."""
    result = StampResult(file, text=text)
    deck = parse_deck(text, file)
    if deck.failed:
        result.error = f"not stamped: the deck does not load ({deck.errors[0] if deck.errors else 'failed'})"
        return result
    stamps = plan_stamps(deck, normalise_text(text).split("\n"))
    if not stamps:
        return result
    new_text = _apply(text, stamps)
    expected: dict[int, str] = {}  # id(card) → the key it must get
    for s in stamps:
        for card in s.cards:
            expected[id(card)] = _expected_key(deck.id, s.id, card, stamps)
    again = parse_deck(new_text, file)
    problem = _verify(deck, again, expected)
    if problem:
        result.error = f"not stamped: {problem} (please report this)"
        return result
    result.stamps = stamps
    result.text = new_text
    result.renames = {old.key: new.key for old, new in zip(deck.cards, again.cards, strict=True) if old.key != new.key}
    return result


def _expected_key(deck_id: str, new_id: str, card: Card, stamps: list[Stamp]) -> str:
    if card.kind is CardKind.GLOSSARY_REVERSE:
        return f"{deck_id}:{new_id}:reverse"
    stamp = next(s for s in stamps if any(c is card for c in s.cards))
    if stamp.row:  # the parser adds the column's slug
        return f"{deck_id}:{new_id}:*"
    if card.kind is CardKind.CLOZE:
        k = next(i for i, c in enumerate(stamp.cards) if c is card)
        return f"{deck_id}:{new_id}" + (f":{k + 1}" if k else "")
    return f"{deck_id}:{new_id}"


def _verify(before: Deck, after: Deck, expected: dict[int, str]) -> str:
    """Why ``after`` (the stamped text, parsed) is not ``before`` with ids; "" when it is."""
    if after.failed or len(after.cards) != len(before.cards):
        return f"re-reading gave {len(after.cards)} cards instead of {len(before.cards)}"
    if len(after.errors) > len(before.errors) or len(after.warnings) > len(before.warnings):
        new = [str(p) for p in after.problems if p.message not in {q.message for q in before.problems}]
        return f"re-reading found a new problem: {new[0] if new else after.problems[-1]}"
    for old, new in zip(before.cards, after.cards, strict=True):
        if (old.kind, old.front, old.back, old.note, old.choices, old.context) != (
                new.kind, new.front, new.back, new.note, new.choices, new.context):
            return f"the card on line {old.line} read differently after stamping"
        want = expected.get(id(old))
        if want is None:
            if new.key != old.key:
                return f"the key of the card on line {old.line} changed"
        elif want.endswith(":*"):
            if new.explicit_id is None or not new.key.startswith(want[:-1]):
                return f"the card on line {old.line} did not get its id"
        elif new.key != want:
            return f"the card on line {old.line} got key {new.key!r} instead of {want!r}"
    return ""


def stamp_file(path: Path, *, write: bool) -> StampResult:
    """Plan (and with ``write`` apply) the ids of one deck file.

    The file is replaced atomically (:func:`quizapp.core.user_files.write_user_file`): when writing
    fails (a full disk, no permission, a symbolic link) it raises
    :class:`~quizapp.core.user_files.UserFileError` and the file is exactly as it was.
    """
    from quizapp.core.content.loader import MAX_DECK_BYTES
    from quizapp.core.user_files import UserFileError, read_user_file, write_user_file

    path = Path(path)
    try:
        text = read_user_file(path, MAX_DECK_BYTES).decode("utf-8")
    except UserFileError as error:
        return StampResult(str(path), error=f"not stamped: cannot read the file ({error.reason})")
    except UnicodeDecodeError as error:
        return StampResult(str(path), error=f"not stamped: cannot read the file ({error})")
    result = stamp_text(text, str(path))
    if write and result.changed:
        write_user_file(path, result.text.encode("utf-8"))
    return result
