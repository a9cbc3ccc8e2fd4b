"""The four grade buttons of a review, each showing the interval it would schedule (like Anki)."""

from __future__ import annotations

from datetime import timedelta

from fsrs import Rating
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from quizapp.core.text.timefmt import short_interval

GRADES: tuple[tuple[Rating, str, str], ...] = (
    (Rating.Again, "Again", "error"),
    (Rating.Hard, "Hard", "warning"),
    (Rating.Good, "Good", "success"),
    (Rating.Easy, "Easy", "primary"),
)


class GradeBar(Horizontal):
    """Buttons 1–4. Posts ``GradeBar.Graded`` when one is pressed; keys are bound by the screen."""

    DEFAULT_CSS = """
    GradeBar {
        height: 3;
        width: 1fr;
        align-horizontal: center;
    }
    GradeBar Button {
        width: 1fr;
        min-width: 0;
        max-width: 22;
        margin: 0 1;
    }
    GradeBar Button.-suggested {
        text-style: bold reverse;
    }
    """

    class Graded(Message):
        def __init__(self, rating: Rating) -> None:
            super().__init__()
            self.rating = rating

    def compose(self) -> ComposeResult:
        for rating, label, variant in GRADES:
            yield Button(f"{int(rating)} {label}", id=f"grade-{int(rating)}", variant=variant, compact=True)

    def show_intervals(self, intervals: dict[Rating, timedelta], suggested: Rating | None = None) -> None:
        for rating, label, _ in GRADES:
            button = self.query_one(f"#grade-{int(rating)}", Button)
            interval = intervals.get(rating)
            suffix = f"  {short_interval(interval)}" if interval is not None else ""
            button.label = f"{int(rating)} {label}{suffix}"
            button.set_class(rating == suggested, "-suggested")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        rating = Rating(int((event.button.id or "grade-3").rsplit("-", 1)[1]))
        self.post_message(self.Graded(rating))
