"""Independent reference formulas for the generator tests: plain NumPy + math, no engine code.

(Not a test module; imported by the tests next to it.)
"""

import math

import numpy as np

SELU_SCALE = 1.0507009873554804934193349852946  # torch.nn.SELU
SELU_ALPHA = 1.6732632423543772848170429916717
KINKS = {"relu": 0.0, "leaky_relu": 0.0, "elu": 0.0, "selu": 0.0}
_erf = np.vectorize(math.erf)


def f(name, z, p):
    z = np.asarray(z, dtype=float)
    if name == "identity":
        return z
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, z, p["alpha"] * z)
    if name == "elu":
        return np.where(z > 0, z, p["alpha"] * (np.exp(z) - 1.0))
    if name == "selu":
        return SELU_SCALE * np.where(z > 0, z, SELU_ALPHA * (np.exp(z) - 1.0))
    if name == "gelu" and p["approximate"] == "tanh":
        return 0.5 * z * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (z + 0.044715 * z**3)))
    if name == "gelu":
        return 0.5 * z * (1.0 + _erf(z / math.sqrt(2.0)))
    if name == "silu":
        return z / (1.0 + np.exp(-z))
    if name == "softplus":
        return np.log1p(np.exp(p["beta"] * z)) / p["beta"]
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    raise KeyError(name)


def kink_slope(name, p):
    """The PyTorch convention at z = 0 (the slope of the z ≤ 0 branch)."""
    return {"relu": 0.0, "leaky_relu": p.get("alpha"), "elu": p.get("alpha"),
            "selu": SELU_SCALE * SELU_ALPHA}[name]


def df(name, z, p, eps=1e-6):
    """f′ by centred differences (entries are ≥ 0.1 from kinks, so the stencil never straddles one)."""
    z = np.asarray(z, dtype=float)
    return (f(name, z + eps, p) - f(name, z - eps, p)) / (2 * eps)


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
