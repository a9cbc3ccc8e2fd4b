""""I was right" on the review screen: a typed answer graded wrong that the learner knows was right.

`y` logs an ``override`` event (the answer, rating Good; no effect on scheduling) through the write
guard, then the verdict says so and Good is suggested; the grade 1–4 that follows schedules the
card as usual. The key is offered only while such a verdict is on screen (see
:meth:`TypedOverride.can_override`). A separate module so the review screen stays short.
"""

from __future__ import annotations

from fsrs import Rating
from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from quizapp.core.text.safe import visible_controls


class TypedOverride(Screen):
    """Base of :class:`~quizapp.ui.screens.review.ReviewScreen`: the `y` key and what it does. The
    review screen provides ``card``, ``session``, ``revealed``, ``_typed``, ``_suggested``,
    ``_wants_typing`` and ``_set_verdict``."""

    BINDINGS = [
        Binding("y", "override", "I was right",
                tooltip="Your typed answer was graded wrong but was right: suggest Good (logged as an override)"),
    ]

    def can_override(self) -> bool:
        card = self.card
        return (card is not None and self.revealed and self._wants_typing(card)
                and self._typed is not None and self._suggested is Rating.Again)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "override":
            return self.can_override()
        return True

    def action_override(self) -> None:
        if not self.can_override():
            return
        session, key, answer = self.session, self.card.key, self._typed

        def log():
            return session.study.collection.log_override(key, answer=answer, at=session.study.now())

        def logged(_entry) -> None:
            if self.card is None or self.card.key != key:
                return
            self._suggested = Rating.Good
            verdict = Text("✓ Marked right by you (logged) — grade it as you knew it", style="bold green")
            verdict.append(f"\nYou: {visible_controls(answer)}", style="dim")
            self._set_verdict(verdict)
            from quizapp.ui.widgets.grade_bar import GradeBar

            self.query_one(GradeBar).show_intervals(session.intervals(), self._suggested)
            self.query_one("#hint", Static).update("Marked right. How well did you know it? Press 1–4.")
            self.refresh_bindings()

        self.app.writes.run(log, logged, what="marking your answer right")
