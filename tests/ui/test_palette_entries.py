"""The command palette (issue 21 item 10): its "Keys" entry opens the keys screen that Esc closes
(Textual's docked keys panel squashed Home and ignored Esc), and deck entries name decks by title."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import DataTable

from quizapp.ui.screens.help import HelpScreen
from quizapp.ui.screens.home import HomeScreen


async def test_keys_from_the_palette_opens_the_keys_screen_and_esc_closes_it(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        width = app.screen.query_one(DataTable).size.width
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"keys")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and "Home" in app.screen.sections
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not app.screen.query("HelpPanel") and app.screen.query_one(DataTable).size.width == width


async def test_deck_entries_name_the_deck_by_its_title_not_its_id(make_app, tmp_path):
    deck = tmp_path / "d.md"
    deck.write_text('+++\ndeck = "rl-basics-2"\ntitle = "Reinforcement learning"\n+++\n\nQ: a?\nA: b\n',
                    encoding="utf-8")
    app = make_app(paths=(deck,))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        entries = [(c.title, c.help) for c in app.get_system_commands(app.screen)
                   if "Reinforcement" in c.title]
        assert [t for t, _ in entries] == ["Open deck: Reinforcement learning", "Notes: Reinforcement learning"]
        assert all("rl-basics-2" not in help and "Reinforcement learning" in help for _, help in entries)
