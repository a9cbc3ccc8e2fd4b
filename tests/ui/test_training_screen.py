"""Training screen: a user opens it from Home, trains small nets, watches the chart grow and stops it."""

from __future__ import annotations

import time

import numpy as np
from textual.widgets import ProgressBar, Select, SelectionList, Static

from quizapp.core.engine.training import Boundary, Metrics
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.training import RunTrace, TrainingScreen
from quizapp.ui.widgets.boundary_map import boundary_pixels, fit, point_colours
from quizapp.ui.widgets.dead_bars import DEAD, INACTIVE, TRACK, DeadBars, bar_cells
from quizapp.ui.widgets.loss_chart import LogLossFormatter, LossChart, StepFormatter
from quizapp.ui.widgets.run_panel import RunPanel

SIZE = (100, 32)


async def open_training(pilot, *, pace: str = "watch", **fields) -> TrainingScreen:
    await pilot.press("t")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TrainingScreen)
    screen.controls.set_pace(pace)
    for name, value in fields.items():
        screen.controls.set_value(name, value)
    await pilot.pause()
    return screen


def training_workers(app):
    return [w for w in app.workers if w.group == "training" and not w.is_finished]


async def wait_for(pilot, condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


def curve_length(screen: TrainingScreen) -> int:
    return min((len(x) for x, _y in screen.chart.series.values()), default=0)


def story(screen: TrainingScreen) -> str:
    return str(screen.query_one("#tr-story", Static).content)


async def test_chart_and_progress_grow_keys_work_and_stop_is_quick(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot, steps=3000, width=8)  # "watch": ~10 s if left alone
        await pilot.press("r")
        await wait_for(pilot, lambda: curve_length(screen) >= 2)
        assert set(screen.chart.series) == {"ReLU", "Leaky ReLU"}  # one chart, one series a run
        assert len(screen.chart._datasets) == 2
        first_len = curve_length(screen)
        first_progress = screen.query_one(ProgressBar).progress
        await wait_for(pilot, lambda: curve_length(screen) > first_len + 2)
        assert screen.query_one(ProgressBar).progress > first_progress
        assert [p.run for p in screen.query(RunPanel)] == ["relu", "leaky_relu"]

        # Keys keep working while it trains: fold the settings away and back.
        folded = screen.has_class("-folded")
        await pilot.press("c")
        assert screen.has_class("-folded") is not folded
        await pilot.press("c")
        assert screen.has_class("-folded") is folded
        assert screen.running and training_workers(app)

        # Stop ends the worker at once (typically < 0.1 s; the bound leaves room for a loaded 2-core
        # machine — left alone this run would go on for ~10 s; benchmarks/ measures the real figure).
        start = time.monotonic()
        await pilot.press("s")
        await wait_for(pilot, lambda: not training_workers(app), timeout=5.0)
        stopped_after = time.monotonic() - start
        assert stopped_after < 3.0, f"Stop took {stopped_after:.3f} s"
        await wait_for(pilot, lambda: not screen.running, timeout=2.0)
        assert story(screen).startswith("Stopped at step ")
        rate = str(screen.query_one("#tr-rate", Static).content)
        assert "steps" in rate
        # the sentence and the progress name the same step ("Stopped at step 61" under "60/500" was not)
        stopped_at = story(screen).split(":")[0].removeprefix("Stopped at step ")
        assert rate.strip().startswith(f"{stopped_at}/{screen.total_steps} steps")
        last = max(t.latest.step for t in screen.traces)
        assert 0 < last < 3000


async def test_a_fast_run_finishes_with_a_sentence_and_full_progress(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot, pace="fast", steps=60, width=16)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: not screen.running)
        bar = screen.query_one(ProgressBar)
        assert bar.progress == bar.total == 60
        assert all(t.latest.done and t.latest.step == 60 for t in screen.traces)
        assert "ReLU units dead" in story(screen)
        assert "Leaky ReLU: none dead" in story(screen)
        panel = screen.query(RunPanel).first()
        assert panel.query_one(DeadBars).dead == screen.traces[0].latest.dead
        assert "right" in str(panel.border_subtitle)
        # Run again: the chart starts over rather than piling up series.
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: not screen.running)
        assert len(screen.chart._datasets) == 2


async def test_presets_fill_the_settings_and_bad_settings_are_refused(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot)
        await pilot.press("p")
        await pilot.pause()
        screen.query_one("#tr-preset", Select).value = "he-vs-xavier"
        await pilot.pause()
        await pilot.press("escape")  # closes the preset list, not the screen
        await pilot.pause()
        assert isinstance(app.screen, TrainingScreen)
        config, activations, inits = screen.controls.read(screen.base)
        assert (config.depth, config.width, activations, inits) == (10, 32, ["relu"], ["he", "xavier"])
        assert "Xavier" in story(screen)  # the preset's summary, until a run starts

        screen.controls.query_one("#tc-activations", SelectionList).deselect_all()
        await pilot.press("r")
        await pilot.pause()
        assert not screen.running and not training_workers(app)
        assert any("at least one activation" in n.message for n in app._notifications)


