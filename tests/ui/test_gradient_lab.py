"""Gradient Lab: a user opens it from Home, answers generated questions by typing numbers and checks them."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App, ComposeResult
from textual.widgets import Input, Select, Static

from quizapp.core.generators import generate
from quizapp.core.generators.format import MINUS
from quizapp.core.generators.format import arr as format_arr
from quizapp.core.generators.format import num as format_num
from quizapp.ui.screens.gradient_lab import GradientLabScreen
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.widgets.gradient_question import AnswerRow, GradientQuestionPanel
from quizapp.ui.widgets.matrix_entry import CELL_WIDTH
from quizapp.ui.widgets.matrix_view import matrix_text, num, shape_label

SIZE = (100, 32)


def plain(static: Static) -> str:
    """What a Static shows, as plain text (its content may be a Group of Text and tables)."""
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(static.content)
    return console.file.getvalue()


def typed(value) -> str:
    """An answer the way the generators write it (4 significant digits), with an ASCII minus."""
    return format_arr(value).replace(MINUS, "-")


def off_by_one(value):
    """The same answer with its first entry wrong by a lot."""
    if isinstance(value, list) and value and isinstance(value[0], list):
        return [[value[0][0] + 5, *value[0][1:]], *value[1:]]
    if isinstance(value, list):
        return [value[0] + 5, *value[1:]]
    return value + 5


def panel(app) -> GradientQuestionPanel:
    return app.screen.query_one(GradientQuestionPanel)


def part(app, cls: str) -> Static:
    return panel(app).query_one(f".gq-{cls}", Static)


def marks(app) -> dict[str, str]:
    return {row.answer_name: str(row.query_one(".gq-mark", Static).content) for row in panel(app).rows()}


async def type_answers(pilot, answers: dict[str, str], *, keys: bool = False) -> None:
    """Fill each box in turn and press Enter (moving on; the last Enter checks). ``keys``: type
    every character as a key press (slow, ~60 ms a key), else paste the text into the focused box."""
    for name, text in answers.items():
        box = panel(pilot.app).box(name)
        assert box.has_focus, f"expected the {name} box to have focus"
        if keys:
            await pilot.press(*text)
        else:
            box.insert_text_at_cursor(text)
        await pilot.press("enter")
    await pilot.pause()


async def open_lab(pilot) -> GradientLabScreen:
    await pilot.press("g")
    await pilot.pause()
    assert isinstance(pilot.app.screen, GradientLabScreen)
    return pilot.app.screen


async def test_right_then_wrong_answers_keep_a_score(make_app):
    app = make_app()
    app.lab_seed = 3
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        q = lab.question
        assert q.seed == 3 and q.family == "backprop_activation"
        assert q == generate(q.family, seed=3, difficulty="easy")  # "any" activation: drawn from the seed
        assert "0 / 0 right this session" in str(lab.query_one("#lab-status", Static).content)

        await type_answers(pilot, {name: typed(value) for name, value in q.answer.items()}, keys=True)
        assert panel(app).checked
        assert set(marks(app).values()) == {"✓"}
        assert "✓ All correct" in plain(part(app, "results"))
        assert lab.score_text() == "1 / 1 right this session"
        assert part(app, "solution").display  # the worked solution follows the check
        assert "Worked solution" in plain(part(app, "solution"))

        await pilot.press("ctrl+n")
        await pilot.pause()
        second = lab.question
        assert second.seed == 4 and not panel(app).checked
        assert not part(app, "solution").display
        name = next(iter(second.answer))
        await type_answers(pilot, {n: typed(off_by_one(v) if n == name else v)
                                   for n, v in second.answer.items()}, keys=True)
        assert marks(app)[name] == "✗"
        results = plain(part(app, "results"))
        assert f"✗ {name}" in results
        assert "entry 1" in results or "row 1, column 1" in results  # the wrong entry is named
        assert "tolerance" in results
        assert lab.score_text() == "1 / 2 right this session"


async def test_dense_layer_matrices_are_aligned_and_wrong_entries_located(make_app):
    app = make_app()
    app.lab_seed = 11
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        lab.query_one("#lab-family", Select).value = "dense_backward"
        await pilot.pause()
        q = lab.question
        assert q.family == "dense_backward" and q.seed == 12
        assert lab.query_one("#lab-activation", Select).disabled  # the family takes no activation
        labels = [str(row.query_one(".gq-name", Static).content).strip() for row in panel(app).rows()]
        assert labels == [f"{n} ({shape_label(v)})" for n, v in q.answer.items()]
        inputs = plain(part(app, "inputs"))
        assert "X (" in inputs and "⎡" in inputs  # matrices drawn with brackets
        answers = {n: typed(v) for n, v in q.answer.items()}
        answers["dW"] = typed(off_by_one(q.answer["dW"]))
        await type_answers(pilot, answers)
        assert marks(app) == {"dW": "✗", "db": "✓", "dX": "✓"}
        results = plain(part(app, "results"))
        assert "✗ 2 of 3 right" in results
        assert "row 1, column 1" in results and "yours" in results and "answer" in results


async def test_unreadable_answer_is_located_and_not_scored(make_app):
    app = make_app()
    app.lab_seed = 3
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        (name,) = lab.question.answer  # backprop_activation has one answer
        await pilot.press(*"1,,2", "enter")
        await pilot.pause()
        results = part(app, "results")
        assert results.display
        text = plain(results)
        assert "could not read" in text and "column 3" in text
        lines = text.splitlines()
        typed_line = next(i for i, line in enumerate(lines) if line.strip() == "1,,2")
        assert lines[typed_line + 1].index("^") == lines[typed_line].index("1,,2") + 2  # under column 3
        assert "Traceback" not in text
        assert marks(app)[name] == "?"
        assert not panel(app).checked and not part(app, "solution").display
        assert lab.score_text() == "0 / 0 right this session"
        assert panel(app).box(name).has_focus  # straight back to the box to fix it


async def test_solution_key_then_check_is_not_scored_right(make_app):
    app = make_app()
    app.lab_seed = 5
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        solution = part(app, "solution")
        assert solution.display
        steps = plain(solution)
        assert all(step.split()[0] in steps for step in lab.question.solution if step.split())
        await type_answers(pilot, {n: typed(v) for n, v in lab.question.answer.items()})
        assert set(marks(app).values()) == {"✓"}
        assert lab.score_text() == "0 / 1 right this session"


async def test_n_types_in_a_box_but_brings_new_numbers_elsewhere(make_app):
    app = make_app()
    app.lab_seed = 3
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        first = lab.question
        await pilot.press("n")
        assert lab.question is first
        assert app.screen.focused.value == "n"  # typed into the answer box
        await pilot.press("backspace")
        panel(app).query_one(".gq-check").focus()  # focus leaves the cells
        await pilot.press("n")
        await pilot.pause()
        assert lab.question.seed == first.seed + 1
        assert isinstance(app.screen.focused, Input)  # new question: first box focused

        await type_answers(pilot, {n: typed(v) for n, v in lab.question.answer.items()})
        await pilot.press("enter")  # after checking, Enter is "next question"
        await pilot.pause()
        assert lab.question.seed == first.seed + 2

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_help_lists_the_lab_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        keys = plain(app.screen.query_one("#help-keys", Static))
        assert "Gradient Lab" in keys
        assert "ctrl+n" in keys and "ctrl+s" in keys and "fresh numbers" in keys


async def test_lab_fits_a_small_terminal(make_app):
    app = make_app()
    app.lab_seed = 3
    async with app.run_test(size=(80, 24)) as pilot:
        lab = await open_lab(pilot)
        lab.query_one("#lab-family", Select).value = "two_layer"
        await pilot.pause()
        rows = panel(app).rows()
        assert len(rows) == 4
        for row in rows:  # every cell of every answer is on screen and wide enough to type in
            for cell in row.entry.cells:
                region = cell.region
                assert region.height == 1 and region.width >= CELL_WIDTH
                assert region.bottom <= 24 - 2  # above the status line and the footer
        assert panel(app).body.region.height >= 6


class PanelApp(App):
    """The panel on its own, as a review session would host it."""

    def __init__(self, question):
        super().__init__()
        self.question = question
        self.checked: list[GradientQuestionPanel.Checked] = []

    def compose(self) -> ComposeResult:
        yield GradientQuestionPanel(self.question)

    def on_gradient_question_panel_checked(self, event: GradientQuestionPanel.Checked) -> None:
        self.checked.append(event)


async def test_panel_is_reusable_and_posts_checked():
    q = generate("two_layer", seed=2, difficulty="easy", activation="tanh")
    app = PanelApp(q)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        p = app.query_one(GradientQuestionPanel)
        assert len(p.rows()) == 4 and len(p.query(AnswerRow)) == 4
        for name, value in q.answer.items():
            p.box(name).value = typed(value)
        p.box("db2").value = "[1, 2, 3"
        assert p.check() is False  # unreadable: nothing checked, no message
        await pilot.pause()
        assert app.checked == []
        p.box("db2").value = typed(off_by_one(q.answer["db2"]))
        assert p.check() is True
        await pilot.pause()
        (event,) = app.checked
        assert event.question is q and not event.all_correct and event.attempt == 1
        assert set(event.results) == set(q.answer)
        assert [n for n, v in event.results.items() if not v.correct] == ["db2"]
        assert event.seconds >= 0

        other = generate("activation_value", seed=1, difficulty="easy", activation="relu")
        p.show_question(other)
        await pilot.pause()
        assert [r.answer_name for r in p.rows()] == ["a"]
        assert not p.checked and not p.query_one(".gq-results").display
        p.reveal_solution()
        assert p.query_one(".gq-solution").display


def test_numbers_are_written_like_the_generators():
    for x in (0, 1, -3, 0.5, -0.02, 0.1192029, 1.5e-5, -4.54e-5, 123456.7, 2.9124999999, 1e7, 1 / 3):
        assert num(x) == format_num(x)
        assert num(x, 10) == format_num(x, 10)


def test_matrix_columns_align():
    text = matrix_text([[1, -22.5], [-0.25, 3]], label="W (2×2) =").plain.splitlines()
    assert text == [
        "W (2×2) =  ⎡    1  −22.5⎤",
        "           ⎣−0.25      3⎦",
    ]
    assert matrix_text([0.5, -0.02]).plain == "[0.5  −0.02]"
    assert matrix_text(0.1, label="lr =").plain == "lr =  0.1"
