"""One quiz item at a time: number keys for multiple choice, a text box for the rest, a countdown.

Time comes from ``app.monotonic`` (tests replace it), read on every tick of a ``set_interval`` and on
every answer; the quiz ends by itself when its time limit is reached.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Static

from quizapp.core.study.quiz import (
    KIND_LABELS, ItemResult, Quiz, QuizError, QuizItem, QuizKind,
)
from quizapp.core.text.reflow import flow_paragraphs
from quizapp.core.text.safe import visible_controls
from quizapp.core.text.timefmt import clock_text
from quizapp.ui.widgets.card_text import CardText, inline_markdown

_PLACEHOLDERS = {
    QuizKind.TYPED: "Type your answer, then Enter",
    QuizKind.CLOZE: "Type the missing words, then Enter",
    QuizKind.DRILL: "A formula, written like 3*z**2 + 1 — then Enter",
}


def plain_option(text: str) -> Text:
    """An option without emphasis, so a **bold** answer in the deck does not give itself away."""
    return Text(inline_markdown(text).plain)


class QuizScreen(Screen):
    TICK = 1.0  # seconds between countdown updates (tests shorten it)

    DEFAULT_CSS = """
    QuizScreen #quiz { padding: 0 2; }
    QuizScreen #quiz-status { height: 1; }
    QuizScreen #quiz-progress { width: 1fr; color: $text-muted; }
    QuizScreen #quiz-timer { width: auto; text-style: bold; }
    QuizScreen #quiz-timer.-low { color: $error; }
    QuizScreen #quiz-card { border: round $primary; padding: 0 2; height: auto; max-height: 1fr; }
    QuizScreen #quiz-kind { color: $text-muted; margin-bottom: 1; }
    QuizScreen #quiz-prompt { text-style: bold; }
    QuizScreen #quiz-options { height: auto; margin: 1 0 0 2; }
    QuizScreen #quiz-input { margin-top: 1; }
    QuizScreen #quiz-fields { height: auto; margin-top: 1; }
    QuizScreen #quiz-fields Input { margin-bottom: 0; }
    QuizScreen #quiz-feedback { height: auto; margin-top: 1; }
    QuizScreen #quiz-hint { dock: bottom; height: 1; color: $text-muted; text-align: center; }
    QuizScreen #quiz-card { margin-bottom: 1; }
    QuizScreen .quiz-row { height: auto; }
    QuizScreen .quiz-row Label { width: auto; min-width: 8; padding: 1 1 0 0; text-style: bold; }
    QuizScreen .quiz-row Input { width: 1fr; }
    """

    BINDINGS = [
        *(Binding(str(n), f"choose({n})", "Pick option", key_display="1–9", show=False,
                  tooltip="Multiple choice: pick an option (toggle one when several are right)")
          for n in range(1, 10)),
        Binding("enter", "check", "Check", tooltip="Multiple choice with several right options: check your picks"),
        Binding("enter", "next", "Next", tooltip="After an answer: the next question (or the summary)"),
        Binding("y", "override", "I was right",
                tooltip="A typed answer graded wrong was right after all: count it (logged as an override)"),
        Binding("escape", "end", "End quiz", tooltip="End the quiz now (press twice); unanswered questions count as not right"),
    ]

    def __init__(self, quiz: Quiz) -> None:
        super().__init__()
        self.quiz = quiz
        self.result: ItemResult | None = None  # feedback on the item just answered
        self._item: QuizItem | None = None
        self._picked: set[int] = set()
        self._end_armed = False
        self._ended = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="quiz"):
            with Horizontal(id="quiz-status"):
                yield Static(id="quiz-progress")
                yield Static(id="quiz-timer")
            with VerticalScroll(id="quiz-card"):
                yield Static(id="quiz-kind")
                yield CardText(id="quiz-prompt")
                yield Static(id="quiz-options")
                yield Input(id="quiz-input")
                yield Vertical(id="quiz-fields")
                yield Static(id="quiz-feedback")
            yield Static(id="quiz-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Quiz"
        self.quiz.start(self.now())
        self.set_interval(self.TICK, self.tick)
        self.show_item()
        self.tick()

    # ---- time ----------------------------------------------------------------------------------

    def now(self) -> float:
        return self.app.monotonic()

    def tick(self) -> None:
        """Update the countdown; end the quiz when its time is up."""
        if self._ended or self.app.writes.active:  # (an answer being saved ends it, if it is late)
            return
        now = self.now()
        timer = self.query_one("#quiz-timer", Static)
        remaining = self.quiz.remaining(now)
        if remaining is None:
            timer.update(f"⏱ {clock_text(self.quiz.elapsed(now))}")
        else:
            timer.update(f"⏱ {clock_text(remaining, up=True)} left")
            timer.set_class(remaining <= 30, "-low")
        if self.quiz.expired(now) and not self.quiz.finished:
            self.notify("Time is up.", title="Quiz over", severity="warning")
            self.end_quiz()

    def end_quiz(self) -> None:
        """Store the quiz in the history, then show its summary (also if the user gives storing up)."""
        if self._ended:
            return
        quiz, now = self.quiz, self.now()

        def summary(_result=None) -> None:
            from quizapp.ui.screens.quiz_summary import QuizSummaryScreen

            self.app.switch_screen(QuizSummaryScreen(quiz))

        self._ended = self.app.writes.run(lambda: quiz.finish(now), summary, what="the quiz result",
                                          cancelled=summary)

    # ---- showing -------------------------------------------------------------------------------

    def show_item(self) -> None:
        item = self.quiz.current
        self._item = item
        self.result = None
        self._picked = set()
        if item is None:
            self.end_quiz()
            return
        card = item.card
        deck = self.app.library.deck(card.deck)
        where = visible_controls(" · ".join(p for p in (card.section, deck.title if deck else card.deck) if p))
        kind = self.query_one("#quiz-kind", Static)
        kind.update(Text.assemble((KIND_LABELS[item.kind], "bold"), (f" — {item.ask}" if item.ask else "", ""),
                                  (f" · {where}", "dim")))
        self.query_one("#quiz-prompt", CardText).show(item.prompt)
        self._render_options()
        typed = self.query_one("#quiz-input", Input)
        typed.value = ""
        typed.disabled = False
        typed.display = item.kind in _PLACEHOLDERS
        typed.placeholder = _PLACEHOLDERS.get(item.kind, "")
        fields = self.query_one("#quiz-fields", Vertical)
        fields.remove_children()
        fields.display = item.kind is QuizKind.GRADIENT
        if item.kind is QuizKind.GRADIENT:
            from quizapp.core.generators.format import shape_text

            fields.mount_all(
                Horizontal(Label(f"{name} ({shape_text(item.question.answer[name])})"),
                           Input(placeholder="numbers like 0.5, -2 · rows split by ;",
                                 id=f"field-{name}", classes="quiz-field"),
                           classes="quiz-row")
                for name in item.answers)
        feedback = self.query_one("#quiz-feedback", Static)
        feedback.update("")
        feedback.display = False
        self._update_progress()
        self._update_hint()
        self.refresh_bindings()
        if typed.display:
            typed.focus()
        elif item.kind is QuizKind.GRADIENT:
            self.call_after_refresh(self._focus_first_field)
        else:
            self.set_focus(None)
        self.query_one("#quiz-card", VerticalScroll).scroll_home(animate=False)

    def _focus_first_field(self) -> None:
        fields = list(self.query(".quiz-field").results(Input))
        if fields and self.result is None:
            fields[0].focus()

    def _render_options(self) -> None:
        item = self._item
        options = self.query_one("#quiz-options", Static)
        options.display = bool(item and item.options)
        if not options.display:
            return
        table = Table(box=None, show_header=False, show_edge=False, padding=(0, 1, 0, 0), expand=True)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        answered = self.result is not None
        for i, option in enumerate(item.options):
            picked = i in self._picked
            style, mark = ("bold" if picked else ""), ""
            if answered:
                if i in item.correct:
                    style, mark = "bold green", "  ✓"
                elif picked:
                    style, mark = "bold red", "  ✗"
                else:
                    style = "dim"
            number = f"{i + 1}. {'[x]' if picked else '[ ]'}" if item.multi else f"{i + 1}."
            text = plain_option(option)
            text.append(mark)
            if style:
                text.stylize(style)
            table.add_row(Text(number, style=style), text)
        options.update(table)

    def _update_progress(self) -> None:
        quiz = self.quiz
        right = sum(bool(r and r.correct) for r in quiz.results)
        number = min(quiz.index + (self.result is None), len(quiz.items))
        self.query_one("#quiz-progress", Static).update(
            f"Question {number} of {len(quiz.items)}   ·   {right} right")

    def _update_hint(self) -> None:
        item = self._item
        if item is None:
            hint = ""
        elif self.result is not None:
            hint = "Enter: see your score" if self.quiz.finished else "Enter: next question"
            if self.quiz.can_override():
                hint += " · y: I was right"
        elif item.kind is QuizKind.CHOICE:
            hint = ("Toggle options with their numbers, Enter to check" if item.multi
                    else "Press the number of your answer")
        elif item.kind is QuizKind.GRADIENT:
            hint = "Enter moves to the next box; Enter in the last one checks"
        else:
            hint = "Type the answer and press Enter · Esc twice ends the quiz"
        self.query_one("#quiz-hint", Static).update(hint)

    # ---- answering -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        item = self._item
        if action == "next":
            return self.result is not None
        if action == "override":
            return self.result is not None and self.quiz.can_override()
        if action == "check":
            return self.result is None and item is not None and item.kind is QuizKind.CHOICE and item.multi
        if action == "choose":
            return self.result is None and item is not None and item.kind is QuizKind.CHOICE
        return True

    def action_choose(self, number: int) -> None:
        item = self._item
        if item is None or self.result is not None or item.kind is not QuizKind.CHOICE:
            return
        if not 1 <= number <= len(item.options):
            return
        if item.multi:
            self._picked ^= {number - 1}
            self._render_options()
        else:
            self._picked = {number - 1}
            self._submit(number - 1)

    def action_override(self) -> None:
        """"I was right": the typed answer just graded wrong counts as right (logged)."""
        if self.result is not None and self.quiz.can_override():
            self.app.writes.run(self.quiz.override, self._answered, what="marking your answer right")

    def action_check(self) -> None:
        if not self._picked:
            self.notify("Pick options with their numbers first.", severity="warning")
            return
        self._submit(sorted(self._picked))

    @on(Input.Submitted, "#quiz-input")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        if self.result is None and event.value.strip():
            self._submit(event.value)

    @on(Input.Submitted, ".quiz-field")
    def _field(self, event: Input.Submitted) -> None:
        event.stop()
        if self.result is not None:
            return
        fields = list(self.query(".quiz-field").results(Input))
        index = fields.index(event.input)
        if index + 1 < len(fields):
            fields[index + 1].focus()
            return
        empty = [f for f in fields if not f.value.strip()]
        if empty:
            empty[0].focus()
            self.notify("Fill in every answer first.", severity="warning")
            return
        item = self._item
        self._submit({name: f.value for name, f in zip(item.answers, fields)})

    def _submit(self, response) -> None:
        """Grade the answer here, then log it through the write guard: the feedback shows once it is
        logged (a failed write keeps the question, with the guard's panel to retry)."""
        quiz, now = self.quiz, self.now()
        if quiz.finished or quiz.expired(now):
            self.notify("Time is up.", title="Quiz over", severity="warning")
            self.end_quiz()
            return
        try:
            result = quiz.check(response, now=now)
        except QuizError as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        index = quiz.index

        def record() -> ItemResult:
            if quiz.index == index:
                quiz.record(result, response, now=now)
            else:  # the answer was logged and only storing the finished quiz failed: store it again
                quiz.finish(now)
            return result

        self.app.writes.run(record, self._answered, what="your answer")

    def _answered(self, result: ItemResult) -> None:
        self.result = result
        for box in (self.query_one("#quiz-input", Input), *self.query(".quiz-field").results(Input)):
            box.disabled = True
        self.set_focus(None)
        self._render_options()
        self._show_feedback(result)
        self._update_progress()
        self._update_hint()
        self.refresh_bindings()

    def _show_feedback(self, result: ItemResult) -> None:
        item = self._item
        if result.overridden:
            out = Text("✓ Marked right by you (logged)", style="bold green")
        elif result.correct and result.close:
            out = Text("≈ Accepted — check the spelling", style="bold yellow")
        elif result.correct:
            out = Text("✓ Correct", style="bold green")
        else:
            out = Text("✗ Not right", style="bold red")
        if (not result.correct or result.overridden) and item.kind is not QuizKind.CHOICE:
            out.append("\nYou: ", style="dim")
            out.append(result.given or "—")
        if item.kind in (QuizKind.DRILL, QuizKind.GRADIENT) and not result.correct:
            for line in result.message.rsplit(". Expected:", 1)[0].split("; "):
                out.append("\n" + line, style="dim")
        if not result.correct or result.close or result.overridden:
            out.append("\nAnswer: ", style="dim")
            out.append_text(inline_markdown(flow_paragraphs(result.expected), "bold"))
        if item.kind is QuizKind.GRADIENT and item.question is not None and not result.correct:
            for line in item.question.solution[:6]:
                out.append("\n  " + line, style="dim")
        feedback = self.query_one("#quiz-feedback", Static)
        feedback.update(out)
        feedback.display = True
        self.call_after_refresh(self.query_one("#quiz-card", VerticalScroll).scroll_end, animate=False)

    def action_next(self) -> None:
        if self.result is None:
            return
        if self.quiz.finished:
            self.end_quiz()
        else:
            self.show_item()

    def action_end(self) -> None:
        if not self._end_armed:
            self._end_armed = True
            self.notify("Press Esc again to end the quiz.", timeout=3)
            self.set_timer(3, self._disarm)
            return
        self.end_quiz()

    def _disarm(self) -> None:
        self._end_armed = False