async def test_escape_during_training_stops_it_and_goes_home(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot, steps=3000)
        await pilot.press("r")
        await wait_for(pilot, lambda: curve_length(screen) >= 1)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await wait_for(pilot, lambda: not training_workers(app), timeout=2.0)


async def test_help_and_command_palette_know_the_training_demo(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Training demo: dying ReLU" in titles
        await open_training(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Training demo" in app.screen.sections


# ---- the widgets' pure parts ----------------------------------------------------------------------


def test_progress_messages_supersede_older_ones_of_the_same_job():
    m = Metrics("relu", 0, 0.7, 0.5, (0.0,), (0.0,), (0.1, 0.1))
    old = TrainingScreen.Progress(1, (RunTrace("relu", (0,), (0.7,), m),), 0.0)
    new = TrainingScreen.Progress(1, (), 0.0, finished=True)
    assert old.can_replace(new)
    assert not old.can_replace(TrainingScreen.Progress(2, (), 0.0))
    assert not old.can_replace(TrainingScreen.Started(1, ("relu",), None, None, 10))


def test_bar_cells_split_dead_inactive_and_track_in_eighths():
    assert bar_cells(0.0, 0.0, 4) == [(8, TRACK, TRACK)] * 4
    assert bar_cells(1.0, 1.0, 3) == [(8, DEAD, DEAD)] * 3
    cells = bar_cells(0.3, 0.6, 10)
    assert cells[:3] == [(8, DEAD, DEAD)] * 3 and cells[3:6] == [(8, INACTIVE, INACTIVE)] * 3
    assert bar_cells(0.125, 0.125, 2)[0] == (2, DEAD, TRACK)  # a quarter of the first cell
    assert bar_cells(0.5, 0.5, 1) == [(4, DEAD, TRACK)]


def test_boundary_pixels_colour_regions_and_draw_points():
    g = np.linspace(0, 1, 8)
    probs = np.tile(g, (8, 1))  # P(class 1) grows from left to right
    X = np.array([[-0.9, 0.9], [0.9, -0.9]])
    y = np.array([0, 1])
    bg = (0, 0, 0)
    img = boundary_pixels(probs, (-1, 1, -1, 1), 8, 8, bg, X, y)
    assert img.shape == (8, 8, 3)
    assert tuple(img[4, 0]) != tuple(img[4, 7])            # orange side vs blue side
    assert img[4, 0, 0] > img[4, 0, 2] and img[4, 7, 2] > img[4, 7, 0]
    assert tuple(img[0, 0]) == tuple(np.rint(point_colours(2)[0]).astype(int))  # top-left point
    assert tuple(img[7, 7]) == tuple(np.rint(point_colours(2)[1]).astype(int))
    light = boundary_pixels(probs, (-1, 1, -1, 1), 8, 8, (250, 250, 250), X, y)
    assert light[0, 0].sum() < img[0, 0].sum()  # points darken on a light background
    # A wide data box keeps its aspect: the map is centred, background above and below.
    assert fit((0, 2, 0, 1), 10, 10) == (10, 5)
    wide = boundary_pixels(probs, (0, 2, 0, 1), 10, 10, (9, 9, 9))
    assert tuple(wide[0, 0]) == (9, 9, 9) and tuple(wide[5, 0]) != (9, 9, 9)


def test_boundary_pixels_handle_multiclass_probabilities():
    probs = np.zeros((4, 4, 3))
    probs[..., 2] = 1.0
    img = boundary_pixels(probs, (0, 1, 0, 1), 4, 4, (0, 0, 0))
    assert img[0, 0, 1] > img[0, 0, 0]  # the third class colour is green


def test_loss_axis_labels_are_losses_and_step_ticks_fit():
    fmt = LogLossFormatter()
    ticks = fmt.get_ticks(-2.0, 0.0)
    assert fmt.get_labels_for_ticks(ticks) == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"]
    steps = StepFormatter()
    steps.limit = 4
    assert steps.get_ticks(0, 300) == [0, 100, 200, 300]
    assert steps.get_labels_for_ticks([0, 5000, 15000]) == ["0", "5k", "15k"]
    assert LossChart.can_focus is False  # its r/arrow keys must not shadow the screen's


async def test_boundary_map_draws_half_blocks(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot, pace="fast", steps=20, width=8)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: not screen.running)
        panel = screen.query(RunPanel).first()
        boundary = screen.traces[0].latest.boundary
        assert isinstance(boundary, Boundary)
        from quizapp.ui.widgets.boundary_map import BoundaryMap

        line = panel.query_one(BoundaryMap).render_line(3)
        assert "▀" in line.text
