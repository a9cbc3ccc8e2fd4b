"""The Training screen's settings panel: activations and inits to compare, data set, network, SGD,
and two toggles: Adam instead of SGD, BatchNorm before each hidden activation.

``fill`` writes a config (a preset's, usually) into the fields; ``read`` turns the fields back into
a ``TrainConfig`` plus the activations and inits to compare, raising ``ValueError`` with a message a
user can act on. Fields the panel does not show (noise, the bad-init bias, …) come from ``base``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, SelectionList

from quizapp.core.engine.activations import get, names
from quizapp.core.engine.training import DATASET_NAMES, INIT_NAMES, TrainConfig

MAX_RUNS = 6
PACES = (("watch (≈10 s)", "watch"), ("as fast as it goes", "fast"))
INIT_LABELS = {"he": "He", "xavier": "Xavier", "normal": "normal, σ 0.1", "bad": "He, biases −1"}
# (field, label, input type, lowest, highest). Depth and width are capped so one step plus the
# final snapshots stay around 0.1 s, which is how quickly Stop must take effect.
NUMBER_FIELDS = (
    ("depth", "Depth", "integer", 0, 12),
    ("width", "Width", "integer", 1, 128),
    ("lr", "Learn. rate", "number", 1e-6, 100.0),
    ("momentum", "Momentum", "number", 0.0, 0.99),
    ("steps", "Steps", "integer", 1, 20_000),
    ("seed", "Seed", "integer", 0, 2**31 - 1),
)


def activation_choices() -> list[str]:
    """Elementwise activations, ReLU first, identity (a linear net) last."""
    order = [n for n in names(elementwise_only=True) if n != "identity"]
    order.sort(key=lambda n: n not in ("relu", "leaky_relu"))
    return [*order, "identity"]


def _format(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


class TrainingControls(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    TrainingControls {
        width: 34;
        height: 1fr;
        border: round $primary;
        border-title-color: $text-muted;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    TrainingControls .tc-title {
        color: $text-muted;
        text-style: bold;
    }
    TrainingControls SelectionList {
        height: auto;
        max-height: 6;
        margin-bottom: 1;
    }
    TrainingControls #tc-inits {
        max-height: 4;
    }
    TrainingControls .tc-row {
        height: 1;
    }
    TrainingControls .tc-row Label {
        width: 12;
        color: $text-muted;
    }
    TrainingControls .tc-row Input, TrainingControls .tc-row Select {
        width: 1fr;
    }
    TrainingControls .tc-row Checkbox {
        width: auto;
        margin-right: 2;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Settings"

    def compose(self) -> ComposeResult:
        yield Label("Activations to compare", classes="tc-title")
        yield SelectionList[str](*[(get(n).display, n, False) for n in activation_choices()],
                                 id="tc-activations", compact=True)
        yield Label("Weight init", classes="tc-title")
        yield SelectionList[str](*[(INIT_LABELS.get(n, n), n, False) for n in INIT_NAMES],
                                 id="tc-inits", compact=True)
        with Horizontal(classes="tc-row"):
            yield Label("Data set")
            yield Select([(Text(n), n) for n in DATASET_NAMES], allow_blank=False, compact=True,
                         id="tc-dataset")
        for field, label, kind, _lo, _hi in NUMBER_FIELDS:
            with Horizontal(classes="tc-row"):
                yield Label(label)
                yield Input(type=kind, compact=True, id=f"tc-{field}", select_on_focus=True)
        with Horizontal(classes="tc-row"):
            yield Label("Pace")
            yield Select([(Text(label), value) for label, value in PACES], allow_blank=False,
                         compact=True, id="tc-pace", tooltip="watch: slowed down to take about "
                         "10 s so you can see it happen (longer only if this machine needs more for "
                         "the steps: the time left is shown as it runs); fast: as fast as NumPy goes")
        with Horizontal(classes="tc-row"):
            yield Checkbox("Adam", compact=True, id="tc-adam",
                           tooltip="Adam (β 0.9/0.999) instead of SGD; uses the learning rate, not momentum")
            yield Checkbox("BatchNorm", compact=True, id="tc-batchnorm",
                           tooltip="BatchNorm1d before every hidden activation (batch statistics)")

    # ---- config ⇄ fields ---------------------------------------------------------------------

    def fill(self, config: TrainConfig, activations: Sequence[str], inits: Sequence[str]) -> None:
        acts = self.query_one("#tc-activations", SelectionList)
        acts.deselect_all()
        for name in activations:
            acts.select(get(name).name)
        its = self.query_one("#tc-inits", SelectionList)
        its.deselect_all()
        for name in inits or [config.init]:
            its.select(name)
        self.query_one("#tc-dataset", Select).value = config.dataset
        for field, *_ in NUMBER_FIELDS:
            self.query_one(f"#tc-{field}", Input).value = _format(getattr(config, field))
        self.query_one("#tc-adam", Checkbox).value = config.optimizer == "adam"
        self.query_one("#tc-batchnorm", Checkbox).value = config.batchnorm

    def set_pace(self, pace: str) -> None:
        self.query_one("#tc-pace", Select).value = pace

    @property
    def pace(self) -> str:
        return str(self.query_one("#tc-pace", Select).value)

    def set_value(self, field: str, value: Any) -> None:
        """Set one numeric field (``depth``, ``steps``, …) as if typed."""
        self.query_one(f"#tc-{field}", Input).value = _format(value)

    def read(self, base: Mapping[str, Any]) -> tuple[TrainConfig, list[str], list[str]]:
        """(config, activations, inits) from the fields on top of ``base``; ValueError if unusable."""
        activations = list(self.query_one("#tc-activations", SelectionList).selected)
        inits = list(self.query_one("#tc-inits", SelectionList).selected)
        if not activations:
            raise ValueError("Pick at least one activation.")
        if not inits:
            raise ValueError("Pick at least one weight init.")
        if len(activations) * len(inits) > MAX_RUNS:
            raise ValueError(f"That is {len(activations) * len(inits)} runs; pick at most {MAX_RUNS} "
                             "activation × init combinations.")
        values: dict[str, Any] = {"dataset": str(self.query_one("#tc-dataset", Select).value)}
        for field, label, kind, lo, hi in NUMBER_FIELDS:
            text = self.query_one(f"#tc-{field}", Input).value.strip()
            try:
                value = int(text) if kind == "integer" else float(text)
            except ValueError:
                raise ValueError(f"{label}: type a number ({lo:g} to {hi:g}).") from None
            if not lo <= value <= hi:
                raise ValueError(f"{label}: {text} is out of range ({lo:g} to {hi:g}).")
            values[field] = value
        values["optimizer"] = "adam" if self.query_one("#tc-adam", Checkbox).value else "sgd"
        values["batchnorm"] = self.query_one("#tc-batchnorm", Checkbox).value
        order = [n for n in activation_choices() if n in activations]
        config = TrainConfig(**{**base, **values, "activation": order[0], "init": inits[0]})
        return config, order, [n for n in INIT_NAMES if n in inits]
