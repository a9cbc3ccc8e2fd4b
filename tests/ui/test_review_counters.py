"""The review counter and messages (issue 21, item 6).

"left" counts the showings still to come in this session — each waiting card once, plus the
learning steps it comes back for if answered Good (default steps 1 and 10 minutes: a new card is
shown twice) — so every Good lowers it by exactly one, and it reads 0 when the last card is done.
"""

from __future__ import annotations

from textual.widgets import Static

from quizapp.core.study.showings import showings_left
from quizapp.core.config import Config

SIZE = (100, 32)

QA = """+++
deck = "three"
title = "Three"
+++

**Q: What is the derivative of ReLU for z > 0?** <!-- id: a -->
A: 1

**Q: What is a dead unit, the one that never recovers once its pre-activations are all negative, in a ReLU network trained with a large learning rate?** <!-- id: b -->
A: A unit whose output is 0 for every input.

**Q: Leaky ReLU's default slope?** <!-- id: c -->
A: 0.01
"""


def progress(app) -> str:
    return str(app.screen.query_one("#progress", Static).content)


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def test_showings_of_each_phase():
    from fsrs import State

    config = Config()
    steps = (config.learning_steps, config.relearning_steps)
    assert showings_left((None, None), *steps) == 2  # new: now, then after its 10-minute step
    assert showings_left((State.Learning, 1), *steps) == 1
    assert showings_left((State.Relearning, 0), *steps) == 1
    assert showings_left((State.Review, None), *steps) == 1
    long_steps = Config(learning_steps=Config().learning_steps + (Config().learning_steps[1] * 6,))
    assert showings_left((None, None), long_steps.learning_steps, ()) == 2  # a 60-minute step is another day


async def test_left_counts_down_to_zero(make_app, tmp_path):
    deck = tmp_path / "three.md"
    deck.write_text(QA, encoding="utf-8")
    app = make_app(paths=(deck,), start_in_review=True, review_deck="three")
    summaries = []
    app.show_summary = lambda *args: summaries.append(args)  # keep the review screen to read its counter
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert progress(app).endswith("0 done   ·   6 left (3 cards)")
        trail = []
        while not screen.session.finished:
            trail.append((screen.session.done, screen.session.left))
            await pilot.press("space", "3")
            await pilot.pause()
        assert trail == [(n, 6 - n) for n in range(6)]  # every Good: one done, one fewer left
        assert screen.session.left == 0 and progress(app).endswith("6 done   ·   0 left")
        assert summaries  # then the summary comes up


async def test_again_keeps_the_reshow_in_left(make_app, tmp_path):
    deck = tmp_path / "three.md"
    deck.write_text(QA, encoding="utf-8")
    app = make_app(paths=(deck,), start_in_review=True, review_deck="three")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.screen.session
        await pilot.press("space", "1")  # Again: back to the first step, shown twice more
        await pilot.pause()
        assert (session.done, session.left) == (1, 6)
        assert "1 done   ·   6 left (3 cards)" in progress(app)


async def test_undo_says_what_it_undid_and_long_fronts_end_with_an_ellipsis(make_app, tmp_path):
    deck = tmp_path / "three.md"
    deck.write_text(QA, encoding="utf-8")
    app = make_app(paths=(deck,), start_in_review=True, review_deck="three")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("minus")
        await pilot.pause()
        assert messages(app)[-1].startswith("Buried until tomorrow: “What is the derivative")
        await pilot.press("u")
        await pilot.pause()
        assert messages(app)[-1].startswith("Undone: burying “What is the derivative of ReLU")
        await pilot.press("space", "3")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert messages(app)[-1].startswith("Undone: your Good “What is the derivative")
        await pilot.press("space", "3")
        await pilot.pause()
        assert app.screen.card.key == "three:b"
        await pilot.press("exclamation_mark")  # the long question
        await pilot.pause()
        suspended = messages(app)[-1]
        assert suspended.startswith("Suspended: “What is a dead unit") and suspended.endswith("…”")
        assert len(suspended) <= len("Suspended: ") + 42
        await pilot.press("u")
        await pilot.pause()
        assert messages(app)[-1].startswith("Undone: suspending “What is a dead unit")
