"""One generated "compute the gradient" question: read it, type each answer, check, see the solution.

``GradientQuestionPanel`` is reusable: the Gradient Lab shows one and replaces its question with
``show_question``; a review session can mount a fresh one per skill card. Give it a height (its
default is ``1fr``): the question, hints, feedback and worked solution scroll in the upper part
while the answers stay in view at the bottom, so it works down to 80×24.

Each answer is typed into a grid of cells shaped like it (``MatrixEntry``: 2×2 for an easy
attention question, one cell for a loss); the whole answer may also go into the first cell as
``1, 2; 3, 4``. Everything about a question comes from the question itself (answer names and
shapes, tolerances, hints), so any registered family works without changes here.

Keys (while focus is inside the panel): Enter in a cell moves to the next empty cell and checks
once every cell is filled; ctrl+enter checks at once (where the terminal sends it); the Check
button; up/down move between the rows of a matrix; ctrl+t (or ``h`` when no cell has focus) shows
the next hint — the next intermediate to compute; ctrl+s (or ``s``) shows the worked solution.

Question text is rendered with rich ``Text`` objects (never Textual markup). This module does not
import NumPy at import time: grading (``quizapp.core.generators``) is imported on first check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from quizapp.ui.widgets.answer_area import AnswerArea, AnswerRow
from quizapp.ui.widgets.answer_feedback import grade_safely, results_block, unready_parts
from quizapp.ui.widgets.matrix_entry import MatrixEntry
from quizapp.ui.widgets.question_text import (
    conventions_text, hints_text, inputs_block, safe, solution_block, title_text,
)

if TYPE_CHECKING:
    from quizapp.core.answers import NumericVerdict
    from quizapp.core.generators import Question

__all__ = ["AnswerRow", "GradientQuestionPanel"]


class GradientQuestionPanel(Widget):
    """Shows a ``Question``; checks the typed answers; reveals hints and the worked solution."""

    DEFAULT_CSS = """
    GradientQuestionPanel {
        layout: vertical;
        height: 1fr;
        min-height: 8;
    }
    GradientQuestionPanel > .gq-body {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    GradientQuestionPanel .gq-title {
        text-style: bold;
        color: $text-accent;
    }
    GradientQuestionPanel .gq-inputs {
        margin-top: 1;
    }
    GradientQuestionPanel .gq-conventions {
        margin-top: 1;
        color: $text-muted;
    }
    GradientQuestionPanel .gq-hints {
        margin-top: 1;
        color: $text-warning;
    }
    GradientQuestionPanel .gq-results {
        margin-top: 1;
        border-top: dashed $secondary;
    }
    GradientQuestionPanel .gq-solution {
        margin-top: 1;
        border-top: dashed $secondary;
    }
    GradientQuestionPanel > .gq-answers {
        height: auto;
        max-height: 50%;
        padding: 0 1;
        border-top: solid $primary 50%;
        scrollbar-size-vertical: 1;
    }
    GradientQuestionPanel .gq-actions {
        height: 1;
        padding: 0 1;
    }
    GradientQuestionPanel .gq-check {
        margin-right: 2;
    }
    GradientQuestionPanel .gq-hint {
        width: 1fr;
        height: 1;
        color: $text-muted;
        text-overflow: ellipsis;
        text-wrap: nowrap;
    }
    GradientQuestionPanel .gq-hint.-hint {
        color: $text-warning;
    }
    """

    BINDINGS = [
        Binding("ctrl+enter", "check", "Check", key_display="⏎",
                tooltip="Check the answers. Enter in a cell moves to the next empty cell and checks "
                        "once every cell is filled; ctrl+enter checks at once"),
        Binding("ctrl+t", "hint", "Hint",
                tooltip="The next hint: the next intermediate to compute (also h when no cell has focus)"),
        Binding("h", "hint", "Hint", show=False,
                tooltip="The next hint: the next intermediate to compute (also h when no cell has focus)"),
        Binding("ctrl+s", "reveal_solution", "Solution",
                tooltip="Show the worked solution step by step (checking afterwards is not scored as right)"),
        Binding("s", "reveal_solution", "Solution", show=False,
                tooltip="Show the worked solution step by step (checking afterwards is not scored as right)"),
    ]

    class Checked(Message):
        """Posted after every check. ``attempt`` is 1 for the first check of this question;
        ``solution_seen`` says whether the solution was shown before the check; ``hints_used``
        how many hints were shown before it."""

        def __init__(self, panel: GradientQuestionPanel, question: Question, all_correct: bool,
                     results: dict[str, NumericVerdict], seconds: float, attempt: int = 1,
                     solution_seen: bool = False, hints_used: int = 0) -> None:
            super().__init__()
            self.panel = panel
            self.question = question
            self.all_correct = all_correct
            self.results = results
            self.seconds = seconds
            self.attempt = attempt
            self.solution_seen = solution_seen
            self.hints_used = hints_used

        @property
        def control(self) -> GradientQuestionPanel:
            return self.panel

    def __init__(self, question: Question | None = None, *, name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.question: Question | None = None
        self.results: dict[str, NumericVerdict] = {}
        self.checked = False
        self.solution_shown = False
        self.solution_seen_before_check = False
        self.attempts = 0
        self.hints: tuple[str, ...] = ()
        self.hints_shown = 0
        self._initial = question
        self._shown_at = 0.0

    # ---- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="gq-body"):
            for part in ("title", "prompt", "inputs", "conventions", "hints", "results", "solution"):
                yield Static(classes=f"gq-{part}")
        yield AnswerArea(classes="gq-answers")
        with Horizontal(classes="gq-actions"):
            yield Button("Check", classes="gq-check", variant="primary", compact=True)
            yield Static(classes="gq-hint")

    def on_mount(self) -> None:
        if self._initial is not None:
            self.show_question(self._initial)
        else:
            self._clear()

    @property
    def body(self) -> VerticalScroll:
        return self.query_one(".gq-body", VerticalScroll)

    def _static(self, cls: str) -> Static:
        return self.query_one(f".gq-{cls}", Static)

    @property
    def answers(self) -> AnswerArea:
        return self.query_one(AnswerArea)

    def rows(self) -> list[AnswerRow]:
        """The rows of the current question, in answer order."""
        return self.answers.rows()

    def entry(self, name: str) -> MatrixEntry:
        return self.answers.entry(name)

    def box(self, name: str) -> Input:
        """The first cell of answer ``name`` (a whole answer typed there is spread over the cells)."""
        return self.entry(name).cells[0]

    def _clear(self) -> None:
        for cls in ("title", "prompt", "inputs", "conventions", "hints", "results", "solution"):
            self._static(cls).update("")
        for cls in ("hints", "results", "solution"):
            self._static(cls).display = False

    # ---- showing -------------------------------------------------------------------------------

    def show_question(self, question: Question, *, focus: bool = True) -> None:
        """Show ``question`` with empty cells (the clock for ``Checked.seconds`` starts)."""
        from quizapp.core.generators.hints import hints_for  # no NumPy: hints.py is pure text

        self.question = question
        self.results = {}
        self.checked = False
        self.solution_shown = False
        self.solution_seen_before_check = False
        self.attempts = 0
        self.hints = hints_for(question)
        self.hints_shown = 0
        self._shown_at = self.app.monotonic() if hasattr(self.app, "monotonic") else 0.0
        self._render_question(question)
        mounting = self.answers.show(question)
        if mounting is None:
            self._finish_showing(focus)
            return

        async def when_mounted() -> None:
            await mounting
            if self.question is question:  # not replaced meanwhile
                self._finish_showing(focus)

        self.call_later(when_mounted)

    def _finish_showing(self, focus: bool) -> None:
        if self.app.is_headless:  # snapshots must not catch a blinking cursor half-way
            for box in self.query(Input):
                box.cursor_blink = False
        for cls in ("hints", "results", "solution"):
            self._static(cls).display = False
        self.query_one(".gq-check", Button).disabled = False
        self._set_hint()
        self.body.scroll_home(animate=False)
        self.answers.scroll_home(animate=False)
        self.refresh_bindings()
        if focus:
            self.focus_first()

    def focus_first(self) -> None:
        rows = self.rows()
        if rows:
            rows[0].box.focus()

    def _render_question(self, q: Question) -> None:
        self._static("title").update(title_text(q))
        self._static("prompt").update(safe(q.prompt))
        self._static("inputs").update(inputs_block(q))
        self._static("conventions").update(conventions_text(q))

    def _set_hint(self) -> None:
        line = self._static("hint")
        line.set_class(False, "-hint")
        if self.checked:
            hint = "Checked · ↑/↓ scroll · tab back to a cell to fix it"
        elif self.hints_shown:
            line.set_class(True, "-hint")
            hint = f"Hint {self.hints_shown}/{len(self.hints)}: {self.hints[self.hints_shown - 1]}"
        else:
            hint = "Enter: next cell, then check · ctrl+t: hint · ctrl+s: solution"
        line.update(safe(hint))

    # ---- hints ---------------------------------------------------------------------------------

    def action_hint(self) -> None:
        self.reveal_hint()

    def reveal_hint(self) -> bool:
        """Show the next hint (the next intermediate to compute); False when there is none left."""
        if self.question is None or self.hints_shown >= len(self.hints):
            if self.question is not None:
                self.notify("No more hints — ctrl+s shows the worked solution.", timeout=3)
            return False
        self.hints_shown += 1
        widget = self._static("hints")
        widget.update(hints_text(self.hints, self.hints_shown))
        widget.display = True
        self.call_after_refresh(self.body.scroll_to_widget, widget, animate=False)
        self._set_hint()
        self.refresh_bindings()
        return True

    # ---- checking ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "check":
            return self.question is not None and not self.checked
        if action == "reveal_solution":
            return self.question is not None and not self.solution_shown
        if action == "hint":
            return self.question is not None and not self.checked and not self.solution_shown
        return True

    def action_check(self) -> None:
        self.check()

    def action_reveal_solution(self) -> None:
        self.reveal_solution()

    @on(Button.Pressed, ".gq-check")
    def _check_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.check()

    @on(Input.Submitted, ".gq-box")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.answers.spread_from(event.input)  # a whole answer typed into one cell
        cells = self.answers.cells()
        empty = [c for c in cells if not c.value.strip()]
        if not empty or not self.answers.readable(event.input):
            self.check()  # an unreadable cell is reported at once (nothing is graded then)
            return
        here = next((i for i, c in enumerate(cells) if c is event.input), -1)
        after = [c for c in cells[here + 1:] if c in empty] or empty
        after[0].focus()

    def check(self) -> bool:
        """Grade every answer; show ✓/✗, the feedback and the solution; post ``Checked``.

        Returns False, and checks nothing, when there is no question, nothing was typed, a cell
        cannot be read as a number, or a matrix is only partly filled: then the located problem
        is shown and that cell gets focus (a typo is not a wrong answer: nothing is revealed or
        scored).
        """
        q = self.question
        if q is None:
            return False
        if self.answers.all_empty():
            self.notify("Type an answer in the cells first.", severity="warning", timeout=3)
            return False
        reads = self.answers.read()
        results_widget = self._static("results")
        from quizapp.core.generators import grade  # NumPy: only once somebody checks

        typed = {name: read.text or "" for name, read in reads.items()}
        results = {name: grade_safely(grade, q, name, text) for name, text in typed.items()}
        unready = unready_parts(self.rows(), reads, results)  # typos and a wrong count: not graded
        if unready is not None:
            parts, names, (name, cell) = unready
            results_widget.update(Group(Text("Some answers could not be read — fix them and "
                                             "press Enter (nothing was checked yet)",
                                             style="bold yellow"), *parts))
            results_widget.display = True
            self.answers.mark_unready(set(names))
            self.entry(name).cells[cell].focus()
            self.call_after_refresh(self.body.scroll_to_widget, results_widget, animate=False,
                                    top=True)
            return False
        self.results = results
        self.attempts += 1
        self.checked = True
        all_correct = all(v.correct for v in results.values())
        self.answers.mark_results(results)
        results_widget.update(results_block(q, typed, results, all_correct))
        results_widget.display = True
        self._show_solution()
        self._set_hint()
        self.refresh_bindings()
        self.body.focus(scroll_visible=False)  # so the host's keys (n, Enter) work; tab returns to a cell
        self.call_after_refresh(self.body.scroll_to_widget, results_widget, animate=False, top=True)
        seconds = max(0.0, (self.app.monotonic() if hasattr(self.app, "monotonic") else 0.0)
                      - self._shown_at)
        self.post_message(self.Checked(self, q, all_correct, results, seconds, self.attempts,
                                       self.solution_seen_before_check, self.hints_shown))
        return True

    # ---- solution ------------------------------------------------------------------------------

    def reveal_solution(self) -> None:
        """Show the worked solution (before a check: the check that follows is marked as seen)."""
        if self.question is None:
            return
        if not self.checked:
            self.solution_seen_before_check = True
        self._show_solution()
        self.refresh_bindings()
        solution = self._static("solution")
        self.call_after_refresh(self.body.scroll_to_widget, solution, animate=False, top=True)

    def _show_solution(self) -> None:
        assert self.question is not None
        self.solution_shown = True
        solution = self._static("solution")
        solution.update(solution_block(self.question))
        solution.display = True
