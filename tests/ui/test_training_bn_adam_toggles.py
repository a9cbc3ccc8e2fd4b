"""Training screen: the Adam and BatchNorm toggles in the settings panel reach the run, and the
run still shows its dead units."""

from __future__ import annotations

import time

from textual.widgets import Checkbox, Static

from quizapp.ui.screens.training import TrainingScreen
from quizapp.ui.widgets.dead_bars import DeadBars
from quizapp.ui.widgets.run_panel import RunPanel

SIZE = (100, 32)


async def open_training(pilot, **fields) -> TrainingScreen:
    await pilot.press("t")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TrainingScreen)
    screen.controls.set_pace("fast")
    for name, value in fields.items():
        screen.controls.set_value(name, value)
    await pilot.pause()
    return screen


async def wait_for(pilot, condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


def story(screen: TrainingScreen) -> str:
    return str(screen.query_one("#tr-story", Static).content)


async def test_toggling_adam_and_batchnorm_trains_with_them_and_shows_dead_units(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot, steps=40, width=16)
        for box in ("#tc-adam", "#tc-batchnorm"):
            checkbox = screen.query_one(box, Checkbox)
            checkbox.scroll_visible(animate=False)
            await pilot.pause()
            await pilot.click(box)
            await pilot.pause()
            assert checkbox.value, box
        config, _acts, _inits = screen.controls.read(screen.base)
        assert config.optimizer == "adam" and config.batchnorm
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: not screen.running)
        assert all(t.latest.done and t.latest.step == 40 for t in screen.traces)
        assert "dead" in story(screen)
        panel = screen.query(RunPanel).first()
        bars = panel.query_one(DeadBars)
        assert bars.dead == screen.traces[0].latest.dead and len(bars.dead) == config.depth
        # Unticking both goes back to plain SGD.
        screen.controls.fill(config.replace(optimizer="sgd", batchnorm=False), ["relu"], ["he"])
        await pilot.pause()
        assert not screen.query_one("#tc-adam", Checkbox).value
