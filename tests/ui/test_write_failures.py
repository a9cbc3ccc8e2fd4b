"""A collection write that fails (locked, disk full, read-only) is never shown as done and never ends
the app: a panel over the card says what happened, `r` retries the same write, esc gives it up,
ctrl+q quits with a non-zero exit status. A write stuck behind a lock does not freeze the UI."""

from __future__ import annotations

import errno
import sqlite3
import threading
import time

from fsrs import Rating
from textual.widgets import Static

from quizapp.ui.screens.browser import BrowserScreen, CardTable
from quizapp.ui.screens.review import ReviewScreen
from quizapp.ui.screens.write_status import WriteStatusScreen
from quizapp.ui.widgets.card_text import CardText
from quizapp.ui.write_guard import BUSY, NO_SPACE, READ_ONLY, failure_message

SIZE = (100, 32)


class Fault:
    """Wraps a collection method: raises ``error`` while ``on``, else calls through; counts calls."""

    def __init__(self, method, error: BaseException) -> None:
        self.method, self.error, self.on, self.calls = method, error, True, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.on:
            raise self.error
        return self.method(*args, **kwargs)


def inject(monkeypatch, app, name: str, error: BaseException) -> Fault:
    fault = Fault(getattr(app.collection, name), error)
    monkeypatch.setattr(app.collection, name, fault)
    return fault


async def settled(pilot) -> None:
    """Pause until no write is going on in the background (on a loaded machine even a failing
    write may outlast the guard's inline wait)."""
    while pilot.app.writes.running:
        await pilot.pause(0.02)
    await pilot.pause()


def panel_text(app) -> str:
    panel = app.screen
    assert isinstance(panel, WriteStatusScreen), type(panel)
    return "\n".join(str(s.content) for s in panel.query(Static))


def review_screen(app) -> ReviewScreen:
    [screen] = [s for s in app.screen_stack if isinstance(s, ReviewScreen)]
    return screen


def front(app) -> str:
    return review_screen(app).query_one("#front", CardText).source


def reviews(app) -> int:
    return app.collection.connection.execute("SELECT count(*) FROM reviews WHERE kind = 'review'").fetchone()[0]


async def start_review(make_app):
    return make_app(start_in_review=True, review_deck="basics")


def test_failures_are_told_in_one_line_a_user_understands():
    assert failure_message(sqlite3.OperationalError("database is locked")) == BUSY
    assert failure_message(OSError(errno.ENOSPC, "No space left on device")) == NO_SPACE
    assert failure_message(sqlite3.OperationalError("database or disk is full")) == NO_SPACE
    assert failure_message(sqlite3.OperationalError("attempt to write a readonly database")) == READ_ONLY
    assert failure_message(OSError(errno.EROFS, "Read-only file system")) == READ_ONLY

    class WriteError(Exception):  # the shape the srs package's own write errors will have
        kind = "moved"

    assert failure_message(WriteError("The collection was moved:\n  restore it first.")) == \
        "The collection was moved: restore it first."
    odd = failure_message(ValueError("x" * 1000))
    assert "\n" not in odd and len(odd) <= 200


