"""Anki's text export ("Notes in Plain Text", .txt) → a deck in our format.

Headers (``#key:value`` lines at the top): ``#separator:`` (Tab, Comma, Semicolon, Pipe, Space,
Colon or the character itself), ``#html:true/false``, ``#deck:``, ``#notetype:``, ``#tags column:``,
``#guid column:``, ``#deck column:``, ``#notetype column:`` (1-based), ``#columns:`` (names, read
only to be skipped). Rows are CSV with that separator (``"…"`` quoting, ``""`` for a quote), so
fields may span lines.

* Basic (also "type in the answer", custom note types): first field → question, second → answer,
  further fields → the card's note. Basic (and reversed card) → one-way Q&A (counted in the notes).
* Cloze: ``{{c1::answer::hint}}`` → ``{{answer::hint}}``; Back Extra is kept as deck notes below.
* The GUID becomes the card id: ``anki-<guid>`` with characters outside ``A-Za-z0-9.-`` written as
  ``_xx`` (hex), so the id is valid, keeps the case and maps back to the GUID (export uses it, and
  re-importing the .apkg into Anki updates those notes instead of adding copies).
* Tags (and the deck, when the file holds several) become section headings, grouped in file order.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

from quizapp.core.content.parser import default_deck_id, normalise_text
from quizapp.core.interop.deckwriter import DeckWriter, ImportResult
from quizapp.core.interop.html_markdown import (
    escape_line_starts,
    escape_text,
    html_to_markdown,
)

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}
_HEADER = re.compile(r"^#([A-Za-z ]+):(.*)$")
_COLUMNS = {"tags column": "tags", "guid column": "guid", "deck column": "deck", "notetype column": "notetype"}
_CLOZE = re.compile(r"\{\{c(\d+)::((?:(?!\{\{|\}\}).)*?)\}\}", re.DOTALL)
_ANY_TAG = re.compile(r"<[A-Za-z/!][^>]*>|&(?:[a-z]+|#\d+);")
_GUID_SAFE = re.compile(r"[A-Za-z0-9.-]")


def guid_to_id(guid: str) -> str:
    """An Anki GUID as one of our ids: ``anki-`` + the GUID, unsafe characters as ``_xx``."""
    return "anki-" + "".join(c if _GUID_SAFE.match(c) else "".join(f"_{b:02x}" for b in c.encode("utf-8"))
                             for c in guid)


def id_to_guid(card_id: str) -> str | None:
    """The Anki GUID an ``anki-…`` id was made from, else None."""
    if not card_id.startswith("anki-") or len(card_id) == 5 or not re.fullmatch(r"[A-Za-z0-9._-]+", card_id):
        return None
    body, out, i = card_id[5:], bytearray(), 0
    try:
        while i < len(body):
            if body[i] == "_":
                out += bytes.fromhex(body[i + 1 : i + 3])
                i += 3
            else:
                out += body[i].encode("ascii")
                i += 1
        return out.decode("utf-8")
    except (ValueError, UnicodeError):
        return None


class _Header:
    def __init__(self) -> None:
        self.separator: str | None = None
        self.html: bool | None = None
        self.deck = ""
        self.notetype = ""
        self.tags: list[str] = []  # #tags: added to every note → the deck's tags
        self.columns: dict[str, int] = {}  # role → 0-based column


def _read_headers(lines: list[str], notices: list[str]) -> tuple[_Header, int]:
    h = _Header()
    k = 0
    while k < len(lines):
        m = _HEADER.match(lines[k])
        if m is None:
            break
        key, value = m.group(1).strip().lower(), m.group(2).strip()
        if key == "separator":
            h.separator = SEPARATORS.get(value.lower(), value[:1] or "\t")
        elif key == "html":
            h.html = value.lower() == "true"
        elif key == "deck":
            h.deck = value
        elif key == "notetype":
            h.notetype = value
        elif key in _COLUMNS:
            if value.isdigit() and int(value) > 0:
                h.columns[_COLUMNS[key]] = int(value) - 1
            else:
                notices.append(f"line {k + 1}: #{key}: {value!r} is not a column number; ignored")
        elif key == "tags":
            h.tags = [t for t in value.split() if t]
        elif key not in ("columns", "if matches"):
            notices.append(f"line {k + 1}: unknown header #{key}; ignored")
        k += 1
    return h, k


def _sniff(line: str) -> str:
    for sep in ("\t", ";", ",", "|"):
        if sep in line:
            return sep
    return "\t"


def to_markdown(field: str, html: bool) -> str:
    """One field as Markdown: HTML converted, or plain text escaped (newlines kept as line breaks)."""
    if html:
        return html_to_markdown(field)
    paras = [p.strip() for p in re.split(r"\n\s*\n", field.strip()) if p.strip()]
    return "\n\n".join(escape_line_starts("\\\n".join(escape_text(x.strip()) for x in p.split("\n")))
                       for p in paras)


def cloze_to_ours(text: str) -> tuple[str, int]:
    """``{{c1::x::hint}}`` → ``{{x::hint}}`` (escaped ``{\\{`` undone first); nested clozes are
    flattened into their outer blank. Returns (text, number of distinct cN)."""
    text = text.replace("{\\{", "{{")
    numbers: set[str] = set()
    marks: list[str] = []

    def inner(m: re.Match) -> str:
        numbers.add(m.group(1))
        content = re.sub("\x00(\\d+)\x00", lambda x: marks[int(x.group(1))].split("::")[0], m.group(2))
        marks.append(content)
        return f"\x00{len(marks) - 1}\x00"

    while True:
        new = _CLOZE.sub(inner, text)
        if new == text:
            break
        text = new
    text = text.replace("{{", "{\\{")  # braces that are not clozes stay literal
    return re.sub("\x00(\\d+)\x00", lambda m: "{{" + marks[int(m.group(1))] + "}}", text), len(numbers)


def import_anki_text(text: str, file: str, deck_id: str | None = None, title: str | None = None) -> ImportResult:
    lines = normalise_text(text).split("\n")
    notices: list[str] = []
    head, first = _read_headers(lines, notices)
    body = "\n".join(lines[first:])
    sep = head.separator or _sniff(next((ln for ln in lines[first:] if ln.strip()), ""))
    html = head.html if head.html is not None else bool(_ANY_TAG.search(body))
    deck = deck_id or default_deck_id(file)
    w = DeckWriter(deck, title or head.deck.replace("::", " — ") or Path(file).stem, Path(file).name)
    w.notices += notices
    w.tags = head.tags
    reader = csv.reader(io.StringIO(body), delimiter=sep, quotechar='"', strict=False,
                        skipinitialspace=False)
    rows: list[tuple[int, int, list[str]]] = []
    line_no = first
    try:
        for row in reader:
            start = line_no + 1
            line_no = first + reader.line_num
            if any(cell.strip() for cell in row):
                rows.append((start, line_no, row))
    except csv.Error as error:
        w.skip(line_no + 1, line_no + 1, f"unreadable row ({error}); the rest of the file is skipped")
    decks = {row[head.columns["deck"]] for _, _, row in rows if "deck" in head.columns and head.columns["deck"] < len(row)}
    if not title and not head.deck and decks:  # the deck column's common top level: "ML" for ML::A, ML::B
        common = _common_parent(sorted(decks))
        if common:
            w.title = common.replace("::", " — ")
    kinds: Counter = Counter()
    for start, end, row in rows:
        _note(w, head, html, len(decks) > 1, start, end, row, kinds)
    if kinds["reversed"]:
        w.notices.append(f"{kinds['reversed']} 'Basic (and reversed card)' note(s) imported as one-way Q&A")
    for name, n in sorted(kinds.items()):
        if name.startswith("other:"):
            w.notices.append(f"{n} note(s) of type {name[6:]!r} read as Basic (first field → question, second → answer)")
    if kinds["cloze-extra"]:
        w.notices.append(f"{kinds['cloze-extra']} cloze Back Extra field(s) kept as deck notes under the sentence")
    return w.finish(f"{deck}.md")


def _common_parent(names: list[str]) -> str:
    parts = [n.split("::") for n in names]
    common = []
    for level in zip(*parts):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    if len(names) > 1 and len(common) == min(len(p) for p in parts):
        common = common[:-1] or common
    return "::".join(common)


def _note(w: DeckWriter, head: _Header, html: bool, several_decks: bool, start: int, end: int,
          row: list[str], kinds: Counter) -> None:
    role = {col: name for name, col in head.columns.items()}
    meta = {name: (row[col].strip() if col < len(row) else "") for name, col in head.columns.items()}
    fields = [cell for k, cell in enumerate(row) if k not in role]
    notetype = meta.get("notetype") or head.notetype
    guid = meta.get("guid", "")
    card_id = guid_to_id(guid) if guid else None
    if card_id and card_id in w.ids:
        w.notices.append(f"line {start}: GUID {guid!r} used twice; the second note gets a new id")
        card_id = None
    parts = []
    if several_decks and meta.get("deck"):
        parts.append(meta["deck"].split("::")[-1])
    tags = [t for t in meta.get("tags", "").split() if t]
    if tags:
        parts.append(", ".join(tags))
    if parts:
        w.heading(" · ".join(parts))
    md = [to_markdown(f, html) for f in fields]
    is_cloze = "cloze" in notetype.lower() or (not notetype and any(_CLOZE.search(f) for f in fields[:1]))
    if is_cloze:
        if not md or not _CLOZE.search(md[0].replace("{\\{", "{{")):
            w.skip(start, end, "cloze note without {{c1::…}} blanks", md[0] if md else "")
            return
        sentence, _ = cloze_to_ours(md[0])
        extra = "\n\n".join(x for x in md[1:] if x.strip())
        if not w.cloze(sentence, start, card_id=card_id, after=extra):
            w.skip(start, end, "cloze blanks only inside code; nothing to ask", md[0])
            return
        if extra:
            kinds["cloze-extra"] += 1
        return
    lowered = notetype.lower()
    if "reverse" in lowered:
        kinds["reversed"] += 1
    elif notetype and "basic" not in lowered:
        kinds[f"other:{notetype}"] += 1
    if len(md) < 2 or not md[0].strip() or not md[1].strip():
        reason = "note without a question" if not md or not md[0].strip() else "note without an answer"
        w.skip(start, end, reason, md[0] if md else "")
        return
    note = "\n\n".join(x for x in md[2:] if x.strip())
    front = md[0]
    w.qa(front, md[1], start, card_id=card_id, note=note, detail=notetype if notetype and "reverse" in lowered else "")
