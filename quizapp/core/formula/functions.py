"""The whitelist of functions a formula may call: maths built-ins plus every elementwise activation.

Activations come from the one registry (:mod:`quizapp.core.engine.activations`): each canonical name
and alias is callable, and extra arguments map, in order, to the activation's numeric parameters
(``leaky_relu(z, alpha)``, ``elu(z, alpha)``, ``softplus(z, beta, threshold)``).

Calls are read leniently (:func:`resolve_call`): ``ReLU``, ``LeakyReLU``, ``Exp``, ``Softplus`` … (any
case, and every registry spelling via :func:`activations.canonical_name`), and ASCII ``sigma`` for
σ (sigmoid). Exact names only (:func:`resolve`) decide what cannot be a variable.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from types import MappingProxyType

import numpy as np

from quizapp.core.engine import activations as acts

__all__ = ["CONSTANTS", "FUNCTIONS", "KINK_AT_ZERO", "FuncSpec", "not_in_formulas", "resolve",
           "resolve_call", "suggest"]

Array = np.ndarray
CONSTANTS = MappingProxyType({"pi": math.pi, "e": math.e})


@dataclass(frozen=True)
class FuncSpec:
    name: str                      # canonical
    min_args: int
    max_args: int | None           # None: any number ≥ min_args
    impl: Callable[..., Array]
    params: tuple[str, ...] = ()   # activation parameters taken by arguments 2, 3, …
    summary: str = ""

    def arity_text(self) -> str:
        if self.max_args is None:
            return f"{self.min_args} or more arguments"
        if self.min_args == self.max_args:
            return f"{self.min_args} argument" + ("s" if self.min_args != 1 else "")
        return f"{self.min_args} to {self.max_args} arguments"


def _truth(c: Array) -> Array:
    return np.asarray(c) != 0


def _where(c: Array, a: Array, b: Array) -> Array:
    out = np.where(_truth(c), a, b)
    nan_c = np.isnan(c)
    if np.any(nan_c):
        out = np.where(nan_c, np.nan, out)
    return out


def _phi(z: Array) -> Array:
    return acts.phi_cdf(z)  # ½·erfc(−z/√2): accurate in the lower tail, where ½(1 + erf) cancels


def _sech(z: Array) -> Array:
    return 1.0 / np.cosh(z)  # cosh overflows to inf for |z| > 710: sech is then 0, as it should be


def _step(z: Array) -> Array:
    return np.heaviside(z, 0.0)  # 1 for z > 0, else 0 (0 at z = 0, like ReLU′); nan stays nan


def _activation_impl(act: acts.Activation, params: tuple[str, ...]) -> Callable[..., Array]:
    def impl(z: Array, *values: Array) -> Array:
        given = {}
        for name, value in zip(params, values):
            arr = np.asarray(value, dtype=np.float64)
            flat = arr.reshape(-1)
            # a parameter that is one number everywhere is passed as a float (the registry checks it)
            given[name] = float(flat[0]) if flat.size and np.all(flat == flat[0]) else arr
        try:
            return act.forward(z, **given)
        except (ValueError, TypeError, FloatingPointError):  # e.g. softplus(z, beta ≤ 0): undefined
            return np.full(np.broadcast(z, *values).shape, np.nan)
    return impl


def _numeric_params(act: acts.Activation) -> tuple[str, ...]:
    return tuple(k for k, v in act.defaults.items()
                 if isinstance(v, (int, float)) and not isinstance(v, bool))


def _build() -> dict[str, FuncSpec]:
    table: dict[str, FuncSpec] = {
        "exp": FuncSpec("exp", 1, 1, np.exp, summary="eˣ"),
        "log": FuncSpec("log", 1, 1, np.log, summary="natural log (ln)"),
        "sqrt": FuncSpec("sqrt", 1, 1, np.sqrt, summary="square root (√)"),
        "abs": FuncSpec("abs", 1, 1, np.abs, summary="|x|"),
        "sign": FuncSpec("sign", 1, 1, np.sign, summary="−1, 0 or 1"),
        "erf": FuncSpec("erf", 1, 1, acts.erf, summary="error function"),
        "Phi": FuncSpec("Phi", 1, 1, _phi, summary="standard normal CDF Φ"),
        "max": FuncSpec("max", 2, None, lambda *a: reduce(np.maximum, a), summary="elementwise max"),
        "min": FuncSpec("min", 2, None, lambda *a: reduce(np.minimum, a), summary="elementwise min"),
        "where": FuncSpec("where", 3, 3, _where, summary="where(cond, a, b): a where cond else b"),
        "sin": FuncSpec("sin", 1, 1, np.sin, summary="sine"),
        "cos": FuncSpec("cos", 1, 1, np.cos, summary="cosine"),
        "tan": FuncSpec("tan", 1, 1, np.tan, summary="tangent"),
        "sinh": FuncSpec("sinh", 1, 1, np.sinh, summary="hyperbolic sine"),
        "cosh": FuncSpec("cosh", 1, 1, np.cosh, summary="hyperbolic cosine"),
        "sech": FuncSpec("sech", 1, 1, _sech, summary="1/cosh(x) (tanh′ = sech²)"),
        "heaviside": FuncSpec("heaviside", 2, 2, np.heaviside, ("h0",),
                              summary="heaviside(z, h0): 1 for z > 0, 0 for z < 0, h0 at z = 0"),
        "step": FuncSpec("step", 1, 1, _step, summary="1 if z > 0 else 0 (0 at z = 0, as PyTorch's ReLU′)"),
    }
    for name in acts.names(elementwise_only=True):
        act = acts.get(name)
        params = _numeric_params(act)
        table[name] = FuncSpec(name, 1, 1 + len(params), _activation_impl(act, params), params,
                               summary=f"{act.display}: {act.formulas().f_text}")
    return table


FUNCTIONS: MappingProxyType[str, FuncSpec] = MappingProxyType(_build())

_ALIASES = {"ln": "log"}
for _name in acts.names(include_aliases=True, elementwise_only=True):
    _canon = acts.canonical_name(_name)
    if _name not in FUNCTIONS and _canon in FUNCTIONS:
        _ALIASES[_name] = _canon
ALIASES = MappingProxyType(_ALIASES)

# functions whose argument has a kink (or a jump) where it crosses 0
KINK_AT_ZERO = frozenset({"abs", "sign", "heaviside", "step", *(n for n in FUNCTIONS if n in acts.ACTIVATIONS
                                           and 0.0 in acts.get(n).kinks)})


def resolve(name: str) -> FuncSpec | None:
    """The function called exactly ``name`` (canonical or alias), or ``None``."""
    return FUNCTIONS.get(ALIASES.get(name, name))


# Lenient spellings of a call: every name and alias in any case (except names that are Greek
# letters, so φ(z) is not Φ), and ASCII "sigma" (exactly) for σ. A name resolving only here is a function
# when it is called (``ReLU(z)``) and otherwise stays a (case-sensitive) variable.
_GREEK_VARIABLES = frozenset({"phi"})
_FOLDED: dict[str, str] = {}
for _name in (*FUNCTIONS, *ALIASES):
    _key = _name.lower()
    if _key not in _GREEK_VARIABLES:
        _FOLDED.setdefault(_key, ALIASES.get(_name, _name))
_NOT_ELEMENTWISE = frozenset(n.lower() for n in acts.names(include_aliases=True)
                             if not acts.get(n).is_elementwise)


def resolve_call(name: str) -> FuncSpec | None:
    """The function meant by ``name`` written before ``(``: exact, then case-insensitive, then any
    spelling the activation registry knows (``LeakyReLU``, ``Leaky_ReLU``, ``LReLU``)."""
    spec = resolve(name)
    if spec is not None:
        return spec
    if name == "sigma":  # ASCII σ; not "Sigma" (Σ is a sum)
        return FUNCTIONS["sigmoid"]
    folded = _FOLDED.get(name.lower())
    if folded is not None:
        return FUNCTIONS[folded]
    if name.lower() in _GREEK_VARIABLES or len(name) < 3:
        return None
    try:
        canon = acts.canonical_name(name)
    except KeyError:
        return None
    return FUNCTIONS.get(canon)


def not_in_formulas(name: str) -> str | None:
    """Why a known function name cannot be called in a formula (softmax), or ``None``."""
    if name.lower() in _NOT_ELEMENTWISE:
        return (f"'{name}' is not available in formulas: it is not elementwise "
                "(write e.g. exp(z)/(exp(z) + exp(y)) for one output)")
    return None


def suggest(name: str) -> str | None:
    """The nearest callable name to an unknown ``name``, compared without case and ``_`` (so
    ``Sigmoud`` → sigmoid, ``leaky_rellu`` → leaky_relu); canonical names win ties over aliases,
    and a suggestion must start with the same letter."""
    def key(n: str) -> str:
        return n.lower().replace("_", "")

    typed = key(name)
    if not typed:
        return None
    candidates: dict[str, str] = {}
    for n in (*FUNCTIONS, *ALIASES):  # canonical names first: they win ties
        candidates.setdefault(key(n), n)
    best, best_ratio = None, 0.0
    for k, n in candidates.items():
        if k[0] != typed[0]:
            continue
        ratio = difflib.SequenceMatcher(None, typed, k).ratio()
        if ratio > best_ratio:
            best, best_ratio = n, ratio
    return best if best_ratio >= 0.75 else None


def all_names() -> list[str]:
    """Every callable name, canonical and aliases."""
    return [*FUNCTIONS, *ALIASES]
