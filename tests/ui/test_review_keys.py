"""Every key the review footer shows works on every card kind (issue 21, item 1).

A text box (typed answer, drill formula, gradient cell) types plain keys, so while one has focus
the footer offers ctrl stand-ins instead (^z undo, ^g suspend, ^l bury, ^o edit) and hides u ! - e space.
"""

from __future__ import annotations

from textual.widgets import Input

from quizapp.ui.screens.review import ReviewScreen
from quizapp.ui.widgets.drill_panel import DrillPanel
from quizapp.ui.widgets.gradient_question import GradientQuestionPanel

SIZE = (100, 32)
PLAIN = {"u", "exclamation_mark", "minus", "e"}
CTRL = {"ctrl+z", "ctrl+g", "ctrl+l"}  # ^o (edit) works too, but only help lists it: the footer is full

TYPED = """+++
deck = "typed3"
title = "Typed three"
typed = true
+++

**Q: Default alpha of Leaky ReLU?** <!-- id: alpha -->
A: 0.01

**Q: ReLU of -2?** <!-- id: relu-neg -->
A: 0

**Q: Sigmoid of 0?** <!-- id: sig0 -->
A: 0.5
"""


def shown(app) -> set[str]:
    """The keys the footer shows now."""
    return {key for key, active in app.screen.active_bindings.items() if active.binding.show}


def log_kinds(app) -> list[str]:
    return [r[0] for r in app.collection.connection.execute("SELECT kind FROM reviews ORDER BY id")]


async def test_plain_card_shows_and_takes_plain_keys(make_app):
    app = make_app(start_in_review=True, review_deck="basics")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.screen.typing()
        keys = shown(app)
        assert PLAIN <= keys and "space" in keys and not keys & CTRL
        await pilot.press("minus", "exclamation_mark", "u")
        await pilot.pause()
        assert log_kinds(app) == ["bury", "suspend", "undo"]


async def test_typed_card_footer_offers_ctrl_keys_and_they_work(make_app, tmp_path):
    deck = tmp_path / "typed3.md"
    deck.write_text(TYPED, encoding="utf-8")
    app = make_app(paths=(deck,), start_in_review=True, review_deck="typed3")
    edited = []
    app.edit_card = edited.append
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        box = screen.query_one("#typed", Input)
        assert box.has_focus and screen.typing()
        keys = shown(app)
        assert CTRL <= keys and not keys & (PLAIN | {"space"}), keys
        # a plain "u" is part of the answer, not an undo
        await pilot.press("u")
        assert box.value == "u" and log_kinds(app) == []
        await pilot.press("backspace", *"0.01", "enter", "3")
        await pilot.pause()
        assert log_kinds(app) == ["review"]
        assert screen.query_one("#typed", Input).has_focus  # the next typed card
        second = screen.card.key
        await pilot.press("ctrl+z")  # undo the grade from inside the answer box
        await pilot.pause()
        assert log_kinds(app) == ["review", "undo"] and screen.card.key == "typed3:alpha"
        await pilot.press("ctrl+l")  # bury
        await pilot.pause()
        assert log_kinds(app)[-1] == "bury" and screen.card.key == second
        await pilot.press("ctrl+g")  # suspend
        await pilot.pause()
        assert log_kinds(app)[-1] == "suspend"
        await pilot.press("ctrl+o")  # edit
        assert edited and edited[-1].key == screen.card.key
        assert box.value == ""  # none of the ctrl keys typed anything


async def test_drill_and_skill_cards_take_the_ctrl_keys(make_app, ui_decks):
    app = make_app(paths=(ui_decks / "skills.md",), start_in_review=True, review_deck="skills")
    app.lab_seed = 3
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one(DrillPanel)
        formula = panel.input
        assert formula.has_focus
        keys = shown(app)
        assert CTRL <= keys and not keys & PLAIN and {"f2", "f5"} <= keys
        await pilot.press("ctrl+l")  # bury the drill from its formula box
        await pilot.pause()
        assert log_kinds(app) == ["bury"] and formula.value == ""
        gradient = screen.query_one(GradientQuestionPanel)
        gradient.answers.cells()[0].focus()
        await pilot.pause()
        assert screen.typing() and CTRL <= shown(app)
        await pilot.press("ctrl+z")  # undo the bury from a gradient cell: the drill is back
        await pilot.pause()
        assert log_kinds(app) == ["bury", "undo"] and screen.card.key == "skills:leaky-grad"
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert log_kinds(app) == ["bury", "undo", "suspend"] and screen.card.key == "skills:relu-derivative"


async def test_checked_drill_hands_keys_back(make_app, ui_decks):
    """Once a drill is checked the box lets go: digits grade and the plain keys show again."""
    app = make_app(paths=(ui_decks / "skills.md",), start_in_review=True, review_deck="skills")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"where(z > 0, 1, alpha)", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.revealed
        keys = shown(app)
        assert PLAIN <= keys and not keys & CTRL
        await pilot.press("u")  # nothing graded yet in this session
        await pilot.press("3")
        await pilot.pause()
        assert log_kinds(app) == ["review"]
