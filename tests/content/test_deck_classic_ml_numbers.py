"""The numbers and closed forms the classic-ml deck states, recomputed independently (issue 16).

Each test reads a card through quizapp's own parser and checks what it states against a computation
here (metrics from the confusion matrix, pairwise AUC, Brier score, ridge/lasso solutions found by
brute force); a wrong number in the deck fails the test.
"""

from __future__ import annotations

import math
from itertools import product

import numpy as np

from quizapp.core.content.model import Card, Deck

from deck_numbers import card_by_id
from deck_numbers import deck as shipped_deck

NAME = "classic-ml"
TP, FN, FP, TN = 80, 20, 40, 860


def deck() -> Deck:
    return shipped_deck(NAME)


def card(card_id: str) -> Card:
    return card_by_id(NAME, card_id)


def text(card_id: str) -> str:
    c = card(card_id)
    return "\n".join([c.front, c.back, *(ch.text for ch in c.choices), c.note, c.spec]).replace("−", "-")


def value_cell(row_id: str) -> str:
    """The back of the 'Value for TP = 80, …' cell of a confusion-matrix row."""
    cells = [c for c in deck().cards if c.key.startswith(f"classic-ml:{row_id}:value")]
    assert len(cells) == 1, row_id
    assert "TP = 80, FN = 20, FP = 40, TN = 860" in cells[0].front
    return cells[0].back


def test_deck_loads_without_errors() -> None:
    assert not [p for p in deck().problems if p.severity == "error"]
    assert len(deck().cards) >= 120


def test_confusion_matrix_metrics() -> None:
    assert TP + FN == 100 and FP + TN == 900
    precision = TP / (TP + FP)
    recall = TP / (TP + FN)
    f1 = 2 * precision * recall / (precision + recall)
    assert math.isclose(f1, 2 * TP / (2 * TP + FP + FN))
    expected = {
        "cm-precision": (f"{TP}/{TP + FP}", f"{precision:.3f}"),
        "cm-recall": (f"{TP}/{TP + FN}", f"{recall:g}"),
        "cm-f1": (f"{2 * TP}/{2 * TP + FP + FN}", f"{f1:.3f}"),
        "cm-accuracy": (f"{TP + TN}/1000", f"{(TP + TN) / 1000:g}"),
        "cm-specificity": (f"{TN}/{TN + FP}", f"{TN / (TN + FP):.3f}"),
        "cm-fpr": (f"{FP}/{FP + TN}", f"{FP / (FP + TN):.3f}"),
    }
    for row, (fraction, value) in expected.items():
        back = value_cell(row)
        assert fraction in back and value in back, (row, back)


def test_mcc() -> None:
    product_ = (TP + FP) * (TP + FN) * (TN + FP) * (TN + FN)
    mcc = (TP * TN - FP * FN) / math.sqrt(product_)
    t = text("mcc-numbers")
    assert f"{TP * TN:,}" in t and f"{FP * FN:,}" in t and f"{TP * TN - FP * FN:,}" in t
    assert f"{product_ / 1e9:.3f}" in t and f"{math.sqrt(product_):,.0f}" in t
    assert f"{mcc:.3f}" in t


def test_f1_example_in_drill() -> None:
    f1 = 2 * 1 * 0.1 / 1.1
    assert f"F1 ≈ {f1:.2f}" in text("f1-from-pr") and "not 0.55" in text("f1-from-pr")


def test_auc_by_pairs() -> None:
    pos, neg = [0.9, 0.6], [0.7, 0.3, 0.2]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in product(pos, neg))
    auc = wins / (len(pos) * len(neg))
    assert wins == 5
    assert f"5/6 ≈ {auc:.3f}" in text("auc-pairs")


def test_imbalance_precision() -> None:
    tp, fp = 0.9 * 100, 0.01 * 10_000
    assert f"≈ {tp / (tp + fp):.2f}" in text("imbalance-precision")
    assert "90/190" in text("imbalance-precision")


def test_brier() -> None:
    forecasts = np.array([0.9, 0.2, 0.6])
    outcomes = np.array([1, 0, 0])
    brier = float(np.mean((forecasts - outcomes) ** 2))
    assert f"≈ {brier:.3f}" in text("brier-numbers")
    assert "0.41/3" in text("brier-numbers")
    assert math.isclose((0.5 - 1) ** 2, 0.25) and math.isclose((0.5 - 0) ** 2, 0.25)


def test_odds_ratio() -> None:
    assert f"e^0.7 ≈ {math.exp(0.7):.2f}" in text("odds-ratio")


def test_standard_error_of_accuracy() -> None:
    worst = math.sqrt(0.25 / 10_000)
    assert math.isclose(worst, max(math.sqrt(p * (1 - p) / 10_000) for p in np.linspace(0, 1, 101)))
    assert f"= {worst:g}" in text("small-val-big-data")


def test_ridge_closed_form_and_orthonormal_shrinkage() -> None:
    rng = np.random.default_rng(0)
    X, y, lam = rng.normal(size=(20, 3)), rng.normal(size=20), 0.7
    w = np.linalg.solve(X.T @ X + lam * np.eye(3), X.T @ y)
    grad = 2 * X.T @ (X @ w - y) + 2 * lam * w  # of ‖Xw − y‖² + λ‖w‖²
    assert np.allclose(grad, 0, atol=1e-10)
    Q, _ = np.linalg.qr(rng.normal(size=(20, 3)))  # orthonormal columns
    w_ols = Q.T @ y
    w_ridge = np.linalg.solve(Q.T @ Q + lam * np.eye(3), Q.T @ y)
    assert np.allclose(w_ridge, w_ols / (1 + lam))
    assert "w_ols/(1 + λ)" in text("ridge-orthonormal")


def test_lasso_soft_threshold_by_brute_force() -> None:
    # ½‖y − Qw‖² + λ‖w‖₁ with QᵀQ = I separates per coordinate: ½(w − a)² + λ|w| (+ const).
    lam = 1.5
    grid = np.linspace(-8, 8, 160_001)
    for a in (-4.0, -1.0, 0.3, 1.5, 2.0, 5.0):
        best = grid[np.argmin(0.5 * (grid - a) ** 2 + lam * np.abs(grid))]
        assert abs(best - np.sign(a) * max(abs(a) - lam, 0.0)) < 1e-3
    assert "max(|w_ols,j| - λ, 0)" in text("c-soft-threshold")


def test_logistic_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(1)
    X, y, w = rng.normal(size=(8, 3)), rng.integers(0, 2, size=8), rng.normal(size=3)

    def loss(v: np.ndarray) -> float:
        z = X @ v
        return float(np.mean(np.logaddexp(0, z) - y * z))

    h = 1e-6
    numeric = np.array([(loss(w + h * e) - loss(w - h * e)) / (2 * h) for e in np.eye(3)])
    analytic = X.T @ (1 / (1 + np.exp(-X @ w)) - y) / len(y)
    assert np.allclose(numeric, analytic, atol=1e-8)
    assert "(1/m)Xᵀ(σ(Xw) - y)" in text("c-logreg-grad")


def test_rmse_at_least_mae() -> None:
    rng = np.random.default_rng(2)
    for _ in range(100):
        e = rng.normal(size=10) * rng.exponential(size=10)
        assert math.sqrt(np.mean(e**2)) >= np.mean(np.abs(e)) - 1e-12
