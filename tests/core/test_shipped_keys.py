"""The answer keys an expert audit of the shipped decks found wrong or loose (issue 14, part B).

Each fixed fact is checked twice: the mathematics is computed (NumPy, the engine's activations), and
the decks are searched so that every card stating the fact states it the fixed way. A test fails if a
later edit brings a loose statement back.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from quizapp.core.content.loader import deck_files, load_deck
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.engine.activations import get

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"


@cache
def decks() -> dict[str, Deck]:
    return {d.id: d for d in (load_deck(p) for p in deck_files(CONTENT))}


def all_cards() -> list[Card]:
    return [c for d in decks().values() for c in d.cards]


def card(deck: str, card_id: str) -> Card:
    found = [c for c in decks()[deck].cards if c.explicit_id == card_id]
    assert len(found) == 1, f"{deck}:{card_id} not found"
    return found[0]


def text_of(c: Card) -> str:
    """Everything a learner reads on a card: front, back, options, note and a drill's TOML."""
    return "\n".join([c.front, c.back, *(ch.text for ch in c.choices), c.note, *c.sources, c.spec])


def correct(c: Card) -> list[str]:
    return [ch.text for ch in c.choices if ch.correct]


def wrong(c: Card) -> list[str]:
    return [ch.text for ch in c.choices if not ch.correct]


# ---- 1. max(αz, z) is Leaky ReLU exactly when α ≤ 1 -------------------------------------------------

Z = np.concatenate([np.linspace(-5, 5, 1001), [0.0, 1e-9, -1e-9]])


def max_form_is_leaky(alpha: float) -> bool:
    leaky = get("leaky_relu").forward(Z, alpha=alpha)
    return bool(np.allclose(np.maximum(alpha * Z, Z), leaky, rtol=0, atol=1e-12))


@pytest.mark.parametrize("alpha", [*np.linspace(-3, 1, 41), 0.0, 0.01, 0.2, 0.3, 1.0])
def test_max_form_equals_leaky_relu_for_every_alpha_up_to_1(alpha):
    assert max_form_is_leaky(alpha)


@pytest.mark.parametrize("alpha", [1.001, 1.5, 2.0, 5.0])
def test_max_form_is_a_different_function_for_alpha_above_1(alpha):
    assert not max_form_is_leaky(alpha)


def test_every_card_relating_max_form_and_leaky_relu_states_alpha_at_most_1():
    stating = [c for c in all_cards()
               if re.search(r"max\((α ?z|alpha\*z), z\)", text_of(c)) and re.search(r"\bequals?\b", text_of(c))]
    assert len(stating) >= 3, [c.front for c in stating]  # glossary note, the α question, the drill
    for c in stating:
        text = text_of(c)
        assert re.search(r"(exactly when|iff) α ≤ 1", text), f"{c.file}:{c.line}: {c.front!r}"
        assert not re.search(r"(only|exactly) (for|when) 0 [<≤] α|[Ff]or 0 [<≤] α [<≤] 1,? (this|it) equals", text), \
            f"{c.file}:{c.line}: states a narrower range than α ≤ 1"
    assert "α ≤ 1" in card("relu-vs-leaky-relu", "leaky-max-form-alpha").back


# ---- 2. a dW card's layout matches its own context -----------------------------------------------------

def dw_layout(back: str) -> str | None:
    """'rows' for Xᵀ·dZ (Z = XW + b), 'columns' for dZ·Xᵀ (z = Wx + b), None if not a dW formula."""
    formula = re.sub(r"^\s*dW\s*=\s*", "", back.replace("`", ""))
    if re.match(r"(X\.T|Xᵀ)\s*(@\s*)?d[zZ]\b", formula):
        return "rows"
    if re.match(r"d[zZ]\s*(@\s*)?(X\.T|Xᵀ)", formula):
        return "columns"
    return None


def test_dw_layouts_are_the_gradients_of_their_forward_pass():
    rng = np.random.default_rng(0)
    m, n_in, n_out = 5, 3, 2
    W, dZ = rng.normal(size=(n_in, n_out)), rng.normal(size=(m, n_out))
    X = rng.normal(size=(m, n_in))  # rows: Z = XW, L = Σ dZ ⊙ Z / m
    loss = lambda W_: np.sum(dZ * (X @ W_)) / m  # noqa: E731
    numeric = np.array([[(loss(W + e) - loss(W - e)) / 2e-6 for e in row]
                        for row in (np.eye(n_in * n_out) * 1e-6).reshape(n_in, n_out, n_in, n_out)])
    assert np.allclose(numeric, X.T @ dZ / m, atol=1e-6)
    # columns: z = Wx with x a column, so Z = W Xc (Xc = Xᵀ, n_in × m) and dW = dZc Xcᵀ / m
    Wc, dZc, Xc = W.T, dZ.T, X.T
    loss_c = lambda W_: np.sum(dZc * (W_ @ Xc)) / m  # noqa: E731
    numeric_c = np.array([[(loss_c(Wc + e) - loss_c(Wc - e)) / 2e-6 for e in row]
                          for row in (np.eye(n_in * n_out) * 1e-6).reshape(n_out, n_in, n_out, n_in)])
    assert np.allclose(numeric_c, dZc @ Xc.T / m, atol=1e-6)


