"""The question model and the family registry.

A *family* is a function ``build(ctx) -> Draft``: it draws inputs from ``ctx.rng`` at
``ctx.difficulty``, computes the answer with the engine and writes the worked solution. ``api``
turns the draft into a ``Question`` (id, JSON-ready lists, tolerances).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from quizapp.core.engine.activations import Activation

__all__ = [
    "DEFAULT_ATOL", "DEFAULT_RTOL", "DIFFICULTIES", "FAMILIES", "Context", "Draft", "Family",
    "Question", "Tolerance", "register",
]

DIFFICULTIES = ("easy", "medium", "hard")
DEFAULT_RTOL = 1e-2
DEFAULT_ATOL = 1e-8


@dataclass(frozen=True)
class Tolerance:
    """How close a typed answer must be: |given − true| ≤ atol + rtol·|true|, or exact if integer."""

    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    integer: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"rtol": self.rtol, "atol": self.atol, "integer": self.integer}


INTEGER = Tolerance(rtol=0.0, atol=0.0, integer=True)


@dataclass(frozen=True)
class Question:
    """One generated problem. ``inputs``/``answer`` hold Python numbers or nested lists."""

    id: str
    family: str
    difficulty: str
    seed: int
    activation: str | None
    params: dict[str, Any]
    inputs: dict[str, Any]
    answer: dict[str, Any]
    prompt: str
    solution: list[str]
    conventions: list[str]
    tolerances: dict[str, Tolerance]
    title: str = ""
    hints: tuple[str, ...] = ()  # the intermediates to compute, in order, without their values

    def answer_shape(self, name: str) -> list[int]:
        return list(np.shape(self.answer[name]))

    def to_json(self) -> dict[str, Any]:
        """The public JSON form (documented in docs/cli.md; keep it stable)."""
        return {
            "id": self.id,
            "family": self.family,
            "title": self.title,
            "difficulty": self.difficulty,
            "seed": self.seed,
            "activation": self.activation,
            "params": dict(self.params),
            "inputs": dict(self.inputs),
            "answer": dict(self.answer),
            "answer_shapes": {name: self.answer_shape(name) for name in self.answer},
            "tolerances": {name: t.to_json() for name, t in self.tolerances.items()},
            "prompt": self.prompt,
            "solution": list(self.solution),
            "conventions": list(self.conventions),
        }


@dataclass
class Context:
    """What a family builder is given. ``act``/``act_params`` only for families with an activation;
    ``options`` are the family's own parameters (e.g. ``scheme``) as the caller passed them."""

    rng: np.random.Generator
    difficulty: str
    act: Activation | None = None
    act_params: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def easy(self) -> bool:
        return self.difficulty == "easy"

    @property
    def hard(self) -> bool:
        return self.difficulty == "hard"

    def pick(self, choices: tuple | list, **by_difficulty: tuple | list) -> Any:
        """One of ``by_difficulty[self.difficulty]`` (else ``choices``), drawn from the rng."""
        options = by_difficulty.get(self.difficulty, choices)
        return options[int(self.rng.integers(len(options)))]


@dataclass
class Draft:
    """A family's output before it becomes a Question. Arrays are fine here."""

    inputs: dict[str, Any]
    answer: dict[str, Any]
    prompt: str
    solution: list[str]
    conventions: list[str]
    params: dict[str, Any] = field(default_factory=dict)
    tolerances: dict[str, Tolerance] = field(default_factory=dict)
    hints: list[str] = field(default_factory=list)  # "first x_pad = …", then the next intermediate


@dataclass(frozen=True)
class Family:
    """A registered question family."""

    name: str
    title: str
    build: Callable[[Context], Draft] = field(repr=False)
    answers: tuple[str, ...]
    uses_activation: bool = False  # the hidden/elementwise activation is chosen per question
    fixed_activation: str | None = None  # e.g. softmax for softmax_xent
    options: tuple[str, ...] = ()  # family parameters accepted in ``params``


_FAMILIES: dict[str, Family] = {}
FAMILIES: Mapping[str, Family] = MappingProxyType(_FAMILIES)


def register(name: str, title: str, answers: tuple[str, ...], *, uses_activation: bool = False,
             fixed_activation: str | None = None,
             options: tuple[str, ...] = ()) -> Callable[[Callable[[Context], Draft]], Callable]:
    """Decorator adding a builder to ``FAMILIES`` (registration order is the listing order)."""

    def deco(build: Callable[[Context], Draft]) -> Callable[[Context], Draft]:
        if name in _FAMILIES:
            raise ValueError(f"family {name!r} registered twice")
        _FAMILIES[name] = Family(name, title, build, answers, uses_activation,
                                 fixed_activation, options)
        return build

    return deco
