"""Live authoring: a deck saved while the app runs is re-read within about a second."""

from __future__ import annotations

import time

from quizapp.ui.watcher import DeckWatcher
from quizapp.ui.widgets.card_text import CardText

DECK = """+++
deck = "live"
title = "Live"
+++

Q: What is a dead neuron?
A: A unit that outputs 0 for every input.

Q: Which init suits ReLU?
A: He initialisation.
"""
MORE = "\nQ: What does dropout do?\nA: Zeroes random units.\n"
TIMEOUT = 3.0  # the watcher polls every 0.5 s; a reload normally shows within ~0.6 s


async def wait_for(pilot, condition, timeout: float = TIMEOUT) -> float:
    """Pause until ``condition()`` holds; returns the seconds it took (fails after ``timeout``)."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, "the app did not pick up the saved deck in time"
        await pilot.pause(0.05)
    return time.monotonic() - start


def cards_cell(app) -> str:
    table = app.screen.query_one("DataTable")
    return str(table.get_cell("live", "cards"))


def test_watcher_reports_added_changed_and_removed_files(tmp_path):
    (tmp_path / "a.md").write_text("x")
    watcher = DeckWatcher([tmp_path])
    assert watcher.changes() == []
    (tmp_path / "a.md").write_text("xy")
    (tmp_path / "b.md").write_text("new")
    (tmp_path / "README.md").write_text("not a deck")
    assert watcher.changes() == [tmp_path / "a.md", tmp_path / "b.md"]
    (tmp_path / "b.md").unlink()
    assert watcher.changes() == [tmp_path / "b.md"]
    assert watcher.changes() == []


async def test_saving_a_deck_updates_home_counts_and_shows_errors(make_app, tmp_path):
    folder = tmp_path / "decks"
    folder.mkdir()
    deck = folder / "live.md"
    deck.write_text(DECK)
    app = make_app(paths=(folder,))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert cards_cell(app) == "2"
        deck.write_text(DECK + MORE)
        took = await wait_for(pilot, lambda: cards_cell(app) == "3")
        assert took < 2.0
        assert any(n.message == "Reloaded live.md." for n in app._notifications)
        # A broken card: the error is notified with its file:line, the rest of the deck still loads.
        deck.write_text(DECK + MORE + "\nQ: Where is my answer?\n")
        await wait_for(pilot, lambda: any(n.title == "Deck has errors" for n in app._notifications))
        [error] = [n.message for n in app._notifications if n.title == "Deck has errors"]
        assert error.startswith(f"{deck}:15:1: error: question has no answer")
        # A new deck file in the folder appears too.
        (folder / "other.md").write_text("+++\ndeck = \"other\"\n+++\n\nQ: One?\nA: 1\n")
        await wait_for(pilot, lambda: app.library.deck("other") is not None)
        await wait_for(pilot, lambda: app.screen.query_one("DataTable").row_count == 3)


async def test_the_card_on_screen_shows_its_new_text_and_history_follows_a_reworded_front(make_app, tmp_path):
    deck = tmp_path / "live.md"
    deck.write_text(DECK)
    app = make_app(paths=(deck,), start_in_review=True, review_deck="live")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.screen.card.front == "What is a dead neuron?"
        await pilot.press("space", "1")  # Again: the first card gets history and comes back later
        await pilot.pause()
        assert app.screen.card.front == "Which init suits ReLU?"
        deck.write_text(DECK.replace("What is a dead neuron?", "What is a dead neuron, exactly?")
                        .replace("Which init suits ReLU?", "Which init suits a ReLU?"))
        front = app.screen.query_one("#front", CardText)
        await wait_for(pilot, lambda: front.source == "Which init suits a ReLU?")
        assert app.screen.session.current_key == "live:qa:which init suits a relu"
        # the graded card's history moved to its reworded key (a rename event), still in the session
        assert app.collection.state("live:qa:what is a dead neuron, exactly").reps == 1
        assert app.collection.state("live:qa:what is a dead neuron") is None
        await pilot.press("space", "3")
        await pilot.pause()
        assert app.screen.card.front == "What is a dead neuron, exactly?"