def test_every_dw_card_names_the_layout_its_answer_belongs_to():
    dw_cards = [(c, dw_layout(c.back)) for c in all_cards() if dw_layout(c.back)]
    layouts = {layout for _, layout in dw_cards}
    assert layouts == {"rows", "columns"}, [(c.front, c.back) for c, _ in dw_cards]
    for c, layout in dw_cards:
        where = f"{c.file}:{c.line}: {c.front!r} → {c.back!r}"
        rows, cols = "XW + b" in c.front, "Wx + b" in c.front
        assert (rows, cols) == ((True, False) if layout == "rows" else (False, True)), where


def test_the_seed_backward_cloze_shows_its_row_layout_in_the_blank():
    backward = [c for c in decks()["relu-vs-leaky-relu"].cards
                if c.kind is CardKind.CLOZE and c.context == "Backward: dW = X.T @ dz / m"]
    assert len(backward) == 1
    assert "one example per row" in backward[0].front and "Z = XW + b" in backward[0].front


# ---- 3. large weights in a deep tanh net: saturated units, growing gradient norms ----------------------

def tanh_backprop_ratio(sigma_w: float, depth: int = 12, width: int = 64, seed: int = 0) -> tuple[float, float]:
    """(‖∂L/∂h₀‖ / ‖∂L/∂h_L‖, mean tanh′ in the last layer) of a random deep tanh net."""
    rng = np.random.default_rng(seed)
    h, layers = rng.normal(size=width), []
    for _ in range(depth):
        W = rng.normal(0, sigma_w / np.sqrt(width), (width, width))
        z = W @ h
        layers.append((W, z))
        h = np.tanh(z)
    g = rng.normal(size=width)
    top = np.linalg.norm(g)
    for W, z in reversed(layers):
        g = W.T @ (g * (1 - np.tanh(z) ** 2))
    return float(np.linalg.norm(g) / top), float(np.mean(1 - np.tanh(layers[-1][1]) ** 2))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_large_tanh_weights_saturate_units_yet_gradient_norms_grow_with_depth(seed):
    ratio, mean_slope = tanh_backprop_ratio(4.0, seed=seed)
    assert mean_slope < 0.5 and ratio > 10  # saturated, and the gradient grows going backwards
    small_ratio, _ = tanh_backprop_ratio(0.5, seed=seed)
    assert small_ratio < 0.1  # the ordered regime is where gradients vanish


def test_the_tanh_large_weights_card_says_what_is_true():
    c = card("weight-initialisation", "large-tanh-saturate")
    [right] = correct(c)
    assert "saturate" in right and "grows" in right
    assert any("vanish" in w for w in wrong(c)), "the one-layer 'gradients vanish' view is a distractor"
    cited = " ".join((c.note, *c.sources))  # a note's "Source:" line becomes the card's sources
    assert "Poole" in cited and "Schoenholz" in cited


# ---- 4. who derived LeCun and Xavier init, and for what -----------------------------------------------

def test_lecun_and_xavier_origins_are_stated_precisely():
    loose = re.compile(r"designed for (SELU|sigmoid|tanh/sigmoid|tanh and sigmoid)|used with SELU", re.IGNORECASE)
    for c in all_cards():
        assert not loose.search(text_of(c)), f"{c.file}:{c.line}: {c.front!r}"
    cells = {c.front: c.back for c in decks()["weight-initialisation"].cards if c.kind is CardKind.COMPARISON}
    assert "1998" in cells["LeCun — Paper?"] and "Efficient BackProp" in cells["LeCun — Paper?"]
    assert "tanh" in cells["LeCun — Derived for?"] and "SELU adopted" in cells["LeCun — Derived for?"]
    assert "tanh" in cells["Xavier (Glorot) — Derived for?"] and "sigmoid" not in cells["Xavier (Glorot) — Derived for?"]
    [assumption] = correct(card("weight-initialisation", "pair-tanh"))
    assert "f′(0) = 1" in assumption


def test_xavier_assumption_fits_tanh_not_the_logistic_sigmoid():
    assert float(get("tanh").derivative(0.0)) == pytest.approx(1.0)
    assert float(get("sigmoid").derivative(0.0)) == pytest.approx(0.25)


def test_no_tanh_multiple_choice_marks_lecun_wrong():
    for c in all_cards():
        if c.kind is CardKind.MCQ and "tanh" in c.front.lower():
            assert not any("LeCun" in w for w in wrong(c)), f"{c.file}:{c.line}: {c.front!r}"


# ---- 5. orthogonal init: only WᵀW = I preserves every norm --------------------------------------------

