"""Review: front → reveal → grade 1–4, with undo, suspend, bury and edit-in-$EDITOR."""

from __future__ import annotations

from fsrs import Rating
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Footer, Header, Input, Static

from quizapp.core.text.compare import compare_text
from quizapp.core.text.reflow import flow_paragraphs
from quizapp.core.content.model import Card, CardKind
from quizapp.core.content.sources import shown_sources
from quizapp.core.study.review import ReviewSession
from quizapp.core.text.safe import visible_controls
from quizapp.ui.screens.review_cards import (
    KIND_LABELS, QUICK_SECONDS, SPECIAL, make_special_panel, progress_text, quoted_front, undone_message,
)
from quizapp.ui.widgets.card_text import CardText, inline_markdown
from quizapp.ui.widgets.choice_list import ChoiceList
from quizapp.ui.screens.typed_override import TypedOverride
from quizapp.ui.widgets.grade_bar import GradeBar
from quizapp.ui.widgets.text_diff import diff_text

class ReviewScreen(TypedOverride):
    """One review session. ``session`` comes from ``Study.start_review``."""

    # Keys that a text box would type (u ! - e space) work while no box has focus; while one has
    # (typed answers, drills, skill cards), the same actions are on ctrl keys. check_action shows and
    # enables exactly one of each pair, so the footer shows only keys that work (see TYPING_KEYS).
    BINDINGS = [
        Binding("space", "reveal", "Reveal", tooltip="Show the answer (multiple choice with several right options: check)"),
        Binding("enter", "reveal", "Reveal", show=False, tooltip="Show the answer (multiple choice with several right options: check)"),
        Binding("1", "grade(1)", "Again", show=False),
        Binding("2", "grade(2)", "Hard", show=False),
        Binding("3", "grade(3)", "Good", show=False),
        Binding("4", "grade(4)", "Easy", show=False),
        Binding("u", "undo", "Undo", tooltip="Undo the last grade, suspend or bury; the card comes back"),
        Binding("ctrl+z", "undo", "Undo", key_display="^z", tooltip="Undo the last grade, suspend or bury; the card comes back"),
        Binding("exclamation_mark", "suspend", "Suspend", key_display="!", tooltip="Suspend the card: it leaves the review queue"),
        Binding("ctrl+g", "suspend", "Suspend", key_display="^g", tooltip="Suspend the card: it leaves the review queue"),
        Binding("minus", "bury", "Bury", key_display="-", tooltip="Bury the card until tomorrow"),
        Binding("ctrl+l", "bury", "Bury", key_display="^l", tooltip="Bury the card until tomorrow"),
        Binding("e", "edit", "Edit", tooltip="Open the deck file in $EDITOR at this card; the deck reloads afterwards"),
        # works, listed in help; left out of the footer, which the panels' own keys fill at 80 columns
        Binding("ctrl+o", "edit", "Edit", key_display="^o", show=False,
                tooltip="Open the deck file in $EDITOR at this card; the deck reloads afterwards"),
        Binding("escape", "leave", "Home", tooltip="Leave the review (every grade is already saved)"),
    ]
    # the keys a text box would swallow, and the keys that stand in for them while one has focus
    PLAIN_KEYS = frozenset({"space", "u", "exclamation_mark", "minus", "e"})
    TYPING_KEYS = frozenset({"ctrl+z", "ctrl+g", "ctrl+l", "ctrl+o"})

    revealed: reactive[bool] = reactive(False, init=False)

    def __init__(self, session: ReviewSession, title: str = "All decks") -> None:
        super().__init__()
        self.session = session
        self.deck_title = title
        self._shown_at = 0.0
        self._typed: str | None = None
        self._suggested: Rating | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="review"):
            yield Static(id="progress")
            with VerticalScroll(id="card"):
                yield Static(id="kind")
                yield CardText(id="front")
                yield ChoiceList(id="choices")
                yield Input(placeholder="Type your answer, then Enter", id="typed", max_length=1000)
                yield Static(id="verdict")
                yield CardText(id="back")
                yield CardText(id="note")
                yield CardText(id="sources")
            yield Vertical(id="special")
            with Vertical(id="review-controls"):  # docked: a long card scrolls, the grade bar stays
                yield Static(id="hint")
                yield GradeBar(id="grades")
        yield Footer(compact=True)  # compact: a skill card's keys and the review's fit in 80 columns

    def on_mount(self) -> None:
        self.sub_title = self.deck_title
        self.show_card()

    # ---- showing -------------------------------------------------------------------------------

    @property
    def card(self) -> Card | None:
        return self.session.current

    def show_card(self) -> None:
        card = self.card
        if card is None:
            self._update_progress()  # "N done · 0 left" while the summary comes up
            self.app.call_later(self.app.show_summary, self.session.summary, self.deck_title, self.session.deck_id)
            return
        self._shown_at = self.app.monotonic()
        self._typed = None
        self._suggested = None
        label = KIND_LABELS.get(card.kind, card.kind)
        self.query_one("#kind", Static).update(
            inline_markdown(f"{label} · {card.section}" if card.section else label, "dim"))
        self.query_one("#front", CardText).show(card.front)
        choices = self.query_one(ChoiceList)
        choices.show_choices(card.choices)
        typed = self.query_one("#typed", Input)
        typed.value = ""
        typed.display = self._wants_typing(card)
        typed.disabled = False
        self._set_verdict(None)
        self.revealed = False
        self._update_progress()
        special = self._show_special(card)
        self.watch_revealed(False)
        if special:
            return
        if typed.display:
            typed.focus()
        else:
            self.set_focus(None)

    def _show_special(self, card: Card) -> bool:
        """Mount the drill or gradient panel for ``card``; False for ordinary cards (or a broken spec)."""
        box = self.query_one("#special", Vertical)
        box.remove_children()
        panel = make_special_panel(card, self.app.lab_seed) if card.kind in SPECIAL else None
        if isinstance(panel, str):  # the card's TOML could not be used: show it as a plain card
            self.notify(panel, title="Card cannot be checked", severity="error", markup=False)
            panel = None
        box.display = panel is not None
        self.query_one("#card").display = panel is None
        if panel is not None:
            box.border_title = (f"{KIND_LABELS[card.kind]} · {visible_controls(card.section)}" if card.section
                                else KIND_LABELS[card.kind])
            box.mount(panel)
        return panel is not None

    def library_changed(self) -> None:
        """The decks were re-read (the app already pointed the session at renamed cards)."""
        self.refresh_card()

    def refresh_card(self) -> None:
        """Show the current card's text again (after its deck was edited), keeping the answer state."""
        card = self.card
        if card is None:
            self.show_card()
            return
        self.query_one("#front", CardText).show(card.front)
        if self.revealed:
            self.watch_revealed(True)

    def _wants_typing(self, card: Card) -> bool:
        return card.typed and card.kind in (CardKind.QA, CardKind.CLOZE, CardKind.GLOSSARY,
                                            CardKind.GLOSSARY_REVERSE, CardKind.COMPARISON)

    def _update_progress(self) -> None:
        s = self.session
        self.query_one("#progress", Static).update(progress_text(self.deck_title, s.done, s.left, s.remaining))

    def watch_revealed(self, revealed: bool) -> None:
        card = self.card
        if card is None:
            return
        back = self.query_one("#back", CardText)
        note = self.query_one("#note", CardText)
        sources = self.query_one("#sources", CardText)
        label, cited = shown_sources(card, self.app.library.deck(card.deck))
        grades = self.query_one(GradeBar)
        back.display = revealed
        note.display = revealed and bool(card.note)
        sources.display = revealed and bool(cited)
        grades.display = revealed
        self.refresh_bindings()
        if revealed:
            back.show(flow_paragraphs(card.back) if self._wants_typing(card) else card.back)
            note.show(card.note)
            sources.show(f"{label}: {' · '.join(cited)}" if cited else "")
            grades.show_intervals(self.session.intervals(), self._suggested)
            self.query_one("#typed", Input).disabled = True
            self.query_one(ChoiceList).reveal()
            if card.kind not in SPECIAL:
                self.query_one("#hint", Static).update("How well did you know it? Press 1–4.")
        else:
            if card.kind is CardKind.MCQ:
                many = len(card.correct_choices) > 1
                hint = ("Toggle options with their numbers, Enter to check" if many
                        else "Press the number of your answer")
            elif card.kind in SPECIAL:
                hint = "Type your answer and press Enter to check it"
            elif self._wants_typing(card):
                hint = "Type the answer and press Enter (Esc leaves the review)"
            else:
                hint = "Space or Enter: show the answer"
            self.query_one("#hint", Static).update(hint)

    # ---- actions -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Reveal is offered only while the answer is hidden; the plain keys only while no text box
        has focus and their ctrl stand-ins only while one has (see BINDINGS); y ("I was right") as
        typed_override.py decides."""
        if action == "reveal" and self.revealed:
            return False
        return super().check_action(action, parameters)

    def typing(self) -> bool:
        """Whether a text box (typed answer, drill formula, gradient cell) has focus: it types plain keys."""
        return isinstance(self.focused, Input)

    def _binding_works(self, key: str) -> bool:
        if key in self.PLAIN_KEYS:
            return not self.typing()
        if key in self.TYPING_KEYS:
            return self.typing()
        return True

    @property
    def active_bindings(self):
        """The screen's bindings, without the half of each plain/ctrl pair that does not work now."""
        bindings = super().active_bindings
        return {key: active for key, active in bindings.items()
                if active.node is not self or self._binding_works(key)}

    def action_reveal(self) -> None:
        card = self.card
        if card is None or self.revealed:
            return
        if self.query_one("#special").display:
            self._check_special()
            return
        if card.kind is CardKind.MCQ:
            self._check_choices()
            return
        self.revealed = True

    def action_grade(self, value: int) -> None:
        card = self.card
        if card is None:
            return
        if not self.revealed:
            if card.kind is CardKind.MCQ and 1 <= value <= len(card.choices):
                self._pick_choice(value - 1)
            return
        self._grade(Rating(value))

    @on(GradeBar.Graded)
    def _graded_by_click(self, event: GradeBar.Graded) -> None:
        if self.revealed:
            self._grade(event.rating)

    def _grade(self, rating: Rating) -> None:
        """Grade the card on screen. The next card shows only once the grade is committed; a failed
        write keeps this card, with the write guard's panel to retry or quit."""
        duration_ms = int((self.app.monotonic() - self._shown_at) * 1000)
        front = self.card.front if self.card is not None else ""
        session, answer = self.session, self._typed

        def graded(graded) -> None:
            if graded.leech:
                self.notify(f"Leech: {quoted_front(front)} — suspended after {graded.lapses} lapses. "
                            "Unsuspend it from the browser (b on Home) after rewriting it.",
                            title="Leech", severity="warning", timeout=8, markup=False)
            self.show_card()

        self.app.writes.run(lambda: session.grade(rating, duration_ms=duration_ms, answer=answer), graded,
                            what="your grade")

    def action_undo(self) -> None:
        if not self.session.can_undo:
            self.notify("Nothing to undo in this session.", severity="warning")
            return
        kind, rating, _key = self.session.last_action

        def undone(card) -> None:
            if card is None:  # the card was changed meanwhile (another quizapp, a reworded front)
                self.notify("That can no longer be undone (the card changed since).", severity="warning")
                return
            self.notify(undone_message(kind, rating, card.front), markup=False)
            self.show_card()

        self.app.writes.run(self.session.undo, undone, what="the undo")

    def action_suspend(self) -> None:
        if self.card is None:
            return
        front = self.card.front

        def suspended(_result: None) -> None:
            self.notify(f"Suspended: {quoted_front(front)}", markup=False)
            self.show_card()

        self.app.writes.run(self.session.suspend, suspended, what="suspending the card")

    def action_bury(self) -> None:
        if self.card is None:
            return

        front = self.card.front

        def buried(_result: None) -> None:
            cram = getattr(self.session, "cram", False)  # a cram session: bury only skips the card
            what = "Left out of this cram session" if cram else "Buried until tomorrow"
            self.notify(f"{what}: {quoted_front(front)}", markup=False)
            self.show_card()

        self.app.writes.run(self.session.bury, buried, what="burying the card")

    def action_edit(self) -> None:
        if self.card is not None:
            self.app.edit_card(self.card)

    def action_leave(self) -> None:
        self.dismiss(None)

    # ---- multiple choice -----------------------------------------------------------------------

    def _pick_choice(self, index: int) -> None:
        card = self.card
        assert card is not None
        choices = self.query_one(ChoiceList)
        if len(card.correct_choices) > 1:
            choices.toggle(index)
        else:
            choices.select_only(index)
            self._check_choices()

    def _check_choices(self) -> None:
        card = self.card
        assert card is not None
        picked = self.query_one(ChoiceList).selected
        if not picked:
            self.notify("Pick an option with its number first.", severity="warning")
            return
        right = set(picked) == set(card.correct_choices)
        self._typed = ",".join(str(i + 1) for i in sorted(picked))
        self._suggested = Rating.Good if right else Rating.Again
        self._set_verdict(
            inline_markdown("✓ Correct" if right else "✗ Not quite", "bold green" if right else "bold red")
        )
        self.revealed = True

    def _set_verdict(self, content) -> None:
        verdict = self.query_one("#verdict", Static)
        verdict.update(content or "")
        verdict.display = content is not None

    # ---- drills and skill cards ------------------------------------------------------------------

    def _check_special(self) -> None:
        for panel in self.query_one("#special").children:
            (getattr(panel, "submit", None) or panel.check)()

    def on_drill_panel_submitted(self, event) -> None:
        event.stop()
        self._special_done(event.verdict.equivalent, event.seconds, event.text, QUICK_SECONDS["drill"])

    def on_gradient_question_panel_checked(self, event) -> None:
        event.stop()
        question = event.question
        summary = f"{question.id}: {'right' if event.all_correct else 'wrong'}"
        self._special_done(event.all_correct, event.seconds, summary,
                           QUICK_SECONDS.get(question.difficulty, 60.0))

    def _special_done(self, right: bool, seconds: float, answer: str, quick: float) -> None:
        """Suggest a grade from correctness and time: wrong → Again, right → Good, right and quick → Easy."""
        if self.revealed:
            return
        self._typed = answer
        self._suggested = Rating.Again if not right else (Rating.Easy if seconds <= quick else Rating.Good)
        self.set_focus(None)  # digits now grade instead of typing into the panel
        self.revealed = True
        self.query_one("#hint", Static).update(
            f"Suggested: {self._suggested.name} ({'right' if right else 'wrong'}, {seconds:.0f} s) — press 1–4"
        )

    # ---- typed answers -------------------------------------------------------------------------

    @on(Input.Submitted, "#typed")
    def _typed_submitted(self, event: Input.Submitted) -> None:
        card = self.card
        if card is None or self.revealed:
            return
        self._typed = event.value
        verdict = compare_text(event.value, card.back)
        self._suggested = Rating.Good if verdict.correct else Rating.Again
        self._set_verdict(diff_text(verdict))
        self.set_focus(None)
        self.revealed = True
