"""Raw interview notes (Markdown with HTML bits) → a deck in our format.

Recognised questions (see docs/cli.md, "quizapp import"):

* our own ``**Q: …**`` / ``Q:`` paragraphs with ``A:`` answers, and ``[ ]``/``[x]`` lists (the seed sheet);
* a bold question line — ``**What is X?**``, ``🟡 **Q3. Explain Y**``, ``**Question:** Why Z?`` — with
  the answer in the following paragraphs, lists, code and quotes;
* numbered items ``1. **What is X?**`` (answer inside the item, or right after the list);
* headings ``### Q1: What is X?`` (or ending with ``?``) with the answer below, sub-headings included;
* ``<details><summary>Question</summary>answer</details>`` (a summary like "Answer" or "Show solution"
  is the answer of the question above it).

An answer ends at the next question, heading, ``---`` or ``<br/>`` line. Other headings become the
cards' sections (shown as tags in the listing). Tables are kept: they are glossary / comparison
cards already. Everything else is skipped and listed with its lines.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.core.content.blocks import Block, parse_blocks
from quizapp.core.content.identity import strip_ids
from quizapp.core.content.parser import default_deck_id, normalise_text
from quizapp.core.content.questions import A_MARK, Q_MARK, is_checkbox_list, list_items
from quizapp.core.interop.deckwriter import (
    DeckWriter,
    ImportResult,
    checkbox_options,
    clean_answer,
    flatten,
    preview,
)
from quizapp.core.interop.html_markdown import (
    convert_inline_markdown,
    escape_line_starts,
    html_to_markdown,
)
from quizapp.core.interop.notes_questions import (
    bold_question,
    clean_question,
    heading_question,
    strip_marks,
)

_ANSWER_LABEL = re.compile(r"^\s*(?:\*\*|__)?\s*(?:Answer|Ans|A|Solution)\s*[:.]\s*(?:\*\*|__)?\s*", re.IGNORECASE)
_REVEAL = re.compile(r"^(answer|answers|solution|show|click|expand|reveal|hint|explanation|see|view)\b", re.IGNORECASE)
_NAV = re.compile(r"^\s*(?:\*\*)?\[[^\]]*(?:back to top|top|⬆|↑|table of contents|contents|home)[^\]]*\]"
                  r"\(#[^)]*\)(?:\*\*)?\s*$", re.IGNORECASE)
_TOC_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[^\]]*\]\(#[^)]*\)\s*$")
_SEPARATOR = re.compile(r"^\s*(?:<br\s*/?>\s*)+$", re.IGNORECASE)
_PLAIN_Q = re.compile(r"^\s*Q\s*\d+\s*[:.)]\s*(.+)$", re.IGNORECASE)


@dataclass(slots=True)
class _Question:
    front: str
    line: int  # 1-based source line
    level: int = 0  # a heading question: deeper headings belong to its answer
    difficulty: str = ""
    parts: list[str] = field(default_factory=list)  # answer Markdown, block by block
    options: str = ""  # a [ ]/[x] list right after the question: multiple choice


@dataclass(slots=True)
class _Details:
    start: int  # 0-based
    end: int
    summary: str
    body: str


def _code_lines(lines: list[str]) -> set[int]:
    """0-based lines inside fenced or indented code, as markdown-it reads them."""
    found: set[int] = set()
    for b in parse_blocks("\n".join(lines)):
        if b.type in ("fence", "code_block"):
            found.update(range(b.start, b.end))
    return found


def _preprocess(lines: list[str]) -> tuple[list[str], set[int], list[_Details]]:
    out = list(lines)
    code = _code_lines(lines)
    separators: set[int] = set()
    details: list[_Details] = []
    i = 0
    while i < len(out):
        line = out[i]
        if i in code:
            pass
        elif _SEPARATOR.match(line):
            separators.add(i)
            out[i] = ""
        elif re.match(r"^\s*<details\b", line, re.IGNORECASE):
            depth, j = 0, i
            while j < len(out):
                if j not in code:
                    depth += len(re.findall(r"<details\b", out[j], re.IGNORECASE))
                    depth -= len(re.findall(r"</details\s*>", out[j], re.IGNORECASE))
                if depth <= 0:
                    break
                j += 1
            if j >= len(out):  # never closed: not a <details> block, just HTML
                i += 1
                continue
            raw = "\n".join(out[i : j + 1])
            sm = re.search(r"<summary[^>]*>(.*?)</summary\s*>", raw, re.IGNORECASE | re.DOTALL)
            summary = sm.group(1) if sm else ""
            body = raw[sm.end():] if sm else re.sub(r"^\s*<details[^>]*>", "", raw, flags=re.IGNORECASE)
            body = re.sub(r"</details\s*>\s*\Z", "", body.strip(), flags=re.IGNORECASE)
            details.append(_Details(i, j + 1, summary, body))
            for k in range(i, j + 1):
                out[k] = ""
            i = j
        i += 1
    return out, separators, details


# ---- the walk -------------------------------------------------------------------------------------

class _NotesImporter:
    def __init__(self, lines: list[str], writer: DeckWriter) -> None:
        self.lines = lines
        self.w = writer
        self.pending: _Question | None = None
        self.title = ""
        self.base: int | None = None  # while converted HTML is walked: the HTML block's 1-based line
        self.base_end = 0  # … and its last line

    def at(self, line0: int) -> int:
        """The 1-based source line to report for 0-based line ``line0`` of ``self.lines``."""
        return self.base if self.base is not None else line0 + 1

    def span(self, b: Block) -> tuple[int, int]:
        if self.base is not None:
            return self.base, self.base_end
        end = b.end
        while end > b.start + 1 and not self.lines[end - 1].strip():
            end -= 1  # markdown-it counts a list's trailing blank line in
        return b.start + 1, end

    def src(self, b: Block) -> str:
        return "\n".join(self.lines[b.start:b.end]).strip("\n")

    # the question being read ----------------------------------------------------------------
    def open(self, front: str, line: int, level: int = 0, difficulty: str = "", first: str = "") -> None:
        self.close()
        if not flatten(convert_inline_markdown(front)).strip():
            self.w.skip(line, line, "empty question", first)
            return
        self.pending = _Question(front, line, level, difficulty)
        if first.strip():
            self.add(first)

    def add(self, text: str, *, label: bool = True) -> None:
        q = self.pending
        if q is None:
            return
        if not q.parts and label and _ANSWER_LABEL.match(text):
            text = _after_label(_ANSWER_LABEL.sub("", text, count=1))
        if text.strip():
            q.parts.append(text)

    def close(self) -> None:
        q, self.pending = self.pending, None
        if q is None:
            return
        answer, tables = clean_answer("\n\n".join(q.parts))
        q.front = convert_inline_markdown(q.front)
        detail = f"difficulty: {q.difficulty}" if q.difficulty else ""
        if q.options:
            self.w.mcq(q.front, q.options, q.line, explanation=answer, detail=detail)
        elif answer:
            self.w.qa(q.front, answer, q.line, note=f"Difficulty: {q.difficulty}" if q.difficulty else "",
                      detail=detail)
        elif tables:
            self.w.notices.append(f"line {q.line}: the answer to {preview(q.front)!r} is a table; kept as table cards")
        else:
            self.w.skip(q.line, q.line, "question without an answer", q.front)
        for raw in tables:
            why = self.w.table(raw, q.line)
            if why:
                self.w.skip(q.line, q.line, f"table in an answer ({why})", raw.split("\n")[0])

    # the walk ---------------------------------------------------------------------------------
    def walk(self, blocks: list[Block], details: list[_Details], separators: set[int]) -> None:
        events: list[tuple[int, int, object]] = [(b.start, 1, b) for b in blocks]
        events += [(d.start, 0, d) for d in details] + [(s, 2, None) for s in separators]
        for _start, kind, item in sorted(events, key=lambda e: (e[0], e[1])):
            if kind == 2:
                self.close()
            elif kind == 0:
                self.details(item)
            else:
                self.block(item)
        self.close()

    def details(self, d: _Details) -> None:
        summary, level = strip_marks(html_to_markdown(d.summary, markdown=True).replace("\n", " "))
        summary = clean_question(summary.strip())
        body = textwrap.dedent(d.body).strip()
        if not summary or _REVEAL.match(summary):
            if self.pending is not None:
                self.add(body)
            else:
                self.w.skip(d.start + 1, d.end, "<details> answer without a question above it", body)
            return
        self.open(summary, d.start + 1, difficulty=level)
        self.add(body)
        self.close()

    def block(self, b: Block) -> None:
        t = b.type
        text = self.src(b)
        line, end = self.span(b)
        q = self.pending
        if t == "heading":
            content = convert_inline_markdown(b.content.strip())
            if q is not None and q.level and b.heading_level > q.level:
                self.add(f"**{strip_marks(content)[0]}**", label=False)
                return
            self.close()
            found = heading_question(content)
            if found:
                self.open(found[0], line, level=b.heading_level, difficulty=found[1])
            elif b.heading_level == 1 and not self.title:
                self.title = strip_marks(content)[0]
            else:
                self.w.heading(strip_marks(content)[0], b.heading_level)
        elif t == "hr":
            self.close()
        elif t == "paragraph":
            self.paragraph(b, text)
        elif t in ("bullet_list", "ordered_list"):
            self.list_block(b, text)
        elif t == "table" and q is None:
            why = self.w.table(convert_inline_markdown(text), line)
            if why:
                self.w.skip(line, end, f"table ({why})", text.split("\n")[0])
        elif t == "html_block" and self.base is None:
            md = html_to_markdown(text, headings=True)
            if not md:
                if not re.fullmatch(r"\s*(?:<!--.*?-->\s*)+", text, re.DOTALL):
                    self.w.skip(line, end, "HTML without text", text)
                return
            saved, self.lines, self.base, self.base_end = self.lines, md.split("\n"), line, end
            try:
                for inner in parse_blocks(md):
                    self.block(inner)
            finally:
                self.lines, self.base = saved, None
        elif q is not None:
            self.add(text, label=t not in ("fence", "code_block"))
        else:
            what = {"fence": "code", "code_block": "code", "blockquote": "quote", "html_block": "HTML",
                    "table": "table"}.get(t, t)
            self.w.skip(line, end, f"{what} outside a question", text)

    def paragraph(self, b: Block, text: str) -> None:
        first, _, rest = text.strip().partition("\n")
        line, end = self.span(b)
        q = self.pending
        if Q_MARK.match(first.strip()):
            self.our_questions(b)
            return
        if _NAV.match(text):
            self.w.skip(line, end, "navigation link", text)
            return
        if q is not None and not q.parts and not q.options and A_MARK.match(first.strip()):
            self.add(_after_label(A_MARK.sub("", text.strip(), count=1)))
            return
        strict = q is not None and bool(q.parts or q.options)
        found = bold_question(first, strict)
        if found is None and not strict:
            m = _PLAIN_Q.match(first)
            if m:
                found = (strip_marks(m.group(1))[0], "", strip_marks(first)[1])
        if found is not None:
            question, same_line, level = found
            self.open(question, line, difficulty=level,
                      first="\n".join(x for x in (_after_label(same_line), rest) if x))
        elif q is not None:
            self.add(text)
        else:
            self.w.skip(line, end, "prose outside a question", text)

    def our_questions(self, b: Block) -> None:
        """``Q:``/``A:`` lines of our own format: one question per ``Q:`` line."""
        units: list[tuple[int, list[str], list[str]]] = []
        for k in range(b.start, b.end):
            s = self.lines[k].strip()
            if Q_MARK.match(s):
                units.append((k, [s], []))
            elif units and (units[-1][2] or A_MARK.match(s)):
                units[-1][2].append(s if units[-1][2] else _after_label(A_MARK.sub("", s, count=1)))
            elif units:
                units[-1][1].append(s)
        for start, qlines, alines in units:
            self.open(_unmark_q(" ".join(qlines)), self.at(start), first="\n".join(alines))

    def list_block(self, b: Block, text: str) -> None:
        q = self.pending
        line, end = self.span(b)
        items = list_items(b)
        if q is not None and not q.parts and not q.options and is_checkbox_list(b):
            total, ticked = checkbox_options([i.content if i is not None else "" for _, i in items])
            if total == len(items) and total >= 2 and ticked:
                q.options = convert_inline_markdown(text)
                return
        strict = q is not None and bool(q.parts or q.options)
        found = []
        for start, _inline in items:
            first = self.lines[start] if start < len(self.lines) else ""
            marker = re.match(r"^\s*(?:\d{1,9}[.)]|[-*+])\s+", first)
            question = bold_question(first[marker.end():], strict) if marker else None
            if question is None:
                break
            found.append((start, marker.end(), question))
        if found and len(found) == len(items):  # 1. **What is X?** — each item a question
            ends = [s for s, _ in items[1:]] + [b.end]
            for (start, width, (question, same_line, level)), stop in zip(found, ends):
                body = [ln[width:] if not ln[:width].strip() else ln.lstrip() for ln in self.lines[start + 1:stop]]
                answer = "\n".join(x for x in (same_line, "\n".join(body).strip("\n")) if x.strip())
                self.open(question, self.at(start), difficulty=level, first=answer)
            if self.pending is not None and self.pending.parts:
                self.close()  # the answers sit inside the items: what follows the list is not one
            return
        if q is not None:
            self.add(text)
        elif all(_TOC_ITEM.match(self.lines[s]) for s, _ in items if s < len(self.lines)):
            self.w.skip(line, end, "table of contents", text)
        else:
            self.w.skip(line, end, "list outside a question", text)


def _after_label(text: str) -> str:
    """Text that followed a label ("A:", "Answer:", a bold question) on its line: its first line must
    not start a block of its own (``~~~``, ``- ``, ``#``) once the label is gone."""
    first, nl, rest = text.partition("\n")
    return escape_line_starts(first) + nl + rest


def _unmark_q(text: str) -> str:
    text = strip_ids(text).strip()
    m = Q_MARK.match(text)
    rest = text[m.end():].strip() if m else text
    if m and m.group().strip() in ("**Q:", "__Q:") and rest.endswith(m.group().strip()[:2]):
        rest = rest[:-2].strip()
    return rest


def import_notes(text: str, file: str, deck_id: str | None = None, title: str | None = None) -> ImportResult:
    """Notes → a deck (see the module docstring). Raises ImportGuardError if the result would not load."""
    lines = normalise_text(text).split("\n")
    skipped_front = _front_matter(lines)
    found_title = ""
    if skipped_front:
        end, found_title = skipped_front
        for k in range(end):
            lines[k] = ""
    lines, separators, details = _preprocess(lines)
    deck = deck_id or default_deck_id(file)
    writer = DeckWriter(deck, "", Path(file).name)
    if skipped_front:
        writer.skip(1, skipped_front[0], "front matter")
    importer = _NotesImporter(lines, writer)
    importer.walk(parse_blocks("\n".join(lines)), details, separators)
    writer.title = title or found_title or importer.title or Path(file).stem
    writer.skipped.sort(key=lambda s: s.line)
    return writer.finish(f"{deck}.md")


def _front_matter(lines: list[str]) -> tuple[int, str] | None:
    if not lines or lines[0].strip() not in ("---", "+++"):
        return None
    mark = lines[0].strip()
    for k in range(1, len(lines)):
        if lines[k].strip() == mark:
            head = lines[1:k]
            title = next((re.sub(r"^title\s*[:=]\s*", "", h).strip().strip("\"'") for h in head
                          if re.match(r"^title\s*[:=]", h)), "")
            return k + 1, title
    return None


