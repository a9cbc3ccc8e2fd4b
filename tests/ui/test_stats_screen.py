"""The Statistics screen: `s` on Home opens it with the figures of the review log; Esc goes back."""

from __future__ import annotations

import io

from fsrs import Rating
from rich.console import Console
from textual.widgets import Static

from quizapp.ui.screens.help import HelpScreen
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.stats_screen import StatisticsScreen

SIZE = (100, 32)


K = ("basics:glossary:relu", "basics:glossary_reverse:relu", "basics:dead", "basics:which-leaks")
G, H, A, E = Rating.Good, Rating.Hard, Rating.Again, Rating.Easy
# (days before today, card, rating); Good twice takes a new card to Review (steps 1m, 10m)
PLAN = [
    (8, 0, G), (8, 0, G), (8, 1, G), (8, 1, G),
    (7, 2, G), (7, 2, G),
    (6, 0, G), (6, 3, G), (6, 3, G),
    (5, 1, A), (5, 1, G),
    (2, 2, G), (2, 0, H),
    (1, 1, G), (1, 3, A), (1, 3, G),
    (0, 2, E), (0, 0, G), (0, 1, A),
]


def seed(app, write_reviews) -> None:
    """Write PLAN (5 s per review; see the write_reviews fixture), then one more review today that is
    undone. The app's clock (frozen at noon UTC on 2026-11-28) is left where it was."""
    write_reviews(app, [(back, K[i], rating) for back, i, rating in PLAN], duration_ms=5000)
    scheduler = app.study.scheduler
    now = app.clock.now.replace(hour=11)
    entry, _ = app.collection.apply_review(
        K[3], G, lambda card: scheduler.review(card, G, now), at=now, duration_ms=5000)
    app.collection.undo(entry.id, at=now)


def plain(app, selector: str) -> str:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(app.screen.query_one(selector, Static).content)
    return console.file.getvalue()


async def open_stats(app, pilot) -> None:
    await pilot.press("s")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_s_on_home_opens_statistics_with_the_numbers(make_app, write_reviews):
    app = make_app()
    seed(app, write_reviews)
    reviews = app.collection.total_reviews()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await open_stats(app, pilot)
        screen = app.screen
        assert isinstance(screen, StatisticsScreen)
        stats = screen.stats
        assert stats["time"]["reviews_total"] == reviews == len(PLAN)  # the undone one is out

        time_panel = plain(app, "#stats-time")
        assert "Streak 3 days  best 4" in time_panel  # days −2…0; days −8…−5 were four in a row
        assert "Studied on 7 days" in time_panel
        today = next(line for line in time_panel.splitlines() if line.startswith("Today"))
        assert today.split()[1:] == ["3", "15s"]
        all_time = next(line for line in time_panel.splitlines() if line.startswith("All time"))
        assert all_time.split()[2] == str(reviews)
        heatmap = plain(app, "#stats-heatmap")
        assert f"{reviews} reviews on 7 days" in heatmap
        assert "Mon" in heatmap and "Nov" in heatmap
        # Review-state reviews: today k2 Easy, k0 Good pass, k1 Again fails; yesterday k1 passes, k3
        # fails (its Good after that was a relearning review); the week adds day −6 (k0 pass),
        # −5 (k1 fail) and −2 (k2, k0 pass): 6 passed, 3 failed. Day −8/−7 were learning reviews.
        retention = {line.split("  ")[0]: line.split()[-3:]
                     for line in plain(app, "#stats-retention").splitlines() if line[:1].isalpha()}
        assert retention["Today"] == ["2", "1", "66.7%"]
        assert retention["Yesterday"] == ["1", "1", "50.0%"]
        assert retention["Last 7 days"] == ["6", "3", "66.7%"]
        assert retention["Last 30 days"] == ["6", "3", "66.7%"]
        mastery = plain(app, "#stats-mastery")
        assert "Basics" in mastery and "Mature" in mastery
        forecast = plain(app, "#stats-forecast")
        assert "today" in forecast and "+28d" in forecast
        assert f"30 days {sum(d['due'] for d in stats['forecast'])}" in forecast
        assert not screen.query_one("#stats-empty").display

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_empty_collection_says_so(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_stats(app, pilot)
        empty = app.screen.query_one("#stats-empty", Static)
        assert empty.display and "No reviews yet" in str(empty.content)
        assert "0 reviews on 0 days" in plain(app, "#stats-heatmap")
        assert "—" in plain(app, "#stats-retention")


async def test_refresh_picks_up_new_reviews(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_stats(app, pilot)
        assert app.screen.stats["time"]["reviews_today"] == 0
        app.study.start_review().grade(Rating.Good, duration_ms=1000)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.stats["time"]["reviews_today"] == 1


async def test_narrow_terminal_stacks_and_scrolls(make_app, write_reviews):
    app = make_app()
    seed(app, write_reviews)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stats(app, pilot)
        screen = app.screen
        assert screen.has_class("-narrow")
        heatmap, retention = screen.query_one("#stats-heatmap"), screen.query_one("#stats-retention")
        assert retention.region.y > heatmap.region.y  # stacked, not side by side
        scroller = screen.query_one("#stats")
        assert scroller.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert scroller.scroll_y == scroller.max_scroll_y
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not screen.has_class("-narrow")
        assert screen.query_one("#stats-retention").region.y == screen.query_one("#stats-heatmap").region.y


async def test_theme_change_redraws_in_the_new_colours(make_app, write_reviews):
    app = make_app()
    seed(app, write_reviews)
    async with app.run_test(size=SIZE) as pilot:
        await open_stats(app, pilot)
        before = app.screen._colours()
        app.action_toggle_theme()
        await pilot.pause()
        await pilot.pause()
        assert app.screen._colours() != before
        assert plain(app, "#stats-heatmap")  # still drawn


async def test_help_palette_and_bindings_know_the_screen(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Statistics" in commands
        home_s = next(b for b in HomeScreen.BINDINGS if b.key == "s")
        assert home_s.action == "app.statistics" and home_s.tooltip
        assert all(b.tooltip for b in StatisticsScreen.BINDINGS)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = plain(app, "#help-keys")
        assert "Statistics" in keys and "Recompute the statistics" in keys
