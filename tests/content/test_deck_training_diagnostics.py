"""The numbers content/training-diagnostics.md states, recomputed with NumPy's float16/float32 and a
bfloat16 rounding written here (round to nearest even on the upper 16 bits of a float32).

A wrong number in a card fails its test (see deck_numbers.py for how stated numbers are matched).
"""

from __future__ import annotations

import re

import math

import numpy as np
from deck_numbers import assert_states as _assert_states
from deck_numbers import card, deck

DECK = "training-diagnostics"
F16, F32 = np.finfo(np.float16), np.finfo(np.float32)


def assert_states(card_id: str, *values: float) -> None:
    _assert_states(DECK, card_id, *values)


def bf16(x: float) -> float:
    bits = int(np.array([x], dtype=np.float32).view(np.uint32)[0])
    bits = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    return float(np.array([bits], dtype=np.uint32).view(np.float32)[0])


def f16(x: float) -> float:
    with np.errstate(over="ignore"):
        return float(np.float16(x))


def test_initial_loss_is_ln_c():
    assert_states("initial-loss-lnc", math.log(10), math.log(1000))


def test_update_ratio():
    assert_states("update-ratio-numbers", 0.01 * 0.5 / 5)


def test_clipping_by_norm_and_by_value():
    g = np.array([3.0, 4.0])
    total = np.linalg.norm(g)
    by_norm = g * min(1.0, 1.0 / (total + 1e-6))
    by_value = np.clip(g, -1, 1)
    angle = math.degrees(math.atan2(g[1], g[0]))
    assert_states("clip-numbers", total, *by_norm, *by_value, 45, round(angle))


def test_format_table():
    bf16_max = (2 - 2 ** -7) * 2.0 ** 127
    tf32_max = (2 - 2 ** -10) * 2.0 ** 127
    cells = {
        "fmt-exponent": (8, 5, 8, 8), "fmt-mantissa": (F32.nmant, F16.nmant, 7, 10),
        "fmt-max": (float(F32.max), float(F16.max), bf16_max, tf32_max),
        "fmt-min-normal": (float(F32.smallest_normal), float(F16.smallest_normal), 2.0 ** -126, 2.0 ** -126),
        "fmt-eps": (float(F32.eps), float(F16.eps), 2.0 ** -7, 2.0 ** -10),
    }
    assert bf16(bf16_max) == bf16_max and bf16(1 + 2 ** -7) == 1 + 2 ** -7
    for row, values in cells.items():
        for column, value in zip(("fp32", "fp16", "bf16", "tf32"), values):
            assert_states(f"{row}:{column}", value)


def test_subnormal_and_exact_integers_clozes():
    assert float(F16.smallest_subnormal) == 2.0 ** -24
    assert f16(2.0 ** -26) == 0.0
    sub = [c for c in deck(DECK).cards if "smallest positive subnormal" in c.front]
    assert sub and sub[0].back == "2⁻²⁴" and "6.0e-8" in sub[0].front
    assert all(f16(n) == n for n in range(2049)) and f16(2049) != 2049
    assert all(bf16(n) == n for n in range(257)) and bf16(257) != 257
    backs = {c.back for c in deck(DECK).cards if "represents every integer exactly" in c.front}
    assert backs == {"2048", "256"}


def test_fp16_rounding():
    assert math.isinf(f16(70000)) and f16(2049) == 2048
    assert "inf" in card(DECK, "fp16-rounding-numbers").back
    assert_states("fp16-rounding-numbers", 70000, f16(2049), 2049)


def test_fp16_exp_overflow():
    assert not math.isinf(f16(math.exp(11))) and math.isinf(f16(math.exp(12)))
    assert_states("fp16-exp-overflow", math.log(float(F16.max)), round(math.exp(11)), round(math.exp(12)))


def test_fp16_norm_overflow():
    assert math.isinf(f16(300.0 * 300.0))
    assert_states("fp16-norm-overflow", 300 ** 2, float(F16.max))


def test_fp16_lost_update_and_bf16_rounding():
    assert f16(1 + 1e-4) == 1.0
    assert_states("fp16-lost-update", float(F16.eps))
    assert bf16(1.003) == 1.0
    assert_states("bf16-rounding", 1 + 2 ** -7)


def test_loss_scaling_numbers():
    assert f16(1e-8) == 0.0
    scaled = f16(1e-8 * 65536)
    assert scaled >= float(F16.smallest_normal)
    assert_states("loss-scale-numbers", 2.0 ** -25, 1e-8 * 65536)


def test_gradscaler_sequence():
    scale, clean = 2.0 ** 16, 0
    for overflow in [True] + [False] * 2000:
        if overflow:
            scale, clean = scale * 0.5, 0
        else:
            clean += 1
            if clean == 2000:
                scale, clean = scale * 2.0, 0
    assert_states("gradscaler-sequence", scale, 2.0 ** 15, 2000)


def test_which_formats_hold_1e6_as_normal():
    smallest_normal = {"fp32": float(F32.smallest_normal), "bf16": 2.0 ** -126, "fp16": float(F16.smallest_normal)}
    normal = {name for name, low in smallest_normal.items() if 1e-6 >= low}
    for choice in card(DECK, "normal-1e-6").choices:
        listed = set(re.findall(r"fp32|bf16|fp16", choice.text.split(", not")[0].split(" only")[0]))
        assert choice.correct == (listed == normal), choice.text
    assert_states("normal-1e-6", round(1e-6 / 2.0 ** -24))


def test_mixed_precision_adam_memory():
    per_param = 2 + 2 + 4 + 4 + 4
    assert_states("mp-adam-memory", per_param, 7.5e9 * per_param / 1e9)


def test_fp16_normal_value_drill_formula():
    for e, f in [(30, 1023), (1, 0), (15, 512), (20, 77)]:
        bits = np.array([(e << 10) | f], dtype=np.uint16).view(np.float16)[0]
        assert float(bits) == 2.0 ** (e - 15) * (1 + f / 1024)
    assert 2.0 ** (30 - 15) * (1 + 1023 / 1024) == 65504
