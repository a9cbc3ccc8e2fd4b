"""One generated "compute the gradient" question: read it, type each answer, check, see the solution.

``GradientQuestionPanel`` is reusable: the Gradient Lab shows one and replaces its question with
``show_question``; a review session can mount a fresh one per skill card. Give it a height (its
default is ``1fr``): the question, feedback and worked solution scroll in the upper part while the
answer boxes stay in view at the bottom, so it works down to 80×24.

Keys (while focus is inside the panel): Enter in a box moves to the next empty box and checks once
every box is filled; ctrl+enter checks at once (where the terminal sends it); the Check button;
ctrl+s (or ``s`` when no box has focus) shows the worked solution; tab / shift+tab move between boxes.

Question text is rendered with rich ``Text`` objects (never Textual markup). This module does not
import NumPy at import time: grading (``quizapp.core.generators``) is imported on first check.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich.columns import Columns
from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from quizapp.core.text.safe import visible_controls
from quizapp.ui.widgets.matrix_view import EXACT_SIG, matrix_text, shape_label, shape_of

if TYPE_CHECKING:
    from quizapp.core.answers import NumericVerdict
    from quizapp.core.generators import Question

__all__ = ["GradientQuestionPanel"]

_COLUMN = re.compile(r"column (\d+)")
POOL = 4  # answer rows made up front (two_layer has four); more are mounted when a question needs them


def _safe(text: str, style: str = "") -> Text:
    return Text(visible_controls(text), style=style)


def answer_label(name: str, value: Any, integer: bool = False) -> str:
    """"dW (2×3)", "db (2)", "std" — what the box beside it wants."""
    if integer:
        return f"{name} (integer)"
    shape = shape_label(value)
    return f"{name} ({shape})" if shape else name


def answer_placeholder(value: Any, integer: bool = False) -> str:
    shape = shape_of(value)
    if integer:
        return "a whole number"
    if not shape:
        return "a number, e.g. 0.25 or 3/2"
    if len(shape) == 1 or (len(shape) == 2 and 1 in shape):
        n = max(shape)
        return "1 number, e.g. 0.5" if n == 1 else f"{n} numbers, e.g. 0.5, −0.02"
    return f"{shape[0]} rows split by ';', e.g. 1, 2; 3, 4"


class AnswerRow(Horizontal):
    """Name and shape, the box, and a ✓ / ✗ once checked."""

    def compose(self) -> ComposeResult:
        yield Label("", classes="gq-name", markup=False)
        yield Input(compact=True, classes="gq-box", select_on_focus=False)
        yield Label("", classes="gq-mark", markup=False)

    @property
    def box(self) -> Input:
        return self.query_one(".gq-box", Input)

    def setup(self, name: str, label: str, placeholder: str, width: int) -> None:
        self.answer_name = name
        tag = self.query_one(".gq-name", Label)
        tag.update(Text(label, style="bold"))
        tag.styles.width = width
        box = self.box
        box.value = ""
        box.placeholder = placeholder
        box.disabled = False
        box.tooltip = f"Your {name}. Rows of a matrix: separate with ';'. Fractions like 3/2 are fine."
        self.mark("")

    def mark(self, mark: str) -> None:
        label = self.query_one(".gq-mark", Label)
        style = {"✓": "bold green", "✗": "bold red"}.get(mark, "bold yellow")
        label.update(Text(mark, style=style))
        self.set_class(mark == "✓", "-right")
        self.set_class(mark == "✗", "-wrong")


class GradientQuestionPanel(Widget):
    """Shows a ``Question``; checks the typed answers; reveals the worked solution."""

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
    }
    GradientQuestionPanel AnswerRow {
        height: 1;
        margin-top: 0;
    }
    GradientQuestionPanel .gq-name {
        height: 1;
        padding-right: 1;
    }
    GradientQuestionPanel .gq-box {
        width: 1fr;
    }
    GradientQuestionPanel .gq-mark {
        width: 3;
        height: 1;
        padding-left: 1;
    }
    GradientQuestionPanel .gq-actions {
        height: 1;
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
    """

    BINDINGS = [
        Binding("ctrl+enter", "check", "Check", key_display="⏎",
                tooltip="Check the answers. Enter in a box moves to the next empty box and checks once "
                        "every box is filled; ctrl+enter checks at once"),
        Binding("ctrl+s", "reveal_solution", "Solution",
                tooltip="Show the worked solution step by step (checking afterwards is not scored as right)"),
        Binding("s", "reveal_solution", "Solution", show=False,
                tooltip="Show the worked solution step by step (checking afterwards is not scored as right)"),
    ]

    class Checked(Message):
        """Posted after every check. ``attempt`` is 1 for the first check of this question;
        ``solution_seen`` says whether the solution was shown before the check."""

        def __init__(self, panel: GradientQuestionPanel, question: Question, all_correct: bool,
                     results: dict[str, NumericVerdict], seconds: float, attempt: int = 1,
                     solution_seen: bool = False) -> None:
            super().__init__()
            self.panel = panel
            self.question = question
            self.all_correct = all_correct
            self.results = results
            self.seconds = seconds
            self.attempt = attempt
            self.solution_seen = solution_seen

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
        self._initial = question
        self._shown_at = 0.0
        self._pool = max(POOL, len(question.answer) if question is not None else 0)

    # ---- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="gq-body"):
            yield Static(classes="gq-title")
            yield Static(classes="gq-prompt")
            yield Static(classes="gq-inputs")
            yield Static(classes="gq-conventions")
            yield Static(classes="gq-results")
            yield Static(classes="gq-solution")
        with Vertical(classes="gq-answers"):
            for _ in range(self._pool):
                yield AnswerRow()
            with Horizontal(classes="gq-actions"):
                yield Button("Check", classes="gq-check", variant="primary", compact=True)
                yield Static(classes="gq-hint")

    def on_mount(self) -> None:
        if self.app.is_headless:  # snapshots must not catch a blinking cursor half-way
            for box in self.query(Input):
                box.cursor_blink = False
        if self._initial is not None:
            self.show_question(self._initial)
        else:
            self._clear()

    @property
    def body(self) -> VerticalScroll:
        return self.query_one(".gq-body", VerticalScroll)

    def _static(self, cls: str) -> Static:
        return self.query_one(f".gq-{cls}", Static)

    def rows(self) -> list[AnswerRow]:
        """The rows in use for the current question, in answer order."""
        return [r for r in self.query(AnswerRow) if r.display][: len(self.question.answer) if self.question else 0]

    def box(self, name: str) -> Input:
        """The answer box for ``name``."""
        for row in self.rows():
            if row.answer_name == name:
                return row.box
        raise KeyError(name)

    def _clear(self) -> None:
        for cls in ("title", "prompt", "inputs", "conventions", "results", "solution"):
            self._static(cls).update("")
        self._static("results").display = False
        self._static("solution").display = False
        for row in self.query(AnswerRow):
            row.display = False

    # ---- showing -------------------------------------------------------------------------------

    def show_question(self, question: Question, *, focus: bool = True) -> None:
        """Show ``question`` with empty answer boxes (the clock for ``Checked.seconds`` starts)."""
        self.question = question
        self.results = {}
        self.checked = False
        self.solution_shown = False
        self.solution_seen_before_check = False
        self.attempts = 0
        self._shown_at = self.app.monotonic() if hasattr(self.app, "monotonic") else 0.0
        names = list(question.answer)
        missing = len(names) - len(self.query(AnswerRow))
        if missing > 0:  # a family with more answers than the pool: add rows, then fill them
            actions = self.query_one(".gq-actions")
            new_rows = [AnswerRow() for _ in range(missing)]
            self.query_one(".gq-answers").mount_all(new_rows, before=actions)
            self.call_after_refresh(self.show_question, question, focus=focus)
            return
        self._render_question(question)
        width = max(len(answer_label(n, question.answer[n], question.tolerances[n].integer))
                    for n in names) + 1
        for i, row in enumerate(self.query(AnswerRow)):
            row.display = i < len(names)
            if i < len(names):
                name = names[i]
                value, integer = question.answer[name], question.tolerances[name].integer
                row.setup(name, answer_label(name, value, integer),
                          answer_placeholder(value, integer), width)
                if self.app.is_headless:
                    row.box.cursor_blink = False
        self._static("results").display = False
        self._static("solution").display = False
        self.query_one(".gq-check", Button).disabled = False
        self._set_hint()
        self.body.scroll_home(animate=False)
        self.refresh_bindings()
        if focus:
            self.focus_first()

    def focus_first(self) -> None:
        rows = self.rows()
        if rows:
            rows[0].box.focus(scroll_visible=False)

    def _render_question(self, q: Question) -> None:
        title = _safe(q.title or q.family, "bold")
        details = [q.difficulty] + ([q.activation] if q.activation else [])
        title.append("   " + " · ".join(details), style="not bold dim")
        self._static("title").update(title)
        self._static("prompt").update(_safe(q.prompt))
        blocks = []
        for name, value in q.inputs.items():
            shape = shape_label(value)
            label = f"{name} ({shape}) =" if shape else f"{name} ="
            blocks.append(matrix_text(value, label=_safe(label, "bold"), sig=EXACT_SIG))
        self._static("inputs").update(Columns(blocks, padding=(1, 4)) if blocks else "")
        conventions = Text(end="")
        for i, line in enumerate(q.conventions):
            if i:
                conventions.append("\n")
            conventions.append("• ")
            conventions.append_text(_safe(line))
        self._static("conventions").update(conventions)

    def _set_hint(self) -> None:
        if self.checked:
            hint = "Checked · ↑/↓ scroll · tab back to a box to fix it"
        else:
            hint = "Enter: next box, then check · ctrl+s: solution"
        self._static("hint").update(Text(hint))

    # ---- checking ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "check":
            return self.question is not None and not self.checked
        if action == "reveal_solution":
            return self.question is not None and not self.solution_shown
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
        rows = self.rows()
        empty = [r for r in rows if not r.box.value.strip()]
        if not empty:
            self.check()
            return
        here = next((i for i, r in enumerate(rows) if r.box is event.input), -1)
        after = [r for r in rows[here + 1:] if r in empty] or empty
        after[0].box.focus()

    def check(self) -> bool:
        """Grade every box; show ✓/✗, the feedback and the solution; post ``Checked``.

        Returns False, and checks nothing, when there is no question, every box is empty, or a
        box cannot be read as numbers: then the located error is shown and that box gets focus
        (a typo is not a wrong answer, so nothing is revealed or scored).
        """
        q = self.question
        if q is None:
            return False
        rows = self.rows()
        if not any(r.box.value.strip() for r in rows):
            self.notify("Type an answer in the box first.", severity="warning", timeout=3)
            return False
        from quizapp.core.generators import grade  # NumPy: only once somebody checks

        typed = {r.answer_name: r.box.value for r in rows}
        results = {name: _grade_safely(grade, q, name, text) for name, text in typed.items()}
        results_widget = self._static("results")
        unreadable = [r for r in rows
                      if typed[r.answer_name].strip() and results[r.answer_name].parse_error]
        if unreadable:
            for row in rows:
                row.mark("?" if row in unreadable else "")
            parts: list[Any] = [Text("Some answers could not be read — fix them and press Enter "
                                     "(nothing was checked yet)", style="bold yellow")]
            parts += [_verdict_block(r.answer_name, typed[r.answer_name], results[r.answer_name],
                                     q.answer[r.answer_name]) for r in unreadable]
            results_widget.update(Group(*parts))
            results_widget.display = True
            unreadable[0].box.focus(scroll_visible=False)
            self.call_after_refresh(self.body.scroll_to_widget, results_widget, animate=False, top=True)
            return False
        self.results = results
        self.attempts += 1
        self.checked = True
        all_correct = all(v.correct for v in results.values())
        for row in rows:
            row.mark("✓" if results[row.answer_name].correct else "✗")
        self._render_results(q, typed, results, all_correct)
        results_widget.display = True
        self._show_solution()
        self._set_hint()
        self.refresh_bindings()
        self.body.focus(scroll_visible=False)  # so the host's keys (n, Enter) work; tab returns to a box
        self.call_after_refresh(self.body.scroll_to_widget, results_widget, animate=False, top=True)
        seconds = max(0.0, (self.app.monotonic() if hasattr(self.app, "monotonic") else 0.0)
                      - self._shown_at)
        self.post_message(self.Checked(self, q, all_correct, results, seconds, self.attempts,
                                       self.solution_seen_before_check))
        return True

    def _render_results(self, q: Question, typed: dict[str, str], results: dict[str, NumericVerdict],
                        all_correct: bool) -> None:
        right = sum(v.correct for v in results.values())
        head = Text()
        if all_correct:
            head.append("✓ All correct", style="bold green")
        else:
            head.append(f"✗ {right} of {len(results)} right", style="bold red")
        tolerances = {v.tolerance for v in results.values() if v.tolerance}
        common = tolerances.pop() if len(tolerances) == 1 else None
        if common:
            head.append(f"\ntolerance: {common}", style="not bold dim")
        parts: list[Any] = [head]
        for name, verdict in results.items():
            parts.append(_verdict_block(name, typed[name], verdict, q.answer[name], common))
        self._static("results").update(Group(*parts))

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
        q = self.question
        assert q is not None
        self.solution_shown = True
        out = Text()
        out.append("Worked solution", style="bold underline")
        out.append("\n")
        for i, step in enumerate(q.solution, 1):
            out.append(f"{i:>2}. ", style="bold")
            out.append_text(_safe(step))
            out.append("\n")
        out.rstrip()
        blocks = []
        for name, value in q.answer.items():
            shape = shape_label(value)
            label = f"{name} ({shape}) =" if shape else f"{name} ="
            blocks.append(matrix_text(value, label=_safe(label, "bold green")))
        solution = self._static("solution")
        solution.update(Group(out, Text(), Text("Answer", style="bold"), Columns(blocks, padding=(1, 4))))
        solution.display = True


