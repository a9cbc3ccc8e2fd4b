"""Gradient Lab with the issue-15 families: every family is offered and answered in cells shaped
like its answers (an easy attention question is 2×2), hints name the next intermediate, and a
matrix typed into one cell, an unreadable cell or a half-filled matrix behave as a user expects."""

from __future__ import annotations

import io

import numpy as np
from rich.console import Console
from textual.widgets import Select, Static

from quizapp.core.generators import DIFFICULTIES, family_names, generate
from quizapp.core.generators.format import MINUS, arr
from quizapp.ui.screens.gradient_lab import GradientLabScreen
from quizapp.ui.widgets.gradient_question import GradientQuestionPanel
from quizapp.ui.widgets.matrix_entry import MAX_CELLS, grid_shape
from quizapp.ui.widgets.matrix_view import is_regular

SIZE = (100, 32)


def typed(value) -> str:
    return arr(value).replace(MINUS, "-")


def panel(app) -> GradientQuestionPanel:
    return app.screen.query_one(GradientQuestionPanel)


def shown(app, cls: str) -> str:
    """What a part of the panel shows, as plain text."""
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(panel(app).query_one(f".gq-{cls}", Static).content)
    return console.file.getvalue()


async def open_family(pilot, family: str, difficulty: str = "easy") -> GradientLabScreen:
    await pilot.press("g")
    await pilot.pause()
    lab = pilot.app.screen
    lab.query_one("#lab-difficulty", Select).value = difficulty
    await pilot.pause()
    lab.query_one("#lab-family", Select).value = family
    await pilot.pause()
    assert lab.question.family == family
    return lab


def test_every_family_gets_cells_shaped_like_its_answers():
    for family in family_names():
        for difficulty in DIFFICULTIES:
            q = generate(family, seed=1, difficulty=difficulty)
            for name, value in q.answer.items():
                shape = np.shape(value)
                grid = grid_shape(value)
                if grid is None:  # no matrix (3-D, ragged, huge): one line instead
                    assert len(shape) > 2 or np.size(value) > MAX_CELLS or not is_regular(value)
                    continue
                assert grid[0] * grid[1] == max(1, int(np.prod(shape))), (q.id, name)
                assert grid[0] == (shape[0] if len(shape) == 2 else 1), (q.id, name)
            if family.startswith("attention") and difficulty == "easy":
                assert {grid_shape(v) for v in q.answer.values()} == {(2, 2)}  # t×d = 2×2


async def test_every_family_is_offered_and_its_answers_get_their_cells(make_app):
    app = make_app()
    app.lab_seed = 1
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_family(pilot, "attention_forward")
        offered = [value for _, value in lab.query_one("#lab-family", Select)._options]
        assert offered == family_names()  # registered families appear without UI changes
        rows = panel(app).rows()
        assert [(r.answer_name, r.entry.grid) for r in rows] == [("S", (2, 2)), ("P", (2, 2)),
                                                                  ("O", (2, 2))]
        assert rows[0].box.has_focus
        text = rows[0].query_one(".gq-name", Static).render()
        assert "S (2×2)" in str(text)


async def test_answers_typed_as_whole_matrices_are_spread_and_graded(make_app):
    app = make_app()
    app.lab_seed = 4
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_family(pilot, "batchnorm_backward", "medium")
        q = lab.question
        p = panel(app)
        for name, value in q.answer.items():  # each whole answer into its first cell, then Enter
            await pilot.pause()  # the focus moves once Enter's handlers ran (late on a loaded machine)
            assert p.box(name).has_focus
            p.box(name).insert_text_at_cursor(typed(value))
            await pilot.press("enter")
        await pilot.pause()
        assert p.checked and "✓ All correct" in shown(app, "results")
        spread = [c.value.replace(MINUS, "-") for c in p.entry("dbeta").cells]
        assert spread == [typed(v) for v in q.answer["dbeta"]]
        assert lab.score_text() == "1 / 1 right this session"


async def test_a_wrong_cell_is_named_and_coloured(make_app):
    app = make_app()
    app.lab_seed = 2
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_family(pilot, "attention_backward")
        q = lab.question
        p = panel(app)
        for name, value in q.answer.items():
            cells = p.entry(name).cells
            flat = np.ravel(value).tolist()
            if name == "dK":
                flat[2] += 3  # row 2, column 1
            for cell, v in zip(cells, flat, strict=True):
                cell.value = typed(v)
        assert p.check()
        await pilot.pause()
        assert "✗ 2 of 3 right" in shown(app, "results") and "row 2, column 1" in shown(app, "results")
        wrong = [i for i, c in enumerate(p.entry("dK").cells) if c.has_class("-wrong")]
        assert wrong == [2] and all(c.has_class("-right") for c in p.entry("dQ").cells)


async def test_unreadable_or_missing_cells_are_located_and_nothing_is_scored(make_app):
    app = make_app()
    app.lab_seed = 3
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_family(pilot, "attention_forward")
        p = panel(app)
        await pilot.press(*"1.5", "enter", *"2..5", "enter")  # S[1,1], then a typo in S[1,2]
        await pilot.pause()
        results = shown(app, "results")
        assert "could not read row 1, column 2" in results and "nothing was checked" in results
        assert p.entry("S").cells[1].has_focus and not p.checked
        p.entry("S").cells[1].value = "2.5"
        p.entry("S").cells[2].value = "1"
        assert p.check() is False  # S half filled: its empty cell is named, P and O are empty
        await pilot.pause()
        assert "S  empty: row 2, column 2" in shown(app, "results")
        assert p.entry("S").cells[3].has_focus
        assert lab.score_text() == "0 / 0 right this session"
        await pilot.press("up")  # up/down move between the rows of a matrix
        assert p.entry("S").cells[1].has_focus


async def test_hints_name_the_next_intermediate_one_at_a_time(make_app):
    app = make_app()
    app.lab_seed = 5
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_family(pilot, "layernorm_backward")
        p = panel(app)
        assert not p.query_one(".gq-hints").display
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "Hint 1/7: first μ = mean of each row of x" in shown(app, "hints")
        assert "Hint 1/7: first μ" in shown(app, "hint")  # also beside the Check button
        for _ in range(2):
            await pilot.press("ctrl+t")
        await pilot.pause()
        assert "Hint 3/7: x̂ = (x − μ)/√(σ² + ε)" in shown(app, "hints")
        assert p.hints_shown == 3 and not p.solution_shown
        lab.query_one("#lab-family", Select).value = "dense_backward"  # hints come from the solution
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "Hint 1/" in shown(app, "hints") and "first Xᵀ dZ" in shown(app, "hints")
