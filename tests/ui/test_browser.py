"""The card browser through key presses: open with b, search, filter, act on a card, read its history;
and the leech notice in a review."""

from __future__ import annotations

import io

from fsrs import Rating
from rich.console import Console
from textual import events
from textual.widgets import DataTable, Input, Select

from quizapp.core.config import Config
from quizapp.ui.screens.browser import BrowserScreen, CardTable
from quizapp.ui.screens.help import HelpScreen
from quizapp.ui.screens.home import HomeScreen

SIZE = (100, 32)


def plain(renderable, width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()


def shown_keys(app) -> list[str]:
    table = app.screen.query_one(CardTable)
    return [row.key.value for row in table.ordered_rows]


def log_kinds(app) -> list[str]:
    return [e.kind for e in app.collection.history()]


def home_new(app) -> str:
    return str(app.screen.query_one(DataTable).get_row_at(0)[1])


async def open_browser(pilot):
    await pilot.press("b")
    await pilot.pause()
    assert isinstance(pilot.app.screen, BrowserScreen)
    return pilot.app.screen


async def test_b_opens_the_browser_with_every_card(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot)
        assert shown_keys(app) == [c.key for c in app.study.cards()] and len(shown_keys(app)) == 4
        assert screen.query_one(CardTable).has_focus
        assert "4 of 4 cards" in str(screen.query_one("#browse-count").content)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_typing_filters_rows_and_never_triggers_card_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot)
        await pilot.press("slash")
        assert screen.query_one("#browse-search", Input).has_focus
        await pilot.press(*"relu")
        await pilot.pause()
        assert shown_keys(app) == ["basics:glossary:relu", "basics:glossary_reverse:relu", "basics:which-leaks"]
        await pilot.press("backspace", *"sebu")  # letters that are card keys on the table: just text
        await pilot.pause()
        assert screen.query_one("#browse-search", Input).value == "relsebu"
        assert shown_keys(app) == [] and log_kinds(app) == []
        assert "No cards match" in plain(screen.query_one("#browse-card").content)
        for _ in range(7):
            await pilot.press("backspace")
        await pilot.press(*"every input", "enter")  # the back is searched too; Enter goes to the list
        await pilot.pause()
        assert shown_keys(app) == ["basics:dead"]
        assert screen.query_one(CardTable).has_focus
        await pilot.press("slash", "escape")  # Esc in the search box goes back to the list …
        assert screen.query_one(CardTable).has_focus and isinstance(app.screen, BrowserScreen)
        await pilot.press("escape")  # … and from the list, home
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_keys_typed_fast_after_slash_all_go_to_the_search(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot)
        for key, char in [("slash", "/"), ("s", "s"), ("b", "b"), ("r", "r"), ("u", "u"), ("e", "e")]:
            app.post_message(events.Key(key, char))  # one burst, as a terminal delivers "/sbrue"
        await pilot.pause()
        assert screen.query_one("#browse-search", Input).value == "sbrue"
        assert log_kinds(app) == []  # no card was suspended, buried or reset on the way


async def test_state_and_tag_filters(make_app):
    app = make_app()
    app.collection.suspend("basics:dead")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot)
        screen.query_one("#browse-state", Select).value = "suspended"
        await pilot.pause()
        assert shown_keys(app) == ["basics:dead"]
        screen.query_one("#browse-state", Select).value = "new"
        await pilot.pause()
        assert "basics:dead" in shown_keys(app) and len(shown_keys(app)) == 4  # suspended, still new
        screen.query_one("#browse-state", Select).clear()
        screen.query_one("#browse-tag", Select).value = "test"
        screen.query_one("#browse-deck", Select).value = "basics"
        await pilot.pause()
        assert len(shown_keys(app)) == 4


async def test_suspend_from_the_browser_removes_the_card_from_home_counts(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert home_new(app) == "3"  # the glossary row counts once (its reverse is a sibling)
        screen = await open_browser(pilot)
        await pilot.press("down", "down")  # the Q&A card
        assert screen.highlighted_key() == "basics:dead"
        await pilot.press("s")
        await pilot.pause()
        assert app.collection.state("basics:dead").suspended
        assert str(screen.query_one(CardTable).get_row("basics:dead")[3]) == "suspended"
        assert "suspended" in plain(screen.query_one("#browse-card").content)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and home_new(app) == "2"
        screen = await open_browser(pilot)
        await pilot.press("down", "down", "s")  # unsuspend
        await pilot.press("escape")
        await pilot.pause()
        assert home_new(app) == "3"
        assert log_kinds(app) == ["suspend", "unsuspend"]


async def test_bury_reset_undo_and_edit(make_app):
    app = make_app()
    edited = []
    app.edit_card = edited.append
    async with app.run_test(size=SIZE) as pilot:
        session = app.study.start_review()
        session.grade(Rating.Easy)  # the first card is now in review
        screen = await open_browser(pilot)
        key = screen.highlighted_key()
        await pilot.press("b")
        assert app.collection.state(key).is_buried(app.clock())
        await pilot.press("b")  # unbury
        assert not app.collection.state(key).is_buried(app.clock())
        await pilot.press("r")
        assert app.collection.state(key) is None  # new again; the history stays
        assert str(screen.query_one(CardTable).get_row(key)[3]) == "new"
        await pilot.press("u")
        assert app.collection.state(key).reps == 1
        assert log_kinds(app) == ["review", "bury", "bury", "reset", "undo"]
        await pilot.press("e")
        assert [c.key for c in edited] == [key]


async def test_history_pane_lists_reviews(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "space", "3")  # review the first card: Good
        await pilot.press("escape")
        await pilot.pause()
        screen = await open_browser(pilot)
        history = plain(screen.query_one("#browse-history").content)
        assert "History" in history and "Good" in history and "10m" in history
        assert "2026-11-28" in history
        card = plain(screen.query_one("#browse-card").content)
        assert "learning" in card and "0 lapses · 1 review" in card and "basics.md:15" in card
        await pilot.press("down")
        assert "Never reviewed" in plain(screen.query_one("#browse-history").content)


async def test_help_lists_the_browser_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_browser(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = plain(app.screen.query_one("#help-keys").content)
        assert "Browse cards" in text and "Suspend the highlighted card" in text
        assert "Browse cards: search" in text  # Home's b


async def test_a_leech_is_suspended_with_a_notice(make_app):
    app = make_app()
    app.study.config = Config(enable_fuzzing=False, leech_threshold=1)
    session = app.study.start_review()
    key = session.current_key
    session.grade(Rating.Easy)  # into Review
    app.clock.set(app.collection.state(key).due)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "space", "1")  # the due card comes first; Again is its first lapse
        await pilot.pause()
        assert app.collection.state(key).suspended
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Leech: ") and "suspended after 1 lapses" in m for m in messages)
