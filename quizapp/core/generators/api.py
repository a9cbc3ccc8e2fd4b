"""``generate``/``generate_many``/``grade``: seeds and names in, ``Question`` out.

Determinism: a question depends only on (family, seed, difficulty, activation, params). Without an
activation, one is drawn from the elementwise registry by a generator seeded from (family, seed,
difficulty), and the numbers then come from a generator seeded with the chosen name too, so
``generate(q.family, seed=q.seed, difficulty=q.difficulty, activation=q.activation)`` rebuilds q.
Seeds are hashed with CRC-32 (stable across runs and platforms, unlike ``hash``).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import zlib
from typing import Any

import numpy as np

from quizapp.core.answers import NumericVerdict, grade_numbers
from quizapp.core.engine import activations as A
from quizapp.core.generators.base import (
    DIFFICULTIES, FAMILIES, Context, Family, Question, Tolerance,
)
from quizapp.core.generators.by_hand import drawn_pool
from quizapp.core.generators.sampling import activation_params, clean

__all__ = ["activation_names", "family_names", "generate", "generate_many", "grade"]

# Importing a family module registers its families; this order is the listing order.
FAMILY_MODULES = ("activation", "dense", "two_layer", "softmax", "training")
FAMILY_MODULES += ("loss_grads", "normalisation", "dropout", "attention")  # issue 15, part A
FAMILY_MODULES += ("conv", "pool", "rnn", "optim", "clipping")  # issue 15, part B
for _module in FAMILY_MODULES:
    importlib.import_module(f"quizapp.core.generators.{_module}")


def family_names() -> list[str]:
    """Registered families in listing order."""
    return list(FAMILIES)


def activation_names() -> list[str]:
    """Activations a question can use: every elementwise one in the registry."""
    return A.names(elementwise_only=True)


def _family(name: str) -> Family:
    if name not in FAMILIES:
        raise ValueError(f"unknown family {name!r}; families: {', '.join(FAMILIES)}")
    return FAMILIES[name]


def _activation(fam: Family, name: str | None) -> A.Activation | None:
    if name is None:
        return None
    try:
        act = A.get(name)
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; activations: "
                         f"{', '.join(activation_names())}") from None
    if fam.fixed_activation is not None:
        if act.name != fam.fixed_activation:
            raise ValueError(f"family {fam.name} always uses {fam.fixed_activation}")
        return None
    if not fam.uses_activation:
        raise ValueError(f"family {fam.name} takes no activation")
    if not act.is_elementwise:
        raise ValueError(f"{act.name} is not elementwise; activations: "
                         f"{', '.join(activation_names())}")
    return act


def _rng(*parts: Any) -> np.random.Generator:
    words = [zlib.crc32(str(p).encode()) for p in parts[1:]]
    return np.random.default_rng([int(parts[0]), *words])


def _split_params(fam: Family, act: A.Activation | None,
                  params: dict[str, Any]) -> tuple[dict, dict]:
    act_keys = set(act.defaults) if act is not None else set()
    allowed = act_keys | set(fam.options)
    unknown = sorted(set(params) - allowed)
    if unknown:
        known = ", ".join(sorted(allowed)) or "none"
        what = f"{fam.name} with {act.name}" if act is not None else fam.name
        raise ValueError(f"unknown parameter(s) {', '.join(unknown)} for {what} (allowed: {known})")
    return ({k: v for k, v in params.items() if k in act_keys},
            {k: v for k, v in params.items() if k not in act_keys})


def _question_id(family: str, seed: int, difficulty: str, act: str | None,
                 params: dict[str, Any]) -> str:
    qid = f"{family}-{difficulty}-{act or 'none'}-s{seed}"
    if params:
        blob = json.dumps(params, sort_keys=True, default=str).encode()
        qid += "-p" + hashlib.sha1(blob).hexdigest()[:8]
    return qid


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray | np.floating | float):
        return clean(value)
    if isinstance(value, np.integer | np.bool_):
        return value.item()
    return value


def generate(family: str, *, seed: int, difficulty: str = "easy", activation: str | None = None,
             params: dict | None = None) -> Question:
    """One question of ``family``; the same arguments always give the same question.

    ``activation`` (any registry name or alias) applies to families that use one; without it one
    is drawn from the seed, from the activations that suit the difficulty (``by_hand.drawn_pool``;
    the kinked ones when ``at_kink`` is asked for). ``params``
    overrides activation parameters (``alpha``, ``beta``, ``approximate``) and family options
    (``scheme`` for init_std, ``at_kink`` for the derivative families). Raises ValueError for
    unknown names, with the valid ones listed.
    """
    fam = _family(family)
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"unknown difficulty {difficulty!r}; use {', '.join(DIFFICULTIES)}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be an integer ≥ 0, got {seed!r}")
    seed = int(seed)
    act = _activation(fam, activation)
    given = dict(params or {})
    if fam.uses_activation and act is None:
        everything = activation_names()
        pool = drawn_pool(family, difficulty, at_kink=bool(given.get("at_kink")))  # by_hand.py
        act = A.get(pool[int(_rng(seed, family, difficulty, "draw").integers(len(pool)))])
        # A drawn activation takes only its own parameters (alpha means nothing to tanh).
        foreign = {k for n in everything for k in A.get(n).defaults} - set(act.defaults)
        given = {k: v for k, v in given.items() if k not in foreign}
    act_over, options = _split_params(fam, act, given)
    rng = _rng(seed, family, difficulty, act.name if act else "")
    ctx = Context(rng, difficulty, act, {}, options)
    if act is not None:
        ctx.act_params = activation_params(rng, act, difficulty, act_over)
    draft = fam.build(ctx)
    tolerances = {name: draft.tolerances.get(name, Tolerance()) for name in fam.answers}
    act_name = act.name if act is not None else fam.fixed_activation
    return Question(
        id=_question_id(family, seed, difficulty, act_name, given),
        family=family, difficulty=difficulty, seed=seed, activation=act_name,
        params={**ctx.act_params, **draft.params},
        inputs={k: _plain(v) for k, v in draft.inputs.items()},
        answer={k: _plain(draft.answer[k]) for k in fam.answers},
        prompt=draft.prompt, solution=list(draft.solution), conventions=list(draft.conventions),
        tolerances=tolerances, title=fam.title,
        hints=tuple(draft.hints),
    )


def generate_many(family: str, count: int, seed: int, difficulty: str = "easy",
                  activation: str | None = None, params: dict | None = None) -> list[Question]:
    """``count`` questions with seeds ``seed, seed + 1, …`` (each rebuildable from its own seed).

    ``family="all"`` cycles through the families in registry order; ``activation`` is then used by
    the families that take one and ignored by the rest (so are ``params`` they do not accept).
    """
    if count < 0:
        raise ValueError(f"count must be ≥ 0, got {count}")
    if family != "all":
        return [generate(family, seed=seed + i, difficulty=difficulty, activation=activation,
                         params=params) for i in range(count)]
    if activation is not None:
        _activation(FAMILIES["activation_value"], activation)  # validate once, clear message
    names = family_names()
    out = []
    for i in range(count):
        fam = FAMILIES[names[i % len(names)]]
        act = activation if fam.uses_activation else None
        keys = set(fam.options)
        if fam.uses_activation:  # a drawn activation keeps only the parameters it has
            keys |= {k for n in activation_names() for k in A.get(n).defaults}
        mine = {k: v for k, v in (params or {}).items() if k in keys} or None
        out.append(generate(fam.name, seed=seed + i, difficulty=difficulty, activation=act,
                            params=mine))
    return out


def grade(question: Question, name: str, text: str) -> NumericVerdict:
    """Grade the typed ``text`` for answer ``name`` of ``question`` with its tolerance."""
    if name not in question.answer:
        raise KeyError(f"{question.family} has no answer {name!r}; answers: "
                       f"{', '.join(question.answer)}")
    tol = question.tolerances[name]
    return grade_numbers(text, question.answer[name], rtol=tol.rtol, atol=tol.atol,
                         integer=tol.integer)