def test_only_orthonormal_columns_preserve_norms():
    rng = np.random.default_rng(0)
    q, _ = np.linalg.qr(rng.normal(size=(8, 5)))  # 8×5, orthonormal columns
    xs = rng.normal(size=(5, 100))
    assert np.allclose(q.T @ q, np.eye(5))
    assert np.allclose(np.linalg.norm(q @ xs, axis=0), np.linalg.norm(xs, axis=0))
    wide = q.T  # 5×8, orthonormal rows: WWᵀ = I but WᵀW ≠ I
    xs8 = rng.normal(size=(8, 100))
    assert np.allclose(wide @ wide.T, np.eye(5))
    assert np.all(np.linalg.norm(wide @ xs8, axis=0) < np.linalg.norm(xs8, axis=0) - 1e-9)


def test_orthogonal_cards_ask_for_orthonormal_columns():
    for c in all_cards():
        assert "orthonormal rows or columns" not in text_of(c), f"{c.file}:{c.line}"
    norm_cloze = [c for c in decks()["weight-initialisation"].cards
                  if c.kind is CardKind.CLOZE and "‖Wx‖ = ‖x‖" in c.context]
    assert [c.back for c in norm_cloze] == ["WᵀW"]


# ---- 6. α = 0.01 is PyTorch's default, not everyone's --------------------------------------------------

# Framework defaults for Leaky ReLU's negative slope, from each framework's API reference.
LEAKY_DEFAULTS = {
    r"torch\.nn\.LeakyReLU": 0.01,          # PyTorch: negative_slope=0.01
    r"tf\.nn\.leaky_relu": 0.2,             # TensorFlow: alpha=0.2
    r"Keras LeakyReLU layer": 0.3,          # keras.layers.LeakyReLU: negative_slope=0.3 (alpha=0.3 in Keras 2)
    r"keras\.activations\.leaky_relu": 0.2,  # keras.activations.leaky_relu: negative_slope=0.2
}


def deck_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(CONTENT.glob("*.md"))]


def test_framework_defaults_quoted_in_the_decks_are_the_documented_ones():
    quoted = 0
    for text in deck_texts():
        for name, value in LEAKY_DEFAULTS.items():
            for m in re.finditer(rf"{name}\)?[^.;\n]*?(?:default[^.;\n]*?|=|uses |to )(\d+\.\d+)", text):
                assert float(m.group(1)) == value, m.group(0)
                quoted += 1
    assert quoted >= 4


def test_every_card_calling_001_a_default_says_whose():
    for c in all_cards():
        text = text_of(c)
        if re.search(r"\bdefaults?\b", text) and "0.01" in text:
            assert "PyTorch" in text, f"{c.file}:{c.line}: {c.front!r}"
    assert correct(card("relu-vs-leaky-relu", "leaky-alpha-framework-defaults")) == [
        "PyTorch's torch.nn.LeakyReLU (negative_slope=0.01)"]


# ---- 7. the decision tree's "smooth" branch --------------------------------------------------------------

def slope_jump(name: str, order: int, **params) -> float:
    """|left − right| limit at 0 of the activation's first (order=1) or second (order=2) derivative."""
    act, h = get(name), 1e-6
    if order == 1:
        return abs(float(act.derivative(h, **params)) - float(act.derivative(-h, **params)))
    d = lambda z: float(act.derivative(z, **params))  # noqa: E731
    return abs((d(2 * h) - d(h)) / h - (d(-h) - d(-2 * h)) / h)


def test_smooth_branch_options_are_precise():
    assert slope_jump("relu", 1) > 0.9 and slope_jump("leaky_relu", 1) > 0.9  # kinks
    assert slope_jump("elu", 1, alpha=1.0) < 1e-5                            # ELU (α = 1) is C¹ …
    assert slope_jump("elu", 2, alpha=1.0) > 0.9                             # … but not C²
    assert slope_jump("elu", 1, alpha=0.5) > 0.4                             # with α ≠ 1 it has a kink
    assert slope_jump("silu", 1) < 1e-5 and slope_jump("silu", 2) < 1e-3      # Swish is smooth
    assert slope_jump("sigmoid", 1) < 1e-5                                    # sigmoid is smooth too …
    assert float(get("sigmoid").derivative(12.0)) < 1e-4                     # … but saturates,
    assert float(get("elu").derivative(12.0)) == 1.0 and float(get("silu").derivative(12.0)) > 0.99  # these do not


def test_smooth_branch_card_keeps_the_seed_answer_and_excludes_sigmoid_for_a_stated_reason():
    c = card("relu-vs-leaky-relu", "tree-smooth")
    assert correct(c) == ["ELU/Swish"]
    assert sorted(wrong(c)) == ["Leaky ReLU", "ReLU", "Sigmoid/Softmax"]
    assert "kink" in c.front and "saturate" in c.front
    assert "C¹" in c.note and "C∞" in c.note
