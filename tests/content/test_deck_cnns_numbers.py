"""Every number the cnns deck asks for is recomputed here, independently of the deck.

The deck is parsed with quizapp's own loader; each card is found by its id and its answer (the start
of the back, or the correct option) must state the number computed below from the card's setting.
A wrong output size, parameter count, receptive field or cost ratio in the deck fails a test.
"""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path

import pytest

from quizapp.core.content.loader import load_deck
from quizapp.core.content.model import Card, CardKind

DECK_FILE = Path(__file__).resolve().parents[2] / "content" / "cnns.md"


@cache
def cards() -> dict[str, Card]:
    deck = load_deck(DECK_FILE)
    assert not deck.failed and not deck.errors
    return {c.explicit_id: c for c in deck.cards if c.explicit_id}


def answer(card_id: str) -> str:
    c = cards()[card_id]
    if c.kind is CardKind.MCQ:
        [right] = [ch.text for ch in c.choices if ch.correct]
        return right
    return c.back


def wrong_options(card_id: str) -> list[str]:
    return [ch.text for ch in cards()[card_id].choices if not ch.correct]


def conv_out(n: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> int:
    """PyTorch Conv2d/MaxPool2d (floor mode), counted position by position rather than by formula."""
    span = d * (k - 1) + 1
    padded = n + 2 * p
    return sum(1 for start in range(0, padded, s) if start + span <= padded)


def conv_transpose_out(n: int, k: int, s: int, p: int, d: int = 1) -> int:
    """ConvTranspose: the size whose strided convolution gives back n (scatter each input, then crop p)."""
    full = (n - 1) * s + d * (k - 1) + 1  # every input scatters a kernel-sized patch, s apart
    return full - 2 * p


def receptive_field(layers: list[tuple[int, int, int]]) -> int:
    """layers = (kernel, stride, dilation); the span of input pixels one top unit depends on, by tracing indices."""
    lo, hi = 0, 0  # the index range of the top unit, walked down layer by layer
    for k, s, d in reversed(layers):
        lo, hi = lo * s, hi * s + d * (k - 1)
    return hi - lo + 1


def fmt(n: int) -> str:
    return f"{n:,}"


def square(n: int) -> str:
    return f"{n} × {n}"


OUTPUT_SIZES = {
    "out-32-k5-p2": conv_out(32, 5, p=2),
    "out-224-k7-s2": conv_out(224, 7, s=2, p=3),
    "out-227-k11-s4": conv_out(227, 11, s=4),
    "out-28-k3-s2": conv_out(28, 3, s=2),
    "out-32-k3-d2": conv_out(32, 3, d=2),
    "pool-7-2x2": conv_out(7, 2, s=2),
    "pool-112-3x3-s2-p1": conv_out(112, 3, s=2, p=1),
    "out-transposed-16": conv_transpose_out(16, 4, 2, 1),
}


@pytest.mark.parametrize("card_id", sorted(OUTPUT_SIZES))
def test_output_sizes(card_id):
    side = OUTPUT_SIZES[card_id]
    assert answer(card_id).startswith(square(side)), (card_id, side, answer(card_id))
    for w in wrong_options(card_id):
        assert not w.startswith(square(side))


def test_floor_drops_the_last_column():
    assert answer("out-6-k3-s2-floor").startswith(str(conv_out(6, 3, s=2)) + ":")
    assert conv_out(6, 3, s=2) == 2


def test_transposed_conv_inverts_the_strided_conv_shape():
    n_out = OUTPUT_SIZES["out-transposed-16"]
    assert conv_out(n_out, 4, s=2, p=1) == 16


def test_output_volume_and_its_parameters():
    side = conv_out(32, 5, p=2)
    assert answer("out-volume-cs231n").startswith(f"{side} × {side} × 10")
    assert answer("params-cs231n-10-filters").startswith(fmt(10 * (5 * 5 * 3 + 1)))


def test_same_padding_for_a_dilated_kernel():
    p = next(p for p in range(5) if conv_out(32, 3, p=p, d=2) == 32)
    assert answer("same-pad-dilated").startswith(f"p = {p}:")


def tf_same(n: int, k: int, s: int) -> tuple[int, int, int]:
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return out, total // 2, total - total // 2


def test_tensorflow_same_padding_example():
    out, left, right = tf_same(6, 3, 2)
    # the padded input must give exactly `out` valid positions
    assert conv_out(6 + left + right, 3, s=2) == out
    back = answer("tf-same-6-k3-s2")
    assert back.startswith(f"Output ⌈6/2⌉ = {out}") and f"{left} on the left, {right} on the right" in back


def params(k: int, c_in: int, c_out: int, bias: bool = True, groups: int = 1) -> int:
    return k * k * (c_in // groups) * c_out + (c_out if bias else 0)


PARAMS = {
    "params-3x3-64-128": params(3, 64, 128),
    "params-3x3-3-64": params(3, 3, 64),
    "params-lenet-c1": params(5, 1, 6),
    "params-resnet-stem": params(7, 3, 64, bias=False),
    "params-1x1-256-64": params(1, 256, 64),
    "params-independent-of-size": params(3, 64, 64),
    "params-dense-image": 32 * 32 * 3 * 1000 + 1000,
    "depthwise-32-params": params(3, 32, 32, groups=32),
    "grouped-64-g4": params(3, 64, 64, groups=4),
    "macs-56-3x3-64": 56 * 56 * 3 * 3 * 64 * 64,
}


@pytest.mark.parametrize("card_id", sorted(PARAMS))
def test_parameter_counts(card_id):
    text = answer(card_id)
    expected = fmt(PARAMS[card_id])
    assert re.match(rf"(The same )?{re.escape(expected)}\b", text), (card_id, expected, text)
    for w in wrong_options(card_id):
        assert not w.startswith(expected)


def test_bottleneck_vs_two_3x3():
    bottleneck = params(1, 256, 64, False) + params(3, 64, 64, False) + params(1, 64, 256, False)
    plain = 2 * params(3, 256, 256, False)
    back = answer("bottleneck-params")
    assert back.startswith(fmt(bottleneck)) and fmt(plain) in back
    assert f"about {round(plain / bottleneck)} times fewer" in back


def test_vgg_stack_vs_7x7():
    back = answer("vgg-27-vs-49")
    assert f"{3 * 3 * 3}C²" in back and f"{7 * 7}C²" in back


def test_depthwise_separable_counts_and_ratios():
    std = params(3, 256, 256, False)
    sep = 3 * 3 * 256 + 256 * 256
    back = answer("dws-256-params")
    assert back.startswith(fmt(sep)) and fmt(std) in back
    assert f"{sep / std:.3f}" in back and math.isclose(sep / std, 1 / 256 + 1 / 9)
    ratio = (9 * 32 + 32 * 64) / (9 * 32 * 64)
    assert math.isclose(ratio, 1 / 64 + 1 / 9)
    right = answer("dws-32-64-ratio")
    assert right.startswith("1/64 + 1/9") and f"{ratio:.3f}" in right
    for w in wrong_options("dws-32-64-ratio"):
        value = float(w.split("≈")[1])
        assert abs(value - ratio) > 0.01


RECEPTIVE_FIELDS = {
    "rf-three-3x3": [(3, 1, 1)] * 3,
    "rf-ten-3x3": [(3, 1, 1)] * 10,
    "rf-conv-pool-conv": [(3, 1, 1), (2, 2, 1), (3, 1, 1)],
    "rf-s2-then-s1": [(3, 2, 1), (3, 1, 1)],
    "rf-resnet-stem": [(7, 2, 1), (3, 2, 1)],
    "rf-dilated-1-2-4": [(3, 1, 1), (3, 1, 2), (3, 1, 4)],
}


@pytest.mark.parametrize("card_id", sorted(RECEPTIVE_FIELDS))
def test_receptive_fields(card_id):
    rf = receptive_field(RECEPTIVE_FIELDS[card_id])
    assert answer(card_id).startswith(square(rf)), (card_id, rf, answer(card_id))
    for w in wrong_options(card_id):
        assert not w.startswith(square(rf))


def test_dilated_kernel_span():
    assert receptive_field([(3, 1, 2)]) == 5
    assert answer("dilated-weights-span").startswith("9 weights covering a 5 × 5 span")


def test_pooling_gradients():
    window = [[1, 5], [3, 2]]
    flat = [v for row in window for v in row]
    arg = flat.index(max(flat))
    routed = [0.7 if i == arg else 0 for i in range(4)]
    assert answer("maxpool-grad-example").startswith(f"[{routed[0]:g}, {routed[1]:g}; {routed[2]:g}, {routed[3]:g}]")
    assert answer("avgpool-grad-example").startswith(f"{0.8 / 4:g} each")


def test_maxpool_default_stride_is_the_kernel():
    assert answer("maxpool-default-stride") == "3"
