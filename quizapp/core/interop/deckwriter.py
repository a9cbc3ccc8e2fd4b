"""Writing a deck in our format from imported material, and checking it with our own parser.

Importers call :class:`DeckWriter` (``heading``, ``qa``, ``mcq``, ``cloze``, ``table``, ``prose``)
with Markdown they have already cleaned, plus the source line of each construct. ``finish()`` renders
the deck, parses it with :func:`parse_deck` and refuses (:class:`ImportGuardError`) when the parser
reports any error or makes a different number of cards of some kind than were written: either would
be a bug in the importer, and a deck that does not load must never be written.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from quizapp.core.content import cloze
from quizapp.core.content.blocks import parse_blocks
from quizapp.core.content.identity import VALID_ID, normalise, slug, strip_ids
from quizapp.core.content.model import CardKind, Deck
from quizapp.core.content.parser import parse_deck
from quizapp.core.content.questions import CHECKBOX
from quizapp.core.interop.html_markdown import (
    convert_inline_markdown,
    escape_line_starts,
    fence,
    html_to_markdown,
)

_ID_LEN = 48
_QA_LINE = re.compile(r"^(\s*(?:\*\*|__)?(?:Q|A)\*{0,2}):", re.MULTILINE)
_CARD_FENCES = ("drill", "gradient")
_LEADING_NOTE = re.compile(r"^(?:>\s*)?(?:\*\*|__)?Note(?:\*\*|__)?:", re.IGNORECASE)
_FENCE_LINE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


class ImportGuardError(Exception):
    """The generated deck does not pass our parser: a bug in the importer; nothing is written."""

    def __init__(self, message: str, text: str) -> None:
        super().__init__(message)
        self.text = text


@dataclass(slots=True)
class Made:
    """One construct written to the deck, for the dry-run listing."""

    kind: str  # qa, mcq, cloze, table (glossary/comparison), …
    front: str
    line: int  # 1-based line in the source
    section: str = ""
    cards: int = 1
    detail: str = ""  # "glossary table, 8 rows", "difficulty: hard", …


@dataclass(slots=True)
class Skipped:
    line: int
    end_line: int
    reason: str
    preview: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}" if self.end_line <= self.line else f"lines {self.line}-{self.end_line}"
        return f"{where}: {self.reason}" + (f": {self.preview}" if self.preview else "")


@dataclass(slots=True)
class ImportResult:
    deck_id: str
    title: str
    text: str  # the deck file
    deck: Deck  # the deck as our parser reads it
    made: list[Made] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def by_kind(self) -> dict[str, int]:
        counts = Counter(str(c.kind) for c in self.deck.cards)
        return {str(k): counts[str(k)] for k in CardKind if counts[str(k)]}

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in self.by_kind().items())
        return f'deck "{self.deck_id}" ({self.title}): {len(self.deck.cards)} cards' + (f" — {kinds}" if kinds else "")

    def report(self) -> str:
        """The dry-run listing: the cards by kind, each construct with its source line, what was skipped."""
        lines = [self.summary(), "", f"made ({len(self.made)}):"]
        width = max((len(str(m.line)) for m in self.made), default=1)
        for m in self.made:
            tag = f" [{slug(m.section)}]" if m.section and slug(m.section) else ""
            detail = f" ({m.detail})" if m.detail else ""
            lines.append(f"  line {m.line:>{width}}  {m.kind:<6}{tag} {preview(m.front, 90)}{detail}")
        lines += ["", f"skipped ({len(self.skipped)}):"]
        lines += [f"  {s}" for s in self.skipped] or ["  nothing"]
        if self.notices:
            lines += ["", "notes:"] + [f"  {n}" for n in self.notices]
        return "\n".join(lines)


def preview(text: str, width: int = 60) -> str:
    text = " ".join(strip_ids(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def make_id(text: str) -> str:
    """A stable, readable id from a question: its slug, cut at a word; a hash is added when cut."""
    words = slug(text).split("-")
    out, cut = "", False
    for w in words:
        if not w:
            continue
        if len(out) + len(w) + 1 > _ID_LEN:
            cut = True
            break
        out = f"{out}-{w}" if out else w
    if cut or not out:
        digest = hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()[:6]
        out = f"{out}-{digest}" if out else f"q-{digest}"
    return out


def flatten(md: str) -> str:
    """Markdown squeezed into one paragraph's lines (a question, a cloze sentence): blank lines and
    hard breaks become spaces, and nothing on a line can start a new block."""
    text = re.sub(r"\\\n", " ", md.strip())
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return escape_line_starts(" ".join(lines))


def escape_markers(md: str) -> str:
    """Lines starting ``Q:``/``A:`` (outside code fences) are escaped so an answer cannot start a card."""
    out, open_fence = [], None
    for line in md.split("\n"):
        m = _FENCE_LINE.match(line)
        if open_fence is None and m:
            open_fence = m.group(1)[0] * len(m.group(1))
        elif open_fence is not None and m and m.group(1).startswith(open_fence):
            open_fence = None
        elif open_fence is None:
            line = _QA_LINE.sub(lambda x: x.group(1) + "\\:", line, count=1)
        out.append(line)
    return "\n".join(out)


def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


class DeckWriter:
    def __init__(self, deck_id: str, title: str, source: str) -> None:
        self.deck_id = deck_id
        self.title = title
        self.source = source
        self.parts: list[str] = []
        self.ids: set[str] = set()
        self.expected: Counter = Counter()
        self.made: list[Made] = []
        self.skipped: list[Skipped] = []
        self.notices: list[str] = []
        self.section = ""
        self.tags: list[str] = []  # the deck's front-matter tags
        self._heading: tuple[str, int] | None = None

    # ---- ids and sections -------------------------------------------------------------------
    def unique_id(self, explicit: str | None, front: str) -> str:
        """``explicit`` when it is a valid id, else one made from ``front``; made unique with -2, -3 …"""
        base = explicit if explicit and VALID_ID.match(explicit) else make_id(front)
        out, n = base, 2
        while out in self.ids:
            out, n = f"{base}-{n}", n + 1
        self.ids.add(out)
        return out

    def heading(self, text: str, level: int = 2) -> None:
        """A section heading, written only when a card follows it (cards record it as their section)."""
        text = flatten(strip_ids(text)).replace("\n", " ")
        if text:
            self._heading = (text, min(max(level, 2), 6))

    def skip(self, line: int, end_line: int, reason: str, text: str = "") -> None:
        self.skipped.append(Skipped(line, end_line, reason, preview(text) if text else ""))

    def _emit(self, chunk: str) -> None:
        if self._heading is not None:
            text, level = self._heading
            if text != self.section:
                self.parts.append(f"{'#' * level} {text}")
                self.section = text
            self._heading = None
        self.parts.append(chunk.strip("\n"))

    # ---- constructs --------------------------------------------------------------------------
    def qa(self, front: str, answer: str, line: int, *, card_id: str | None = None, note: str = "",
           detail: str = "") -> str:
        front = flatten(front)
        card_id = self.unique_id(card_id, front)
        body = _marked("A:", answer)
        if note.strip():
            body += "\n\n" + _marked("Note:", note)
        self._emit(f"**Q:** {front} <!-- id: {card_id} -->\n{body}")
        self.expected[CardKind.QA] += 1
        self.made.append(Made("qa", front, line, self.section_name(), detail=detail))
        return card_id

    def mcq(self, front: str, options: str, line: int, *, explanation: str = "", card_id: str | None = None,
            detail: str = "") -> str:
        front = flatten(front)
        card_id = self.unique_id(card_id, front)
        chunk = f"**Q:** {front} <!-- id: {card_id} -->\n\n{options.strip()}"
        if explanation.strip():
            chunk += "\n\n" + _marked("A:", explanation)
        self._emit(chunk)
        self.expected[CardKind.MCQ] += 1
        self.made.append(Made("mcq", front, line, self.section_name(), detail=detail))
        return card_id

    def cloze(self, sentence: str, line: int, *, card_id: str | None = None, after: str = "",
              detail: str = "") -> int:
        """One cloze sentence (``{{…}}`` blanks, already in our syntax); returns the number of cards it
        makes (its blanks, up to the parser's cap on one sentence; 0: nothing written, e.g. every
        blank sat in code)."""
        sentence = escape_markers(flatten(sentence))  # "Q: …" would make it a question
        blanks, errors = cloze.scan(sentence)
        if errors or not blanks:
            return 0
        filled = cloze.Filled(sentence, blanks)
        context = filled.front()
        card_id = self.unique_id(card_id, context)
        chunk = f"{sentence} <!-- id: {card_id} -->"
        if after.strip():  # e.g. Anki's Back Extra: kept as the deck's notes right under the sentence
            chunk += "\n\n" + escape_markers(after.strip()).replace("{{", "{\\{")
        self._emit(chunk)
        asked = cloze.asked_blanks(len(blanks), len(context))  # the parser's cap on one sentence
        self.expected[CardKind.CLOZE] += asked
        self.made.append(Made("cloze", filled.front(0), line, self.section_name(), cards=asked, detail=detail))
        return asked

    def table(self, raw: str, line: int) -> str | None:
        """A Markdown table kept as written; None when written, else why not (the parser's problem)."""
        counts, problem, kind = table_cards(raw)
        if problem:
            return problem
        if not counts:
            return "not a card table (one column)"
        self._emit(raw)
        self.expected.update(counts)
        rows = raw.strip().count("\n") - 1
        first = raw.strip().split("\n")[0].strip().strip("|").split("|")[0].strip()
        total = sum(counts.values())
        self.made.append(Made("table", first or "(table)", line, self.section_name(), cards=total,
                              detail=f"{kind} table, {rows} row{'s' if rows != 1 else ''} → {total} cards"))
        return None

    def section_name(self) -> str:
        return self._heading[0] if self._heading else self.section

    # ---- the deck -----------------------------------------------------------------------------
    def text(self) -> str:
        tags = f"tags = [{', '.join(toml_string(t) for t in self.tags)}]\n" if self.tags else ""
        head = (f"+++\ndeck = {toml_string(self.deck_id)}\ntitle = {toml_string(self.title)}\n{tags}"
                f"# imported from {self.source} by `quizapp import`\n+++\n")
        title = f"# {self.title}\n" if self.title else ""
        return head + "\n" + title + "\n" + "\n\n".join(self.parts) + "\n"

    def finish(self, file: str) -> ImportResult:
        text = self.text()
        deck = parse_deck(text, file)
        errors = deck.errors
        if errors:
            raise ImportGuardError("the generated deck does not pass `quizapp check`: "
                                   + "; ".join(str(p) for p in errors[:5]), text)
        got = Counter(c.kind for c in deck.cards)
        want = Counter({k: n for k, n in self.expected.items() if n})
        if got != want:
            raise ImportGuardError(
                f"the generated deck has other cards than were written (wrote {dict(want)}, parsed {dict(got)})", text)
        return ImportResult(self.deck_id, self.title, text, deck, self.made, self.skipped, self.notices)


def _marked(mark: str, md: str) -> str:
    """``A: text`` when the Markdown starts with a paragraph, else ``A:`` then the blocks below it.
    An answer that starts with ``Note:`` has that colon escaped (it would leave the back empty)."""
    md = escape_markers(md.strip())
    m = _LEADING_NOTE.match(md)
    if m:
        md = md[: m.end() - 1] + "\\:" + md[m.end():]
    first, _, rest = md.partition("\n\n")
    if _starts_paragraph(first):
        return f"{mark} {first}" + (f"\n\n{rest}" if rest else "")
    return f"{mark}\n\n{md}"


def _starts_paragraph(block: str) -> bool:
    """True when ``block`` is a plain paragraph, so it may follow ``A:`` on the same line."""
    blocks = parse_blocks(block)
    return len(blocks) == 1 and blocks[0].type == "paragraph"


def table_cards(raw: str) -> tuple[Counter, str | None, str]:
    """What our parser makes of a table on its own: (cards per kind, first error or None, kind)."""
    deck = parse_deck(raw + "\n", "table.md")
    if deck.errors:
        p = deck.errors[0]
        return Counter(), f"table row {p.line - 2 if p.line > 2 else p.line}: {p.message}", ""
    counts = Counter(c.kind for c in deck.cards)
    kind = "glossary" if counts.get(CardKind.GLOSSARY) else "comparison"
    return counts, None, kind


def checkbox_options(items: list[str]) -> tuple[int, int]:
    """(options with a box, of which ticked) for the first lines of a list's items."""
    boxed = [CHECKBOX.match(i) for i in items]
    return sum(1 for m in boxed if m), sum(1 for m in boxed if m and m.group(1) != " ")


def clean_answer(md: str) -> tuple[str, list[str]]:
    """An answer's Markdown made safe for a deck: headings → bold, ``---`` dropped, tables moved out
    (returned apart: they end an answer and are cards themselves), HTML converted, images made links,
    ``{{`` escaped, ```drill/```gradient fences renamed (they would be cards)."""
    blocks = parse_blocks(md)
    lines = md.split("\n")
    parts: list[str] = []
    tables: list[str] = []
    for b in blocks:
        text = "\n".join(lines[b.start:b.end]).strip("\n")
        if b.type == "heading":
            parts.append(f"**{convert_inline_markdown(b.content.strip())}**")
        elif b.type == "hr":
            continue
        elif b.type == "table":
            tables.append(convert_inline_markdown(text))
        elif b.type == "fence":
            token = b.tokens[0]
            last = lines[b.end - 1].strip() if b.end - b.start > 1 else ""
            closed = bool(last) and set(last) == {token.markup[0]} and len(last) >= len(token.markup)
            if token.info.strip().split(" ")[0].lower() in _CARD_FENCES:
                text = fence(token.content.rstrip("\n"), "toml")
            elif not closed:  # an unclosed fence would swallow the rest of the deck
                text = fence(token.content.rstrip("\n"), token.info.strip())
            parts.append(text)
        elif b.type == "code_block":
            parts.append(text)
        elif b.type == "html_block":
            converted = html_to_markdown(text, headings=False)
            if converted:
                inner, more = clean_answer(converted)
                parts.append(inner)
                tables += more
        else:
            parts.append(convert_inline_markdown(text))
    return "\n\n".join(p for p in parts if p.strip()).strip(), tables
