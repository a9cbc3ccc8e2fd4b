"""The maths behind drill and gradient cards, checked for ``quizapp check``.

Loading a deck only reads the TOML of these cards (fenced_cards.py). Here every drill goes through
core.drills (formula parses, every accepted form is equivalent, every rejected one is not, the
engine agrees) and every skill card is generated once, so an author learns about a broken card
from `quizapp check`, located at file:line:col, not in the middle of a review. Uses NumPy.
"""

from __future__ import annotations

import re
import tomllib

from quizapp.core.content.model import Card, CardKind, Deck, Problem, Severity

GRADIENT_KEYS = ("id", "family", "activation", "difficulty", "params", "prompt")


def check_fenced_cards(deck: Deck) -> list[Problem]:
    problems: list[Problem] = []
    for card in deck.cards:
        if card.kind is CardKind.DRILL:
            problems += _check_drill(card)
        elif card.kind is CardKind.GRADIENT:
            problems += _check_gradient(card)
    return problems


def _check_drill(card: Card) -> list[Problem]:
    from quizapp.core.formula.drills import parse_drill_toml

    drill, found = parse_drill_toml(card.spec, validate=True)
    first = card.line + 1  # the TOML starts on the line after the ``` fence
    out = [
        Problem(card.file, first + p.line, p.col, Severity(p.severity), f"drill {card.explicit_id!r}: {p.message}")
        for p in found
    ]
    return out + (_drill_prose(card, drill, first) if drill is not None else [])


def _drill_prose(card: Card, drill, first: int) -> list[Problem]:
    """Warnings for formulas the prompt, hint or explanation state that do not hold."""
    from quizapp.core.formula.drill_claims import drill_claims

    lines = card.spec.splitlines()
    out = []
    for claim in drill_claims(drill):
        if claim.problem is None:
            continue
        line = next((i for i, text in enumerate(lines)
                     if re.match(rf"\s*{claim.field}\s*=", text)), 0)
        out.append(Problem(card.file, first + line, 1, Severity.WARNING,
                           f"drill {card.explicit_id!r}: the {claim.field} says {claim.text!r}, "
                           f"which does not hold: {claim.problem}"))
    return out


def _check_gradient(card: Card) -> list[Problem]:
    from quizapp.core.generators import generate

    data = tomllib.loads(card.spec)
    out = [
        Problem(card.file, card.line, 1, Severity.WARNING, f"gradient {card.explicit_id!r}: unknown key {key!r}")
        for key in data if key not in GRADIENT_KEYS
    ]
    try:
        generate(data["family"], seed=0, difficulty=data.get("difficulty", "easy"),
                 activation=data.get("activation"), params=data.get("params"))
    except (ValueError, TypeError, KeyError) as error:
        out.append(Problem(card.file, card.line, 1, Severity.ERROR, f"gradient {card.explicit_id!r}: {error}"))
    return out
