"""Generated questions that make sense by hand (issue 21, item 9): easy is doable on paper,
difficulty follows the work, init questions do not print their formula, quiz distractors come
from the same section and kind."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from quizapp.core.content.loader import load_library
from quizapp.core.content.model import CardKind
from quizapp.core.generators import generate
from quizapp.core.generators.by_hand import POOLS
from quizapp.core.generators.format import arr
from quizapp.core.study.quiz import QuizKind, build_quiz

ROOT = Path(__file__).resolve().parents[2]
SPECIAL = re.compile(r"\berf\b|Φ|φ|e\^|eᶻ|e⁻|σ\(|tanh\(")


@pytest.mark.parametrize("family", ["activation_value", "activation_derivative", "backprop_activation"])
@pytest.mark.parametrize("activation", ["gelu", "sigmoid", "tanh", "silu", "elu", "selu"])
def test_easy_gives_the_special_values_the_work_needs(family, activation):
    for seed in range(5):
        q = generate(family, seed=seed, difficulty="easy", activation=activation)
        if activation in ("elu", "selu") and np.all(np.asarray(q.inputs["z"]) > 0):
            assert "To work it on paper" not in q.prompt  # z > 0: ELU is z, nothing to give
            continue
        assert "To work it on paper, use" in q.prompt, q.prompt
        given = q.prompt.split("To work it on paper, use", 1)[1]
        assert SPECIAL.search(given)
        # the answer itself is never what is given (z·Φ(z) at z = 1 is Φ(1), and ELU′ = eᶻ for
        # z ≤ 0 at α = 1: knowing that is the work)
        if 1.0 not in np.ravel(q.inputs["z"]) and activation not in ("elu", "selu"):
            for value in q.answer.values():
                assert arr(value) not in given
        hard = generate(family, seed=seed, difficulty="hard", activation=activation)
        assert "To work it on paper" not in hard.prompt


def test_easy_gelu_at_minus_three_needs_no_erf():
    for seed in range(40):
        q = generate("activation_derivative", seed=seed, difficulty="easy", activation="gelu")
        if -3.0 in np.ravel(q.inputs["z"]):
            assert "Φ(z) ≈" in q.prompt and "φ(z) ≈" in q.prompt
            return
    pytest.skip("no seed drew z = −3")


def test_piecewise_linear_easy_questions_need_nothing_given():
    q = generate("backprop_activation", seed=1, difficulty="easy", activation="relu")
    assert "To work it on paper" not in q.prompt


def test_hard_never_draws_an_activation_whose_answer_is_a_copy():
    for seed in range(60):
        q = generate("backprop_activation", seed=seed, difficulty="hard")
        assert q.activation in POOLS["hard"] and q.activation not in ("identity", "relu", "leaky_relu")


def test_identity_asked_for_stays_small_at_every_difficulty():
    for difficulty in ("easy", "medium", "hard"):
        for seed in range(10):
            q = generate("backprop_activation", seed=seed, difficulty=difficulty, activation="identity")
            assert np.size(q.inputs["z"]) <= 3 and np.ndim(q.inputs["z"]) == 1


def test_init_questions_do_not_print_the_formula_they_ask_for():
    for scheme in ("he", "xavier"):
        for difficulty in ("easy", "medium", "hard"):
            q = generate("init_std", seed=3, difficulty=difficulty, params={"scheme": scheme})
            shown = q.prompt + " ".join(q.conventions)
            assert "√" not in shown and "sqrt" not in shown and "2/n" not in shown, shown
            assert any("√(2/" in line for line in q.solution)  # the worked solution does


def test_same_seed_same_question():
    for family in ("activation_value", "backprop_activation", "init_std", "two_layer"):
        for difficulty in ("easy", "hard"):
            a = generate(family, seed=11, difficulty=difficulty)
            b = generate(family, seed=11, difficulty=difficulty)
            assert a.to_json() == b.to_json()


def test_quiz_distractors_come_from_the_same_section_and_kind():
    shipped = [d for d in load_library([ROOT / "content"]).decks if not d.failed]
    by_deck = {d.id: d for d in shipped}
    checked = 0
    for seed in (1, 5):
        quiz = build_quiz(shipped, [QuizKind.CHOICE], 200, seed=seed)
        for item in quiz.items:
            card = item.card
            if card.kind is CardKind.MCQ:
                continue
            same = {c.back for c in by_deck[card.deck].cards
                    if c.kind is card.kind and c.section == card.section}
            for option in item.options:
                assert option in same, (card.key, option)
            checked += 1
    assert checked > 100
