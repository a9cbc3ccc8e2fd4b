"""Every number and formula the attention-and-transformers deck states is recomputed here.

The deck is parsed with quizapp's own loader; each card is found by its id (or its cloze sentence)
and must state what is computed below — parameter counts from the layer shapes, cache sizes from
their dimensions, attention weights with NumPy, the backward formulas against finite differences,
and RoPE's relative-position property and the sinusoids' wavelengths numerically.
"""

from __future__ import annotations

import math
import re

import numpy as np

from quizapp.core.content.model import Card, CardKind

from deck_numbers import card_by_id, deck, right_answer, wrong_options_of

NAME = "attention-and-transformers"
MIB, GIB = 2**20, 2**30


def deck_cards() -> list[Card]:
    return deck(NAME).cards


def card(card_id: str) -> Card:
    return card_by_id(NAME, card_id)


def answer(card_id: str) -> str:
    return right_answer(card(card_id))


def wrong_options(card_id: str) -> list[str]:
    return wrong_options_of(card(card_id))


def fmt(n: int) -> str:
    return f"{n:,}"


def starts_with_number(card_id: str, n: int) -> None:
    text = answer(card_id)
    assert re.match(rf"(About |≈ )?{re.escape(fmt(n))}\b", text), (card_id, fmt(n), text)


def mha(d: int, bias: bool = True) -> int:
    return 4 * d * d + (4 * d if bias else 0)


def ffn(d: int, d_ff: int, bias: bool = True) -> int:
    return 2 * d * d_ff + ((d_ff + d) if bias else 0)


def gpt2_block(d: int = 768) -> int:
    return mha(d) + ffn(d, 4 * d) + 2 * 2 * d  # two LayerNorms, γ and β each


def kv_bytes(layers: int, heads: int, d_head: int, tokens: int, nbytes: int) -> int:
    k = np.zeros((layers, heads, tokens, d_head), dtype=np.uint8)  # one byte per entry, then scale
    return 2 * k.size * nbytes


def test_parameter_counts():
    starts_with_number("mha-params-512", mha(512))
    starts_with_number("ffn-params-512", ffn(512, 2048))
    starts_with_number("gpt2-block-params", gpt2_block())
    back = answer("gpt2-block-params")
    assert fmt(mha(768)) in back and fmt(ffn(768, 3072)) in back and fmt(4 * 768) in back
    assert fmt(mha(768)) in card("heads-do-not-change-params").note  # the MCQ's explanation


def test_heads_do_not_change_the_parameter_count():
    # per head: three d × d/h projections; W_O is (h·d/h) × d
    def by_heads(d: int, h: int) -> int:
        dh = d // h
        return h * 3 * (d * dh + dh) + (h * dh * d + d)
    assert by_heads(768, 12) == by_heads(768, 24) == mha(768)
    assert answer("heads-do-not-change-params") == "It stays the same"


def test_gpt2_small_total():
    tokens, positions, final_ln = 50_257 * 768, 1_024 * 768, 2 * 768
    total = 12 * gpt2_block() + tokens + positions + final_ln
    starts_with_number("gpt2-small-total", total)
    back = answer("gpt2-small-total")
    for part in (12 * gpt2_block(), tokens, positions, final_ln):
        assert fmt(part) in back
    assert fmt(tokens) in answer("weight-tying")


def test_kaplan_approximation():
    n = 12 * 24 * 1024**2
    assert fmt(n) in answer("kaplan-24-1024")
    assert answer("kaplan-24-1024").startswith(f"About {round(n / 1e6)} million")
    assert 12 * 768**2 == mha(768, bias=False) + ffn(768, 3072, bias=False)


def test_kv_cache_sizes():
    big = kv_bytes(32, 32, 128, 4096, 2)
    assert answer("kv-cache-32-4096").startswith(f"{big // GIB} GiB") and fmt(big) in answer("kv-cache-32-4096")
    small = kv_bytes(12, 12, 64, 1024, 4)
    assert answer("kv-cache-gpt2-small") == f"{small // MIB} MiB" and small % MIB == 0
    assert fmt(small) in card("kv-cache-gpt2-small").note
    assert f"{small // 2 // MIB} MiB" in wrong_options("kv-cache-gpt2-small")  # keys only: a distractor
    assert answer("gqa-32-8").startswith(f"{kv_bytes(1, 32, 1, 1, 1) // kv_bytes(1, 8, 1, 1, 1)} times smaller")


def test_attention_matrix_memory():
    n = 4096 * 4096 * 4
    assert answer("scores-memory-4096").startswith(f"{n // MIB} MiB") and fmt(n) in answer("scores-memory-4096")


