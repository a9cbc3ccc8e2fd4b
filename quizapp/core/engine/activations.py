"""The one registry of activation functions: name → f, f′, defaults, kink conventions, formulas.

Generators, the formula drills' allowed function names and the training demo all read this module,
so a convention lives in exactly one place.

* ``forward(z, **params)`` and ``derivative(z, **params)`` are vectorised float64 NumPy; derivatives
  are closed forms (never differencing), checked against centred differences in the tests.
* Kinks follow PyTorch: the positive branch is taken only for ``z > 0``, so ReLU′(0) = 0,
  LeakyReLU′(0) = α, ELU′(0) = α, SELU′(0) = λα.
* Softplus follows PyTorch's ``threshold``: where βz > threshold it returns z (and derivative 1).
  That switch is a jump of < 1e-8 at z = threshold/β, far outside the ranges questions use.
* Softmax is not elementwise: ``derivative`` returns the Jacobian over ``axis`` and ``vjp`` is the
  cheap product ``y ⊙ (g − Σ g⊙y)``.
* The formulas a question shows are stored per parameter variant in the formula language
  (:mod:`quizapp.core.engine.formula_text`) and read through ``Activation.formulas(**params)``;
  a test evaluates every one against ``forward``/``derivative``.

Scalar input gives a 0-d array; call ``float()`` on it if you need a Python number.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from quizapp.core.engine.formula_text import Forms, FormulaText, choose

__all__ = [
    "ACTIVATIONS", "Activation", "SELU_ALPHA", "SELU_SCALE", "canonical_name", "erf", "get",
    "log_softmax", "names", "phi_cdf", "sigmoid", "softmax", "softmax_vjp",
]

SELU_ALPHA = 1.6732632423543772848170429916717  # torch.nn.SELU
SELU_SCALE = 1.0507009873554804934193349852946
_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GELU_K = math.sqrt(2.0 / math.pi)
_GELU_C = 0.044715

Array = np.ndarray


def _elementwise(fn: Any, x: Any) -> Array:
    """``fn`` (a float → float function of ``math``) on every element of ``x``, in full double
    precision. ``map`` over a list is ~1.6× faster than ``np.vectorize`` (GELU training calls this
    on every hidden layer twice a step)."""
    a = np.asarray(x, dtype=np.float64)
    out = np.fromiter(map(fn, a.ravel().tolist()), dtype=np.float64, count=a.size)
    return out.reshape(a.shape)


def erf(x: Any) -> Array:
    """Error function to full double precision (``math.erf`` on each element)."""
    return _elementwise(math.erf, x)


def phi_cdf(z: Any) -> Array:
    """Standard normal CDF Φ(z) = ½·erfc(−z/√2), accurate in both tails."""
    return 0.5 * _elementwise(math.erfc, -np.asarray(z, dtype=np.float64) / _SQRT2)


def sigmoid(z: Any) -> Array:
    """σ(z) = 1/(1+e⁻ᶻ) without overflow: only e^(−|z|) is ever computed."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(z: Any, axis: int = -1) -> Array:
    """Softmax over ``axis``, shifted by the max so large logits never overflow."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z: Any, axis: int = -1) -> Array:
    """log softmax(z) = z − logsumexp(z), stable for any logits."""
    z = np.asarray(z, dtype=np.float64)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax_vjp(y: Any, g: Any, axis: int = -1) -> Array:
    """Vector–Jacobian product of softmax: given y = softmax(z) and upstream g = ∂L/∂y, return ∂L/∂z.

    ∂L/∂zⱼ = Σᵢ gᵢ yᵢ(δᵢⱼ − yⱼ) = yⱼ (gⱼ − Σᵢ gᵢyᵢ).
    """
    y = np.asarray(y, dtype=np.float64)
    g = np.asarray(g, dtype=np.float64)
    return y * (g - np.sum(g * y, axis=axis, keepdims=True))


def _softmax_jacobian(z: Array, axis: int = -1) -> Array:
    """J[..., i, j] = ∂yᵢ/∂zⱼ = yᵢ(δᵢⱼ − yⱼ), with ``axis`` moved last."""
    y = np.moveaxis(softmax(z, axis=axis), axis, -1)
    return y[..., :, None] * (np.eye(y.shape[-1]) - y[..., None, :])


# --- elementwise forward / derivative pairs ---------------------------------------------------

def _identity(z: Array) -> Array:
    return z.copy()


def _identity_d(z: Array) -> Array:
    return np.ones_like(z)


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)  # ~1.5x faster than np.where in the trainer's hot loop; NaN passes through


def _relu_d(z: Array) -> Array:
    z = np.asarray(z)
    return (z > 0).astype(z.dtype if z.dtype.kind == "f" else np.float64)


def _leaky(z: Array, alpha: float) -> Array:
    return np.where(z > 0, z, alpha * z)


def _leaky_d(z: Array, alpha: float) -> Array:
    return np.where(z > 0, 1.0, alpha)


def _elu(z: Array, alpha: float) -> Array:
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def _elu_d(z: Array, alpha: float) -> Array:
    # For z ≤ 0: d/dz α(eᶻ − 1) = α·eᶻ = y + α.
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


def _selu(z: Array) -> Array:
    return SELU_SCALE * _elu(z, SELU_ALPHA)


def _selu_d(z: Array) -> Array:
    return SELU_SCALE * _elu_d(z, SELU_ALPHA)


def _check_approximate(approximate: str) -> None:
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def _gelu(z: Array, approximate: str) -> Array:
    _check_approximate(approximate)
    if approximate == "none":
        return z * phi_cdf(z)
    zc = np.clip(z, -30.0, 30.0)  # tanh is ±1 well before this; avoids overflow in z³
    return 0.5 * z * (1.0 + np.tanh(_GELU_K * (zc + _GELU_C * zc**3)))


def _gelu_d(z: Array, approximate: str) -> Array:
    _check_approximate(approximate)
    if approximate == "none":
        za = np.minimum(np.abs(z), 100.0)  # φ(100) underflows to 0 anyway; avoids overflow in z²
        return phi_cdf(z) + z * _INV_SQRT_2PI * np.exp(-0.5 * za * za)
    zc = np.clip(z, -30.0, 30.0)
    t = np.tanh(_GELU_K * (zc + _GELU_C * zc**3))
    return 0.5 * (1.0 + t) + 0.5 * zc * (1.0 - t * t) * _GELU_K * (1.0 + 3.0 * _GELU_C * zc**2)


def _silu(z: Array) -> Array:
    return z * sigmoid(z)


def _silu_d(z: Array) -> Array:
    s = sigmoid(z)
    return s * (1.0 + z * (1.0 - s))


def _check_beta(beta: float) -> None:
    if not beta > 0:
        raise ValueError(f"softplus: beta must be > 0, got {beta!r}")


def _softplus(z: Array, beta: float, threshold: float) -> Array:
    _check_beta(beta)
    bz = beta * z
    smooth = (np.maximum(bz, 0.0) + np.log1p(np.exp(-np.abs(bz)))) / beta
    return np.where(bz > threshold, z, smooth)


def _softplus_d(z: Array, beta: float, threshold: float) -> Array:
    _check_beta(beta)
    bz = beta * z
    return np.where(bz > threshold, 1.0, sigmoid(bz))


def _sigmoid_d(z: Array) -> Array:
    y = sigmoid(z)
    return y * (1.0 - y)


def _tanh(z: Array) -> Array:
    return np.tanh(z)


def _tanh_d(z: Array) -> Array:
    y = np.tanh(z)
    return 1.0 - y * y


def _softmax_fwd(z: Array, axis: int) -> Array:
    return softmax(z, axis=axis)


# --- the registry --------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Activation:
    """One activation function and everything questions need to say about it.

    ``fn``/``dfn`` are the raw functions taking ``(z, **params)`` with every parameter given;
    call ``forward``/``derivative``, which fill in ``defaults`` and reject unknown parameters.
    ``forms`` are the formulas to show, per parameter variant, in the formula language (read them
    through :meth:`formulas`); ``choices`` are the parameter values generated questions draw from.
    """

    name: str
    display: str
    fn: Callable[..., Array] = field(repr=False)
    dfn: Callable[..., Array] = field(repr=False)
    forms: tuple[Forms, ...] = field(default=(), repr=False)
    defaults: Mapping[str, Any] = field(default_factory=dict)
    choices: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    kinks: tuple[float, ...] = ()
    kink_convention: str = ""
    aliases: tuple[str, ...] = ()
    is_elementwise: bool = True
    notes: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "defaults", MappingProxyType(dict(self.defaults)))
        object.__setattr__(self, "choices", MappingProxyType(dict(self.choices)))

    def params(self, **overrides: Any) -> dict[str, Any]:
        """Defaults merged with ``overrides``; unknown names raise TypeError."""
        unknown = set(overrides) - set(self.defaults)
        if unknown:
            allowed = ", ".join(sorted(self.defaults)) or "none"
            raise TypeError(f"{self.name}: unknown parameter(s) {', '.join(sorted(unknown))}"
                            f" (allowed: {allowed})")
        return {**self.defaults, **overrides}

    def formulas(self, **params: Any) -> FormulaText:
        """The f and f′ to show for these parameters (defaults filled in), in the formula language:
        the one place questions, solutions and help text take an activation's formula from.
        ValueError for a variant without a formula (and for softmax, which is not elementwise)."""
        if not self.forms:
            raise ValueError(f"{self.name} has no elementwise formula to show")
        return choose(self.name, self.forms, self.params(**params))

    def variants(self) -> list[dict[str, Any]]:
        """Every combination of ``choices`` (``[{}]`` when there are none), as parameter dicts."""
        combos: list[dict[str, Any]] = [{}]
        for key, values in self.choices.items():
            combos = [{**c, key: v} for c in combos for v in values]
        return combos

    def forward(self, z: Any, **params: Any) -> Array:
        """f(z), elementwise (softmax: over ``axis``)."""
        return self.fn(np.asarray(z, dtype=np.float64), **self.params(**params))

    def derivative(self, z: Any, **params: Any) -> Array:
        """f′(z) in closed form. Elementwise: same shape as z. Softmax: Jacobian [..., i, j]."""
        return self.dfn(np.asarray(z, dtype=np.float64), **self.params(**params))

    def vjp(self, z: Any, g: Any, **params: Any) -> Array:
        """Backward pass ∂L/∂z given the pre-activation z and upstream g = ∂L/∂f(z)."""
        g = np.asarray(g, dtype=np.float64)
        if self.is_elementwise:
            return g * self.derivative(z, **params)
        p = self.params(**params)
        return softmax_vjp(self.forward(z, **p), g, axis=p["axis"])

    def at_kink(self, z: Any) -> Array:
        """Boolean mask of entries sitting exactly on a kink (where the convention matters)."""
        z = np.asarray(z, dtype=np.float64)
        return np.isin(z, np.asarray(self.kinks, dtype=np.float64))


# The shown formulas are formula language (quizapp.core.formula.language) as printed: products take "·".
_GELU_U = ("u", "√(2/π)·(z + 0.044715·z³)")
_ACTS = [
    Activation(
        "identity", "Identity (linear)", _identity, _identity_d, (Forms("z", "1"),),
        aliases=("linear", "none"),
    ),
    Activation(
        "relu", "ReLU", _relu, _relu_d, (Forms("max(0, z)", "1 if z > 0 else 0"),),
        kinks=(0.0,), kink_convention="ReLU′(0) = 0 (PyTorch): slope 1 only for z > 0",
        aliases=("rectifier",),
    ),
    Activation(
        "leaky_relu", "Leaky ReLU", _leaky, _leaky_d,
        (Forms("z if z > 0 else α·z", "1 if z > 0 else α"),),
        defaults={"alpha": 0.01}, choices={"alpha": (0.01, 0.05, 0.1, 0.2)}, kinks=(0.0,),
        kink_convention="LeakyReLU′(0) = α (PyTorch): slope α for z ≤ 0",
        aliases=("lrelu", "leakyrelu", "leaky"),
        notes="z if z > 0 else αz equals max(αz, z) exactly when α ≤ 1.",
    ),
    Activation(
        "elu", "ELU", _elu, _elu_d,
        (Forms("z if z > 0 else α·(eᶻ − 1)", "1 if z > 0 else α·eᶻ"),),
        defaults={"alpha": 1.0}, choices={"alpha": (1.0, 0.5)}, kinks=(0.0,),
        kink_convention="ELU′(0) = α (PyTorch): slope 1 only for z > 0",
        notes="For z ≤ 0, f′(z) = α·eᶻ = f(z) + α: the backward pass can reuse the output.",
    ),
    Activation(
        "selu", "SELU", _selu, _selu_d,
        (Forms("λ·(z if z > 0 else α·(eᶻ − 1))", "λ if z > 0 else λ·α·eᶻ",
               constants={"lambda_": SELU_SCALE, "alpha": SELU_ALPHA}),),
        kinks=(0.0,), kink_convention="SELU′(0) = λα (PyTorch): slope λ only for z > 0",
        notes=f"Fixed constants as in PyTorch: λ = {SELU_SCALE!r}, α = {SELU_ALPHA!r}.",
    ),
    Activation(
        "gelu", "GELU", _gelu, _gelu_d,
        (Forms(("z·Φ(z)", "½·z·(1 + erf(z/√2))"), "Φ(z) + z·e^(−z²/2)/√(2·π)",
               when={"approximate": "none"},
               label="exact form (PyTorch approximate='none'); Φ is the standard normal CDF"),
         Forms("½·z·(1 + tanh(√(2/π)·(z + 0.044715·z³)))",
               "½·(1 + tanh(u)) + ½·z·(1 − tanh²(u))·√(2/π)·(1 + 3·0.044715·z²)",
               where=(_GELU_U,), when={"approximate": "tanh"},
               label="tanh approximation (PyTorch approximate='tanh')")),
        defaults={"approximate": "none"}, choices={"approximate": ("none", "tanh")},
    ),
    Activation(
        "silu", "SiLU (Swish)", _silu, _silu_d,
        (Forms("z·σ(z)", "σ(z)·(1 + z·(1 − σ(z)))"),), aliases=("swish",),
    ),
    Activation(
        "softplus", "Softplus", _softplus, _softplus_d,
        # PyTorch's default switch to z at βz > 20 changes f and f′ by < 3e-9 (the conventions say
        # so); any other threshold is part of the formula shown.
        (Forms("(1/β)·ln(1 + e^(β·z))", "σ(β·z)", when={"threshold": 20.0}),
         Forms("z if β·z > threshold else (1/β)·ln(1 + e^(β·z))",
               "1 if β·z > threshold else σ(β·z)")),
        defaults={"beta": 1.0, "threshold": 20.0}, choices={"beta": (1.0, 2.0, 0.5)},
        notes="As in PyTorch: returns z (derivative 1) where βz > threshold.",
    ),
    Activation(
        "sigmoid", "Sigmoid", lambda z: sigmoid(z), _sigmoid_d,
        (Forms(("σ(z)", "1/(1 + e⁻ᶻ)"), "σ(z)·(1 − σ(z))"),), aliases=("logistic",),
    ),
    Activation("tanh", "Tanh", _tanh, _tanh_d, (Forms("tanh(z)", "1 − tanh²(z)"),)),
    Activation(
        "softmax", "Softmax", _softmax_fwd, _softmax_jacobian, defaults={"axis": -1},
        is_elementwise=False,
        notes="yᵢ = eᶻⁱ / Σⱼ eᶻʲ and ∂yᵢ/∂zⱼ = yᵢ(δᵢⱼ − yⱼ). derivative() returns the Jacobian "
              "over axis (moved last); use vjp() for backprop.",
    ),
]

ACTIVATIONS: Mapping[str, Activation] = MappingProxyType({a.name: a for a in _ACTS})
_ALIASES: dict[str, str] = {a.name: a.name for a in _ACTS}
for _a in _ACTS:
    for _alias in _a.aliases:
        _ALIASES[_alias] = _a.name


def canonical_name(name: str) -> str:
    """Resolve a name or alias, ignoring case and ``-``/space/``_`` ("Leaky ReLU" → "leaky_relu")."""
    key = "_".join(str(name).strip().lower().replace("-", " ").replace("_", " ").split())
    if key in _ALIASES:
        return _ALIASES[key]
    squashed = key.replace("_", "")
    for alias, canon in _ALIASES.items():
        if alias.replace("_", "") == squashed:
            return canon
    raise KeyError(f"unknown activation {name!r}; known: {', '.join(names())}")


def get(name: str) -> Activation:
    """The activation called ``name`` (any alias, case-insensitive); KeyError if unknown."""
    return ACTIVATIONS[canonical_name(name)]


def names(*, include_aliases: bool = False, elementwise_only: bool = False) -> list[str]:
    """Canonical names in registry order (optionally followed by the aliases)."""
    out = [a.name for a in _ACTS if a.is_elementwise or not elementwise_only]
    if include_aliases:
        out += [al for a in _ACTS if a.is_elementwise or not elementwise_only for al in a.aliases]
    return out
