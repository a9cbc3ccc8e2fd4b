"""Fair grading of typed answers (issue 21, item 4): powers and scripts however written, bold key
phrases, and "I was right" overrides that are logged."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp.core.clock import FrozenClock
from quizapp.core.content.loader import load_library
from quizapp.core.content.model import Card, CardKind
from quizapp.core.srs.store import Collection
from quizapp.core.study.browse import history_lines
from quizapp.core.study.quiz import Quiz, QuizError, QuizItem, QuizKind
from quizapp.core.study.quiz_build import choice_options
from quizapp.core.text.compare import answer_alternatives, compare_text

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("typed", "expected"), [
    ("0.25^n", "0.25ⁿ"),
    ("0.25**n", "0.25ⁿ"),
    ("0.25 ^ n", "$0.25^n$"),
    ("x^2 + 1", "x² + 1"),
    ("e^-z", "e⁻ᶻ"),
    ("e^(-z)", "e⁻ᶻ"),
    ("10^-3", "10⁻³"),
    ("W^T x", "Wᵀx"),
    ("x_i", "xᵢ"),
    ("W1", "W₁"),
    ("W_1", "W₁"),
])
def test_powers_and_scripts_read_the_same_however_they_are_written(typed, expected):
    assert compare_text(typed, expected).correct


@pytest.mark.parametrize(("typed", "expected"), [
    ("0.25^m", "0.25ⁿ"),
    ("0.5^n", "0.25ⁿ"),
    ("x^3", "x²"),
    ("x2", "x²"),  # x times 2 is not x squared (a near miss at best)
    ("10^3", "10⁻³"),
])
def test_a_different_power_is_still_wrong(typed, expected):
    assert not compare_text(typed, expected).correct


def test_markdown_bold_is_not_read_as_a_power():
    assert compare_text("max(0, z)", "**max(0, z)**").correct
    assert compare_text("leaky relu", "**Leaky** ReLU").correct
    assert compare_text("leaky relu", "**Leaky**-ReLU").correct
    assert compare_text("the identity", "the **identity**.").correct
    assert compare_text("x^2 + **y**", "x**2 + y").correct


def test_the_bold_key_phrase_alone_is_right():
    expected = "None / the **identity** (linear output)."
    for typed in ("identity", "Identity", "none", "the identity", "None / the identity (linear output)"):
        assert compare_text(typed, expected).correct, typed
    assert not compare_text("sigmoid", expected).correct
    assert not compare_text("linear", expected).correct
    # every bold part, in order
    assert compare_text("adam warmup", "**Adam** with **warmup**").correct
    assert not compare_text("adam", "**Adam** with **warmup**").correct
    assert "identity" in answer_alternatives("None — the **identity**")


def test_the_shipped_regression_card_accepts_identity_in_a_quiz():
    deck = next(d for d in load_library([ROOT / "content"]).decks if d.id == "activations-and-gradients")
    card = next(c for c in deck.cards if c.key.endswith(":use-regression"))
    quiz = Quiz([QuizItem(card, QuizKind.TYPED, card.front, card.back)])
    assert quiz.answer("identity").correct


def test_quiz_cloze_accepts_a_caret_power():
    card = Card("d:c", "d", CardKind.CLOZE, "After n layers the gradient shrinks by up to {{…}}.",
                "0.25ⁿ", "f", 1)
    quiz = Quiz([QuizItem(card, QuizKind.CLOZE, card.front, card.back)])
    assert quiz.answer("0.25^n").correct


def test_a_distractor_that_is_the_key_phrase_is_never_offered():
    card = Card("d:a", "d", CardKind.GLOSSARY, "A", "the **identity** map", "f", 1, section="S")
    other = Card("d:b", "d", CardKind.GLOSSARY, "B", "identity", "f", 2, section="S")
    third = Card("d:c", "d", CardKind.GLOSSARY, "C", "a sigmoid", "f", 3, section="S")
    import random
    assert "identity" not in choice_options(card, [card, other, third], random.Random(0), n=3)


# ---- "I was right" --------------------------------------------------------------------------


def _typed(key: str, back: str) -> QuizItem:
    card = Card(f"d:{key}", "d", CardKind.QA, f"{key}?", back, "f", 1)
    return QuizItem(card, QuizKind.TYPED, card.front, card.back)


def test_i_was_right_counts_the_answer_and_is_logged_as_an_override(tmp_path):
    clock = FrozenClock(T0)
    with Collection(tmp_path / "c.sqlite3", clock=clock) as collection:
        quiz = Quiz([_typed("a", "He initialization"), _typed("b", "Xavier")],
                    collection=collection, clock=clock)
        assert not quiz.can_override()  # nothing answered yet
        result = quiz.answer("Kaiming init")
        assert not result.correct and quiz.can_override()
        marked = quiz.override()
        assert marked.correct and marked.overridden and not quiz.can_override()
        with pytest.raises(QuizError):
            quiz.override()  # once
        assert quiz.summary().correct == 1 and not quiz.summary().missed
        kinds = [(e.kind, e.answer) for e in collection.history("d:a")]
        assert kinds == [("quiz", "Kaiming init"), ("override", "Kaiming init")]
        assert [line.event for line in history_lines(collection.history("d:a"))][-1] == "I was right"
        assert collection.state("d:a") is None  # no effect on scheduling


def test_i_was_right_after_the_last_answer_corrects_the_stored_score(tmp_path):
    clock = FrozenClock(T0)
    with Collection(tmp_path / "c.sqlite3", clock=clock) as collection:
        quiz = Quiz([_typed("a", "Xavier")], collection=collection, clock=clock)
        quiz.answer("Glorot")
        assert quiz.finished and collection.quiz_results(1)[0]["correct"] == 0
        quiz.override()
        stored = collection.quiz_results(1)[0]
        assert stored["correct"] == 1 and stored["detail"]["missed"] == []
        assert quiz.summary().percent == 100 and quiz.review_missed() == []


def test_only_typed_answers_graded_wrong_can_be_marked_right():
    quiz = Quiz([_typed("a", "Xavier"), _typed("b", "Adam")])
    quiz.answer("Xavier")
    assert not quiz.can_override()  # already right
    choice = QuizItem(Card("d:m", "d", CardKind.MCQ, "Pick", "", "f", 1), QuizKind.CHOICE, "Pick", "b",
                      options=("a", "b"), correct=frozenset({1}))
    quiz = Quiz([choice])
    quiz.answer(0)
    assert not quiz.can_override()  # multiple choice is not a matter of wording


# ---- a wrong number of entries is an input error ----------------------------------------------


def test_a_wrong_number_of_entries_is_an_input_error_not_a_wrong_answer():
    from quizapp.core.answers import grade_numbers

    short = grade_numbers("1, 2", [1.0, 2.0, 3.0])
    assert not short.correct and short.input_error == "expected 3 numbers, got 2 numbers"
    assert short.parse_error is None and short.shape_error == short.input_error
    unreadable = grade_numbers("abc", [1.0, 2.0, 3.0])
    assert unreadable.input_error is not None
    wrong = grade_numbers("1, 2, 4", [1.0, 2.0, 3.0])
    assert not wrong.correct and wrong.input_error is None  # a real wrong answer


def test_in_a_quiz_a_gradient_answer_with_the_wrong_count_keeps_the_question():
    import numpy as np

    from quizapp.core.study.quiz import build_quiz

    decks = [d for d in load_library([ROOT / "content"]).decks if not d.failed]
    quiz = build_quiz(decks, ["gradient"], 3, seed=1)
    sizes = [max(np.size(i.question.answer[n]) for n in i.answers) for i in quiz.items]
    quiz.items = [quiz.items[sizes.index(max(sizes))]]  # the one with the longest answer
    quiz.results = [None]
    item = quiz.current
    def typed(n, value):  # rows separated by ';', as a learner types a matrix
        shape = np.shape(item.question.answer[n])
        rows = shape[0] if len(shape) == 2 else 1
        per_row = int(np.size(item.question.answer[n])) // rows
        return "; ".join(", ".join([value] * per_row) for _ in range(rows))

    wrong = {n: typed(n, "12345") for n in item.answers}
    name = max(item.answers, key=lambda n: np.size(item.question.answer[n]))
    size = int(np.size(item.question.answer[name]))
    assert size >= 2
    for typed in (", ".join(["1"] * (size - 1)), "abc"):
        with pytest.raises(QuizError, match="nothing was graded"):
            quiz.answer({**wrong, name: typed})
        assert quiz.index == 0 and quiz.results == [None]
    assert not quiz.answer(wrong).correct  # as many numbers, all wrong: graded
