"""Drills flow (issue 21, items 4, 5, 10): Enter after a checked drill goes to the next one, F3/F4 are
on screen, a forbidden call is refused where it is typed, "Accepted:" never wraps inside a formula."""

from __future__ import annotations

from textual.widgets import Input, Static

from quizapp.core.formula.drills import parse_drill_toml
from quizapp.ui.screens.drill_screen import DrillScreen

SIZE = (100, 32)

FIRST = """
id = "sigmoid-formula"
prompt = "The logistic sigmoid as a formula in z (without calling sigmoid)"
answer = "1/(1 + exp(-z))"
accept = ["exp(z)/(1 + exp(z))", "0.5 + 0.5*tanh(z/2) + 0*z + 0*z", "1/(1 + e⁻ᶻ)", "(1 + tanh(z/2))/2"]
vars = { z = [-6, 6] }
forbid = ["sigmoid"]
"""

SECOND = """
id = "relu"
prompt = "ReLU"
answer = "max(0, z)"
"""


async def open_drills(app, pilot) -> DrillScreen:
    drills = [parse_drill_toml(t)[0] for t in (FIRST, SECOND)]
    screen = DrillScreen(drills, "Practice")
    app.push_screen(screen)
    await pilot.pause()
    return screen


async def enter(screen, pilot, text: str) -> None:
    box = screen.query_one("#drill-input", Input)
    box.value = text
    box.cursor_position = len(text)
    await pilot.press("enter")
    await pilot.pause()


async def test_enter_after_a_check_goes_to_the_next_drill_and_an_edit_checks_again(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drills(app, pilot)
        card = screen.query_one("#drill-card")
        assert "F4 next" in str(card.border_subtitle)
        assert screen.check_action("next_after_check", ()) is False  # Enter checks first
        await enter(screen, pilot, "1/(1 + exp(z))")  # wrong
        assert screen.index == 0 and screen.score == (0, 1)
        assert screen.check_action("next_after_check", ()) is True
        await enter(screen, pilot, "1/(1 + exp(-z))")  # edited: Enter checks it again
        assert screen.index == 0
        assert str(screen.query_one("#drill-verdict", Static).content).startswith("✓ Right")
        await pilot.press("enter")  # unchanged since the check: the next drill
        await pilot.pause()
        assert screen.index == 1
        assert screen.query_one("#drill-input", Input).value == ""
        assert "F3 previous" in str(card.border_subtitle) and "F4" not in str(card.border_subtitle)
        await enter(screen, pilot, "max(0, z)")
        await pilot.press("enter")  # the last drill: Enter stays (checks again)
        await pilot.pause()
        assert screen.index == 1 and screen.score == (1, 2)


async def test_a_forbidden_call_is_refused_with_a_caret_and_not_scored(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drills(app, pilot)
        await enter(screen, pilot, "2*sigmoid(z)")
        feedback = str(screen.query_one("#drill-feedback", Static).content)
        assert "sigmoid(…) is not allowed here" in feedback
        typed = screen.query_one("#drill-input", Input)
        assert feedback.index("^") == typed.styles.gutter.left + 2  # under the 's' of sigmoid
        assert screen.score == (0, 0) and not screen.query_one("#drill-result").has_class("-shown")
        assert screen.check_action("next_after_check", ()) is False


async def test_accepted_forms_are_never_split_across_lines(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_drills(app, pilot)
        await enter(screen, pilot, "1/(1 + exp(-z))")
        accepted = screen.query_one("#drill-accepted", Static)
        lines = accepted.render_lines(accepted.region.reset_offset)
        texts = ["".join(s.text for s in line).strip() for line in lines]
        forms = ["1/(1 + exp(-z))", "exp(z)/(1 + exp(z))", "0.5 + 0.5*tanh(z/2) + 0*z + 0*z",
                 "1/(1 + e⁻ᶻ)", "(1 + tanh(z/2))/2"]
        for form in forms:
            assert any(form in t for t in texts), (form, texts)
