"""The daily new-card limit on Home and in a review (issue 21, item 3): said when it holds cards
back (never just "All caught up"), with + to study 10 more today."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.review import ReviewScreen
from quizapp.ui.screens.summary import SummaryScreen

SIZE = (100, 32)


def qa_deck(path, deck_id: str, n: int, limit: int | None = None):
    limit_line = f"new_per_day = {limit}\n" if limit is not None else ""
    body = "".join(f"**Q: {deck_id} question {i}?** <!-- id: q{i} -->\nA: answer {i}\n\n" for i in range(n))
    path.write_text(f'+++\ndeck = "{deck_id}"\ntitle = "{deck_id.title()}"\n{limit_line}+++\n\n{body}',
                    encoding="utf-8")
    return path


def row(app, index: int) -> list[str]:
    return [str(c) for c in app.screen.query_one(DataTable).get_row_at(index)]


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def study_all(pilot, app) -> None:
    while isinstance(app.screen, ReviewScreen):
        await pilot.press("space", "4")
        await pilot.pause()


async def test_limit_is_said_and_plus_extends_today(make_app, tmp_path):
    small = qa_deck(tmp_path / "small.md", "small", 15, limit=12)
    fresh = qa_deck(tmp_path / "fresh.md", "fresh", 3, limit=0)
    app = make_app(paths=(small, fresh))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert row(app, 0)[:2] == ["Small", "12"] and row(app, 1)[:2] == ["Fresh", "0"]
        # the limit has not stopped study yet: it says what it leaves for later, not "reached"
        assert app.screen.query_one("#limit").display
        assert "12 new today (deck limit) · 3 more waiting — press + to study 10 more" in text(app, "#limit")
        assert "reached" not in text(app, "#limit")
        await pilot.press("enter")
        await pilot.pause()
        await study_all(pilot, app)
        assert isinstance(app.screen, SummaryScreen)
        assert "Daily new-card limit reached — press + to study 10 more today" in text(app, "#summary-limit")
        assert "3 waiting (deck limit)" in text(app, "#summary-limit")
        await pilot.press("plus")  # from the summary: straight into 10 more (3 are left)
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.session.remaining == 3
        await study_all(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        # a deck whose new cards are all held back: never just "All caught up"
        await pilot.press("down")
        await pilot.pause()
        assert "Daily new-card limit reached" in text(app, "#today") and "All caught up" not in text(app, "#today")
        assert app.screen.query_one("#limit").display and "3 waiting (deck limit)" in text(app, "#limit")
        assert "plus" in app.screen.active_bindings and app.screen.active_bindings["plus"].binding.show
        await pilot.press("r")  # nothing due: the notice says why and what to do
        await pilot.pause()
        assert "press + to study 10 more today" in messages(app)[-1]
        await pilot.press("plus")
        await pilot.pause()
        assert row(app, 1)[:2] == ["Fresh", "3"] and not app.screen.query_one("#limit").display
        assert "All caught up" not in text(app, "#today") and "3 to study now" in text(app, "#today")
        assert not app.screen.check_action("more_new", ())  # + is offered only while cards are held back


async def test_the_extension_lasts_the_study_day(make_app, tmp_path):
    small = qa_deck(tmp_path / "small.md", "small", 8, limit=2)
    app = make_app(paths=(small,))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert row(app, 0)[1] == "2"
        await pilot.press("plus")
        await pilot.pause()
        assert row(app, 0)[1] == "8"
    again = make_app(paths=(small,))  # the app restarted the same day: still extended
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert row(again, 0)[1] == "8"
