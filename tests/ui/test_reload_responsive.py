"""A deck that is slow to read, saved while the app runs, is read in a thread: keys keep working, a
banner says what is being read, and the new deck appears when it is done."""

from __future__ import annotations

import threading
import time

import pytest
from textual.widgets import DataTable

import quizapp.core.content.parser as parser_module
from quizapp.ui.screens.help import HelpScreen
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.review import ReviewScreen
from quizapp.ui.widgets.card_text import CardText
from quizapp.ui.widgets.reload_banner import ReloadBanner

SIZE = (100, 32)
DECK = '+++\ndeck = "{id}"\ntitle = "{title}"\n+++\n\nQ: {id} one?\nA: 1\n\nQ: {id} two?\nA: 2\n'


async def wait_for(pilot, condition, timeout: float = 5.0) -> None:
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, "timed out"
        await pilot.pause(0.05)


def deck_rows(app) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [row.key.value for row in table.ordered_rows]


@pytest.fixture
def slow_parse(monkeypatch):
    """Parsing a file named slow*.md blocks until the test sets the returned event."""
    release = threading.Event()
    parse_deck = parser_module.parse_deck

    def parse(text: str, file: str, *args, **kwargs):
        if "slow" in file.rsplit("/", 1)[-1]:
            assert release.wait(10), "the test never released the slow parse"
        return parse_deck(text, file, *args, **kwargs)

    monkeypatch.setattr(parser_module, "parse_deck", parse)
    yield release
    release.set()


async def test_keys_work_while_a_slow_deck_is_read_and_it_appears_after(make_app, tmp_path, slow_parse):
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "fast.md").write_text(DECK.format(id="fast", title="Fast"))
    app = make_app(paths=(folder,))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert deck_rows(app) == ["fast", "__all__"]
        (folder / "slow.md").write_text(DECK.format(id="slow", title="Slow"))
        await wait_for(pilot, lambda: app.screen.query(ReloadBanner))  # the watcher saw it; reading
        banner = app.screen.query_one(ReloadBanner)
        assert "Reading slow.md…" in str(banner.content) and app.reloader.loading
        # Keys keep working while the deck is being read: help opens and closes, a review runs.
        started = time.monotonic()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "a")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("space", "3")
        assert app.screen.session.done == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and time.monotonic() - started < 3
        assert app.reloader.loading and app.library.deck("slow") is None  # still reading
        slow_parse.set()
        await wait_for(pilot, lambda: "slow" in deck_rows(app))
        assert app.library.deck("slow") is not None and not app.reloader.loading
        assert not app.screen.query(ReloadBanner)
        assert any(n.message == "Reloaded slow.md." for n in app._notifications)
        assert app.collection.total_reviews() == 1  # the grade given meanwhile is kept


async def test_a_deck_saved_during_a_slow_reload_is_read_right_after(make_app, tmp_path, slow_parse):
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "fast.md").write_text(DECK.format(id="fast", title="Fast"))
    app = make_app(paths=(folder,))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        (folder / "slow.md").write_text(DECK.format(id="slow", title="Slow"))
        await wait_for(pilot, lambda: app.reloader.loading)
        (folder / "later.md").write_text(DECK.format(id="later", title="Later"))
        await pilot.pause(0.8)  # the watcher sees it while the first reload is still reading
        slow_parse.set()
        await wait_for(pilot, lambda: {"slow", "later"} <= set(deck_rows(app)))


async def test_a_review_on_screen_shows_the_edit_once_the_reload_is_done(make_app, tmp_path, slow_parse):
    deck = tmp_path / "slow.md"
    deck.write_text(DECK.format(id="live", title="Live"))
    slow_parse.set()  # the first load is not slow
    app = make_app(paths=(deck,), start_in_review=True, review_deck="live")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.card.front == "live one?"
        slow_parse.clear()
        deck.write_text(DECK.format(id="live", title="Live").replace("A: 1", "A: one, edited"))
        await wait_for(pilot, lambda: app.reloader.loading)
        await pilot.press("space")  # the answer shows while the file is read: the old one
        back = app.screen.query_one("#back", CardText)
        assert app.screen.revealed and back.source == "1"
        slow_parse.set()
        await wait_for(pilot, lambda: back.source == "one, edited")
        await pilot.press("3")
        assert app.screen.card.front == "live two?" and app.screen.session.done == 1


async def test_a_reload_waits_while_a_failed_write_is_on_screen(make_app, tmp_path, monkeypatch):
    import sqlite3

    from quizapp.ui.screens.write_status import WriteStatusScreen

    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "fast.md").write_text(DECK.format(id="fast", title="Fast"))
    app = make_app(paths=(folder,), start_in_review=True, review_deck="fast")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        def locked(*args, **kwargs):
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(app.collection, "apply_review_then_suspend", locked)
        await pilot.press("space", "3")
        await pilot.pause()
        assert isinstance(app.screen, WriteStatusScreen)
        (folder / "new.md").write_text(DECK.format(id="new", title="New"))
        await wait_for(pilot, lambda: app.reloader._loaded is not None)  # read, waiting to be swapped in
        await pilot.pause(0.3)
        assert app.library.deck("new") is None and isinstance(app.screen, WriteStatusScreen)
        await pilot.press("escape")  # give the grade up: the reload goes on
        await wait_for(pilot, lambda: app.library.deck("new") is not None)
        assert isinstance(app.screen, ReviewScreen) and app.screen.card.front == "fast one?"