def test_context_growth_factor():
    assert answer("attention-cost-4x-context") == str((8192 // 2048) ** 2)


def test_causal_pairs():
    assert answer("causal-pairs-4").startswith(f"{int(np.tril(np.ones((4, 4))).sum())} =")


def softmax(s: np.ndarray) -> np.ndarray:
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_worked_attention_example():
    q, keys, values = np.array([1.0, 0.0]), np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([10.0, 0.0])
    p = softmax(keys @ q / math.sqrt(2))
    out = p @ values
    back = answer("attention-worked-example")
    assert back.startswith(f"Weights ≈ [{p[0]:.3f}, {p[1]:.3f}], output ≈ {out:.2f}")


def test_dot_product_variance():
    rng = np.random.default_rng(0)
    d = 64
    dots = np.einsum("ij,ij->i", rng.normal(size=(200_000, d)), rng.normal(size=(200_000, d)))
    assert abs(dots.std() - math.sqrt(d)) < 0.1
    assert answer("dot-std-64").startswith(f"{math.isqrt(d)} and 1")


def test_residual_projection_std():
    std = 0.02 / math.sqrt(2 * 12)
    assert answer("residual-proj-std-12").startswith(f"≈ {std:.5f}")


def test_residual_variance_grows_linearly_and_scaling_fixes_it():
    rng = np.random.default_rng(1)
    v, n, trials = 0.5, 24, 100_000
    stream = rng.normal(size=trials)
    branches = rng.normal(scale=math.sqrt(v), size=(n, trials))
    assert abs(np.var(stream + branches.sum(axis=0)) - (1 + n * v)) < 0.3
    assert abs(np.var(stream + branches.sum(axis=0) / math.sqrt(n)) - (1 + v)) < 0.05
    assert answer("residual-variance-growth").startswith("1 + 24v") and "1 + v" in answer("residual-variance-growth")


# ---- formulas ---------------------------------------------------------------------------------------

def cloze_backs() -> dict[str, str]:
    return {c.context: c.back for c in deck_cards() if c.kind is CardKind.CLOZE}


def attention(Q, K, V):
    S = Q @ K.T / math.sqrt(Q.shape[1])
    P = softmax(S)
    return S, P, P @ V


def test_backward_formulas_match_finite_differences():
    rng = np.random.default_rng(2)
    t, d = 3, 4
    Q, K, V, dO = (rng.normal(size=(t, d)) for _ in range(4))
    S, P, _ = attention(Q, K, V)
    dV = P.T @ dO
    dP = dO @ V.T
    dS = P * (dP - (dP * P).sum(axis=1, keepdims=True))
    dQ = dS @ K / math.sqrt(d)

    def numeric(f, X):
        g = np.zeros_like(X)
        for idx in np.ndindex(*X.shape):
            e = np.zeros_like(X)
            e[idx] = 1e-6
            g[idx] = (f(X + e) - f(X - e)) / 2e-6
        return g

    assert np.allclose(numeric(lambda V_: np.sum(dO * attention(Q, K, V_)[2]), V), dV, atol=1e-6)
    assert np.allclose(numeric(lambda Q_: np.sum(dO * attention(Q_, K, V)[2]), Q), dQ, atol=1e-6)
    assert np.allclose(numeric(lambda S_: np.sum(dO * (softmax(S_) @ V)), S), dS, atol=1e-6)
    backs = set(cloze_backs().values())
    assert {"Pᵀ dO", "dO Vᵀ", "P ⊙ (dP − rowsum(dP ⊙ P))", "dS K/√d_k"} <= backs


def test_sinusoids_shift_linearly_and_span_the_stated_wavelengths():
    d = 16

    def pe(pos: float) -> np.ndarray:
        i = np.arange(d // 2)
        angle = pos / 10000 ** (2 * i / d)
        out = np.empty(d)
        out[0::2], out[1::2] = np.sin(angle), np.cos(angle)
        return out

    k = 5  # PE(pos + k) = M_k PE(pos) with one fixed rotation per pair
    positions = np.arange(20)
    A = np.stack([pe(p) for p in positions])
    B = np.stack([pe(p + k) for p in positions])
    M, *_ = np.linalg.lstsq(A, B, rcond=None)
    assert np.allclose(A @ M, B, atol=1e-8)
    wavelengths = [2 * math.pi * 10000 ** (2 * i / d) for i in range(d // 2)]
    assert math.isclose(wavelengths[0], 2 * math.pi) and wavelengths[-1] < 10000 * 2 * math.pi
    assert "from 2π to 10000·2π" in answer("sinusoid-wavelengths")


def rope(x: np.ndarray, m: int) -> np.ndarray:
    d = x.size
    theta = 10000.0 ** (-2 * np.arange(d // 2) / d)  # θᵢ = 10000^(−2(i−1)/d), i from 1
    c, s = np.cos(m * theta), np.sin(m * theta)
    out = np.empty(d)
    out[0::2] = x[0::2] * c - x[1::2] * s
    out[1::2] = x[0::2] * s + x[1::2] * c
    return out


def test_rope_scores_depend_only_on_the_offset():
    rng = np.random.default_rng(3)
    q, k = rng.normal(size=8), rng.normal(size=8)
    scores = {(m, n): rope(q, m) @ rope(k, n) for m in range(6) for n in range(6)}
    for (m, n), s in scores.items():
        assert math.isclose(s, scores[(0, n - m)] if n >= m else scores[(m - n, 0)], rel_tol=1e-9, abs_tol=1e-12)
    assert "θᵢ = 10000^(−2(i−1)/d)" in answer("rope-how")
