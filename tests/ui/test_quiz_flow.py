"""Quiz mode through key presses: set up, answer, time out, summary, review missed."""

from __future__ import annotations

import io

from textual.widgets import Input, SelectionList, Static

from quizapp.core.study.quiz import QuizItem, QuizKind
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.quiz_screen import QuizScreen
from quizapp.ui.screens.quiz_setup import QuizSetupScreen
from quizapp.ui.screens.quiz_summary import QuizSummaryScreen

SIZE = (100, 32)


def quiz_app(make_app, ui_decks, **kwargs):
    app = make_app(paths=(ui_decks / "quiz.md",), **kwargs)
    app.quiz_seed = 7
    return app


def shown(widget: Static, width: int = 200) -> str:
    """What a Static shows, as plain text (its content may be a rich Table or Group)."""
    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def typed_right(item: QuizItem) -> str:
    if item.kind is QuizKind.DRILL:
        return item.drill.answer
    return item.card.back


async def answer(pilot, item: QuizItem, right: bool = True) -> None:
    if item.kind is QuizKind.CHOICE:
        wrong = min(set(range(len(item.options))) - set(item.correct))
        picks = sorted(item.correct) if right else [wrong]
        await pilot.press(*(str(i + 1) for i in picks))
        if item.multi:
            await pilot.press("enter")
    elif item.kind is QuizKind.GRADIENT:
        from quizapp.core.generators.format import arr

        for name in item.answers:  # long numbers: filled in, not typed key by key (Pilot is slow)
            box = pilot.app.screen.query_one(f"#field-{name}", Input)
            assert box.has_focus
            box.value = arr(item.question.answer[name]) if right else "99"
            await pilot.press("enter")
    elif item.kind is QuizKind.DRILL:
        box = pilot.app.screen.query_one("#quiz-input", Input)
        assert box.has_focus
        box.value = item.drill.answer if right else "2*z"
        await pilot.press("enter")
    else:
        await pilot.press(*(typed_right(item) if right else "nope"), "enter")
    await pilot.pause()


async def start_quiz(pilot, app, *, count: str | None = None, minutes: str | None = None,
                     kinds: list[str] | None = None) -> None:
    await pilot.press("q")
    await pilot.pause()
    setup = app.screen
    assert isinstance(setup, QuizSetupScreen)
    if count is not None:
        setup.query_one("#quiz-count", Input).value = count
    if minutes is not None:
        setup.query_one("#quiz-minutes", Input).value = minutes
    if kinds is not None:
        chosen = setup.query_one("#quiz-kinds", SelectionList)
        chosen.deselect_all()
        for kind in kinds:
            chosen.select(kind)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_a_quiz_answered_all_right_scores_100(make_app, ui_decks):
    app = quiz_app(make_app, ui_decks)
    async with app.run_test(size=SIZE) as pilot:
        await start_quiz(pilot, app, count="8")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        quiz = screen.quiz
        assert len(quiz.items) == 8
        assert {i.kind for i in quiz.items} == set(QuizKind)  # every kind had a card
        for _ in range(8):
            item = quiz.current
            await answer(pilot, item)
            assert screen.result is not None and screen.result.correct, (item.kind, screen.result)
            assert "Correct" in str(screen.query_one("#quiz-feedback", Static).content)
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, QuizSummaryScreen)
        summary = app.screen.summary
        assert (summary.correct, summary.total, summary.percent) == (8, 8, 100)
        score = str(app.screen.query_one("#quiz-score", Static).content)
        assert "8 / 8 right" in score and "100%" in score
        assert "Nothing missed" in shown(app.screen.query_one("#quiz-missed", Static))
        kinds = app.collection.connection.execute("SELECT DISTINCT kind FROM reviews").fetchall()
        assert kinds == [("quiz",)]  # practice only: no review was logged
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_a_wrong_answer_shows_in_the_summary_with_the_right_answer(make_app, ui_decks):
    app = quiz_app(make_app, ui_decks)
    async with app.run_test(size=SIZE) as pilot:
        await start_quiz(pilot, app, count="3", kinds=["choice", "typed"])
        quiz = app.screen.quiz
        missed = quiz.current
        await answer(pilot, missed, right=False)
        feedback = str(app.screen.query_one("#quiz-feedback", Static).content)
        assert "Not right" in feedback
        await pilot.press("enter")
        for _ in range(2):
            await answer(pilot, quiz.current)
            await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuizSummaryScreen)
        text = shown(app.screen.query_one("#quiz-missed", Static))
        assert "Missed (1)" in text
        from quizapp.ui.widgets.card_text import inline_markdown

        assert inline_markdown(" ".join(missed.expected.split())).plain[:40] in text
        assert inline_markdown(" ".join(missed.prompt.split())).plain[:40] in text
        assert "2 / 3 right" in str(app.screen.query_one("#quiz-score", Static).content)
        history = shown(app.screen.query_one("#quiz-history", Static))
        assert "Past quizzes" in history and "2/3" in history and "67%" in history

        # r sends the missed card to review: due now, once
        assert app.collection.state(missed.key) is None
        await pilot.press("r")
        await pilot.pause()
        record = app.collection.state(missed.key)
        assert record is not None and record.due <= app.clock()
        assert "sent to review" in shown(app.screen.query_one("#quiz-missed", Static))
        assert app.screen.check_action("review_missed", ()) is False
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.study.counts("quiz").learning == 1


