""""I was right" (y) on a typed answer graded wrong, in a quiz and in a review (issue 21, item 4)."""

from __future__ import annotations

from textual.widgets import Static

from quizapp.ui.screens.quiz_screen import QuizScreen
from quizapp.ui.screens.quiz_summary import QuizSummaryScreen

from test_quiz_flow import SIZE, quiz_app, start_quiz


async def test_quiz_y_marks_a_typed_answer_right_and_the_summary_counts_it(make_app, ui_decks):
    app = quiz_app(make_app, ui_decks)
    async with app.run_test(size=SIZE) as pilot:
        await start_quiz(pilot, app, count="1", kinds=["typed"])
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        assert screen.check_action("override", ()) is False  # nothing answered yet
        item = screen.quiz.current
        await pilot.press(*"nope", "enter")
        await pilot.pause()
        assert not screen.result.correct
        assert "y: I was right" in str(screen.query_one("#quiz-hint", Static).content)
        assert screen.check_action("override", ()) is True
        await pilot.press("y")
        await pilot.pause()
        assert screen.result.correct and screen.result.overridden
        assert "Marked right by you" in str(screen.query_one("#quiz-feedback", Static).content)
        assert screen.check_action("override", ()) is False  # once
        rows = app.collection.connection.execute(
            "SELECT kind, answer FROM reviews WHERE card_key = ? ORDER BY id", (item.key,)).fetchall()
        assert rows == [("quiz", "nope"), ("override", "nope")]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuizSummaryScreen)
        assert "1 / 1 right" in str(app.screen.query_one("#quiz-score", Static).content)
        assert app.collection.quiz_results(1)[0]["correct"] == 1


async def test_a_right_answer_offers_no_override(make_app, ui_decks):
    app = quiz_app(make_app, ui_decks)
    async with app.run_test(size=SIZE) as pilot:
        await start_quiz(pilot, app, count="1", kinds=["typed"])
        screen = app.screen
        await pilot.press(*screen.quiz.current.card.back, "enter")
        await pilot.pause()
        assert screen.result.correct
        assert screen.check_action("override", ()) is False
        await pilot.press("y")  # nothing happens
        await pilot.pause()
        assert not screen.result.overridden


async def test_review_y_logs_an_override_and_suggests_good(make_app, ui_decks):
    from textual.widgets import Input

    from quizapp.ui.widgets.grade_bar import GradeBar

    app = make_app(paths=(ui_decks / "typed.md",), start_in_review=True, review_deck="typed")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#typed", Input).has_focus
        assert screen.check_action("override", ()) is False  # not answered yet
        await pilot.press(*"one percent", "enter")
        await pilot.pause()
        assert "Not quite" in str(screen.query_one("#verdict", Static).content)
        assert screen.check_action("override", ()) is True
        await pilot.press("y")
        await pilot.pause()
        assert "Marked right by you" in str(screen.query_one("#verdict", Static).content)
        assert screen.query_one(GradeBar) is not None and screen._suggested.name == "Good"
        assert screen.check_action("override", ()) is False
        await pilot.press("3")
        await pilot.pause()
        rows = app.collection.connection.execute("SELECT kind, rating, answer FROM reviews ORDER BY id").fetchall()
        assert rows == [("override", 3, "one percent"), ("review", 3, "one percent")]


async def test_a_typed_answer_is_shown_as_a_flowing_paragraph(make_app, tmp_path):
    deck = tmp_path / "lines.md"
    deck.write_text('+++\ndeck = "lines"\ntyped = true\n+++\n\n'
                    "**Q: What is dying ReLU?** <!-- id: dying -->\n"
                    "A: Neurons stuck outputting 0 because\nthe gradient is zero for negative\ninputs.\n",
                    encoding="utf-8")
    app = make_app(paths=(deck,), start_in_review=True, review_deck="lines")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"no idea", "enter")
        await pilot.pause()
        back = app.screen.query_one("#back")
        assert back.source == "Neurons stuck outputting 0 because the gradient is zero for negative inputs."
