"""A card too long for the screen scrolls inside its box; the hint and the grade bar stay on screen."""

from __future__ import annotations

import pytest

from quizapp.ui.screens.review import ReviewScreen
from quizapp.ui.widgets.grade_bar import GradeBar

LONG = """+++
deck = "long"
sources = ["A. Author et al. 2020, A very long paper title", "B. Author 2019, Another long title"]
+++

**Q: What is the long answer?** <!-- id: long -->
A: {answer}

Note: {note} Source: He et al. 2015, Delving Deep into Rectifiers; Glorot & Bengio 2010
"""


@pytest.mark.parametrize("size", [(100, 32), (80, 24), (40, 20)])
async def test_the_grade_bar_stays_on_screen_below_a_long_answer(make_app, tmp_path, size):
    path = tmp_path / "long.md"
    path.write_text(LONG.format(answer="This answer is long. " * 40, note="A long note. " * 30), encoding="utf-8")
    app = make_app(paths=(path,), start_in_review=True, review_deck="long")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        bar = app.screen.query_one(GradeBar).region
        assert bar.height > 0 and bar.bottom <= size[1] - 1, (bar, size)  # above the footer
        card = app.screen.query_one("#card").region
        assert card.bottom <= bar.y
        await pilot.press("3")  # and it grades
        await pilot.pause()
        assert app.collection.total_reviews() == 1
