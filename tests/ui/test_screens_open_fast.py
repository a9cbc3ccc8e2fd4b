"""Screens open at once (issue 21 item 7): the first frame is light and says what is being read; the
slow part (parsing, the card states, importing NumPy) runs in a worker while keys still work, and
the content appears when it is done. The loading step is held back here with an event, so the test
sees the screen as a user does during a slow load (benchmarks/screens.py times it)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from quizapp.ui.screens.home import HomeScreen

SIZE = (100, 32)
DECKS = Path(__file__).parent / "decks"  # skills.md has a formula drill


def hold(monkeypatch, module, name: str) -> threading.Event:
    """Make ``module.name`` (run by a screen's loading thread) wait until the returned event is set."""
    release = threading.Event()
    original = getattr(module, name)

    def held(*args, **kwargs):
        release.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
    return release


async def first_frame(pilot) -> None:
    """The screen on top has painted once (not waiting for its content: pilot.pause would)."""
    screen = pilot.app.screen
    for _ in range(200):
        await asyncio.sleep(0.005)
        if screen.is_mounted and screen._compositor.size.area:
            return


def screen_text(app) -> str:
    return " ".join(str(w.render()) for w in app.screen.query(Static) if w.display)


def _notes(monkeypatch):
    import quizapp.ui.screens.notes as module

    return hold(monkeypatch, module, "notes_markdown"), lambda app: app.show_notes("basics"), "Reading the notes…"


def _browse(monkeypatch):
    import quizapp.ui.screens.browser as module

    return hold(monkeypatch, module, "build_rows"), lambda app: app.action_browse(), "Loading cards…"


def _help(monkeypatch):
    import quizapp.ui.screens.help as module

    return hold(monkeypatch, module, "app_sections"), lambda app: app.action_help(), "Reading the keys…"


def _drills(monkeypatch):
    import quizapp.ui.screens.drill_screen as module

    return hold(monkeypatch, module, "drills_of"), lambda app: app.action_drills(), "Loading the drills…"


def _quiz(monkeypatch):
    import quizapp.core.study.quiz_build as module

    return hold(monkeypatch, module, "available_counts"), lambda app: app.action_quiz(), "Practice on your decks"


@pytest.mark.parametrize("setup", [_notes, _browse, _help, _drills, _quiz], ids=lambda f: f.__name__[1:])
async def test_the_first_frame_comes_before_the_slow_part_and_esc_still_works(make_app, monkeypatch, setup):
    release, open_screen, placeholder = setup(monkeypatch)
    app = make_app(paths=(DECKS / "basics.md", DECKS / "skills.md"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        open_screen(app)
        await first_frame(pilot)
        screen = app.screen
        assert not isinstance(screen, HomeScreen) and screen.loaded is False
        assert placeholder in screen_text(app)
        release.set()
        await pilot.pause()  # waits for loaded (tests/conftest.py)
        assert screen.loaded is True
        assert "Reading" not in screen_text(app) and "Loading" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_esc_leaves_a_screen_whose_content_is_still_loading(make_app, monkeypatch):
    release, open_screen, _ = _notes(monkeypatch)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        open_screen(app)
        await first_frame(pilot)
        await pilot.press("escape")
        for _ in range(100):  # not pilot.pause: the screen left is still loading
            await asyncio.sleep(0.01)
            if isinstance(app.screen, HomeScreen):
                break
        assert isinstance(app.screen, HomeScreen) and app.screen.query_one(DataTable).row_count
        release.set()


def test_the_training_screens_preset_list_names_every_preset():
    """The first frame lists the presets without importing the trainer (NumPy): the titles are kept
    beside the screen, so they must name exactly the trainer's presets, in its order."""
    from quizapp.core.engine.training import PRESETS
    from quizapp.ui.screens.training import PRESET_TITLES

    assert list(PRESET_TITLES) == list(PRESETS)
