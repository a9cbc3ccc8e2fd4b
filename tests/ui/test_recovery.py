"""A collection that cannot be opened: the app starts on the recovery screen, and restoring the
newest good backup (or starting anew) continues to Home — the broken file is always kept aside."""

from __future__ import annotations

import argparse
import io
from datetime import date
from pathlib import Path

from fsrs import Rating
from rich.console import Console
from textual.widgets import OptionList, Static

from quizapp import cli
from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.content.loader import load_library
from quizapp.core.study.counts import Study
from quizapp.core.srs.backups import list_backups, take_backup
from quizapp.core.srs.health import diagnose
from quizapp.core.srs.store import Collection
from quizapp.ui.app import QuizApp
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.recovery import Recovery, RecoveryScreen

DECKS = Path(__file__).parent / "decks"
BASICS = DECKS / "basics.md"
START = FrozenClock().now.replace(year=2026, month=11, day=28)  # noon UTC, as in tests/conftest.py
GARBAGE = bytes(range(256)) * 12  # 3,072 bytes that are not a database
SHOWN = "~/.local/share/quizapp/collection.sqlite3"
SIZE = (100, 32)


def broken_data_dir(tmp_path: Path, *, reviews: int = 3, backup: bool = True, content: bytes = GARBAGE) -> Path:
    """``tmp_path/data``: a collection with ``reviews`` reviews of the basics deck, backed up as the
    backup of 2026-11-27, then overwritten with ``content``."""
    data = tmp_path / "data"
    clock = FrozenClock(START)
    with Collection(data / "collection.sqlite3", clock) as col:
        library = load_library([BASICS])
        session = Study(col, library.decks, Config(enable_fuzzing=False), clock).start_review("basics")
        for _ in range(reviews):
            session.grade(Rating.Good, duration_ms=4000)
        if backup:
            take_backup(col, data / "backups", day=date(2026, 11, 27))
    (data / "collection.sqlite3").write_bytes(content)
    return data


def recovery_app(data: Path) -> QuizApp:
    path = data / "collection.sqlite3"
    recovery = Recovery.find(diagnose(path), path, data / "backups", display=SHOWN)
    app = QuizApp(library=load_library([BASICS]), collection=None, config=Config(enable_fuzzing=False),
                  content_paths=[BASICS], clock=FrozenClock(START), recovery=recovery)
    app.monotonic = lambda: 0.0
    return app


def plain(renderable, width: int = 200) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def options(screen) -> list[tuple[str, bool]]:
    option_list = screen.query_one(OptionList)
    return [(plain(option.prompt).strip(), option.disabled) for option in option_list.options]


async def test_garbage_collection_starts_on_recovery_and_restore_brings_the_reviews_home(tmp_path):
    data = broken_data_dir(tmp_path)
    app = recovery_app(data)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            assert isinstance(screen, RecoveryScreen) and app.study is None
            what = plain(screen.query_one("#recovery-what", Static).content)
            assert "not a database" in what and "3,072 bytes" in what and SHOWN in what
            assert "Nothing has been changed or deleted" in what
            assert options(screen) == [
                ("r  Restore the backup of 2026-11-27 · 3 reviews", False),
                ("n  Move the damaged file aside and start a new collection", False),
                ("q  Quit and leave everything as it is", False),
            ]
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert app.collection.total_reviews() == 3
            assert "Today: 3 reviews" in plain(app.screen.query_one("#today", Static).content)
            (notice,) = [n for n in app._notifications if n.title == "Recovery"]
            assert "Restored the backup of 2026-11-27 · 3 reviews" in notice.message
            assert "collection.sqlite3.broken-" in notice.message
            await app.workers.wait_for_complete()  # today's backup, taken off the UI thread
            assert [(b.day.isoformat(), b.check().reviews) for b in list_backups(data / "backups")] == [
                ("2026-11-28", 3), ("2026-11-27", 3)]
    finally:
        if app.collection is not None:
            app.collection.close()
    (aside,) = data.glob("collection.sqlite3.broken-*")
    assert aside.read_bytes() == GARBAGE


async def test_cli_builds_the_app_in_recovery_mode(tmp_path):
    data = broken_data_dir(tmp_path, reviews=2)
    args = cli.build_parser().parse_args(["--data-dir", str(data), "--content", str(BASICS)])
    assert isinstance(args, argparse.Namespace)
    app = cli.build_app(args, clock=FrozenClock(START))
    assert app is not None and app.collection is None
    try:
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, RecoveryScreen)
            assert app.screen.recovery.collection_path == data / "collection.sqlite3"
            await pilot.press("enter")  # the highlighted first choice: restore
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert app.collection.total_reviews() == 2
            assert app.collection.schema_version >= 1
    finally:
        if app.collection is not None:
            app.collection.close()
    assert len(list(data.glob("collection.sqlite3.broken-*"))) == 1