async def test_the_timer_ends_the_quiz(make_app, ui_decks, monkeypatch):
    monkeypatch.setattr(QuizScreen, "TICK", 0.05)
    app = quiz_app(make_app, ui_decks)
    clock = FakeMonotonic()
    app.monotonic = clock
    async with app.run_test(size=SIZE) as pilot:
        await start_quiz(pilot, app, count="5", minutes="1", kinds=["choice"])
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        timer = screen.query_one("#quiz-timer", Static)
        assert "1:00 left" in str(timer.content)
        await answer(pilot, screen.quiz.current)
        await pilot.press("enter")
        clock.now += 31
        await pilot.pause(0.15)
        assert "0:29 left" in str(timer.content)
        assert timer.has_class("-low")
        clock.now += 29
        await pilot.pause(0.15)
        await pilot.pause()
        assert isinstance(app.screen, QuizSummaryScreen)
        summary = app.screen.summary
        assert summary.timed_out and summary.answered == 1 and summary.total == 5
        assert summary.seconds == 60
        assert "Time is up" in str(app.screen.query_one("#quiz-score", Static).content)
        assert "Not answered (4)" in shown(app.screen.query_one("#quiz-missed", Static))


async def test_typing_digits_in_a_text_answer_does_not_pick_options(make_app, ui_decks):
    app = quiz_app(make_app, ui_decks)
    async with app.run_test(size=SIZE) as pilot:
        await start_quiz(pilot, app, count="1", kinds=["typed"])
        screen = app.screen
        await pilot.press("1", "2")
        assert screen.query_one("#quiz-input", Input).value == "12"
        assert screen.result is None
        await pilot.press("escape")  # the first Esc only warns
        assert isinstance(app.screen, QuizScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuizSummaryScreen)
        assert app.screen.summary.answered == 0


async def test_setup_refuses_bad_numbers_and_empty_choices(make_app, ui_decks):
    app = quiz_app(make_app, ui_decks)
    async with app.run_test(size=SIZE) as pilot:
        await start_quiz(pilot, app, count="0")
        assert isinstance(app.screen, QuizSetupScreen)
        error = app.screen.query_one("#setup-error", Static)
        assert error.display and "1 to 200" in str(error.content)
        app.screen.query_one("#quiz-count", Input).value = "5"
        app.screen.query_one("#quiz-minutes", Input).value = "-2"
        await pilot.press("ctrl+s")
        assert "Minutes" in str(error.content)
        app.screen.query_one("#quiz-minutes", Input).value = ""
        app.screen.query_one("#quiz-decks", SelectionList).deselect_all()
        await pilot.press("ctrl+s")
        assert "deck" in str(error.content)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_kind_counts_follow_the_chosen_decks(make_app, ui_decks):
    app = make_app(paths=(ui_decks / "quiz.md", ui_decks / "basics.md"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        kinds = app.screen.query_one("#quiz-kinds", SelectionList)
        first = str(kinds.get_option_at_index(0).prompt)
        assert first.split()[-1] == "16"  # 15 in the quiz deck + the multiple-choice card of basics
        app.screen.query_one("#quiz-decks", SelectionList).deselect("quiz")
        await pilot.pause()
        assert str(kinds.get_option_at_index(0).prompt).split()[-1] == "1"


async def test_help_lists_the_quiz_keys_and_the_palette_offers_quiz(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        from rich.console import Console

        console = Console(width=100, record=True)
        console.print(app.screen.query_one("#help-keys", Static).content)
        text = console.export_text()
        assert "Quiz" in text and "Send the missed cards" in text and "1–9" in text
        await pilot.press("escape")
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Quiz" in commands
