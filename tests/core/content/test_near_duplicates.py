"""`quizapp check` warns about cards that ask the same thing twice, across every loaded deck.

The pairs below are the contract the threshold was tuned against: true duplicates with reworded
fronts (and across card kinds) are reported, with both locations; distinct questions that share most
of their vocabulary are not, nor are a glossary row's two cards, the blanks of one sentence, or a
comparison cell next to a Q&A card that asks something else.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from quizapp.core.content.check import run_check
from quizapp.core.content.loader import load_deck, load_library
from quizapp.core.content.near_duplicates import THRESHOLD, card_items, near_duplicate_problems, overlap
from quizapp.core.content.set_join import candidate_pairs, weigh

NEAR = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): warning: near-duplicate of (?P<other>.+):(?P<other_line>\d+): ")


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(f'+++\ndeck = "{name}"\n+++\n\n{body.strip()}\n', encoding="utf-8")
    return path


def near_dups(*paths: Path) -> list[str]:
    report = run_check(list(paths))
    return [str(p) for p in report.library.warnings if "near-duplicate" in p.message]


# ---- true duplicates: flagged, at the later card, naming the earlier one ---------------------------

REWORDED = {
    "other words, same question": (
        "Q: What initialization suits ReLU networks?\nA: He initialization",
        "Q: Which weight initialisation is designed for ReLU?\nA: He (Kaiming) initialization",
    ),
    "a clause dropped": (
        "Q: Besides gradient clipping, what prevents exploding gradients?\n"
        "A: Careful initialization, normalization layers, residual connections, a lower learning rate",
        "Q: What else, apart from clipping, prevents gradients from exploding?\n"
        "A: Careful initialisation, normalisation layers, residual connections and a lower learning rate.",
    ),
    "words reordered": (
        "Q: Which output activation for single-label multi-class classification?\nA: Softmax",
        "Q: Output activation for multi-class classification (a single label)?\nA: Softmax",
    ),
    "a series prefix": (
        "Q: Final tip: which activation should you start with?\nA: ReLU\n\n"
        "Q: Final tip: what should you monitor?\nA: The fraction of dead units\n\n"
        "Q: Final tip: which initialization goes with ReLU?\nA: He initialization",
        "Q: Which initialization goes with ReLU?\nA: He (Kaiming) initialization.",
    ),
    "glossary row and Q&A": (
        "| Term | Definition |\n|---|---|\n| Dead neuron | A neuron whose output is 0 for every training input, so it never learns |",
        "Q: What is a dead ReLU unit?\nA: A unit that outputs 0 for all inputs and never learns.",
    ),
    "comparison cell and cloze": (
        "| Aspect | He (Kaiming) | Xavier (Glorot) |\n|---|---|---|\n| Normal std | √(2/n_in) | √(2/(n_in + n_out)) |",
        "- He normal init: the standard deviation of the weights is {{√(2/n_in)}}.",
    ),
    "drill and cloze": (
        "ReLU(z) = {{max(0, z)}}",
        '```drill\nid = "relu-formula"\nprompt = "ReLU(z) as a formula in z"\nanswer = "max(0, z)"\n```',
    ),
}


@pytest.mark.parametrize("first, second", REWORDED.values(), ids=REWORDED.keys())
def test_the_same_question_reworded_in_another_deck_is_reported_with_both_locations(tmp_path, first, second):
    one, two = write(tmp_path, "one", first), write(tmp_path, "two", second)
    found = near_dups(one, two)
    assert len(found) == 1, found
    m = NEAR.match(found[0])
    assert m, found[0]
    assert m["file"] == str(two) and m["other"] == str(one), found[0]
    assert int(m["line"]) == load_deck(two).cards[0].line
    assert int(m["other_line"]) == load_deck(one).cards[-1].line  # the repeated card (the last one in one.md)


def test_one_warning_per_repeating_card_names_the_closest_and_the_others(tmp_path):
    one = write(tmp_path, "one", "Q: What initialization suits ReLU networks?\nA: He initialization")
    two = write(tmp_path, "two", "Q: Which initialization is designed for ReLU?\nA: He initialization\n\n"
                                 "Q: Which initialisation for ReLU networks?\nA: He initialization.")
    found = near_dups(one, two)
    assert len(found) == 2, found  # the second card of two.md repeats both earlier ones: one line, both named
    assert f"also like {two}:" in found[1] or f"also like {one}:" in found[1], found[1]


# ---- different questions sharing vocabulary: not flagged -------------------------------------------

DISTINCT = {
    "same answer, different subject": (
        "Q: What is the main con of tanh?\nA: Vanishing gradients",
        "Q: What is the main con of sigmoid?\nA: Vanishing gradients",
    ),
    "function and its cousin": (
        "ReLU'(z) = {{1 if z > 0 else 0}}",
        "LeakyReLU'(z) = {{1 if z > 0 else α}}",
    ),
    "another input": (
        "Q: He normal init, n_in = 256: standard deviation?\nA: ≈ 0.088",
        "Q: He normal init, n_in = 512: standard deviation?\nA: 0.0625",
    ),
    "normal std and uniform limit": (
        "Q: He normal: the standard deviation of the weights?\nA: √(2/n_in)",
        "Q: He uniform: the limit l of U(−l, l)?\nA: √(6/n_in)",
    ),
    "row and column layouts": (
        "Q: With Z = XW + b (one example per row of X), what is dW?\nA: dW = Xᵀ dZ / m",
        "Q: With z = Wx + b (one example per column of X), what is dW?\nA: dW = dZ Xᵀ / m",
    ),
    "what it fixes and how": (
        "Q: What does Leaky ReLU fix?\nA: Dying ReLU: dead units",
        "Q: How does Leaky ReLU fix dying ReLU?\nA: It keeps a small slope α for z ≤ 0, so the gradient is never 0",
    ),
    "comparison cell and a Q&A that asks something else": (
        "| Problem | Cause | Solution |\n|---|---|---|\n| Dead neurons | ReLU gradient = 0 | Leaky ReLU |",
        "Q: How does Leaky ReLU help dead neurons recover?\nA: Its gradient is α for z ≤ 0, never exactly 0, so the weights still move.",
    ),
    "value and derivative": (
        "Q: What is the formula of ELU for z ≤ 0?\nA: α(eᶻ − 1)",
        "Q: What is the derivative of ELU for z ≤ 0?\nA: αeᶻ",
    ),
}


@pytest.mark.parametrize("first, second", DISTINCT.values(), ids=DISTINCT.keys())
def test_different_questions_that_share_vocabulary_are_not_reported(tmp_path, first, second):
    assert near_dups(write(tmp_path, "one", first), write(tmp_path, "two", second)) == []


def test_cards_of_one_construct_are_never_compared(tmp_path):
    deck = write(tmp_path, "one", """
