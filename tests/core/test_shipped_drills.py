"""The shipped formula drills (```drill) and gradient skill cards (```gradient).

Every drill must parse, validate (accepted forms equivalent, rejected ones not, engine agreeing) and
carry real alternatives and mistakes; the drills the decks promise must exist under their ids and
really ask what their id says (a canonical answer is graded right, a classic slip wrong); every skill
card must generate questions with its own parameters.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

import pytest

from quizapp.core.content.check import run_check
from quizapp.core.content.loader import deck_files, load_deck
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.formula.drills import Drill, Engine, parse_drill_toml
from quizapp.core.generators import generate

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
RELU_DECK = "relu-vs-leaky-relu"
KEBAB_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")

# id → (deck, engine it must match or None, a correct answer, a classic mistake)
REQUIRED_DRILLS: dict[str, tuple[str, Engine | None, str, str]] = {
    "relu-formula": (RELU_DECK, Engine("relu", "value"), "max(0, z)", "abs(z)"),
    "relu-derivative-formula": (RELU_DECK, Engine("relu", "derivative"), "where(z > 0, 1, 0)", "sign(z)"),
    "leaky-relu-formula": (RELU_DECK, Engine("leaky_relu", "value"), "max(0.01*z, z)", "max(0, z)"),
    "leaky-relu-derivative-formula": (RELU_DECK, Engine("leaky_relu", "derivative"),
                                      "where(z > 0, 1, 0.01)", "where(z > 0, 1, 0)"),
    "leaky-relu-derivative-at-kink": (RELU_DECK, Engine("leaky_relu", "derivative"),
                                      "where(z > 0, 1, 0.01)", "where(z >= 0, 1, 0.01)"),
    "neuron-forward-scalar": (RELU_DECK, None, "b + x*w", "w*(x + b)"),
    "he-std-formula": (RELU_DECK, None, "sqrt(2)/sqrt(n_in)", "sqrt(1/n_in)"),
    "sgd-update-formula": (RELU_DECK, None, "W - lr*dW", "W + lr*dW"),
    "sigmoid-derivative-formula": ("activations-and-gradients", Engine("sigmoid", "derivative"),
                                   "sigmoid(z)*sigmoid(-z)", "sigmoid(z)*(1 + sigmoid(z))"),
    "tanh-derivative-formula": ("activations-and-gradients", Engine("tanh", "derivative"),
                                "1 - tanh(z)^2", "1 - tanh(z)"),
    "elu-formula": ("activations-and-gradients", Engine("elu", "value"),
                    "where(z > 0, z, exp(z) - 1)", "where(z > 0, z, exp(z))"),
    "elu-derivative-formula": ("activations-and-gradients", Engine("elu", "derivative"),
                               "where(z > 0, 1, exp(z))", "where(z > 0, 1, exp(z) - 1)"),
}

# Skill cards the ReLU deck promises: (family, activation) pairs.
REQUIRED_SKILLS = {
    ("activation_derivative", "relu"), ("activation_derivative", "leaky_relu"),
    ("backprop_activation", "relu"), ("backprop_activation", "leaky_relu"),
    ("dense_backward", None),
}


@cache
def decks() -> dict[str, Deck]:
    return {d.id: d for d in (load_deck(p) for p in deck_files(CONTENT))}


def cards_of(kind: CardKind) -> list[Card]:
    return [c for d in decks().values() for c in d.cards if c.kind is kind]


@cache
def drills() -> dict[tuple[str, str], tuple[Drill | None, tuple]]:
    """(deck, id) → (drill, problems) for every shipped drill, validated once."""
    return {(c.deck, c.explicit_id): parse_drill_toml(c.spec, validate=True)
            for c in cards_of(CardKind.DRILL)}


def drill(drill_id: str) -> Drill:
    deck = REQUIRED_DRILLS[drill_id][0]
    assert (deck, drill_id) in drills(), f"no drill {drill_id!r} in deck {deck!r}"
    found, problems = drills()[(deck, drill_id)]
    assert found is not None and not problems, [p.message for p in problems]
    return found


def skill_specs() -> list[tuple[Card, dict]]:
    return [(c, tomllib.loads(c.spec)) for c in cards_of(CardKind.GRADIENT)]


# ---- everything shipped ---------------------------------------------------------------------------

def test_check_finds_no_problem_in_the_shipped_decks():
    report = run_check([CONTENT])
    # The decks' `sources` front-matter key (issue 14) warns until the parser knows it.
    others = [w for w in report.library.warnings if "unknown front-matter key 'sources'" not in w.message]
    assert report.errors == 0 and not others, report.text()


def test_every_deck_has_drills_and_skill_cards():
    for deck in decks().values():
        kinds = {c.kind for c in deck.cards}
        assert {CardKind.DRILL, CardKind.GRADIENT} <= kinds, deck.id


def test_every_drill_parses_and_validates():
    assert len(drills()) >= len(REQUIRED_DRILLS)
    for (deck, drill_id), (found, problems) in drills().items():
        assert found is not None, f"{deck}:{drill_id} did not parse"
        assert not problems, f"{deck}:{drill_id}: {[p.message for p in problems]}"


def test_every_drill_has_real_alternatives_mistakes_and_an_explanation():
    for (deck, drill_id), (found, _) in drills().items():
        where = f"{deck}:{drill_id}"
        assert KEBAB_ID.match(drill_id), where
        assert len(found.accept) >= 2, f"{where}: needs at least 2 accepted forms"
        assert len(found.reject) >= 1, f"{where}: needs at least 1 rejected mistake"
        assert len(set(found.accept)) == len(found.accept) and len(set(found.reject)) == len(found.reject), where
        assert found.answer not in found.accept, f"{where}: the answer itself is listed as an alternative"
        assert found.hint and found.explanation, f"{where}: needs a hint and an explanation"


def test_kink_drills_are_pinned_to_the_engine():
    """check_kinks judges z = 0 exactly, so the convention there must come from the registry."""
    for (deck, drill_id), (found, _) in drills().items():
        if found.check_kinks:
            assert found.engine is not None, f"{deck}:{drill_id}"


# ---- the promised drills -----------------------------------------------------------------------

@pytest.mark.parametrize("drill_id", sorted(REQUIRED_DRILLS))
def test_required_drill_exists_and_asks_what_its_id_says(drill_id):
    _deck, engine, right, wrong = REQUIRED_DRILLS[drill_id]
    found = drill(drill_id)
    assert found.engine == engine
    assert found.grade(right).equivalent, f"{drill_id}: {right!r} should be accepted"
    assert not found.grade(wrong).equivalent, f"{drill_id}: {wrong!r} should be rejected"


def test_leaky_relu_constants_follow_pytorch():
    for drill_id in ("leaky-relu-formula", "leaky-relu-derivative-formula", "leaky-relu-derivative-at-kink"):
        assert drill(drill_id).constants == {"alpha": 0.01}, drill_id
    for drill_id in ("elu-formula", "elu-derivative-formula"):
        assert drill(drill_id).constants == {"alpha": 1.0}, drill_id


def test_only_the_kink_drill_judges_the_kink():
    assert drill("leaky-relu-derivative-at-kink").check_kinks
    assert not drill("leaky-relu-derivative-formula").check_kinks
    # off the kink, z >= 0 is fine; at the kink PyTorch's LeakyReLU'(0) = α decides
    assert drill("leaky-relu-derivative-formula").grade("where(z >= 0, 1, alpha)").equivalent


def test_he_std_ranges_over_realistic_fan_ins():
    assert drill("he-std-formula").vars == {"n_in": (1.0, 4096.0)}


# ---- skill cards -------------------------------------------------------------------------------

def test_skill_cards_cover_the_promised_families():
    have = {(spec["family"], spec.get("activation")) for card, spec in skill_specs() if card.deck == RELU_DECK}
    assert REQUIRED_SKILLS <= have, REQUIRED_SKILLS - have


def test_relu_skill_cards_are_mostly_easy_with_one_medium():
    levels = [spec.get("difficulty", "easy") for card, spec in skill_specs() if card.deck == RELU_DECK]
    assert levels.count("medium") == 1 and levels.count("easy") >= len(levels) - 1, levels


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_skill_card_generates_a_question_with_its_parameters(seed):
    specs = skill_specs()
    assert specs
    for card, spec in specs:
        assert KEBAB_ID.match(card.explicit_id), card.explicit_id
        q = generate(spec["family"], seed=seed, difficulty=spec.get("difficulty", "easy"),
                     activation=spec.get("activation"), params=spec.get("params"))
        assert q.family == spec["family"] and q.prompt and q.answer and q.solution, card.explicit_id
        if "activation" in spec:
            assert q.activation == spec["activation"], card.explicit_id
        for key, value in spec.get("params", {}).items():
            assert q.params.get(key) == value, (card.explicit_id, key, q.params)
