"""The deck model: plain records shared by the parser, the store, sessions and the UI.

Cards and the small value types are immutable named tuples (a frozen dataclass costs about a
millisecond to define, and this module is on the app's start-up path); a :class:`Deck` is built up
while parsing, so it stays a (mutable) dataclass.

Nothing here parses or renders; it only names things. Text fields hold the author's Markdown
(``**bold**``, ``*em*``, `` `code` ``) exactly as written, so each front end decides how to style it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple


class CardKind(StrEnum):
    """What kind of card a deck construct produced. Values are part of the JSON contract."""

    GLOSSARY = "glossary"  # a glossary row asked term → definition
    GLOSSARY_REVERSE = "glossary_reverse"  # the same row asked definition → term
    COMPARISON = "comparison"  # one cell of a comparison table
    QA = "qa"  # question and answer
    MCQ = "mcq"  # multiple choice
    CLOZE = "cloze"  # one {{blank}} of a sentence
    DRILL = "drill"  # a formula drill (```drill TOML), graded by equivalence
    GRADIENT = "gradient"  # a skill card (```gradient TOML): a fresh generated question each review


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Problem(NamedTuple):
    """Something wrong (or suspicious) in a deck file, located at 1-based line and column."""

    file: str
    line: int
    col: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "severity": str(self.severity),
            "message": self.message,
        }


class Choice(NamedTuple):
    """One option of a multiple-choice card."""

    text: str
    correct: bool


class Card(NamedTuple):
    """One reviewable card.

    ``key`` is the card's identity in the collection: ``"<deck>:<id>"`` when the author wrote
    ``<!-- id: … -->``, else ``"<deck>:<kind-tag>:<normalised front>"`` (see identity.py). The back is
    not part of the key, so editing an answer keeps the card's history.
    """

    key: str
    deck: str
    kind: CardKind
    front: str
    back: str
    file: str
    line: int
    col: int = 1
    section: str = ""  # the heading the card sits under, for context ("Key Terms Glossary")
    explicit_id: str | None = None
    tags: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()  # multiple choice only, in the author's order
    typed: bool = False  # answer is typed and compared leniently instead of self-graded
    note: str = ""  # an optional precise note shown with the back (e.g. where the seed is loose)
    context: str = ""  # cloze: the whole sentence with every other blank filled in
    spec: str = ""  # drill / gradient cards: the TOML of their fenced block, read by core.drills / generators
    sources: tuple[str, ...] = ()  # where the card's claim comes from (its own "Source:" lines; see sources.py)

    @property
    def correct_choices(self) -> tuple[int, ...]:
        return tuple(i for i, c in enumerate(self.choices) if c.correct)

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "deck": self.deck,
            "kind": str(self.kind),
            "front": self.front,
            "back": self.back,
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "section": self.section,
            "tags": list(self.tags),
            "choices": [{"text": c.text, "correct": c.correct} for c in self.choices],
            "typed": self.typed,
            "note": self.note,
            "spec": self.spec,
            "sources": list(self.sources),
        }


@dataclass  # no slots: a few instances, and slots=True doubles the cost of defining it at start-up
class Deck:
    """A parsed deck file. ``failed`` decks (unreadable file, bad front matter) have no cards."""

    id: str
    title: str
    path: Path
    tags: tuple[str, ...] = ()
    cards: list[Card] = field(default_factory=list)
    notes: str = ""  # everything that is not a card, as Markdown, for the notes viewer
    problems: list[Problem] = field(default_factory=list)
    options: dict = field(default_factory=dict)  # front-matter options, e.g. {"typed": True}
    failed: bool = False
    sources: tuple[str, ...] = ()  # front matter's sources = [...]: cover every card of the deck

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]
