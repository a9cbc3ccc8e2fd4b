"""The interview plan under bad conditions: a full disk when the date is saved, bad settings, a date
decades away, a big deck (the plan's cost grows linearly), a log an optimiser cannot learn from."""

from __future__ import annotations

import errno
import os
import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.plan.readiness import plan_report
from quizapp.core.srs.store import Collection
from quizapp.core.study.counts import Study
from quizapp.ui.screens.home import HomeScreen

NOW = datetime(2026, 1, 1, 9, tzinfo=timezone.utc)


def deck(n: int) -> Deck:
    return Deck(id="d", title="D", path=Path("d.md"), cards=[
        Card(key=f"d:c{i}", deck="d", kind=CardKind.QA, front=f"Q{i}?", back="A", file="d.md", line=i + 1)
        for i in range(n)])


async def test_full_disk_when_saving_the_date_keeps_the_file_and_says_so(make_app, tmp_path, monkeypatch):
    app = make_app()
    app.config_file = tmp_path / "config.toml"
    app.config_file.write_text("new_per_day = 20\n")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("i", *"2026-12-12")

        def full(*_args):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "write", full)
        await pilot.press("enter")
        await pilot.pause()
        monkeypatch.undo()
        assert isinstance(app.screen, HomeScreen)
        messages = [n.message for n in app._notifications]
        assert any("not saved" in m and "No space left" in m for m in messages), messages
        assert app.config.interview_date == date(2026, 12, 12)  # studied with for this session
    assert app.config_file.read_text() == "new_per_day = 20\n"


def test_bad_plan_settings_fall_back_with_a_located_message(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "config.toml").write_text('interview_date = "next friday"\n')
    code = main(["plan", "--data-dir", str(data)], clock=FrozenClock(NOW))
    err = capsys.readouterr().err
    assert code == 1
    assert f"{data / 'config.toml'}:1: interview_date must be a date" in err and "no interview date" in err
    assert "Traceback" not in err


def test_a_date_decades_away_is_planned_in_bounded_time(tmp_path):
    clock = FrozenClock(NOW)
    with Collection(tmp_path / "c.sqlite3", clock) as collection:
        study = Study(collection, [deck(50)], Config(interview_date=date(2100, 1, 1)), clock, tz=timezone.utc)
        started = time.perf_counter()
        report = plan_report(study)
        assert time.perf_counter() - started < 5
        assert report["days_left"] > 25000 and len(report["days"]) == 400


def test_the_plan_costs_time_linear_in_the_cards(tmp_path):
    clock = FrozenClock(NOW)
    times = {}
    with Collection(tmp_path / "c.sqlite3", clock) as collection:
        for n in (250, 1000):
            study = Study(collection, [deck(n)], Config(interview_date=date(2026, 1, 21), interview_new_cap=10_000),
                          clock, tz=timezone.utc)
            started = time.perf_counter()
            plan_report(study)
            times[n] = time.perf_counter() - started
    assert times[1000] < 10 * times[250] + 0.5  # linear is 4×: generous for a loaded machine


def test_a_log_with_no_long_term_review_is_not_enough(tmp_path):
    pytest.importorskip("fsrs_rs_python", reason="fsrs-rs-python (quizapp[optimize]) is not installed")
    from fsrs import Rating

    from quizapp.core.plan.fit import NotEnoughReviews, fit
    from quizapp.core.srs.scheduling import Scheduler, new_card

    clock = FrozenClock(NOW)
    scheduler = Scheduler(Config(enable_fuzzing=False))
    with Collection(tmp_path / "c.sqlite3", clock) as collection:
        items = [(f"d:c{i}", [(NOW, Rating.Good, 1000, scheduler.review(new_card(f"d:c{i}", NOW), Rating.Good, NOW))],
                  False) for i in range(500)]
        collection.import_reviews(items, at=NOW)  # 500 first reviews, none a day after another
        with pytest.raises(NotEnoughReviews, match="none of the 500 reviews came a day or more after"):
            fit(collection.history(), Config())


def test_interview_decks_naming_no_deck_is_one_line_not_a_crash(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "config.toml").write_text('interview_date = 2026-02-01\ninterview_decks = ["no-such-deck"]\n')
    code = main(["plan", "--data-dir", str(data)], clock=FrozenClock(NOW))
    err = capsys.readouterr().err
    assert code == 1
    assert "interview_decks: no deck 'no-such-deck' (ignored)" in err
    assert "quizapp: interview_decks names no loaded deck with cards (no-such-deck)" in err


async def test_home_says_when_the_interview_decks_are_missing(make_app):
    from quizapp.ui.plan_actions import apply_config
    from quizapp.ui.widgets.readiness_line import ReadinessLine

    app = make_app()
    apply_config(app, app.config._replace(interview_date=date(2026, 12, 12), interview_decks=("gone",)))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        line = str(app.screen.query_one(ReadinessLine).render())
        assert line == "Interview plan unavailable: interview_decks names no loaded deck with cards (gone)"
