"""A card's sources are shown with its answer: its own "Source:" lines, else its deck's sources."""

from __future__ import annotations

from quizapp.ui.screens.review import ReviewScreen
from quizapp.ui.widgets.card_text import CardText

SIZE = (100, 32)

OWN = """+++
deck = "own"
+++

**Q: What is PyTorch's default negative slope for LeakyReLU?** <!-- id: slope -->
A: 0.01

Note: Keras's LeakyReLU layer uses 0.3.
Source: PyTorch docs, torch.nn.LeakyReLU
"""

DECK = """+++
deck = "cited"
sources = ["He et al. 2015, Delving Deep into Rectifiers", "Glorot & Bengio 2010"]
+++

**Q: Which initialization suits ReLU?** <!-- id: he -->
A: He initialization
"""

NONE = """+++
deck = "plain"
+++

**Q: What is ReLU?** <!-- id: relu -->
A: max(0, z)
"""


async def _revealed(make_app, tmp_path, text: str, deck: str) -> tuple[bool, str, str]:
    path = tmp_path / f"{deck}.md"
    path.write_text(text, encoding="utf-8")
    app = make_app(paths=(path,), start_in_review=True, review_deck=deck)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        sources = app.screen.query_one("#sources", CardText)
        assert not sources.display  # hidden with the answer
        await pilot.press("space")
        await pilot.pause()
        return sources.display, sources.source, app.screen.query_one("#note", CardText).source


async def test_a_cards_own_source_is_shown_with_the_answer_and_not_in_its_note(make_app, tmp_path):
    shown, text, note = await _revealed(make_app, tmp_path, OWN, "own")
    assert shown and text == "Source: PyTorch docs, torch.nn.LeakyReLU"
    assert note == "Keras's LeakyReLU layer uses 0.3."


async def test_a_card_without_sources_shows_its_decks(make_app, tmp_path):
    shown, text, _ = await _revealed(make_app, tmp_path, DECK, "cited")
    assert shown and text == "Deck sources: He et al. 2015, Delving Deep into Rectifiers · Glorot & Bengio 2010"


async def test_no_sources_no_line(make_app, tmp_path):
    shown, text, _ = await _revealed(make_app, tmp_path, NONE, "plain")
    assert not shown and text == ""


MANY = """+++
deck = "many"
sources = ["Ref A 2001", "Ref B 2002", "Ref C 2003", "Ref D 2004"]
+++

# Many

Some prose.

**Q: Which initialization suits ReLU?** <!-- id: he -->
A: He initialization
"""


async def test_a_deck_citing_many_sources_says_where_they_are_instead_of_listing_them_under_every_answer(
        make_app, tmp_path):
    shown, text, _ = await _revealed(make_app, tmp_path, MANY, "many")
    assert shown and text == "Deck sources: 4 references, listed in the deck's notes (n)"


async def test_the_notes_viewer_lists_the_decks_sources(make_app, tmp_path):
    from textual.widgets import MarkdownViewer

    from quizapp.ui.screens.notes import NotesScreen

    path = tmp_path / "many.md"
    path.write_text(MANY, encoding="utf-8")
    app = make_app(paths=(path,))
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(NotesScreen(app.library.deck("many")))
        await pilot.pause()
        markdown = app.screen.query_one(MarkdownViewer).document.source
        assert "## Sources" in markdown and "- Ref D 2004" in markdown and "Some prose." in markdown
