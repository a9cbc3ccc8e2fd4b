"""Helpers for the deck-number tests: find a card of a shipped deck and check the numbers it states.

A number written as 1.414 stands for [1.4135, 1.4145] (half a unit in its last written digit);
integers are exact; 2.5e-4 and 7.0e-4 work the same way on their mantissa. A match must also be
within 1% of the value, so a short number elsewhere in the card (0.1) cannot stand in for 0.0854.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from quizapp.core.content.loader import load_deck
from quizapp.core.content.model import Card, Deck

CONTENT = Path(__file__).resolve().parents[2] / "content"
NUMBER = re.compile(r"(?<![\w.])[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?")


@cache
def deck(name: str) -> Deck:
    d = load_deck(CONTENT / f"{name}.md")
    assert not d.errors, d.errors
    return d


def card(name: str, key_suffix: str) -> Card:
    """The card whose id is key_suffix (a comparison cell: '<row-id>:<column-slug>')."""
    found = [c for c in deck(name).cards if c.key == f"{name}:{key_suffix}"]
    assert len(found) == 1, f"{name}:{key_suffix} not found"
    return found[0]


def card_by_id(name: str, card_id: str) -> Card:
    """The card marked ``<!-- id: card_id -->`` in the shipped deck ``name``."""
    found = [c for c in deck(name).cards if c.explicit_id == card_id]
    assert len(found) == 1, f"{name}:{card_id} not found"
    return found[0]


def right_answer(c: Card) -> str:
    """A multiple-choice card's correct option, else the card's back."""
    if c.choices:
        (right,) = [ch.text for ch in c.choices if ch.correct]
        return right
    return c.back


def wrong_options_of(c: Card) -> list[str]:
    return [ch.text for ch in c.choices if not ch.correct]


def text(c: Card) -> str:
    return " ".join([c.front, c.back, c.note, " ".join(ch.text for ch in c.choices)])


def stated(c: Card) -> list[str]:
    return [m.replace("−", "-") for m in NUMBER.findall(text(c))]


def half_unit(n: str) -> float:
    mantissa, _, exponent = n.partition("e")
    scale = 10.0 ** int(exponent) if exponent else 1.0
    if "." not in mantissa:
        return 1e-9 * scale
    return 0.5 * 10.0 ** -len(mantissa.split(".")[1]) * scale * (1 + 1e-9)


def assert_states(name: str, key_suffix: str, *values: float) -> None:
    """Every value appears in the card, rounded to the digits the card writes it with."""
    numbers = stated(card(name, key_suffix))
    for value in values:
        ok = any(abs(float(n) - value) <= min(half_unit(n), 0.01 * abs(value) + 1e-12) for n in numbers)
        assert ok, f"{name}:{key_suffix}: {value} not stated (numbers: {numbers})"


def correct_choice(name: str, key_suffix: str) -> str:
    (right,) = [ch.text for ch in card(name, key_suffix).choices if ch.correct]
    return right
