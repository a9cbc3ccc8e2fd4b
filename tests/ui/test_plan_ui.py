"""The interview plan in the app: Home's readiness line, the date dialog (saved in config.toml),
cramming from Home, the Statistics forecast and fitting parameters from Statistics."""

from __future__ import annotations

import sys
from datetime import date

from fsrs import Rating
from textual.widgets import Input, OptionList, Static

from quizapp.ui.plan_actions import apply_config
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.plan_dialogs import CramScreen, InterviewDateScreen
from quizapp.ui.screens.review import ReviewScreen
from quizapp.ui.screens.stats_screen import StatisticsScreen
from quizapp.ui.widgets.readiness_line import ReadinessLine

SIZE = (100, 32)
DAY = date(2026, 12, 12)  # the fixture clock is 2026-11-28 12:00 UTC


def dated(app, day=DAY):
    apply_config(app, app.config._replace(interview_date=day))
    return app


def text_of(widget) -> str:
    return str(widget.render())


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_readiness_line_only_with_a_date(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.screen.query_one(ReadinessLine).display
    app = dated(make_app())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        line = app.screen.query_one(ReadinessLine)
        assert line.display
        assert "predicted recall on Dec 12: 0% → " in text_of(line)
        # the basics deck has 4 cards, two of them a glossary row's siblings: 3 may start today
        assert text_of(line).startswith("Plan: 0 reviews + 3 new today")


async def test_setting_the_date_on_home_saves_it_and_plans(make_app, tmp_path):
    app = make_app()
    app.config_file = tmp_path / "config.toml"
    app.config_file.write_text("# mine\nnew_per_day = 20\n")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InterviewDateScreen)
        await pilot.press(*"2026-02-30", "enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewDateScreen)  # not a date: said, and the dialog stays
        assert "is not a date" in text_of(app.screen.query_one("#interview-date-error", Static))
        app.screen.query_one(Input).value = "2026-11-01"
        await pilot.press("enter")
        await pilot.pause()
        assert "after today" in text_of(app.screen.query_one("#interview-date-error", Static))
        app.screen.query_one(Input).value = "2026-12-12"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.config.interview_date == app.study.config.interview_date == DAY
        assert app.config_file.read_text() == "# mine\nnew_per_day = 20\ninterview_date = 2026-12-12\n"
        assert "Dec 12" in text_of(app.screen.query_one(ReadinessLine))
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")  # empty: the date is cleared
        await settle(pilot)
        assert app.config.interview_date is None and "interview_date" not in app.config_file.read_text()
        assert not app.screen.query_one(ReadinessLine).display
        await pilot.press("i", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.config.interview_date is None


async def test_cram_from_home_logs_cram_answers_and_keeps_the_schedule(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CramScreen)
        options = app.screen.query_one(OptionList)
        await pilot.press("enter")  # Weakest: nothing reviewed yet
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("c")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        options.highlighted = 2  # Every card
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.sub_title == "Cram · Basics"
        key = app.screen.session.current_key
        await pilot.press("space", "3")
        await pilot.pause()
        assert app.collection.state(key) is None  # still a new card: nothing scheduled
        assert [(e.card_key, e.kind, e.rating) for e in app.collection.history()] == [(key, "cram", Rating.Good)]
        await pilot.press("escape")  # leave early
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_statistics_show_the_interview_forecast(make_app):
    app = dated(make_app())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StatisticsScreen)
        panel = app.screen.query_one("#stats-plan", Static)
        assert panel.display and panel.border_title == "Interview · 2026-12-12"
        assert app.screen.stats["plan"]["days_left"] == 14
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(pilot)
        assert not app.screen.query_one("#stats-plan", Static).display


async def test_fitting_from_statistics_says_how_many_reviews_are_missing(make_app, monkeypatch):
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", type(sys)("fsrs_rs_python"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("400 more needed" in m for m in messages), messages
        assert app.config.fsrs_parameters is None


def test_the_forecast_panel_lists_each_decks_recall_on_the_day():
    from quizapp.ui.widgets.plan_chart import plan_chart

    colours = {k: "white" for k in ("muted", "good", "bar", "today")}
    report = {"interview_date": "2026-12-12", "recall_now": 10.0, "recall_planned": 90.0, "days_left": 2,
              "unseen": 3, "days": [{"reviews": 3, "new": 1, "recall": 50.0}, {"reviews": 2, "new": 0, "recall": 90.0}],
              "decks": [{"title": "Attention\x1b[31m", "recall_now": 12.0, "recall_planned": 91.0},
                        {"title": "Losses", "recall_now": 8.0, "recall_planned": 89.0}]}
    from rich.console import Console

    console = Console(width=100, color_system=None, record=True)
    console.print(plan_chart(report, colours))
    text = console.export_text()
    assert "Predicted recall on Dec 12: 10% now → 90% if you keep the plan" in text
    assert "Losses" in text and " 8% → 89%" in text and "12% → 91%" in text
    assert "\x1b" not in text  # a deck title's control characters are shown, never sent


async def test_in_a_cram_session_bury_only_skips_the_card(make_app):
    from quizapp.ui.plan_actions import start_cram

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        start_cram(app, "basics", "all")
        await pilot.pause()
        key = app.screen.session.current_key
        await pilot.press("minus")
        await pilot.pause()
        assert any(n.message.startswith("Left out of this cram session: ") for n in app._notifications)
        assert app.screen.session.current_key != key
        assert app.collection.state(key) is None  # not buried: nothing was written


async def test_fitting_from_statistics_applies_better_parameters(make_app, tmp_path):
    import pytest

    pytest.importorskip("fsrs_rs_python", reason="fsrs-rs-python (quizapp[optimize]) is not installed")
    from plan_logs import simulated_log

    app = make_app()
    app.config_file = tmp_path / "config.toml"
    simulated_log(app.collection)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Fitted parameters applied (log loss ") for m in messages), messages
        assert app.config.fsrs_parameters is not None
        assert app.study.scheduler.config.fsrs_parameters == app.config.fsrs_parameters  # scheduling with them
        assert app.config_file.read_text().startswith("fsrs_parameters = [")
