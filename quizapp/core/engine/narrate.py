"""One plain sentence about a training demo in progress, made from its latest metrics.

``narrate({"relu": m1, "leaky_relu": m2})`` →
"layer 2: 64% of ReLU units dead; Leaky ReLU: none dead, all still learning".

Per run, the most telling fact wins: the loss diverged; a hidden layer is dead through and through
(the network outputs a constant, nothing below that layer gets a gradient); the layer with the
largest share of dead units; or, with no dead units, that the run is still learning — noting when
many units sit at z ≤ 0 for every input yet keep a gradient (Leaky ReLU's α slope, ELU's tail).

Pure: no I/O, no clock — it reads ``Metrics`` fields only (never the boundary grid), so the UI and
tests can call it on any snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping

from quizapp.core.engine.training import Metrics

__all__ = ["narrate", "run_title"]

INIT_TITLES = {"he": "He init", "xavier": "Xavier init", "normal": "normal init", "bad": "bad-bias init"}
_NOTABLE = 0.25  # a smaller share of units on z ≤ 0 everywhere is not worth a mention


def _activation_title(name: str) -> str:
    from quizapp.core.engine.activations import get

    base, _, params = name.partition("(")
    try:
        title = get(base).display
    except KeyError:
        return name
    return f"{title} ({params}" if params else title


def run_title(run: str) -> str:
    """A reader's name for a run: "leaky_relu" → "Leaky ReLU", "relu/xavier" → "ReLU, Xavier init",
    "he" (a compare of inits only) → "He init"; "#2" suffixes are kept."""
    name, hash_, n = run.partition("#")
    parts = []
    for part in name.split("/"):
        parts.append(INIT_TITLES.get(part) or _activation_title(part))
    return ", ".join(parts) + (f" #{n}" if hash_ else "")


def _pct(share: float) -> str:
    """A share as a percentage that never rounds a few units to "0%" or almost all to "100%"."""
    pct = 100.0 * share
    if 0 < pct < 1:
        return "<1%"
    if 99 < pct < 100:
        return ">99%"
    return f"{pct:.0f}%"


def _worst(values: tuple[float, ...]) -> tuple[int, float]:
    """(1-based layer, value) of the largest entry; the first one on ties."""
    best = max(range(len(values)), key=lambda i: (values[i], -i))
    return best + 1, values[best]


def _clause(run: str, m: Metrics, brief: bool = False) -> str:
    title = run_title(run)
    if m.diverged:
        return f"{title}: the loss blew up at step {m.step} (learning rate too high?)"
    if not m.dead:
        return f"{title}: no hidden layers, so no unit can die"
    layer, dead = _worst(m.dead)
    if dead >= 1.0:
        return f"{title}: layer {layer} is all dead, the net outputs a constant"
    if dead > 0:
        others = sum(1 for i, d in enumerate(m.dead) if d > 0 and i != layer - 1)
        more = f" (and in {others} other layer{'s' if others > 1 else ''})" if others and not brief else ""
        return f"layer {layer}: {_pct(dead)} of {title} units dead{more}"
    ilayer, inactive = _worst(m.inactive) if m.inactive else (0, 0.0)
    if inactive >= _NOTABLE and not brief:
        return (f"{title}: none dead, all still learning "
                f"({_pct(inactive)} of layer {ilayer} only on the negative side)")
    return f"{title}: none dead, all still learning"


def narrate(latest: Mapping[str, Metrics], *, stopped: bool = False, limit: int | None = None) -> str:
    """The sentence for the latest snapshot of each run (in the mapping's order): one clause per
    run, "Before training: …" while every run is at step 0, "Stopped at step k: …" after a stop
    (``stopped``, or a snapshot flagged so: the trainer flags one only if it had not yet reported
    the step it stopped at; k is the slowest unfinished run's step, as the progress bar counts). Longer than ``limit`` characters, the clauses drop their asides."""
    if not latest:
        return "Nothing trained yet: pick a preset or set the controls, then run."
    snaps = list(latest.values())
    prefix = ""
    if all(m.step == 0 and not m.done for m in snaps):
        prefix = "Before training: "
    elif stopped or any(m.stopped for m in snaps):
        # the step the slowest run still going had reached: what the progress bar shows (runs take
        # turns, so one may be a step ahead; a run that ended early, e.g. diverged, is complete)
        going = [m.step for m in snaps if not (m.done and not m.stopped)] or [m.step for m in snaps]
        prefix = f"Stopped at step {min(going)}: "
    text = prefix + "; ".join(_clause(run, m) for run, m in latest.items())
    if limit is not None and len(text) > limit:
        text = prefix + "; ".join(_clause(run, m, brief=True) for run, m in latest.items())
    return text
