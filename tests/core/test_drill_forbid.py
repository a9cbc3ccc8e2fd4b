"""A drill can forbid functions (issue 21, item 4): "without calling sigmoid" means it."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.core.content.loader import load_library
from quizapp.core.formula.drills import ForbiddenCall, parse_drill_toml
from quizapp.core.study.quiz import Quiz, QuizError, QuizItem, QuizKind

ROOT = Path(__file__).resolve().parents[2]

SIGMOID = """
id = "sigmoid-formula"
prompt = "The logistic sigmoid as a formula in z (without calling sigmoid)"
answer = "1/(1 + exp(-z))"
vars = { z = [-6, 6] }
forbid = ["sigmoid"]
"""


def drill(text: str = SIGMOID):
    parsed, problems = parse_drill_toml(text)
    assert parsed is not None and not problems, problems
    return parsed


@pytest.mark.parametrize(("typed", "col"), [
    ("sigmoid(z)", 1), ("Sigmoid(z)", 1), ("σ(z)", 1), ("sigma(z)", 1), ("2*logistic(z) - 1", 3),
    (r"\sigma(z)", 1), ("1 - sigmoid(-z)", 5),
])
def test_a_forbidden_call_is_a_located_input_error(typed, col):
    with pytest.raises(ForbiddenCall) as caught:
        drill().grade(typed)
    assert caught.value.col == col
    assert "not allowed here" in caught.value.message and "without sigmoid" in caught.value.message
    with pytest.raises(ForbiddenCall):
        drill().read(typed)  # the live check says so while typing


def test_the_formula_written_out_is_graded_as_usual():
    assert drill().grade("1/(1 + e^(-z))").equivalent
    assert drill().grade("(1 + tanh(z/2))/2").equivalent
    assert not drill().grade("1/(1 + exp(z))").equivalent


def test_check_reports_a_forbidden_accept_and_an_unknown_name():
    _drill, problems = parse_drill_toml(SIGMOID + 'accept = ["sigmoid(z)"]\n')
    assert [(p.field, "forbid" in p.message) for p in problems] == [("accept[0]", True)]
    _drill, problems = parse_drill_toml(SIGMOID.replace('["sigmoid"]', '["sigmoid", "sigmod"]'))
    assert [p.field for p in problems] == ["forbid"] and "sigmod" in problems[0].message
    _drill, problems = parse_drill_toml(SIGMOID.replace('["sigmoid"]', "3"))
    assert [p.field for p in problems] == ["forbid"]


def test_the_shipped_sigmoid_drill_forbids_sigmoid():
    deck = next(d for d in load_library([ROOT / "content"]).decks if d.id == "activations-and-gradients")
    card = next(c for c in deck.cards if c.key.endswith(":sigmoid-formula"))
    shipped, problems = parse_drill_toml(card.spec)
    assert shipped is not None and not problems, problems
    assert "without calling sigmoid" in shipped.prompt and shipped.forbid == ("sigmoid",)
    with pytest.raises(ForbiddenCall):
        shipped.grade("sigmoid(z)")


def test_in_a_quiz_a_forbidden_call_keeps_the_question():
    from quizapp.core.content.model import Card, CardKind

    card = Card("d:s", "d", CardKind.DRILL, "p", "", "f", 1, spec=SIGMOID)
    quiz = Quiz([QuizItem(card, QuizKind.DRILL, "p", "1/(1 + exp(-z))", drill=drill())])
    with pytest.raises(QuizError, match="not allowed"):
        quiz.answer("sigmoid(z)")
    assert quiz.index == 0 and quiz.results == [None]
    assert quiz.answer("1/(1+exp(-z))").correct