async def test_review_command_continues_into_the_review_after_restoring(tmp_path):
    data = broken_data_dir(tmp_path, reviews=1)
    app = recovery_app(data)
    app._start_in_review, app._review_deck = True, "basics"
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("r")
            await pilot.pause()
            from quizapp.ui.screens.review import ReviewScreen

            assert isinstance(app.screen, ReviewScreen)
    finally:
        if app.collection is not None:
            app.collection.close()


async def test_start_a_new_collection_keeps_the_broken_file(tmp_path):
    data = broken_data_dir(tmp_path)
    app = recovery_app(data)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert app.collection.total_reviews() == 0
            assert "Today: 0 reviews" in plain(app.screen.query_one("#today", Static).content)
    finally:
        if app.collection is not None:
            app.collection.close()
    (aside,) = data.glob("collection.sqlite3.broken-*")
    assert aside.read_bytes() == GARBAGE
    assert diagnose(data / "collection.sqlite3").ok


async def test_quit_leaves_everything_as_it_was(tmp_path):
    data = broken_data_dir(tmp_path)
    before = sorted(p.name for p in data.rglob("*"))
    app = recovery_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.collection is None
    assert (data / "collection.sqlite3").read_bytes() == GARBAGE
    assert sorted(p.name for p in data.rglob("*")) == before


async def test_without_a_backup_restore_is_not_offered(tmp_path):
    data = broken_data_dir(tmp_path, backup=False)
    app = recovery_app(data)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert options(screen)[0] == ("r  No backup to restore (none found)", True)
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen
        assert "no good backup" in plain(screen.query_one("#recovery-status", Static).content)
    assert (data / "collection.sqlite3").read_bytes() == GARBAGE


async def test_a_failed_restore_changes_nothing_and_stays(tmp_path):
    data = broken_data_dir(tmp_path)
    app = recovery_app(data)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.recovery.backup.path.unlink()  # gone between the start and the key press
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen and app.collection is None
        assert "Restore failed, nothing was changed" in plain(screen.query_one("#recovery-status", Static).content)
    assert (data / "collection.sqlite3").read_bytes() == GARBAGE
    assert not list(data.glob("*.broken-*"))


async def test_too_new_says_upgrade(tmp_path):
    import sqlite3

    data = broken_data_dir(tmp_path, content=b"")
    (data / "collection.sqlite3").unlink()
    with Collection(data / "collection.sqlite3"):
        pass
    with sqlite3.connect(data / "collection.sqlite3") as db:
        db.execute("PRAGMA user_version = 99")
    app = recovery_app(data)
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert "needs a newer quizapp" in plain(screen.query_one("#recovery-title", Static).content)
        assert "pip install -U quizapp" in plain(screen.query_one("#recovery-what", Static).content)
        assert "without what the newer quizapp added" in options(screen)[0][0]


async def test_nothing_to_study_from_the_palette_while_recovering(tmp_path):
    app = recovery_app(broken_data_dir(tmp_path))
    async with app.run_test(size=SIZE):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Review all due" not in titles and not any(t.startswith("Open deck") for t in titles)


async def test_the_app_takes_todays_backup_in_the_background(tmp_path):
    data = tmp_path / "data"
    with Collection(data / "collection.sqlite3") as col:
        Study(col, load_library([BASICS]).decks, Config(enable_fuzzing=False)).start_review(None).grade(Rating.Good)
    app = cli.build_app(cli.build_parser().parse_args(["--data-dir", str(data), "--content", str(BASICS)]))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            (backup,) = list_backups(data / "backups")
            assert backup.check().reviews == 1
    finally:
        app.collection.close()


async def test_a_failed_background_backup_is_a_warning_not_a_crash(tmp_path, monkeypatch):
    from quizapp.core.srs import backups

    def boom(*_args, **_kwargs):
        raise backups.BackupError("disk full")

    monkeypatch.setattr(backups, "daily_backup", boom)
    data = tmp_path / "data"
    app = cli.build_app(cli.build_parser().parse_args(["--data-dir", str(data), "--content", str(BASICS)]))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert any("Today's backup of the collection failed: disk full" in n.message
                       for n in app._notifications)
    finally:
        app.collection.close()
