"""The formulas an activation *shows*, per parameter variant, in the app's own formula language.

Every text here is read by :func:`quizapp.core.formula.language.parse` exactly as it is printed on screen
(``α·z``, ``eᶻ``, ``√(2/π)``, ``½``, ``σ(z)``, ``Φ(z)``, ``tanh²(z)`` are all formula language; products
are written with ``·`` because the language refuses implicit multiplication). So the text a question
prints is the text the tests parse and evaluate against the engine's ``forward``/``derivative``
(tests/core/engine/test_formula_text_matches_engine.py): display and computation cannot drift.

* :class:`Forms` — what the registry stores for one variant: the equivalent forms of f and f′
  (shown joined by `` = ``), helper definitions (``u = √(2/π)·(z + 0.044715·z³)``), fixed constants
  (SELU's λ and α) and the discrete parameter values it is for (``approximate = "tanh"``).
* :class:`FormulaText` — what :meth:`Activation.formulas` returns for given parameters: the chosen
  variant's texts plus the value of every symbol they use (``alpha`` → 0.1), ready to evaluate.

No NumPy and no import of the formula parser here: the parser imports the registry, not the reverse.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["Forms", "FormulaText", "choose", "read_shown"]

_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9]*\Z")


def _forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    forms = (value,) if isinstance(value, str) else tuple(value)
    if not forms or not all(isinstance(t, str) and t.strip() for t in forms):
        raise ValueError(f"a formula needs at least one non-empty form, got {value!r}")
    return forms


@dataclass(frozen=True)
class Forms:
    """The shown formulas of one parameter variant of an activation (see the module docstring).

    ``f``/``df``: one text or several equivalent ones, the first being the main form. ``where``:
    ``(name, text)`` definitions a form may use (ASCII names, evaluated in order). ``constants``:
    fixed values of symbols (``{"lambda_": 1.0507…}``); numeric parameters such as ``alpha`` are
    bound from the call. ``when``: the discrete parameter values this variant is for (``{}``: all).
    ``label``: how the variant is named in a question (``"tanh approximation (…)"``).
    """

    f: str | tuple[str, ...]
    df: str | tuple[str, ...]
    where: tuple[tuple[str, str], ...] = ()
    constants: Mapping[str, float] = field(default_factory=dict)
    when: Mapping[str, str] = field(default_factory=dict)
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "f", _forms(self.f))
        object.__setattr__(self, "df", _forms(self.df))
        for name, text in self.where:
            if not _IDENT.match(name) or not text.strip():
                raise ValueError(f"where-definitions need an ASCII name and a text, got {name!r}")
        object.__setattr__(self, "constants", MappingProxyType(dict(self.constants)))
        object.__setattr__(self, "when", MappingProxyType(dict(self.when)))

    def matches(self, params: Mapping[str, Any]) -> bool:
        return all(params.get(k) == v for k, v in self.when.items())


def _uses(text: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text) is not None


@dataclass(frozen=True)
class FormulaText:
    """The formulas to show (and evaluate) for one activation with given parameters.

    ``f``/``df`` are the main forms; ``f_forms``/``df_forms`` every equivalent form; ``f_text``/
    ``df_text`` what questions print: the forms joined by `` = `` and, when a form uses a helper
    name, ``", with u = …"``. ``constants`` maps each formula-language name the texts may use to
    its value (``alpha``, ``beta``, ``lambda_`` …): evaluate a text with ``{"z": z, **constants}``
    after the ``where`` definitions.
    """

    activation: str
    f_forms: tuple[str, ...]
    df_forms: tuple[str, ...]
    where: tuple[tuple[str, str], ...]
    constants: Mapping[str, float]
    label: str = ""

    @property
    def f(self) -> str:
        return self.f_forms[0]

    @property
    def df(self) -> str:
        return self.df_forms[0]

    def _show(self, forms: tuple[str, ...]) -> str:
        text = " = ".join(forms)
        defs = [f"{name} = {body}" for name, body in self.where
                if any(_uses(form, name) for form in forms)]
        return text + (", with " + ", ".join(defs) if defs else "")

    @property
    def f_text(self) -> str:
        """``f(z) = …`` without the ``f(z) =``: every form, then any helper definitions."""
        return self._show(self.f_forms)

    @property
    def df_text(self) -> str:
        """``f′(z) = …`` without the ``f′(z) =``."""
        return self._show(self.df_forms)


_DEF_START = re.compile(r", (?=[A-Za-z][A-Za-z0-9]* = )")


def read_shown(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The inverse of ``f_text``/``df_text``: the equivalent forms and the helper definitions
    (``"A = B, with u = C"`` → ``(["A", "B"], [("u", "C")])``), to evaluate what a screen shows."""
    main, _, defs = text.partition(", with ")
    where = []
    for part in _DEF_START.split(defs) if defs else []:
        name, _, body = part.partition(" = ")
        where.append((name.strip(), body.strip()))
    return [form.strip() for form in main.split(" = ")], where


def choose(activation: str, variants: tuple[Forms, ...], params: Mapping[str, Any]) -> FormulaText:
    """The variant of ``variants`` for ``params`` (all of the activation's parameters, defaults
    filled in), with its symbols bound: fixed constants, then every numeric parameter."""
    for forms in variants:
        if forms.matches(params):
            break
    else:
        shown = ", ".join(f"{k}={v!r}" for k, v in params.items()) or "no parameters"
        raise ValueError(f"{activation}: no display formula for {shown}")
    constants = dict(forms.constants)
    for key, value in params.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            constants[key] = float(value)
    return FormulaText(activation, forms.f, forms.df, forms.where,
                       MappingProxyType(constants), forms.label)
