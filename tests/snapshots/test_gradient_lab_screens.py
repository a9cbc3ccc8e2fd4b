"""SVG snapshots of the Gradient Lab: a fixed seed and family, before and after checking a wrong answer."""

from __future__ import annotations

from textual.widgets import Select

from quizapp.core.generators.format import MINUS, arr
from quizapp.ui.widgets.gradient_question import GradientQuestionPanel

SIZE = (100, 32)


def lab_app(make_app):
    app = make_app()
    app.lab_seed = 3
    return app


async def open_dense_lab(pilot) -> None:
    """Home → g → Dense layer backward pass, medium (the question is seed 5: 3, then 4, then 5)."""
    await pilot.press("g")
    await pilot.pause()
    screen = pilot.app.screen
    screen.query_one("#lab-family", Select).value = "dense_backward"
    await pilot.pause()
    screen.query_one("#lab-difficulty", Select).value = "medium"
    await pilot.pause()
    assert screen.question.seed == 5


async def answer_dense_wrongly(pilot) -> None:
    """dW right, db with its first entry wrong, dX right — then Enter checks."""
    await open_dense_lab(pilot)
    question = pilot.app.screen.question
    panel = pilot.app.screen.query_one(GradientQuestionPanel)
    db = list(question.answer["db"])
    db[0] += 1
    for name, value in (("dW", question.answer["dW"]), ("db", db), ("dX", question.answer["dX"])):
        panel.box(name).insert_text_at_cursor(arr(value).replace(MINUS, "-"))
        await pilot.press("enter")
    await pilot.pause()


def test_gradient_lab_question(snap_compare, make_app):
    assert snap_compare(lab_app(make_app), terminal_size=SIZE, run_before=open_dense_lab)


def test_gradient_lab_wrong_answer_checked(snap_compare, make_app):
    assert snap_compare(lab_app(make_app), terminal_size=SIZE, run_before=answer_dense_wrongly)


def test_gradient_lab_small_terminal(snap_compare, make_app):
    assert snap_compare(lab_app(make_app), terminal_size=(80, 24), run_before=open_dense_lab)


async def attention_with_a_hint(pilot) -> None:
    """Home → g → Attention forward pass, easy (seed 4): S typed as one matrix, two hints shown."""
    await pilot.press("g")
    await pilot.pause()
    screen = pilot.app.screen
    screen.query_one("#lab-family", Select).value = "attention_forward"
    await pilot.pause()
    assert screen.question.seed == 4 and screen.question.family == "attention_forward"
    panel = screen.query_one(GradientQuestionPanel)
    panel.box("S").insert_text_at_cursor(arr(screen.question.answer["S"]).replace(MINUS, "-"))
    await pilot.press("enter", "ctrl+t", "ctrl+t")
    await pilot.pause()


def test_gradient_lab_attention_cells_and_hints(snap_compare, make_app):
    assert snap_compare(lab_app(make_app), terminal_size=SIZE, run_before=attention_with_a_hint)


async def focus_the_family_dropdown(pilot) -> None:
    await open_dense_lab(pilot)
    pilot.app.screen.query_one("#lab-family", Select).focus()
    await pilot.pause()


def test_gradient_lab_dropdown_focus_is_visible(snap_compare, make_app):
    """The focused dropdown is drawn in the accent colour (issue 21: its focus was invisible)."""
    assert snap_compare(lab_app(make_app), terminal_size=SIZE, run_before=focus_the_family_dropdown)


def test_gradient_lab_dropdown_focus_is_visible_small_terminal(snap_compare, make_app):
    assert snap_compare(lab_app(make_app), terminal_size=(80, 24), run_before=focus_the_family_dropdown)
