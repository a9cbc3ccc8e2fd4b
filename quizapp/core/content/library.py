"""A set of loaded decks: what the app studies from and what ``quizapp check`` reports on."""

from __future__ import annotations

from dataclasses import dataclass, field

from quizapp.core.content.model import Card, Deck, Problem, Severity


@dataclass  # no slots: one instance, and defining a slotted dataclass costs twice as much at start-up
class Library:
    decks: list[Deck] = field(default_factory=list)
    # Problems that belong to no deck file: a path that does not exist, a directory without decks.
    path_problems: list[Problem] = field(default_factory=list)

    @property
    def cards(self) -> list[Card]:
        """All cards of the decks that did not fail, in deck then file order."""
        return [c for d in self.decks if not d.failed for c in d.cards]

    @property
    def problems(self) -> list[Problem]:
        return [*self.path_problems, *(p for d in self.decks for p in d.problems)]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def deck(self, deck_id: str) -> Deck | None:
        """The deck with this id that did not fail, else None."""
        for d in self.decks:
            if d.id == deck_id and not d.failed:
                return d
        return None

    def card(self, key: str) -> Card | None:
        for c in self.cards:
            if c.key == key:
                return c
        return None