async def test_a_grade_that_cannot_be_saved_keeps_the_card_and_r_retries_it(make_app, monkeypatch):
    app = await start_review(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        fault = inject(monkeypatch, app, "apply_review_then_suspend", sqlite3.OperationalError("database is locked"))
        card = front(app)
        await pilot.press("space", "3")
        await settled(pilot)
        # The failure is on screen, in one line, with what the user can do; the card stays.
        text = panel_text(app)
        assert "Not saved: your grade" in text and BUSY in text and "r retry · esc cancel · ctrl+q quit" in text
        assert front(app) == card
        assert review_screen(app).session.done == 0 and reviews(app) == 0
        assert "0 done" in str(review_screen(app).query_one("#progress", Static).content)
        # Other keys do nothing meanwhile: nothing else can change the collection.
        await pilot.press("4", "u", "question_mark")
        await settled(pilot)
        assert isinstance(app.screen, WriteStatusScreen) and fault.calls == 1
        # Still failing: the panel stays and counts the tries.
        await pilot.press("r")
        await settled(pilot)
        assert "tried 2 times" in panel_text(app) and reviews(app) == 0
        # Fixed: r saves the same grade, once, and the next card shows.
        fault.on = False
        await pilot.press("r")
        await settled(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert front(app) != card
        assert app.screen.session.done == 1 and reviews(app) == 1
        [entry] = [e for e in app.collection.history() if e.kind == "review"]
        assert entry.rating == Rating.Good
        assert app.writes.unsaved is None


async def test_esc_gives_up_a_failed_suspend_and_the_card_stays_unsuspended(make_app, monkeypatch):
    app = await start_review(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        fault = inject(monkeypatch, app, "suspend", OSError(errno.ENOSPC, "No space left on device"))
        card = front(app)
        await pilot.press("exclamation_mark")
        await settled(pilot)
        assert "Not saved: suspending the card" in panel_text(app) and NO_SPACE in panel_text(app)
        await pilot.press("escape")
        await settled(pilot)
        assert isinstance(app.screen, ReviewScreen) and front(app) == card
        assert app.collection.history() == [] and app.writes.unsaved is None
        fault.on = False  # space again: the same key works as before
        await pilot.press("exclamation_mark")
        await settled(pilot)
        assert front(app) != card and app.collection.state(app.collection.history()[0].card_key).suspended


async def test_a_failed_undo_retried_undoes_the_same_grade(make_app, monkeypatch):
    app = await start_review(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        first = front(app)
        await pilot.press("space", "4")
        second = front(app)
        await pilot.press("space", "4")
        await settled(pilot)
        assert reviews(app) == 2
        fault = inject(monkeypatch, app, "undo", sqlite3.OperationalError("attempt to write a readonly database"))
        await pilot.press("u")
        await settled(pilot)
        assert "Not saved: the undo" in panel_text(app) and READ_ONLY in panel_text(app)
        assert review_screen(app).session.done == 2
        fault.on = False
        await pilot.press("r")
        await settled(pilot)
        # The second grade is undone (not the first): its card is back, the first grade stands.
        assert front(app) == second != first
        assert app.screen.session.done == 1
        undone = [e.undoes for e in app.collection.history() if e.kind == "undo"]
        reviewed = [e for e in app.collection.history() if e.kind == "review"]
        assert undone == [reviewed[1].id]


async def test_a_write_waiting_for_a_lock_leaves_the_app_responsive(make_app, monkeypatch):
    app = await start_review(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        release = threading.Event()
        apply_review = app.collection.apply_review_then_suspend

        def held(*args, **kwargs):  # another program holds the lock until the test releases it
            assert release.wait(10)
            return apply_review(*args, **kwargs)

        monkeypatch.setattr(app.collection, "apply_review_then_suspend", held)
        card = front(app)
        await pilot.press("space")
        started = time.monotonic()
        await pilot.press("3")
        assert time.monotonic() - started < 2  # not frozen until the lock is released
        await pilot.pause()
        text = panel_text(app)
        assert "Saving… (your grade)" in text and "Waiting for the collection" in text and "ctrl+q quit" in text
        assert front(app) == card and review_screen(app).session.done == 0
        await pilot.press("r", "escape", "4")  # no retry or cancel while it runs; no second grade
        await pilot.pause(0.6)
        assert isinstance(app.screen, WriteStatusScreen)  # ... and the app keeps drawing meanwhile
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and front(app) != card
        assert app.screen.session.done == 1 and reviews(app) == 1


async def test_a_real_lock_held_by_another_connection_fails_in_seconds_and_retry_saves(make_app):
    app = await start_review(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.collection.connection.execute("PRAGMA busy_timeout = 200")  # scaled down from the store's 5 s
        other = sqlite3.connect(app.collection.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            card = front(app)
            await pilot.press("space", "3")
            deadline = time.monotonic() + 10
            while not (isinstance(app.screen, WriteStatusScreen) and "Not saved" in panel_text(app)):
                assert time.monotonic() < deadline, "the write never gave up"  # (drawn, not just set)
                await pilot.pause(0.1)
            text = panel_text(app)  # (the store's own message once it raises CollectionBusy)
            assert "Not saved: your grade" in text and "another program" in text.lower()
            assert front(app) == card and reviews(app) == 0
        finally:
            other.execute("ROLLBACK")
            other.close()
        await pilot.press("r")
        await settled(pilot)
        assert isinstance(app.screen, ReviewScreen) and front(app) != card and reviews(app) == 1


async def test_browser_suspend_failure_keeps_the_row_and_retry_suspends(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await settled(pilot)
        assert isinstance(app.screen, BrowserScreen)
        browser = app.screen
        key = browser.highlighted_key()
        fault = inject(monkeypatch, app, "suspend", OSError(errno.ENOSPC, "No space left on device"))
        await pilot.press("s")
        await settled(pilot)
        assert "Not saved: suspending the card" in panel_text(app)
        assert not browser._rows[key].suspended and app.collection.state(key) is None
        fault.on = False
        await pilot.press("r")
        await settled(pilot)
        assert app.screen is browser and browser._rows[key].suspended
        assert "suspended" in str(browser.query_one(CardTable).get_cell(key, "state"))


async def test_a_quiz_answer_that_cannot_be_logged_is_not_scored_until_retried(make_app, ui_decks, monkeypatch):
    from textual.widgets import Input

    from quizapp.ui.screens.quiz_screen import QuizScreen

    app = make_app(paths=(ui_decks / "quiz.md",))
    app.quiz_seed = 7
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await settled(pilot)
        app.screen.query_one("#quiz-count", Input).value = "2"
        await pilot.press("ctrl+s")
        await settled(pilot)
        quiz_screen = app.screen
        assert isinstance(quiz_screen, QuizScreen)
        quiz = quiz_screen.quiz
        item = quiz.current
        fault = inject(monkeypatch, app, "log_quiz", sqlite3.OperationalError("database or disk is full"))
        if item.options:
            await pilot.press(str(min(item.correct) + 1))
            if item.multi:
                await pilot.press("enter")
        else:
            quiz_screen.query_one("#quiz-input", Input).value = item.card.back
            await pilot.press("enter")
        await settled(pilot)
        assert "Not saved: your answer" in panel_text(app) and NO_SPACE in panel_text(app)
        assert quiz.index == 0 and quiz.results == [None, None] and quiz_screen.result is None
        fault.on = False
        await pilot.press("r")
        await settled(pilot)
        assert app.screen is quiz_screen and quiz.index == 1 and quiz_screen.result.correct
        assert [e.kind for e in app.collection.history()] == ["quiz"]


async def test_damage_found_by_a_write_opens_the_recovery_screen(make_app, monkeypatch):
    from quizapp.ui.screens.recovery import RecoveryScreen

    app = await start_review(make_app)
    collection = app.collection
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        inject(monkeypatch, app, "apply_review_then_suspend", sqlite3.DatabaseError("database disk image is malformed"))
        await pilot.press("space", "3")
        await settled(pilot)
        assert isinstance(app.screen, RecoveryScreen)
        assert not any(isinstance(s, WriteStatusScreen) for s in app.screen_stack)
        assert not app.writes.active and app.writes.unsaved is None
    app.collection = collection  # (closed by the app; the fixture closes it again)


def test_quitting_with_a_change_not_saved_exits_1_and_says_so(make_app, monkeypatch, capsys):
    from quizapp import cli

    app = make_app(start_in_review=True, review_deck="basics")
    inject(monkeypatch, app, "apply_review_then_suspend", OSError(errno.ENOSPC, "No space left on device"))

    async def user(pilot) -> None:
        await settled(pilot)
        await pilot.press("space", "3")
        await settled(pilot)
        assert isinstance(app.screen, WriteStatusScreen)
        await pilot.press("ctrl+q")

    run = app.run
    monkeypatch.setattr(app, "run", lambda: run(headless=True, size=SIZE, auto_pilot=user))
    monkeypatch.setattr(cli, "build_app", lambda args, review: app)
    assert cli.main(["--data-dir", "unused"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"quizapp: not saved: your grade: {NO_SPACE}"
    assert app.collection.closed


def test_an_app_that_crashed_exits_non_zero(make_app, monkeypatch, capsys):
    from quizapp import cli
    from quizapp.ui.screens.home import HomeScreen

    app = make_app()

    def boom(self) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(HomeScreen, "action_review_all", boom)

    async def user(pilot) -> None:
        await settled(pilot)
        await pilot.press("a")

    run = app.run
    monkeypatch.setattr(app, "run", lambda: run(headless=True, size=SIZE, auto_pilot=user))
    monkeypatch.setattr(cli, "build_app", lambda args, review: app)
    assert cli.main(["--data-dir", "unused"]) == 1