| Term | Definition |
|---|---|
| He init | Weight initialization designed for ReLU |

ReLU(z) = {{max(0, z)}} and its derivative is {{1 if z > 0 else 0}} for z ≠ 0.

| Aspect | ReLU | Leaky ReLU |
|---|---|---|
| Derivative (z > 0) | 1 | 1 |
""")
    assert near_dups(deck) == []  # the row's term and reverse card, the two blanks, the two equal cells


def test_identical_skill_cards_are_reported_and_different_ones_are_not(tmp_path):
    block = '```gradient\nid = "{id}"\nfamily = "backprop_activation"\nactivation = "relu"\ndifficulty = "{d}"\n```\n'
    one = write(tmp_path, "one", block.format(id="a", d="easy"))
    two = write(tmp_path, "two", block.format(id="b", d="easy") + "\n" + block.format(id="c", d="medium"))
    found = near_dups(one, two)
    assert len(found) == 1 and "the same skill card" in found[0], found
    assert NEAR.match(found[0])["line"] == "5"


# ---- dup-ok -------------------------------------------------------------------------------------------

AGAIN = "Q: Which weight initialisation is designed for ReLU? <!-- id: again -->{on_line}\nA: He initialization{below}"


@pytest.mark.parametrize("on_line, below", [
    (" <!-- dup-ok: he-relu -->", ""),  # on the card's line, naming the other card's id
    (" <!-- dup-ok: one:he-relu -->", ""),  # … or its deck:id key
    ("", "\n\n<!-- dup-ok: he-relu -->"),  # on its own line after the answer
])
def test_dup_ok_marks_a_repetition_as_intended(tmp_path, on_line, below):
    one = write(tmp_path, "one", "Q: What initialization suits ReLU networks? <!-- id: he-relu -->\nA: He initialization")
    two = write(tmp_path, "two", AGAIN.format(on_line=on_line, below=below))
    assert near_dups(one, two) == []


def test_dup_ok_silences_only_the_pair_it_names_and_works_from_either_card(tmp_path):
    one = write(tmp_path, "one", "Q: What initialization suits ReLU networks? <!-- id: he-relu -->\nA: He initialization")
    two = write(tmp_path, "two", AGAIN.format(on_line=" <!-- dup-ok: some-other-card -->", below=""))
    assert len(near_dups(one, two)) == 1
    one = write(tmp_path, "one", "Q: What initialization suits ReLU networks? <!-- id: he-relu --> <!-- dup-ok: two:again -->\n"
                                 "A: He initialization")
    two = write(tmp_path, "two", AGAIN.format(on_line="", below=""))
    assert near_dups(one, two) == []


def test_a_dup_ok_comment_is_not_part_of_the_card(tmp_path):
    plain = load_deck(write(tmp_path, "one", "Q: What is ReLU?\nA: max(0, z)")).cards[0]
    marked = load_deck(write(tmp_path, "one", "Q: What is ReLU? <!-- dup-ok: x -->\nA: max(0, z)\n\n"
                                             "<!-- dup-ok: y -->")).cards[0]
    assert (marked.key, marked.front, marked.back) == (plain.key, plain.front, plain.back)
    assert load_deck(write(tmp_path, "one", "Q: What is ReLU?\nA: max(0, z)\n\n<!-- dup-ok: y -->")).problems == []


# ---- the index finds every pair all-pairs would --------------------------------------------------------

def _zipf_library(folder: Path, cards: int, seed: int) -> None:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(300)]
    weights = [1 / (r + 1) for r in range(len(words))]
    phrase = lambda n: " ".join(rng.choices(words, weights, k=n))  # noqa: E731
    body = []
    for i in range(cards):
        q = phrase(rng.randint(1, 6))
        body.append(f"Q: {q} {'again' if rng.random() < 0.1 else ''}?\nA: {phrase(rng.randint(1, 5))}\n")
        if rng.random() < 0.1:
            body.append(f"Q: {q}?\nA: {phrase(2)}\n")
    write(folder, f"z{seed}", "\n".join(body))


@pytest.mark.parametrize("threshold", [0.3, THRESHOLD, 0.9])
def test_candidate_pairs_contain_every_pair_whose_overlap_reaches_the_threshold(tmp_path, threshold):
    _zipf_library(tmp_path, 400, seed=1)
    items = card_items(load_library([tmp_path, Path(__file__).parents[3] / "content"]))
    weights = weigh(items)
    found = {frozenset((id(x), id(y))) for x, y in candidate_pairs(items, weights, threshold)}
    wanted = {frozenset((id(x), id(y))) for i, x in enumerate(items) for y in items[:i]
              if overlap(x, y, weights) >= threshold}
    assert wanted and wanted <= found
    assert len(found) < len(items) * (len(items) - 1) / 2 / 10  # and far from all pairs


def test_the_check_is_a_warning_and_keeps_the_exit_status(tmp_path):
    one = write(tmp_path, "one", REWORDED["other words, same question"][0])
    two = write(tmp_path, "two", REWORDED["other words, same question"][1])
    report = run_check([one, two])
    assert report.warnings == 1 and report.errors == 0 and report.exit_code == 0
    assert near_duplicate_problems(load_library([one])) == []
