"""SVG snapshots of the drill screen: a fresh drill, and the result of a wrong formula (with its plot)."""

from __future__ import annotations

from textual.widgets import Input

from quizapp.core.formula.drills import parse_drill_toml
from quizapp.ui.screens.drill_screen import DrillScreen

SIZE = (100, 32)

LEAKY = """
id = "leaky-relu-grad"
prompt = "Derivative of **Leaky ReLU** with respect to `z`"
answer = "1 if z > 0 else alpha"
accept = ["where(z > 0, 1, alpha)"]
reject = ["1 if z > 0 else 0"]
vars = { z = [-3, 3] }
constants = { alpha = 0.01 }
hint = "Two cases: z > 0 and z ≤ 0."
explanation = "Slope 1 for z > 0 and α for z ≤ 0 (PyTorch: α at 0)."
"""

SIGMOID = """
id = "sigmoid-grad"
prompt = "Derivative of the sigmoid σ(z)"
answer = "sigmoid(z) * (1 - sigmoid(z))"
vars = { z = [-6, 6] }
"""


def open_drills():
    async def run_before(pilot) -> None:
        drills = [parse_drill_toml(text)[0] for text in (LEAKY, SIGMOID)]
        pilot.app.push_screen(DrillScreen(drills, "ReLU vs Leaky ReLU"))
        await pilot.pause()
        pilot.app.screen.query_one(Input).cursor_blink = False

    return run_before


def test_drill_screen(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_drills())


def test_drill_screen_wrong_answer(snap_compare, make_app):
    # the drill's own "reject" formula: ReLU's derivative instead of Leaky ReLU's
    keys = [*"1 if z > 0 else 0", "enter"]
    assert snap_compare(make_app(), terminal_size=SIZE, press=keys, run_before=open_drills())


def test_drill_screen_small_terminal_wrong_answer(snap_compare, make_app):
    keys = [*"1 if z > 0 else 0", "enter"]
    assert snap_compare(make_app(), terminal_size=(80, 24), press=keys, run_before=open_drills())


def test_drill_screen_small_terminal(snap_compare, make_app):
    # F3/F4 are named on the card's border at 80×24 too, not only in the footer
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=open_drills())


def _review_sigmoid_drill(make_app):
    from pathlib import Path

    deck = Path(__file__).parent.parent / "ui" / "decks_drill" / "sigmoid.md"
    return make_app(paths=(deck,), start_in_review=True, review_deck="sigmoid")


async def _answer_z(pilot) -> None:
    await pilot.pause()
    await pilot.press("z", "enter")
    await pilot.pause(0.4)  # the grade bar docks below the card; the plot is fitted to what is left


def test_review_drill_plot_keeps_its_axis(snap_compare, make_app):
    """A checked drill in a review at 100×32: the plot's bottom axis and labels stay in the card."""
    assert snap_compare(_review_sigmoid_drill(make_app), terminal_size=(100, 32), run_before=_answer_z)


def test_review_drill_plot_small_terminal(snap_compare, make_app):
    assert snap_compare(_review_sigmoid_drill(make_app), terminal_size=(80, 24), run_before=_answer_z)
