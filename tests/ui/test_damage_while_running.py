"""Damage the start-up check did not see: a collection too big for the quick page scan, with broken
pages that SQLite only meets when the app reads them. The app offers recovery, as for a collection
found damaged at start-up, instead of ending with a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import Static

from quizapp import cli
from quizapp.core.srs import health as health_module
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.recovery import RecoveryScreen
from quizapp.ui.screens.review import ReviewScreen

from quizapp.core.clock import FrozenClock

from test_recovery import BASICS, SIZE, START, broken_data_dir, plain

PAGE = 4096


def break_pages(path: Path) -> bytes:
    """Overwrite every page but the first (header and schema) with garbage; returns the old bytes."""
    original = path.read_bytes()
    assert len(original) >= 3 * PAGE, "need pages beyond the schema page"
    path.write_bytes(original[:PAGE] + bytes([0x13]) * (len(original) - PAGE))
    return original


def app_on(data: Path):
    args = cli.build_parser().parse_args(["--data-dir", str(data), "--content", str(BASICS)])
    app = cli.build_app(args, clock=FrozenClock(START))  # the clock the reviews were stamped with
    app.monotonic = lambda: 0.0
    return app


async def test_broken_pages_found_by_home_offer_recovery_and_restore_goes_home(tmp_path, monkeypatch):
    data = broken_data_dir(tmp_path, reviews=3)
    backup = data / "backups" / "collection-2026-11-27.sqlite3"
    (data / "collection.sqlite3").write_bytes(backup.read_bytes())  # a good file again, then:
    break_pages(data / "collection.sqlite3")
    monkeypatch.setattr(health_module, "QUICK_CHECK_MAX_BYTES", 0)  # as for a big file: no page scan
    app = app_on(data)
    assert app.collection is not None  # the cheap start-up check passed
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, RecoveryScreen)
            what = plain(app.screen.query_one("#recovery-what", Static).content)
            assert "damaged" in what and "malformed" in what
            assert "turned out to be damaged" in plain(app.screen.query_one("#recovery-title", Static).content)
            await pilot.press("r")
            await pilot.pause()
            assert [type(s) for s in app.screen_stack] == [HomeScreen]
            assert app.collection.total_reviews() == 3
            assert "Today: 3 reviews" in plain(app.screen.query_one("#today", Static).content)
    finally:
        if app.collection is not None:
            app.collection.close()
    assert len(list(data.glob("collection.sqlite3.broken-*"))) == 1  # the damaged file is kept


async def test_damage_met_in_a_review_goes_to_recovery_then_home_not_a_traceback(tmp_path):
    data = broken_data_dir(tmp_path, reviews=1)
    (data / "backups" / "collection-2026-11-27.sqlite3").replace(data / "good.sqlite3")
    (data / "collection.sqlite3").write_bytes((data / "good.sqlite3").read_bytes())
    app = app_on(data)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            # what Textual does with an exception a handler let through: SQLite met a broken page
            app._handle_exception(sqlite3.DatabaseError("database disk image is malformed"))
            await pilot.pause()
            assert isinstance(app.screen, RecoveryScreen) and app.collection is None
            assert app.return_code is None  # still running
            await pilot.press("n")  # no backup was taken: start a new collection
            await pilot.pause()
            assert [type(s) for s in app.screen_stack] == [HomeScreen]
            assert app.collection.total_reviews() == 0
    finally:
        if app.collection is not None:
            app.collection.close()


async def test_other_errors_still_end_the_app(tmp_path):
    data = broken_data_dir(tmp_path, reviews=1)
    (data / "backups" / "collection-2026-11-27.sqlite3").replace(data / "collection.sqlite3")
    app = app_on(data)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app._handle_exception(sqlite3.OperationalError("database is locked"))
            await pilot.pause()
            assert app.return_code == 1 and app.collection is not None
    except sqlite3.OperationalError:
        pass  # run_test re-raises the app's exception for the test framework
    finally:
        if app.collection is not None:
            app.collection.close()
