"""Home with ~15 decks (issue 16): decks listed under their group (front matter ``group``, else the
first tag) with the group's summed counts; Enter folds and unfolds a group; at 80×24 the groups
start folded so the whole list fits, and every deck can be reached and opened by keyboard."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.review import ReviewScreen

MANY = Path(__file__).parent / "decks_many"  # 15 decks of 2 cards in 5 groups


def rows(app) -> list[tuple[str, str, str]]:
    table = app.screen.query_one(DataTable)
    return [(row.key.value, str(table.get_row(row.key)[0]), str(table.get_row(row.key)[1]))
            for row in table.ordered_rows]


async def test_decks_are_grouped_with_summed_counts_and_enter_folds_a_group(make_app):
    app = make_app(paths=(MANY,))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        shown = rows(app)
        headings = [(title, new) for key, title, new in shown if key.startswith("group:")]
        assert headings == [("▾ Activations (3)", "6"), ("▾ Architectures (3)", "6"), ("▾ Evaluation (2)", "4"),
                            ("▾ Maths (2)", "4"), ("▾ Training (5)", "10")]
        keys = [key for key, _, _ in shown]
        # group = "Training" in the front matter wins over the first tag; decks follow their heading
        assert keys.index("normalisation") > keys.index("group:Training") and "group:Norm" not in keys
        assert keys[-1] == "__all__" and len(keys) == 15 + 5 + 1
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=keys.index("group:Training"))
        await pilot.press("enter")
        await pilot.pause()
        keys = [key for key, _, _ in rows(app)]
        assert "optimisers" not in keys and len(keys) == 15 - 5 + 5 + 1
        assert dict((k, t) for k, t, _ in rows(app))["group:Training"] == "▸ Training (5)"
        assert app.screen.query_one(DataTable).cursor_row == keys.index("group:Training")  # cursor stays
        await pilot.press("enter")
        await pilot.pause()
        assert "optimisers" in [key for key, _, _ in rows(app)]


async def test_at_80x24_the_biggest_group_starts_folded_and_every_deck_is_reachable_by_keyboard(make_app):
    app = make_app(paths=(MANY,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = rows(app)
        keys = [key for key, _, _ in shown]
        # only Training (5 decks, the biggest) is folded: as few groups as the height needs
        assert [t for _, t, _ in shown if t.startswith("▸")] == ["▸ Training (5)"]
        assert len(keys) == 15 - 5 + 5 + 1 and "optimisers" not in keys
        table = app.screen.query_one(DataTable)
        assert table.region.bottom <= 23 and table.row_count <= table.size.height - 1  # all of it in view
        # with the keyboard only: down to the Training heading, unfold it, down to a deck in it, review it
        while str(table.get_row_at(table.cursor_row)[0]) != "▸ Training (5)":
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        keys = [key for key, _, _ in rows(app)]
        assert len(keys) == 21 and not any(t.startswith("▸") for _, t, _ in rows(app))
        assert app.screen.has_class("-crowded")  # the key menu gave way to the list
        while keys[table.cursor_row] != "regularisation":
            await pilot.press("down")
        await pilot.pause()
        region = table.region
        assert region.bottom <= 23 and table.scroll_offset.y + region.height - 1 >= table.cursor_row
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.deck_title == "Regularisation"


def test_groups_come_from_the_tag_decks_share_not_one_every_deck_has():
    """The shipped decks all carry "interview" and each a topic tag first: a deck goes under the tag
    it shares with the most decks; a deck alone in its group goes to Other; group = "…" wins."""
    from types import SimpleNamespace as Deck

    from quizapp.ui.widgets.deck_groups import deck_groups

    decks = [Deck(id="relu", tags=("activations", "relu", "interview"), options={}),
             Deck(id="grads", tags=("activations", "gradients", "interview"), options={}),
             Deck(id="init", tags=("initialisation", "training", "interview"), options={}),
             Deck(id="norm", tags=("normalisation", "training", "interview"), options={}),
             Deck(id="optim", tags=("optimisers", "training", "interview"), options={}),
             Deck(id="signal", tags=("signal-propagation", "initialisation", "interview"), options={}),
             Deck(id="backprop", tags=("backprop", "interview"), options={}),
             Deck(id="mine", tags=(), options={"group": "My notes"})]
    assert deck_groups(decks) == {"relu": "Activations", "grads": "Activations", "init": "Training",
                                  "norm": "Training", "optim": "Training", "signal": "Other",
                                  "backprop": "Other", "mine": "My notes"}


async def test_a_few_decks_are_not_grouped(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert [key for key, _, _ in rows(app)] == ["basics", "__all__"]


async def test_d_on_a_group_heading_practises_the_groups_drills(make_app):
    from quizapp.core.content.loader import shipped_decks_dir

    app = make_app(paths=(shipped_decks_dir(),))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert key.startswith("group:")  # the shipped decks are grouped; the first row is a heading
        group = key.removeprefix("group:")
        await pilot.press("d")
        await pilot.pause()
        from quizapp.ui.widgets.deck_groups import grouped

        members = grouped([d for d in app.library.decks if not d.failed])[group]
        expected = [c.explicit_id for d in members for c in d.cards if c.kind == "drill"]
        assert app.screen.__class__.__name__ == "DrillScreen" and app.screen.sub_title == group
        assert [d.id for d in app.screen.drills] == expected and len(members) >= 2
