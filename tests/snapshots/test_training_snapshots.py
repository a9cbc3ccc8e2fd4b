"""SVG snapshots of the Training screen after a finished run: fixed seed (the preset's), tiny config.

(Named apart from ``tests/ui/test_training_screen.py``: test modules are imported by basename.)
The app's clock is frozen by the ``make_app`` fixture, so steps/s reads "—"; the worker runs to the
end before the shot, so every curve, map and bar is the final one.
"""

from __future__ import annotations

from quizapp.ui.screens.training import TrainingScreen


def finished_run(preset: str | None = None, **fields):
    async def run_before(pilot) -> None:
        await pilot.press("t")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, TrainingScreen)
        if preset is not None:
            screen.apply_preset(preset)
        screen.controls.set_pace("fast")
        for name, value in fields.items():
            screen.controls.set_value(name, value)
        await pilot.pause()
        await pilot.press("r")
        await pilot.app.workers.wait_for_complete()
        while screen.running:
            await pilot.pause(0.01)
        await pilot.pause()
        assert all(t.latest.done for t in screen.traces)

    return run_before


def test_training_dying_relu_finished(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(100, 32),
                        run_before=finished_run(steps=80, width=24))


def test_training_born_dead_small_terminal(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(80, 24),
                        run_before=finished_run("born-dead", steps=60))


def test_training_settings_small_terminal(snap_compare, make_app):
    """80×24 before a run: every setting is on screen (the lists scroll, their titles give way)."""
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["t"])
