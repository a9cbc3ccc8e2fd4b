"""A user opens a deck, reveals, grades, undoes and reaches the summary — all through key presses."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import DataTable, Input, Static

from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.review import ReviewScreen
from quizapp.ui.screens.summary import SummaryScreen
from quizapp.ui.widgets.card_text import CardText
from quizapp.ui.widgets.grade_bar import GradeBar


SIZE = (100, 32)


def front(app) -> str:
    return app.screen.query_one("#front", CardText).source


def log_kinds(app) -> list[str]:
    rows = app.collection.connection.execute("SELECT kind FROM reviews ORDER BY id").fetchall()
    return [r[0] for r in rows]


async def test_home_lists_decks_with_counts(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one(DataTable)
        first = [str(cell) for cell in table.get_row_at(0)]
        assert first[0] == "Basics"
        # 1 glossary row (its reverse is a sibling: tomorrow) + 1 Q&A + 1 multiple choice, all new
        assert first[1] == "3"


async def test_reveal_grade_undo_then_summary(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        first = front(app)
        assert not app.screen.query_one("#back").display
        assert not app.screen.query_one(GradeBar).display

        await pilot.press("space")
        assert app.screen.query_one("#back").display
        labels = [str(b.label) for b in app.screen.query_one(GradeBar).query("Button")]
        assert labels[2].startswith("3 Good") and labels[2].endswith("10m")  # default learning step

        await pilot.press("3")
        assert front(app) != first
        assert log_kinds(app) == ["review"]

        await pilot.press("u")
        assert front(app) == first
        assert log_kinds(app) == ["review", "undo"]  # history kept, the undo is logged

        for _ in range(10):
            if not isinstance(app.screen, ReviewScreen):
                break
            if app.screen.card.choices:
                correct = app.screen.card.correct_choices[0] + 1
                await pilot.press(str(correct))
                verdict = app.screen.query_one("#verdict", Static)
                assert "Correct" in str(verdict.content)
            else:
                await pilot.press("space")
            await pilot.press("4")
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.summary.reviewed == 3  # the glossary row's reverse is buried until tomorrow
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        row = [str(c) for c in app.screen.query_one(DataTable).get_row_at(0)]
        assert row[1] == "0"  # nothing new left in the deck today


async def test_wrong_multiple_choice_is_marked_and_suggests_again(make_app):
    app = make_app(start_in_review=True, review_deck="basics")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while not app.screen.card.choices:
            await pilot.press("space", "4")
        wrong = next(i for i, c in enumerate(app.screen.card.choices) if not c.correct) + 1
        await pilot.press(str(wrong))
        assert "Not quite" in str(app.screen.query_one("#verdict", Static).content)
        again = app.screen.query_one("#grade-1")
        assert again.has_class("-suggested")


async def test_typed_answer_is_compared_leniently(make_app, ui_decks):
    app = make_app(paths=(ui_decks / "typed.md",), start_in_review=True, review_deck="typed")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        typed = app.screen.query_one("#typed", Input)
        assert typed.display and typed.has_focus
        await pilot.press(*" 0.01 ", "enter")
        assert "Correct" in str(app.screen.query_one("#verdict", Static).content)
        await pilot.press("3")
        await pilot.pause()
        kinds = app.collection.connection.execute("SELECT answer FROM reviews").fetchall()
        assert kinds == [(" 0.01 ",)]


async def test_suspend_and_bury_remove_cards_from_the_session(make_app):
    app = make_app(start_in_review=True, review_deck="basics")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.session.remaining == 3
        await pilot.press("exclamation_mark")
        assert app.screen.session.remaining == 2
        await pilot.press("minus")
        assert app.screen.session.remaining == 1
        assert log_kinds(app) == ["suspend", "bury"]


async def test_help_lists_every_review_key(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#help-keys", Static).content)
        lines = console.export_text().splitlines()
        for key, action in [("u", "Undo"), ("!", "Suspend"), ("-", "Bury"), ("e", "$EDITOR"), ("space", "Show the answer")]:
            assert any(line.split()[:1] == [key] and action in line for line in lines if line.strip()), key


async def test_notes_show_the_non_card_text(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "NotesScreen"
        assert "not cards" in app.screen.deck.notes


async def test_home_names_a_broken_deck_and_still_loads_the_others(make_app, ui_decks):
    broken = ui_decks.parent / "broken" / "broken.md"
    app = make_app(paths=(ui_decks / "basics.md", broken))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one("#broken", Static).content)
        assert f"{broken}:3:" in text and "not loaded" in text
        assert str(app.screen.query_one(DataTable).get_row_at(0)[0]) == "Basics"


async def test_command_palette_offers_decks_review_all_and_theme(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Review all due", "Toggle dark/light theme", "Open deck: Basics", "Notes: Basics"} <= set(titles)
        before = app.theme
        next(c for c in app.get_system_commands(app.screen) if c.title.startswith("Toggle")).callback()
        assert app.theme != before
        next(c for c in app.get_system_commands(app.screen) if c.title == "Open deck: Basics").callback()
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ReviewScreen"


async def test_d_opens_the_formula_drills_of_the_shipped_decks(make_app):
    from quizapp.core.content.loader import shipped_decks_dir

    app = make_app(paths=(shipped_decks_dir(),))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        while table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value.startswith("group:"):
            await pilot.press("down")  # many shipped decks are grouped on Home: down to the first deck
        deck_id = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DrillScreen"
        first_deck = app.library.deck(deck_id)
        expected = [c.explicit_id for c in first_deck.cards if c.kind == "drill"]
        assert [d.id for d in app.screen.drills] == expected and len(expected) >= 3
