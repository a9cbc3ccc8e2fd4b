"""Drill and skill cards inside a review: answered in the embedded panel, grade suggested, then graded."""

from __future__ import annotations

from quizapp.core.generators import generate
from quizapp.ui.widgets.drill_panel import DrillPanel
from quizapp.ui.widgets.gradient_question import GradientQuestionPanel

SIZE = (100, 32)


def last_review(app):
    return app.collection.connection.execute(
        "SELECT card_key, rating, answer FROM reviews WHERE kind = 'review' ORDER BY id DESC LIMIT 1"
    ).fetchone()


async def test_drill_card_right_answer_suggests_easy_then_grades(make_app, ui_decks):
    app = make_app(paths=(ui_decks / "skills.md",), start_in_review=True, review_deck="skills")
    app.lab_seed = 7
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(DrillPanel)
        panel.input.focus()
        await pilot.press(*"where(z > 0, 1, alpha)", "enter")
        await pilot.pause()
        assert app.screen.revealed
        assert app.screen.query_one("#grade-4").has_class("-suggested")  # right and (frozen clock) quick
        await pilot.press("4")
        await pilot.pause()
        assert last_review(app) == ("skills:leaky-grad", 4, "where(z > 0, 1, alpha)")


async def test_wrong_drill_suggests_again(make_app, ui_decks):
    app = make_app(paths=(ui_decks / "skills.md",), start_in_review=True, review_deck="skills")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one(DrillPanel).input.focus()
        await pilot.press(*"1 if z > 0 else 0", "enter")
        await pilot.pause()
        assert app.screen.query_one("#grade-1").has_class("-suggested")


async def test_skill_card_is_a_fresh_engine_question_checked_entry_by_entry(make_app, ui_decks):
    app = make_app(paths=(ui_decks / "skills.md",), start_in_review=True, review_deck="skills")
    app.lab_seed = 11
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one(DrillPanel).input.focus()
        await pilot.press(*"where(z > 0, 1, alpha)", "enter", "3")
        await pilot.pause()
        panel = app.screen.query_one(GradientQuestionPanel)
        question = generate("activation_derivative", seed=11, difficulty="easy", activation="relu")
        assert panel.question.inputs == question.inputs
        value = question.answer["dadz"]
        typed = " ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        panel.box("dadz").focus()
        await pilot.press(*typed, "enter")
        await pilot.pause()
        assert app.screen.revealed
        assert not app.screen.query_one("#grade-1").has_class("-suggested")
        await pilot.press("3")
        await pilot.pause()
        key, rating, answer = last_review(app)
        assert (key, rating) == ("skills:relu-derivative", 3) and answer.endswith(": right")
