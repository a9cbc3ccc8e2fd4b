"""Formula drills by key presses: live parse feedback, grading by equivalence, the plot, hint, score."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from textual.app import App, ComposeResult
from textual.widgets import Input, Static
from textual_plot import PlotWidget

from quizapp.core.formula.drills import Drill, parse_drill_toml
from quizapp.core.formula.language import parse
from quizapp.ui.screens.drill_screen import DrillScreen
from quizapp.ui.widgets.drill_panel import DrillPanel, plot_data

SIZE = (100, 32)
DEBOUNCED = 0.3  # longer than the panel's 150 ms debounce

LEAKY = """
id = "leaky-relu-grad"
prompt = "Derivative of Leaky ReLU with respect to z"
answer = "1 if z > 0 else alpha"
accept = ["where(z > 0, 1, alpha)"]
reject = ["1 if z > 0 else 0"]
vars = { z = [-3, 3] }
constants = { alpha = 0.01 }
hint = "Two cases: z > 0 and z ≤ 0."
explanation = "Slope 1 for z > 0, α otherwise."
"""

SIGMOID = """
id = "sigmoid-grad"
prompt = "Derivative of the sigmoid"
answer = "sigmoid(z) * (1 - sigmoid(z))"
vars = { z = [-6, 6] }
"""


def drill(text: str) -> Drill:
    parsed, problems = parse_drill_toml(text)
    assert parsed is not None and not problems, problems
    return parsed


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def open_drills(app, pilot, *tomls: str) -> DrillScreen:
    screen = DrillScreen([drill(t) for t in tomls or (LEAKY, SIGMOID)], "Practice")
    app.push_screen(screen)
    await pilot.pause()
    return screen


async def type_formula(pilot, text: str, *, wait: bool = True) -> None:
    """Key by key, like a user (slow: keep formulas short)."""
    await pilot.press(*text)
    if wait:
        await pilot.pause(DEBOUNCED)


async def enter_formula(screen, pilot, text: str) -> None:
    """Put ``text`` in the input (as a paste would) and press Enter."""
    typed = screen.query_one("#drill-input", Input)
    typed.value = text
    typed.cursor_position = len(text)
    await pilot.press("enter")


async def test_live_feedback_points_at_implicit_multiplication(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drills(app, pilot)
        typed = screen.query_one("#drill-input", Input)
        assert typed.has_focus
        await type_formula(pilot, "2z")
        feedback = text_of(screen, "#drill-feedback")
        assert "implicit multiplication" in feedback and "2*z" in feedback
        # the caret sits under the 'z' (column 2) of the input, whose text starts after its gutter
        assert feedback.index("^") == typed.styles.gutter.left + 1


async def test_live_feedback_confirms_a_formula_that_parses(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drills(app, pilot)
        screen.query_one("#drill-input", Input).value = "where(z>0,1,α)"
        await pilot.pause(DEBOUNCED)
        assert text_of(screen, "#drill-feedback") == "✓ parses: where(z > 0, 1, alpha)"
        assert not screen.query_one("#drill-result").has_class("-shown")  # nothing graded yet


async def test_live_feedback_suggests_the_nearest_name(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drills(app, pilot)
        screen.query_one("#drill-input", Input).value = "1 if z > 0 else alph"
        await pilot.pause(DEBOUNCED)
        assert "did you mean 'alpha'" in text_of(screen, "#drill-feedback")


async def test_equivalent_alternative_is_right_and_scores(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drills(app, pilot)
        await type_formula(pilot, "where(z > 0, 1, alpha)", wait=False)
        await pilot.press("enter")
        verdict = text_of(screen, "#drill-verdict")
        assert verdict.startswith("✓ Right")
        accepted = text_of(screen, "#drill-accepted")
        assert "1 if z > 0 else alpha" in accepted and "where(z > 0, 1, alpha)" in accepted
        assert "Slope 1" in str(screen.query_one("#drill-explanation", Static).content)
        assert screen.score == (1, 1)
        assert "score 1/1" in str(screen.query_one("#drill-card").border_title)


async def test_wrong_formula_shows_the_counterexample(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drills(app, pilot)
        await enter_formula(screen, pilot, "1 if z > 0 else 0")
        verdict = text_of(screen, "#drill-verdict")
        assert verdict.startswith("✗ Not equivalent")
        assert "at z = −1 your formula gives 0, expected 0.01" in verdict
        assert screen.score == (0, 1)
        # practice allows another go; the score keeps the first answer
        await pilot.press("backspace", *"α", "enter")
        assert text_of(screen, "#drill-verdict").startswith("✓ Right")
        assert screen.score == (0, 1)


async def test_plot_draws_expected_and_yours(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drills(app, pilot)
        await enter_formula(screen, pilot, "1 if z > 0 else 0")
        plot = screen.query_one("#drill-plot", PlotWidget)
        assert plot.display and plot.size.height >= 7
        assert [label for label in plot._labels if label] == ["expected", "yours"]
        legend = text_of(screen, "#drill-caption")
        assert "expected" in legend and "yours" in legend and "z in [−3, 3]" in legend


async def test_plot_survives_a_formula_undefined_on_half_the_range(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drills(app, pilot)
        await enter_formula(screen, pilot, "log(z)")
        assert "undefined (nan)" in text_of(screen, "#drill-verdict")
        data = screen.query_one(DrillPanel).plot
        assert data is not None and np.isnan(data.given[data.x < 0]).all()
        plot = screen.query_one("#drill-plot", PlotWidget)
        assert [label for label in plot._labels if label] == ["expected", "yours"]


async def test_unreadable_formula_is_not_graded(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drills(app, pilot)
        await type_formula(pilot, "max(0,", wait=False)
        await pilot.press("enter")
        assert "never closed" in text_of(screen, "#drill-feedback")
        assert not screen.query_one("#drill-result").has_class("-shown")
        assert screen.score == (0, 0)
        await pilot.press(*["backspace"] * 6, "enter")
        assert "Type a formula first" in text_of(screen, "#drill-feedback")


async def test_hint_key_shows_the_hint(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drills(app, pilot)
        hint = screen.query_one("#drill-hint", Static)
        assert not hint.display
        await pilot.press("f2")
        assert hint.display
        assert "Two cases: z > 0 and z ≤ 0." in str(hint.content)
        assert screen.query_one("#drill-input", Input).value == ""  # the key typed nothing


async def test_show_answer_counts_as_wrong(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drills(app, pilot)
        await pilot.press("f5")
        assert "Answer shown" in text_of(screen, "#drill-verdict")
        assert "1 if z > 0 else alpha" in text_of(screen, "#drill-accepted")
        plot = screen.query_one("#drill-plot", PlotWidget)
        assert [label for label in plot._labels if label] == ["expected"]
        assert screen.score == (0, 1)


async def test_next_previous_and_leave(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drills(app, pilot)
        panel = screen.query_one(DrillPanel)
        await type_formula(pilot, "z", wait=False)
        await pilot.press("f4")
        assert panel.drill.id == "sigmoid-grad"
        assert screen.query_one("#drill-input", Input).value == ""
        assert "Drill 2 of 2" in str(screen.query_one("#drill-card").border_title)
        await pilot.press("f4")  # already the last one: stays
        assert panel.drill.id == "sigmoid-grad"
        await pilot.press("f3")
        assert panel.drill.id == "leaky-relu-grad"
        await pilot.press("ctrl+n")
        assert panel.drill.id == "sigmoid-grad"
        results = []
        screen.dismiss = results.append  # what the lead's callback will receive
        await pilot.press("escape")
        assert results == [(0, 0)]


async def test_deck_text_is_shown_literally(make_app):
    hostile = LEAKY.replace('"Derivative of Leaky ReLU with respect to z"',
                            r'"[bold red]not markup[/] \u001b[31m"')
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drills(app, pilot, hostile)
        prompt = str(screen.query_one("#drill-prompt", Static).content)
        assert "[bold red]not markup[/]" in prompt and "\x1b" not in prompt and "␛" in prompt


class Host(App):
    """The panel on its own, as a review screen would embed it (one submission only)."""

    def __init__(self, drill: Drill) -> None:
        super().__init__()
        self.drill = drill
        self.submitted: list[DrillPanel.Submitted] = []

    def compose(self) -> ComposeResult:
        yield DrillPanel(self.drill)

    def on_drill_panel_submitted(self, event: DrillPanel.Submitted) -> None:
        self.submitted.append(event)


async def test_panel_posts_submitted_once_without_retry():
    app = Host(drill(LEAKY))
    async with app.run_test(size=SIZE) as pilot:
        panel = app.query_one(DrillPanel)
        panel.input.focus()
        await pilot.press(*"where(z > 0, 1, alpha)", "enter")
        await pilot.pause()
        [event] = app.submitted
        assert event.drill.id == "leaky-relu-grad" and event.verdict.equivalent
        assert event.text == "where(z > 0, 1, alpha)" and event.seconds >= 0
        assert panel.input.disabled
        assert panel.submit() is None  # a second Enter cannot grade again
        panel.show_drill(drill(SIGMOID))
        await pilot.pause()
        assert not panel.input.disabled and panel.verdict is None
        assert not panel.query_one("#drill-result").has_class("-shown")


def test_plot_data_holds_other_variables_at_midpoints_and_cuts_poles():
    two = Drill("d", "p", "x * y", vars={"x": (-1.0, 1.0), "y": (2.0, 4.0)})
    data = plot_data(two, parse("x * y"))
    assert data is not None and data.var == "x" and data.fixed == {"y": 3.0}
    assert np.allclose(data.expected, 3 * data.x)
    pole = Drill("p", "p", "1 / z", vars={"z": (-1.0, 1.0)})
    data = plot_data(pole, parse("1 / z"))
    lo, hi = data.ylim
    assert hi - lo < 500  # the readable part, not ±1e16 around z = 0
    assert np.isnan(data.given).any() and np.isfinite(data.given).any()


def test_drill_panel_is_not_imported_at_start_up():
    script = (
        "import sys\nimport quizapp.cli, quizapp.ui.app\n"
        "print(','.join(m for m in ('quizapp.ui.widgets.drill_panel', 'textual_plot') if m in sys.modules)"
        " or 'clean')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "clean", out.stdout + out.stderr


async def test_caret_follows_the_input_when_it_scrolls(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_drills(app, pilot, SIGMOID)
        typed = screen.query_one("#drill-input", Input)
        text = "sigmoid(z)*" * 9 + "2z"  # longer than the input: it scrolls to the cursor
        typed.value = text[:-2]
        typed.cursor_position = len(text) - 2
        await type_formula(pilot, "2z")
        assert typed.scroll_offset.x > 0
        feedback = text_of(screen, "#drill-feedback")
        column = feedback.splitlines()[0].index("^")
        assert column == typed.styles.gutter.left + len(text) - 1 - typed.scroll_offset.x
        assert "implicit multiplication" in feedback
        typed.cursor_position = 0  # scrolled back to the start, the column is off-screen: say it
        await pilot.pause(DEBOUNCED)
        assert typed.scroll_offset.x == 0
        assert text_of(screen, "#drill-feedback").startswith(f"✗ column {len(text)}: write 2*z")
