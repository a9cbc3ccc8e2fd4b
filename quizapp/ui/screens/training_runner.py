"""The Training screen's thread: runs the trainer's ``compare`` generator and posts the history.

It keeps every run's loss curve and latest snapshot and posts the whole state in a ``Progress``
message at most every :data:`POST_INTERVAL` (a newer message replaces one not yet handled).

The "watch" pace spreads a run over about :data:`WATCH_SECONDS`: after each snapshot it waits until
the clock reaches the share of that time the steps done so far deserve, so the computing time counts
towards it (the old fixed sleep per snapshot came on top of it: "≈10 s" took 17 s). A machine that
needs longer than that for the steps themselves just runs as fast as it can; the screen then shows
the time left as measured (``Progress.elapsed`` and the steps done).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.worker import get_current_worker

if TYPE_CHECKING:
    from quizapp.core.engine.training import Metrics, TrainConfig

CURVE_POINTS = 100      # snapshots per run: every = steps // CURVE_POINTS
WATCH_SECONDS = 10.0    # how long the "watch" pace stretches a run (when the machine is fast enough)
POST_INTERVAL = 0.04    # at most one Progress message per 40 ms


@dataclass(frozen=True)
class RunTrace:
    """One run so far: the loss curve and the latest snapshot."""

    name: str
    steps: tuple[int, ...]
    losses: tuple[float, ...]
    latest: Metrics


def run_training(screen: Any, job: int, config: TrainConfig, activations: list[str], inits: list[str],
                 pace: str, stop: threading.Event) -> None:
    """In the screen's thread worker: train and post ``screen.Started`` then ``screen.Progress``."""
    from quizapp.core.engine.training import compare, run_names, setup

    worker = get_current_worker()
    clock = screen.app.monotonic  # what the screen shows (tests freeze it); pacing uses real time
    traces: dict[str, tuple[list[int], list[float], Metrics | None]] = {}

    def state() -> tuple[RunTrace, ...]:
        return tuple(RunTrace(n, tuple(s), tuple(lo), m) for n, (s, lo, m) in traces.items()
                     if m is not None)

    started = clock()
    try:
        data = setup(config)[0]
        runs = tuple(name for name, _ in run_names(config, activations, inits))
        traces.update({name: ([], [], None) for name in runs})
        screen.post_message(screen.Started(job, runs, data.X, data.y, config.steps))
        every = max(1, config.steps // CURVE_POINTS)
        watch = pace == "watch"
        began = time.monotonic()
        last_post = 0.0
        for name, m in compare(config, activations, inits, every=every, want_boundary=True, stop=stop):
            steps, losses, _ = traces[name]
            steps.append(m.step)
            losses.append(m.loss)
            traces[name] = (steps, losses, m)
            if worker.is_cancelled:
                stop.set()
            now = time.monotonic()
            if now - last_post >= POST_INTERVAL:
                last_post = now
                screen.post_message(screen.Progress(job, state(), clock() - started))
            if watch and not m.done:
                due = began + WATCH_SECONDS * m.step / max(1, config.steps)  # runs take turns: step / steps
                if due > now:
                    stop.wait(due - now)
    except Exception as error:  # noqa: BLE001 — shown to the user, the screen stays usable
        screen.post_message(screen.Progress(job, state(), clock() - started, finished=True,
                                            error=f"{type(error).__name__}: {error}"))
        return
    complete = all(m is not None and m.done and not m.stopped for _s, _l, m in traces.values())
    screen.post_message(screen.Progress(job, state(), clock() - started, finished=True,
                                        stopped=stop.is_set() and not complete))
