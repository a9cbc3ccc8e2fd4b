"""SVG snapshots of the quiz: a multiple-choice question and the summary, from fixed data."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from quizapp.core.study.quiz import QuizKind, build_quiz
from quizapp.ui.screens.quiz_screen import QuizScreen
from quizapp.ui.screens.quiz_summary import QuizSummaryScreen

DECK = Path(__file__).resolve().parents[1] / "ui" / "decks" / "quiz.md"


@pytest.fixture
def utc(monkeypatch):
    """Past quizzes show local time: pin the zone so the baseline is the same everywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def fixed_quiz(app, count=6, limit=300.0):
    return build_quiz(app.library.decks, [QuizKind.CHOICE, QuizKind.TYPED, QuizKind.CLOZE], count,
                      seed=3, time_limit=limit, collection=app.collection, clock=app.clock, now=0.0)


def test_quiz_summary(snap_compare, make_app, utc):
    app = make_app(paths=(DECK,))

    async def run_before(pilot) -> None:
        quiz = fixed_quiz(app)
        for n, item in enumerate(list(quiz.items)):
            if n in (1, 4):  # two wrong answers
                wrong = "nope" if not item.options else min(set(range(len(item.options))) - item.correct)
                quiz.answer(wrong, now=20.0 * (n + 1))
            elif n < 5:
                quiz.answer(min(item.correct) if item.options else item.card.back, now=20.0 * (n + 1))
        quiz.finish(137.0)  # the last question left unanswered
        app.push_screen(QuizSummaryScreen(quiz))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 32), run_before=run_before)


def test_quiz_multiple_choice_question_small_terminal(snap_compare, make_app):
    app = make_app(paths=(DECK,))

    async def run_before(pilot) -> None:
        quiz = fixed_quiz(app)
        while quiz.current.kind is not QuizKind.CHOICE:
            quiz.answer(quiz.current.card.back, now=0.0)
        app.push_screen(QuizScreen(quiz))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
