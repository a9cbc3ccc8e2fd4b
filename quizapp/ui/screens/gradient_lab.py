"""Gradient Lab: generated "compute the gradient" questions with fresh numbers, checked as you go.

Pick a family, an activation ("any" lets the seed choose; families without one disable it) and a
difficulty; type each answer into its cells (shaped like the answer) and press Enter; the feedback
and the worked solution follow. ctrl+t gives the next hint (the next intermediate to compute).
ctrl+n (or ``n`` when no cell has focus) brings new numbers. Every registered family is offered:
the list, the cells, the hints and the solution all come from the family's questions. With a seed (``QuizApp.lab_seed``, fixed in tests) the questions are
seed, seed + 1, … in the order they are made, so a session can be replayed; without one the first
seed is random. The session score counts each question once, on its first check.

The first frame is the screen's frame and a "Loading…" line: a thread imports the generators (NumPy)
and the question widgets, then the controls and the first question are mounted (``loaded``).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Select, Static

if TYPE_CHECKING:
    from quizapp.ui.widgets.gradient_question import GradientQuestionPanel

ANY = "any"
DEFAULT_FAMILY = "backprop_activation"


class GradientLabScreen(Screen):
    DEFAULT_CSS = """
    #lab {
        padding: 0 1;
    }
    #lab-controls {
        height: 1;
        margin: 1 0 0 0;
    }
    GradientLabScreen.-short #lab-controls {
        margin: 0;
    }
    #lab-controls Select {
        margin-right: 2;
    }
    #lab-family {
        width: 1fr;
        max-width: 38;
    }
    #lab-activation {
        width: 22;
    }
    #lab-difficulty {
        width: 14;
    }
    #lab-panel {
        border: round $primary;
    }
    #lab-loading {
        color: $text-muted;
        margin: 1 0;
    }
    #lab-status {
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS = [
        Binding("ctrl+n", "new_question", "New numbers",
                tooltip="A new question of the chosen kind with fresh numbers (also n when no answer box has focus)"),
        Binding("n", "new_question", "New numbers", show=False,
                tooltip="A new question of the chosen kind with fresh numbers (also n when no answer box has focus)"),
        Binding("enter", "next_after_check", "Next question", key_display="⏎",
                tooltip="After checking (focus on the solution): the next question"),
        Binding("escape", "leave", "Home", tooltip="Back to the deck list"),
    ]

    def __init__(self, seed: int | None = None, *, family: str = DEFAULT_FAMILY,
                 activation: str | None = None, difficulty: str = "easy") -> None:
        super().__init__()
        self.seed = seed if seed is not None else random.randrange(100_000)
        self.next_seed = self.seed
        self.family, self.activation, self.difficulty = family, activation, difficulty  # checked when loaded
        self.asked = 0
        self.right = 0
        self._scored: set[str] = set()
        self.question = None
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="lab"):
            yield Static("Loading the Gradient Lab…", id="lab-loading")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Gradient Lab"
        self.call_after_refresh(self._load)

    class Loaded(Message):
        """The question generators (NumPy) and the question widgets are imported."""

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        import quizapp.core.generators  # noqa: F401
        import quizapp.ui.widgets.gradient_question  # noqa: F401

        self.post_message(self.Loaded())

    @on(Loaded)
    async def _loaded(self) -> None:
        from quizapp.core.generators import DIFFICULTIES, FAMILIES, activation_names, family_names
        from quizapp.ui.widgets.gradient_question import GradientQuestionPanel

        self.family = self.family if self.family in FAMILIES else family_names()[0]
        self.activation = self.activation if self.activation in activation_names() else None
        self.difficulty = self.difficulty if self.difficulty in DIFFICULTIES else DIFFICULTIES[0]
        controls = Horizontal(
            Select([(Text(FAMILIES[n].title), n) for n in family_names()],
                   value=self.family, allow_blank=False, compact=True, id="lab-family",
                   tooltip="Kind of question"),
            Select([(Text("any activation"), ANY)] + [(Text(n), n) for n in activation_names()],
                   value=self.activation or ANY, allow_blank=False, compact=True,
                   id="lab-activation", tooltip="Activation (any: drawn from the seed)"),
            Select([(Text(d), d) for d in DIFFICULTIES], value=self.difficulty,
                   allow_blank=False, compact=True, id="lab-difficulty",
                   tooltip="Difficulty: easy is done on paper; harder means more "
                           "steps and less friendly numbers"),
            id="lab-controls")
        lab = self.query_one("#lab")
        await self.query_one("#lab-loading").remove()
        await lab.mount_all([controls, GradientQuestionPanel(id="lab-panel"), Static(id="lab-status")])
        self.loaded = True
        self.new_question()

    def on_resize(self) -> None:
        self.set_class(self.size.height < 28, "-short")  # 80×24: every line goes to the question

    @property
    def panel(self) -> GradientQuestionPanel:
        return self.query_one("#lab-panel")

    # ---- questions -----------------------------------------------------------------------------

    def new_question(self) -> None:
        from quizapp.core.generators import FAMILIES, generate

        if not self.loaded:
            return
        family = FAMILIES[self.family]
        activation = self.activation if family.uses_activation else None
        self.query_one("#lab-activation", Select).disabled = not family.uses_activation
        seed = self.next_seed
        self.next_seed += 1
        try:
            question = generate(self.family, seed=seed, difficulty=self.difficulty,
                                activation=activation)
        except ValueError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.question = question
        self.panel.show_question(question)
        self._update_status()

    def action_new_question(self) -> None:
        self.new_question()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_after_check", "new_question") and not self.loaded:
            return False
        if action == "next_after_check":
            return self.is_mounted and self.panel.checked
        return True

    def action_next_after_check(self) -> None:
        self.new_question()

    def action_leave(self) -> None:
        self.dismiss(None)

    @on(Select.Changed)
    def _choice_changed(self, event: Select.Changed) -> None:
        value = event.value
        if value is Select.NULL:
            return
        if event.select.id == "lab-family":
            if value == self.family:
                return
            self.family = str(value)
        elif event.select.id == "lab-activation":
            chosen = None if value == ANY else str(value)
            if chosen == self.activation:
                return
            self.activation = chosen
        elif event.select.id == "lab-difficulty":
            if value == self.difficulty:
                return
            self.difficulty = str(value)
        else:
            return
        self.new_question()

    # ---- score ---------------------------------------------------------------------------------

    def on_gradient_question_panel_checked(self, event: GradientQuestionPanel.Checked) -> None:
        """GradientQuestionPanel.Checked, by its handler name (the panel is imported when loaded)."""
        qid = event.question.id
        if qid in self._scored:  # re-checks after fixing a box teach, but do not score
            self._update_status()
            return
        self._scored.add(qid)
        self.asked += 1
        if event.all_correct and not event.solution_seen:
            self.right += 1
        self._update_status()

    def score_text(self) -> str:
        return f"{self.right} / {self.asked} right this session"

    def _update_status(self) -> None:
        status = Text()
        status.append(self.score_text(), style="bold")
        if self.question is not None:
            status.append(f"   seed {self.question.seed}", style="dim")
        status.append("   ctrl+n / n new numbers", style="dim")
        self.query_one("#lab-status", Static).update(status)
