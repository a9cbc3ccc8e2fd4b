"""Fixtures for Pilot and snapshot tests: fixture decks, a temp collection, a frozen clock."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.content.loader import load_library
from quizapp.core.srs.store import Collection
from quizapp.ui.app import QuizApp

import clock_guard

DECKS = Path(__file__).parent / "ui" / "decks"
START = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def build_app(data_dir: Path, paths=(DECKS / "basics.md",), clock=None, **kwargs) -> QuizApp:
    clock = clock or FrozenClock(START)
    library = load_library(list(paths))
    collection = Collection(data_dir / "collection.sqlite3", clock=clock)
    return QuizApp(
        library=library,
        collection=collection,
        config=Config(enable_fuzzing=False),
        content_paths=list(paths),
        clock=clock,
        **kwargs,
    )


@pytest.fixture(autouse=True)
def one_clock_per_test(request, monkeypatch):
    """Fails a test that froze time but let code read the real clock (see tests/clock_guard.py)."""
    watch = clock_guard.install(monkeypatch)
    yield watch
    problem = watch.problem()
    if problem and request.node.get_closest_marker("real_clock") is None:
        pytest.fail(problem, pytrace=False)


@pytest.fixture
def make_app(tmp_path):
    apps: list[QuizApp] = []

    def make(**kwargs) -> QuizApp:
        app = build_app(tmp_path, **kwargs)
        app.monotonic = lambda: 0.0  # cards take no time: summaries are reproducible
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.collection.close()


@pytest.fixture
def ui_decks() -> Path:
    return DECKS


@pytest.fixture
def write_reviews():
    """Write a plan of (days before today, key, rating) through an app's collection at 10:00 UTC plus
    5 minutes per review of that day, scheduled by the app's own scheduler; study days become UTC."""
    from datetime import timedelta, timezone

    def write(app, plan, *, duration_ms: int) -> None:
        app.study.tz = timezone.utc
        start = app.clock.now
        scheduler = app.study.scheduler
        per_day: dict[int, int] = {}
        for back, key, rating in plan:
            n = per_day[back] = per_day.get(back, 0) + 1
            now = start.replace(hour=10) - timedelta(days=back) + timedelta(minutes=5 * n)
            app.collection.apply_review(
                key, rating, lambda card, key=key, now=now, rating=rating: scheduler.review(
                    card or scheduler.new_card(key, now), rating, now), at=now, duration_ms=duration_ms)

    return write


@pytest.fixture(autouse=True)
def pause_waits_for_screen_content(monkeypatch):
    """Screens compose a light first frame and fill themselves in a worker (issue 21: every screen
    opens in under 0.15 s); such a screen has ``loaded`` False until its content is in. So that a
    test (and a snapshot) sees the screen as a user does a moment later, ``pilot.pause()`` also waits
    for the screen on top to be loaded (at most 10 s). Tests of the first frame itself look before
    pausing (tests/ui/test_screens_open_fast.py)."""
    import asyncio
    import time

    from textual.pilot import Pilot

    original = Pilot.pause

    async def pause(self, delay: float | None = None) -> None:
        await original(self, delay)
        deadline = time.monotonic() + 10
        while getattr(self.app.screen, "loaded", True) is False and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
            await original(self)

    monkeypatch.setattr(Pilot, "pause", pause)
