"""Training demo (issue 21 item 10): a preset change clears the old run's charts, every setting is on
screen at 80×24, and the "watch" pace counts the computing time towards its ≈10 s."""

from __future__ import annotations

import threading
import time

from textual.widgets import Checkbox, Select

from quizapp.ui.screens.training import TrainingScreen
from quizapp.ui.widgets.run_panel import RunPanel

from test_training_screen import curve_length, open_training, story, wait_for


async def test_changing_the_preset_clears_the_old_runs_charts(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot, pace="fast", steps=60, width=8)
        await pilot.press("r")
        await wait_for(pilot, lambda: not screen.running and screen.traces)
        assert screen.query(RunPanel) and curve_length(screen) > 0
        screen.query_one("#tr-preset", Select).value = "he-vs-xavier"
        await pilot.pause()
        await wait_for(pilot, lambda: not screen.query(RunPanel))
        assert screen.chart.series == {} and screen.traces == ()
        assert screen.query_one("#tr-placeholder") is not None and "not started" in str(
            screen.query_one("#tr-rate").content)
        assert story(screen).startswith(("He", "Xavier")) or "Xavier" in story(screen)


async def test_every_setting_is_on_screen_at_80x24(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_training(pilot)
        assert isinstance(screen, TrainingScreen) and screen.has_class("-short")
        panel = screen.controls
        for selector in ("#tc-dataset", "#tc-depth", "#tc-width", "#tc-lr", "#tc-momentum", "#tc-steps",
                         "#tc-seed", "#tc-pace", "#tc-adam", "#tc-batchnorm"):
            widget = screen.query_one(selector)
            assert widget.region.bottom <= panel.region.bottom - 1, f"{selector} is below the fold"
            assert widget.region.height >= 1
        assert screen.query_one("#tc-batchnorm", Checkbox).region.y < 23  # above the footer


def test_the_watch_pace_counts_the_computing_time(monkeypatch):
    """The pace waits only for what the computing has not already used of the watch time: steps that
    take half of it add nothing on top (the old fixed sleep per snapshot came on top: ≈10 s took 17 s)."""
    from types import SimpleNamespace

    import quizapp.core.engine.training as training
    import quizapp.ui.screens.training_runner as runner

    monkeypatch.setattr(runner, "WATCH_SECONDS", 1.0)
    steps = 100

    def compare(config, activations, inits, *, every, want_boundary, stop):
        for step in range(every, steps + 1, every):
            time.sleep(0.005)  # the computing: 100 snapshots × 5 ms = half the watch time
            yield "relu", SimpleNamespace(step=step, loss=1.0, done=step == steps, stopped=False)

    monkeypatch.setattr(training, "compare", compare)
    monkeypatch.setattr(training, "setup", lambda config: (SimpleNamespace(X=None, y=None),))
    monkeypatch.setattr(training, "run_names", lambda config, a, i: [("relu", None)])
    monkeypatch.setattr(runner, "get_current_worker", lambda: SimpleNamespace(is_cancelled=False))
    posted = []
    screen = SimpleNamespace(
        app=SimpleNamespace(monotonic=time.monotonic), post_message=posted.append,
        Started=lambda *args: ("started", args),
        Progress=lambda job, traces, elapsed, **kw: ("progress", elapsed, kw))
    start = time.monotonic()
    runner.run_training(screen, 1, SimpleNamespace(steps=steps), ["relu"], ["he"], "watch", threading.Event())
    took = time.monotonic() - start
    assert posted[-1][0] == "progress" and posted[-1][2].get("finished")
    assert 0.9 < took < 1.35, f"a 1 s watch pace with 0.5 s of computing took {took:.2f} s"
