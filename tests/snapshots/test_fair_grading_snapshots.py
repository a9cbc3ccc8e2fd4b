"""SVG snapshots of a typed answer graded wrong, with "y I was right" offered: the quiz and the
review screen, at 100×32 and 80×24 (issue 21, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.core.study.quiz import QuizKind, build_quiz
from quizapp.ui.screens.quiz_screen import QuizScreen

DECKS = Path(__file__).resolve().parents[1] / "ui" / "decks"


@pytest.mark.parametrize("size", [(100, 32), (80, 24)])
def test_quiz_typed_answer_wrong(snap_compare, make_app, size):
    app = make_app(paths=(DECKS / "quiz.md",))

    async def run_before(pilot) -> None:
        quiz = build_quiz(app.library.decks, [QuizKind.TYPED], 1, seed=3, time_limit=300.0,
                          collection=app.collection, clock=app.clock, now=0.0)
        app.push_screen(QuizScreen(quiz))
        await pilot.pause()
        await pilot.press(*"one percent", "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(100, 32), (80, 24)])
def test_review_typed_answer_wrong(snap_compare, make_app, size):
    app = make_app(paths=(DECKS / "typed.md",), start_in_review=True, review_deck="typed")

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press(*"one percent", "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
