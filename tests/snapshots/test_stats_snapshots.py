"""SVG snapshots of the Statistics screen over a fixed review log (frozen clock, UTC study days).

(Named apart from ``tests/ui/test_stats_screen.py``: test modules are imported by basename.)"""

from __future__ import annotations

from fsrs import Rating

from quizapp.ui.app import LIGHT

SIZE = (100, 32)
K = ("basics:glossary:relu", "basics:glossary_reverse:relu", "basics:dead", "basics:which-leaks")
G, H, A, E = Rating.Good, Rating.Hard, Rating.Again, Rating.Easy
# (days before today, card, rating) — the log of tests/ui/test_stats_screen.py plus older days
PLAN = [
    (60, 0, G), (60, 0, G), (59, 1, G), (59, 1, G), (58, 0, G), (45, 1, H), (40, 0, G), (33, 1, A),
    (33, 1, G), (32, 1, G),
    (8, 0, G), (8, 0, G), (8, 1, G), (8, 1, G),
    (7, 2, G), (7, 2, G),
    (6, 0, G), (6, 3, G), (6, 3, G),
    (5, 1, A), (5, 1, G),
    (2, 2, G), (2, 0, H),
    (1, 1, G), (1, 3, A), (1, 3, G),
    (0, 2, E), (0, 0, G), (0, 1, A),
]


def seeded(make_app, write_reviews, **kwargs):
    app = make_app(**kwargs)
    write_reviews(app, [(back, K[i], rating) for back, i, rating in PLAN], duration_ms=7000)
    return app


async def open_stats(pilot) -> None:
    await pilot.press("s")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_statistics(snap_compare, make_app, write_reviews):
    assert snap_compare(seeded(make_app, write_reviews), terminal_size=SIZE, run_before=open_stats)


def test_statistics_small_terminal(snap_compare, make_app, write_reviews):
    assert snap_compare(seeded(make_app, write_reviews), terminal_size=(80, 24), run_before=open_stats)


def test_statistics_light_theme(snap_compare, make_app, write_reviews):
    assert snap_compare(seeded(make_app, write_reviews, theme=LIGHT), terminal_size=SIZE, run_before=open_stats)


def test_statistics_empty(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_stats)
