"""SVG snapshots of the card browser over fixed history: a card in learning, one in review, a leech
(suspended automatically), all at a frozen clock and shown in UTC."""

from __future__ import annotations

from datetime import UTC

from fsrs import Rating

from quizapp.core.config import Config

SIZE = (100, 32)


def seeded(make_app):
    app = make_app()
    study = app.study
    study.config = Config(enable_fuzzing=False, leech_threshold=2)
    study.tz = UTC  # local time in the history is UTC here, whatever the machine's zone
    col, clock = app.collection, app.clock

    # glossary, reverse glossary, Q&A, in one session (a review would bury the reverse, a sibling)
    from quizapp.core.study.review import ReviewSession

    keys = [c.key for c in study.cards("basics")]
    session = ReviewSession(study, keys[:3], [])
    session.grade(Rating.Good, duration_ms=3200)  # ReLU → learning
    session.grade(Rating.Easy, duration_ms=5100)  # reverse → review
    session.grade(Rating.Easy, duration_ms=7400)  # dead → review
    clock.set(col.state("basics:dead").due)
    for _ in range(2):  # two lapses: a leech at threshold 2, suspended on the second
        session = study.start_review()
        while session.current_key != "basics:dead":
            session.grade(Rating.Good, duration_ms=2000)
        graded = session.grade(Rating.Again, duration_ms=9800)
        if not graded.leech:
            clock.advance(minutes=10)
            session = study.start_review()
            while session.current_key != "basics:dead":
                session.grade(Rating.Good, duration_ms=2000)
            session.grade(Rating.Good, duration_ms=4000)
            clock.set(col.state("basics:dead").due)
    assert col.state("basics:dead").suspended
    return app


def test_browser(snap_compare, make_app):
    assert snap_compare(seeded(make_app), terminal_size=SIZE, press=["b", "down", "down"])


def test_browser_small_terminal_search(snap_compare, make_app):
    app = seeded(make_app)
    assert snap_compare(app, terminal_size=(80, 24), press=["b", "slash", *"dead", "enter"])
