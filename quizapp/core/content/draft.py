"""Scratch objects the parser fills in before identities are assigned: card drafts and problems."""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.core.content.model import Card, CardKind, Choice, Problem, Severity
from quizapp.core.content.sources import split_sources


@dataclass(slots=True)
class Draft:
    """A card without its key. Drafts of one construct (a table row, a cloze sentence) share
    ``group``, so one author id may legitimately appear on all of them."""

    kind: CardKind
    front: str
    back: str
    line: int
    col: int
    group: int
    section: str = ""
    author_id: str | None = None  # the id the author wrote, without derived suffixes
    id_suffix: str = ""  # ":reverse", ":2", ":derivative-z-0" …
    id_line: int = 0
    id_col: int = 1
    choices: tuple[Choice, ...] = ()
    typed: bool = False
    note: str = ""
    context: str = ""
    spec: str = ""
    # What the implicit key is made of when it is not the front: a reverse glossary card is named by
    # its term, so editing the definition keeps both cards of the row.
    identity: str | None = None
    sources: tuple[str, ...] = ()  # from a table's Source column, a cloze's or a block's Source lines

    def to_card(self, key: str, deck: str, file: str, explicit: str | None, tags: tuple[str, ...]) -> Card:
        # "Source:" lines end an answer or sit in a note (or a glossary row's Source column)
        back, from_back = split_sources(self.back, anywhere=False) if self.kind is CardKind.QA else (self.back, ())
        note, from_note = split_sources(self.note, anywhere=True)
        return Card(
            key=key,
            deck=deck,
            kind=self.kind,
            front=self.front,
            back=back or self.back,
            file=file,
            line=self.line,
            col=self.col,
            section=self.section,
            explicit_id=explicit,
            tags=tags,
            choices=self.choices,
            typed=self.typed,
            note=note,
            context=self.context,
            spec=self.spec,
            sources=(*self.sources, *from_back, *from_note),
        )


class Report:
    """Collects located problems for one file."""

    __slots__ = ("file", "problems")

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def error(self, line: int, col: int, message: str) -> None:
        self.problems.append(Problem(self.file, max(line, 1), max(col, 1), Severity.ERROR, message))

    def warning(self, line: int, col: int, message: str) -> None:
        self.problems.append(Problem(self.file, max(line, 1), max(col, 1), Severity.WARNING, message))

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.line, p.col))


class Context:
    """What construct handlers share while one file is parsed."""

    __slots__ = ("report", "src", "typed", "section", "_group")

    def __init__(self, report: Report, src, typed: bool) -> None:
        self.report = report
        self.src = src  # blocks.Source
        self.typed = typed
        self.section = ""
        self._group = 0

    def new_group(self) -> int:
        self._group += 1
        return self._group