def _grade_safely(grade, q: Question, name: str, text: str) -> NumericVerdict:
    try:
        return grade(q, name, text)
    except Exception as error:  # noqa: BLE001 — feedback, never a traceback
        from quizapp.core.answers import NumericVerdict

        return NumericVerdict(False, f"Could not grade this answer: {error}", [], "", str(error))


def _verdict_block(name: str, typed: str, verdict: NumericVerdict, expected: Any,
                   common_tolerance: str | None = None) -> Any:
    """One quantity's feedback: ✓/✗ and the grader's message; a located caret for unreadable
    input; for wrong entries, your numbers beside the answer with those entries highlighted."""
    message = visible_controls(verdict.message)
    if common_tolerance:  # said once above the list
        message = message.replace(f" (tolerance: {common_tolerance})", "")
    head = Text()
    if verdict.correct:
        head.append("✓ ", style="bold green")
        head.append(name, style="bold")
        head.append("  " + message)
        return head
    if verdict.parse_error is not None and typed.strip():
        head.append("? ", style="bold yellow")
        head.append(name, style="bold")
        head.append("  could not read this answer", style="yellow")
        shown = visible_controls(typed)
        caret = Text("    " + shown + "\n")
        match = _COLUMN.search(verdict.parse_error)
        if match:
            col = min(max(int(match.group(1)), 1), len(shown) + 1)
            caret.append("    " + " " * (col - 1) + "^ ", style="bold yellow")
        else:
            caret.append("    ")
        caret.append(visible_controls(verdict.parse_error), style="yellow")
        return Group(head, caret)
    head.append("✗ ", style="bold red")
    head.append(name, style="bold")
    if verdict.parse_error is not None:
        head.append("  no answer given", style="red")
        return head
    head.append("  " + message)
    given = getattr(verdict, "given", None)
    if given is None or not verdict.wrong_entries:
        return head
    given_list = given.tolist()
    if shape_of(given_list) != shape_of(expected):
        return head
    grid = Table.grid(padding=(0, 4))
    grid.add_column()
    grid.add_column()
    grid.add_row(
        matrix_text(given_list, label=Text("yours", style="dim"), highlight=verdict.wrong_entries),
        matrix_text(expected, label=Text("answer", style="dim"), highlight=verdict.wrong_entries,
                    highlight_style="bold green"),
    )
    return Group(head, Padding(grid, (0, 0, 0, 4)))
