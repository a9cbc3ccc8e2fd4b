"""The formulas the shipped drills state in their prompts, hints and explanations hold.

Each drill's answer is checked against the engine elsewhere (test_shipped_drills.py); here every
formula equality its prose states (``σ(z) = 1/(1 + e⁻ᶻ)``, ``ELU'(0) = α``, ``α = 0.01`` …) is
evaluated over the drill's ranges with its constants (core.drill_claims), so a worked explanation can
never contradict the answer or the registry. ``quizapp check`` reports the same as warnings.
"""

from __future__ import annotations

from pathlib import Path

from quizapp.core.content.loader import deck_files, load_deck
from quizapp.core.content.model import CardKind
from quizapp.core.formula.drill_claims import drill_claims
from quizapp.core.formula.drills import parse_drill_toml

CONTENT = Path(__file__).resolve().parents[2] / "content"


def shipped_claims():
    for path in deck_files(CONTENT):
        for card in load_deck(path).cards:
            if card.kind is CardKind.DRILL:
                drill, _ = parse_drill_toml(card.spec)
                assert drill is not None, card.explicit_id
                for claim in drill_claims(drill):
                    yield card.explicit_id, drill, claim


def test_every_formula_a_shipped_drill_states_holds():
    claims = list(shipped_claims())
    wrong = [f"{drill_id} {c.field}: {c.text!r}: {c.problem}" for drill_id, _d, c in claims if c.problem]
    assert wrong == []
    # the checker really reads the prose: engine references, conditions and constants among them
    assert len(claims) >= 10
    assert any("'(" in c.text for _i, _d, c in claims)  # ELU'(0) = α: the registry's f′
    assert any(c.text.startswith("d/dz") for _i, _d, c in claims)
    assert any(c.condition for _i, _d, c in claims)
    assert any(c.sides[0] in ("α", "alpha") for _i, _d, c in claims)


def test_every_engine_drill_that_states_a_formula_has_it_checked():
    """An engine drill whose explanation equates formulas (" = ") has at least one of them read."""
    read = {drill_id for drill_id, _d, c in shipped_claims() if c.field == "explanation"}
    for path in deck_files(CONTENT):
        for card in load_deck(path).cards:
            if card.kind is not CardKind.DRILL:
                continue
            drill, _ = parse_drill_toml(card.spec)
            if drill.engine is not None and " = " in drill.explanation:
                assert card.explicit_id in read, (card.explicit_id, drill.explanation)
