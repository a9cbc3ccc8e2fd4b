"""SVG snapshots of the interview plan on screen: Home's readiness line, the date and cram dialogs,
a cram session and the Statistics forecast (frozen clock 2026-11-28, interview 2026-12-12)."""

from __future__ import annotations

from datetime import date, timezone

from quizapp.ui.plan_actions import apply_config

SIZE, SMALL = (100, 32), (80, 24)


def dated(app):
    apply_config(app, app.config._replace(interview_date=date(2026, 12, 12)))
    app.study.tz = timezone.utc  # study days in UTC whatever the machine's zone
    return app


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_home_with_interview_date(snap_compare, make_app):
    assert snap_compare(dated(make_app()), terminal_size=SIZE, run_before=settle)


def test_home_with_interview_date_small(snap_compare, make_app):
    assert snap_compare(dated(make_app()), terminal_size=SMALL, run_before=settle)


async def _open_date(pilot) -> None:
    await settle(pilot)
    await pilot.press("i")
    await pilot.pause()


def test_interview_date_dialog(snap_compare, make_app):
    assert snap_compare(dated(make_app()), terminal_size=SIZE, run_before=_open_date)


def test_interview_date_dialog_small(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=_open_date)


def test_cram_chooser(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, press=["c"])


def test_cram_chooser_small(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SMALL, press=["c"])


def test_cram_session(snap_compare, make_app):
    # every card of Basics, crammed: the first card's answer, with no intervals on the grade bar
    assert snap_compare(make_app(), terminal_size=SIZE, press=["c", "down", "down", "enter", "space"])


async def _open_stats(pilot) -> None:
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)


def test_statistics_with_interview_forecast(snap_compare, make_app):
    assert snap_compare(dated(make_app()), terminal_size=SIZE, run_before=_open_stats)


def test_statistics_with_interview_forecast_small(snap_compare, make_app):
    assert snap_compare(dated(make_app()), terminal_size=SMALL, run_before=_open_stats)
