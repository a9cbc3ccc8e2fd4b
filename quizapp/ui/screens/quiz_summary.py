"""End of a quiz: score, time, accuracy per kind, every missed item with its answer, past quizzes."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from quizapp.core.study.quiz import (
    KIND_LABELS, MissedItem, Quiz, QuizRecord, QuizSummary, quiz_history,
)
from quizapp.core.text.timefmt import clock_text
from quizapp.ui.widgets.card_text import inline_markdown

HISTORY = 8


def _one_line(source: str, width: int = 160) -> Text:
    text = inline_markdown(" ".join(source.split()))
    if len(text) > width:
        text.truncate(width - 1)
        text.append("…")
    return text


def _item_table(rows: list[tuple[str, str, MissedItem]]) -> Table:
    """Missed items with a hanging indent: the mark, then the prompt, what you gave, the answer."""
    table = Table(box=None, show_header=False, show_edge=False, padding=(0, 1, 0, 0), expand=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for mark, style, m in rows:
        body = _one_line(m.item.prompt)
        if m.given is not None:
            body.append("\nyou: ", style="dim")
            body.append_text(_one_line(m.given))
        body.append("\nanswer: ", style="dim")
        answer = _one_line(m.expected, 300)
        answer.stylize("green")
        body.append_text(answer)
        table.add_row(Text(mark, style=style), body)
    return table


class QuizSummaryScreen(Screen):
    DEFAULT_CSS = """
    QuizSummaryScreen #quiz-summary { padding: 0 2; }
    QuizSummaryScreen #quiz-summary > Static { height: auto; margin-bottom: 1; }
    QuizSummaryScreen #quiz-score { border: round $success; padding: 0 1; }
    QuizSummaryScreen #quiz-score.-timed-out { border: round $warning; }
    """

    BINDINGS = [
        Binding("r", "review_missed", "Review missed",
                tooltip="Send the missed cards to spaced repetition: due now, their history kept"),
        Binding("n", "new_quiz", "New quiz", tooltip="Set up another quiz"),
        Binding("enter", "home", "Home", tooltip="Back to your decks"),
        Binding("escape", "home", "Home", show=False),
    ]

    def __init__(self, quiz: Quiz, summary: QuizSummary | None = None,
                 history: list[QuizRecord] | None = None) -> None:
        super().__init__()
        self.quiz = quiz
        self.summary = summary or quiz.summary()
        self._history = history

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="quiz-summary"):
            yield Static(self._score(), id="quiz-score", classes="-timed-out" if self.summary.timed_out else "")
            yield Static(self._per_kind(), id="quiz-kinds-table")
            yield Static(self._missed(), id="quiz-missed")
            yield Static(id="quiz-history")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Quiz summary"
        self._show_history()
        self.query_one("#quiz-summary", VerticalScroll).focus()

    # ---- content -------------------------------------------------------------------------------

    def _score(self) -> Text:
        s = self.summary
        colour = "green" if s.percent >= 80 else "yellow" if s.percent >= 50 else "red"
        head = ("Time is up! " if s.timed_out else "Quiz ended early. " if s.unanswered
                else "Quiz complete! ")
        text = Text(head, style="bold")
        text.append(f"{s.correct} / {s.total} right", style=f"bold {colour}")
        text.append(f"  ·  {s.percent}%", style=f"bold {colour}")
        text.append(f"\nTime {clock_text(s.seconds)}")
        if s.time_limit is not None:
            text.append(f" of {clock_text(s.time_limit)}")
        text.append(f"  ·  {s.answered} of {s.total} answered")
        return text

    def _per_kind(self) -> Table:
        table = Table(box=None, padding=(0, 2), show_edge=False, header_style="bold")
        table.add_column("Kind")
        table.add_column("Right", justify="right")
        table.add_column("Asked", justify="right")
        table.add_column("Accuracy", justify="right")
        for kind, score in self.summary.per_kind.items():
            table.add_row(KIND_LABELS[kind], str(score.correct), str(score.asked), f"{round(100 * score.accuracy)}%")
        return table

    def _missed(self) -> Text | Group:
        s = self.summary
        if not s.missed and not s.unanswered:
            return Text("Nothing missed — well done.", style="bold green")
        parts: list = []
        if s.missed:
            head = Text(f"Missed ({len(s.missed)})", style="bold")
            sent = self.quiz.sent_to_review is not None
            head.append("  — sent to review, due now" if sent else "  — press r to review them", style="dim")
            parts += [head, _item_table([("✗", "bold red", m) for m in s.missed])]
        if s.unanswered:
            if parts:
                parts.append(Text())
            parts += [Text(f"Not answered ({len(s.unanswered)})", style="bold"),
                      _item_table([("·", "dim", m) for m in s.unanswered])]
        return Group(*parts)

    def _show_history(self) -> None:
        records = self._history
        if records is None:
            records = quiz_history(self.app.collection, HISTORY)
        table = Table(box=None, padding=(0, 2), show_edge=False, header_style="bold",
                      title="Past quizzes", title_justify="left", title_style="bold")
        table.add_column("When", no_wrap=True, min_width=16)
        table.add_column("Score", justify="right", no_wrap=True, min_width=9)
        table.add_column("Time", justify="right", no_wrap=True, min_width=5)
        table.add_column("Kinds", overflow="ellipsis", no_wrap=True, max_width=36)
        for r in records:
            table.add_row(r.finished_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                          f"{r.correct}/{r.total} {r.percent:>3}%", clock_text(r.seconds), ", ".join(r.kinds))
        history = self.query_one("#quiz-history", Static)
        history.update(table if records else Text("No quizzes stored yet.", style="dim"))

    # ---- actions -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "review_missed":
            return bool(self.summary.missed) and self.quiz.sent_to_review is None
        return True

    def action_review_missed(self) -> None:
        self.app.writes.run(self.quiz.review_missed, self._sent, what="sending the missed cards to review")

    def _sent(self, keys: list[str]) -> None:
        if not keys:
            return
        n = len(keys)
        self.notify(f"{n} card{'s are' if n != 1 else ' is'} due now in review.", title="Sent to review")
        self.query_one("#quiz-missed", Static).update(self._missed())
        self.refresh_bindings()

    def action_new_quiz(self) -> None:
        self.app.switch_screen(self.app.quiz_setup_screen())

    def action_home(self) -> None:
        self.dismiss(None)
