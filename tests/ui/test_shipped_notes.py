"""Issue 16: every shipped deck loads and reviews on its own, and its notes read in the Notes screen —
prose and headings (not raw LaTeX or Markdown markers), the deck's sources at the end."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Markdown

from quizapp.ui.screens.notes import NotesScreen
from quizapp.ui.screens.review import ReviewScreen

CONTENT = Path(__file__).parents[2] / "content"
SHIPPED = sorted(CONTENT.glob("*.md"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
async def test_deck_alone_reviews_and_its_notes_read(make_app, path):
    app = make_app(paths=(path,))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        deck = next(d for d in app.library.decks if d.path == path or Path(d.path).name == path.name)
        assert not deck.failed and deck.cards
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        source = app.screen.query_one(Markdown).source
        assert len(source) > 500, f"{path.name}: the notes are nearly empty"
        assert "\\frac" not in source and "$$" not in source  # LaTeX is shown as Unicode
        assert "## " in source and "Sources" in source
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.card is not None
