"""Training: see dying ReLU happen. Small MLPs train side by side on a 2-D toy data set.

Pick a preset (or set the controls), press r. Every activation × init chosen trains on the same
data from the same initial weights (the trainer's ``compare``); while they run the screen shows the
loss curves of all runs in one chart, per run the decision boundary with the data points and the
share of dead units per layer, a progress bar with steps/s and one plain sentence saying what is
happening (``core.engine.narrate``).

The trainer is a plain generator; it runs in a thread worker (toolong's pattern) that keeps the
whole history and posts it in a ``Progress`` message at most every 40 ms. ``Progress.can_replace``
lets a newer message supersede one not yet handled, so a slow terminal skips frames instead of
queueing them. Stop sets a ``threading.Event`` the trainer checks before every step (and the "watch"
pace waits on), so it takes effect at once. Keys keep working while it trains.

The screen opens at once: its first frame has the preset bar and a "Loading the trainer…" line; a
thread imports NumPy, the trainer and the chart widgets, and the settings and charts are mounted
when it is done (``loaded``). Nothing on the start-up path imports NumPy.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, ProgressBar, Select, Static

from quizapp.ui.screens.training_layout import PLACEHOLDER, PRESET_TITLES, RUN_COLOURS, TRAINING_CSS
from quizapp.ui.screens.training_runner import RunTrace, run_training

if TYPE_CHECKING:
    from quizapp.core.engine.training import TrainConfig
    from quizapp.ui.widgets.loss_chart import LossChart
    from quizapp.ui.widgets.training_controls import TrainingControls


CUSTOM = "custom"
DEFAULT_PRESET = "dying-relu"
WIDE = 120              # narrower than this, Run folds the settings away to give the charts room


class TrainingScreen(Screen):
    DEFAULT_CSS = TRAINING_CSS

    BINDINGS = [
        Binding("r", "run", "Run", tooltip="Train with these settings (restarts a run in progress)"),
        Binding("ctrl+r", "run", "Run", show=False, tooltip="Run, also from a text box"),
        Binding("s", "stop", "Stop", tooltip="Stop training; takes effect within 0.1 s"),
        Binding("p", "pick_preset", "Preset", tooltip="Choose a preset experiment"),
        Binding("c", "toggle_controls", "Settings",
                tooltip="Show or hide the settings: activations, init, data set, depth, width, …"),
        Binding("escape", "leave", "Home", tooltip="Stop training and go back to the deck list"),
    ]

    class Started(Message):
        def __init__(self, job: int, runs: tuple[str, ...], X: Any, y: Any, steps: int) -> None:
            super().__init__()
            self.job, self.runs, self.X, self.y, self.steps = job, runs, X, y, steps

    class Progress(Message):
        """The whole state of a training so far; a newer one replaces an unhandled older one."""

        def __init__(self, job: int, traces: tuple[RunTrace, ...], elapsed: float,
                     finished: bool = False, stopped: bool = False, error: str | None = None) -> None:
            super().__init__()
            self.job, self.traces, self.elapsed = job, traces, elapsed
            self.finished, self.stopped, self.error = finished, stopped, error

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, TrainingScreen.Progress) and message.job == self.job

    def __init__(self, preset: str = DEFAULT_PRESET, *, pace: str = "watch") -> None:
        super().__init__()
        self.preset = preset if preset in PRESET_TITLES else CUSTOM
        self.base: dict[str, Any] = {}  # the preset's config, set once the trainer is loaded
        self._pace = pace
        self._job = 0
        self._stop: threading.Event | None = None
        self.running = False
        self.stopped = False
        self.total_steps = 0
        self.traces: tuple[RunTrace, ...] = ()
        self.colours: dict[str, str] = {}
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="tr-bar"):
            options = [(Text(title), n) for n, title in PRESET_TITLES.items()]
            yield Select([*options, (Text("Custom (keep my settings)"), CUSTOM)], value=self.preset,
                         allow_blank=False, compact=True, id="tr-preset", tooltip="Preset experiment")
            yield Button("▶ Run", id="tr-run", variant="success", compact=True)
            yield Button("■ Stop", id="tr-stop", variant="error", compact=True, disabled=True)
            yield Button("Settings", id="tr-toggle", compact=True)
        with Horizontal(id="tr-body"):
            yield Static("Loading the trainer…", id="tr-loading")
        with Horizontal(id="tr-status"):
            yield ProgressBar(100, id="tr-progress", show_eta=False)
            yield Static(id="tr-rate")
        yield Static(id="tr-story")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Training demo"
        self.query_one("#tr-run", Button).focus()
        self.call_after_refresh(self._load)

    class Loaded(Message):
        """The trainer and the chart widgets are imported (NumPy with them)."""

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        import quizapp.core.engine.narrate  # noqa: F401 — imports NumPy and the trainer
        import quizapp.ui.widgets.loss_chart  # noqa: F401
        import quizapp.ui.widgets.run_panel  # noqa: F401
        import quizapp.ui.widgets.training_controls  # noqa: F401

        self.post_message(self.Loaded())

    @on(Loaded)
    async def _loaded(self) -> None:
        from quizapp.ui.widgets.loss_chart import LossChart
        from quizapp.ui.widgets.training_controls import TrainingControls

        body = self.query_one("#tr-body")
        await self.query_one("#tr-loading").remove()
        await body.mount_all([TrainingControls(id="tr-controls"), LossChart(id="tr-loss"),
                              Horizontal(Static(PLACEHOLDER, id="tr-placeholder"), id="tr-runs")])
        self.controls.set_pace(self._pace)
        self.apply_preset(self.preset if self.preset in PRESET_TITLES else DEFAULT_PRESET)
        self._show_rate()
        self.loaded = True
        self.refresh_bindings()  # Run and Settings work from now on

    def on_resize(self) -> None:
        """80×24: the settings lose their titles and the lists scroll, so every field fits."""
        self.set_class(self.size.height < 30, "-short")

    @property
    def controls(self) -> TrainingControls:
        return self.query_one("#tr-controls")

    @property
    def chart(self) -> LossChart:
        return self.query_one("#tr-loss")

    # ---- presets and settings ------------------------------------------------------------------

    def apply_preset(self, name: str) -> None:
        from quizapp.core.engine.training import PRESETS, TrainConfig

        p = PRESETS[name]
        self.preset, self.base = name, dict(p.config)
        self.controls.fill(TrainConfig.from_preset(name), p.activations, p.inits)
        self.query_one("#tr-preset", Select).tooltip = p.summary
        if not self.running:
            self.query_one("#tr-story", Static).update(Text(p.summary, style="italic"))

    @on(Select.Changed, "#tr-preset")
    def _preset_changed(self, event: Select.Changed) -> None:
        value = str(event.value)
        if value == self.preset:
            return
        if not self.loaded:  # the trainer is still loading: the preset is applied when it is in
            self.preset = value
            return
        if value == CUSTOM:
            self.preset, self.base = CUSTOM, {}
            self.query_one("#tr-preset", Select).tooltip = "Your own settings (c shows them)"
        else:
            self.apply_preset(value)
        self.call_later(self.clear_runs)  # the old run's curves and boundaries belong to other settings

    async def clear_runs(self) -> None:
        """Forget the last run: stop it if it is going, empty the chart, put the placeholder back."""
        if not self.traces and not self.running:
            return
        self._halt()
        self._job += 1  # messages of the old run still on their way are ignored
        self._set_running(False)
        self.traces, self.total_steps, self.stopped = (), 0, False
        self.chart.show([])
        box = self.query_one("#tr-runs")
        await box.remove_children()
        await box.mount(Static(PLACEHOLDER, id="tr-placeholder"))
        self.query_one(ProgressBar).update(total=100, progress=0)
        self._show_rate()
        if self.preset in PRESET_TITLES:
            from quizapp.core.engine.training import PRESETS

            self.query_one("#tr-story", Static).update(Text(PRESETS[self.preset].summary, style="italic"))

    def action_pick_preset(self) -> None:
        select = self.query_one("#tr-preset", Select)
        select.focus()
        select.action_show_overlay()

    def action_toggle_controls(self) -> None:
        self.toggle_class("-folded")

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        actions = {"tr-run": self.action_run, "tr-stop": self.action_stop,
                   "tr-toggle": self.action_toggle_controls}
        if event.button.id in actions:
            actions[event.button.id]()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("run", "toggle_controls") and not self.loaded:
            return False
        if action == "stop":
            return True if self.running else None
        return True

    # ---- running -------------------------------------------------------------------------------

    def action_run(self) -> None:
        if not self.loaded:
            return
        try:
            config, activations, inits = self.controls.read(self.base)
        except (ValueError, TypeError) as error:
            self.notify(str(error), title="Cannot train", severity="error", markup=False)
            return
        self._halt()
        self._job += 1
        self._stop = threading.Event()
        self._set_running(True)
        if self.size.width < WIDE:
            self.add_class("-folded")
        self.query_one("#tr-story", Static).update("Setting up…")
        self._train(self._job, config, activations, inits, self.controls.pace, self._stop)

    def action_stop(self) -> None:
        if self._stop is not None:
            self._stop.set()

    def action_leave(self) -> None:
        self._halt()
        self.dismiss(None)

    def on_unmount(self) -> None:
        self._halt()

    def _halt(self) -> None:
        if self._stop is not None:
            self._stop.set()

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.query_one("#tr-stop", Button).disabled = not running
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="training")
    def _train(self, job: int, config: TrainConfig, activations: list[str], inits: list[str],
               pace: str, stop: threading.Event) -> None:
        run_training(self, job, config, activations, inits, pace, stop)

    @on(Started)
    async def _started(self, message: Started) -> None:
        if message.job != self._job:
            return
        self.total_steps = message.steps
        self.traces = ()
        self.colours = {run: RUN_COLOURS[i % len(RUN_COLOURS)] for i, run in enumerate(message.runs)}
        from quizapp.ui.widgets.boundary_map import BoundaryMap
        from quizapp.ui.widgets.run_panel import RunPanel

        box = self.query_one("#tr-runs")
        await box.remove_children()
        panels = [RunPanel(run, self.colours[run]) for run in message.runs]
        await box.mount_all(panels)
        for panel in panels:
            panel.query_one(BoundaryMap).set_points(message.X, message.y)
        self.chart.set_total(message.steps)
        self.query_one(ProgressBar).update(total=max(1, message.steps), progress=0)

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        from quizapp.core.engine.narrate import narrate, run_title
        from quizapp.ui.widgets.run_panel import RunPanel

        if message.job != self._job:
            return
        self.traces = message.traces
        self.chart.show([(run_title(t.name), t.steps, t.losses, self.colours.get(t.name, "white"))
                         for t in message.traces])
        for panel in self.query(RunPanel):
            trace = next((t for t in message.traces if t.name == panel.run), None)
            if trace is not None:
                panel.show(trace.latest)
        self.query_one(ProgressBar).update(progress=self.progress_step())
        self.stopped = message.stopped
        story = narrate({t.name: t.latest for t in message.traces}, stopped=message.stopped,
                        limit=2 * (self.size.width - 2))  # two lines
        if message.finished:
            self._set_running(False)
            if message.error:
                story = f"Training failed: {message.error}"
                self.notify(message.error, title="Training failed", severity="error", markup=False)
        self.query_one("#tr-story", Static).update(Text(story))
        self._show_rate(message.elapsed, message.finished)

    def progress_step(self) -> int:
        """How far the slowest run is; a run that ended early (diverged) counts as complete."""
        steps = [self.total_steps if t.latest.done and not t.latest.stopped else t.latest.step
                 for t in self.traces]
        return min(steps, default=0)

    def _show_rate(self, elapsed: float = 0.0, finished: bool = False) -> None:
        text = Text(no_wrap=True)
        if self.traces:
            step = self.progress_step()
            text.append(f" {step}/{self.total_steps} steps")
            rate = f"{step / elapsed:,.0f}" if elapsed > 0 else "—"
            text.append(f" · {rate}/s", style="dim")
            if not finished and 0 < step < self.total_steps and elapsed > 1:  # measured, not promised
                text.append(f" · about {elapsed * (self.total_steps / step - 1):,.0f} s left", style="dim")
            state = "stopped" if self.stopped else "done" if finished else "running"
            text.append(f" · {state}", style="bold" if finished else "")
        else:
            text.append(" not started", style="dim")
        colours = self.app.theme_variables  # the DeadBars' colours ($error, $warning-darken-3)
        text.append("  ")
        text.append("█", style=colours.get("error", "red"))
        text.append(" dead ", style="dim")
        text.append("█", style=colours.get("warning-darken-3", "dark_orange3"))
        text.append(" inactive", style="dim")
        self.query_one("#tr-rate", Static).update(text)
