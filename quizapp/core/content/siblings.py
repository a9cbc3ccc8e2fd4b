"""Siblings: cards made from one construct of a deck, which Anki would call one *note*.

* the two cards of a glossary row (term → definition and its reverse),
* the cells of one comparison-table row,
* the blanks of one cloze sentence (paragraph or list item);

every other card (Q&A, multiple choice, drill, skill card) is a note of its own. Siblings ask about
the same fact, so a review shows at most one of them a day (the others are buried for the day once
one is answered: :mod:`quizapp.core.study.siblings`) and never two of them back to back.
"""

from __future__ import annotations

from quizapp.core.content.model import Card, CardKind

_ROW_KINDS = (CardKind.GLOSSARY, CardKind.GLOSSARY_REVERSE, CardKind.COMPARISON)


def sibling_key(card: Card) -> str:
    """The note ``card`` belongs to: equal for siblings, the card's own key otherwise.

    A table row is its file line (both glossary cards and every comparison cell of a row carry the
    row's line); a cloze sentence is its text with every blank filled in (``Card.context``), which
    its blanks share even when they sit on different lines of a paragraph."""
    if card.kind in _ROW_KINDS:
        return f"{card.deck}\x00{card.file}\x00row\x00{card.line}"
    if card.kind is CardKind.CLOZE and card.context:
        return f"{card.deck}\x00{card.file}\x00cloze\x00{card.context}"
    return card.key
