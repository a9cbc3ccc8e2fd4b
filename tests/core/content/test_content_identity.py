"""Card identity: keys survive edits to the back; author ids win; duplicates are reported."""

from __future__ import annotations

from quizapp.core.content.identity import normalise
from quizapp.core.content.model import CardKind, Severity
from quizapp.core.content.parser import parse_deck

DECK = """+++
deck = "d"
+++

| Term | Definition |
|---|---|
| ReLU | max(0, z) |

| Aspect | ReLU | Leaky ReLU |
|---|---|---|
| Formula | max(0, z) | max(αz, z) |

**Q: What is dying ReLU?**
A: Neurons stuck at 0.

**Q: Which leaks?**
- [ ] ReLU
- [x] Leaky ReLU

Leaky ReLU keeps a gradient of {{α}} for z ≤ 0.
"""

EDITED_BACKS = (
    DECK.replace("| ReLU | max(0, z) |", "| ReLU | max(0, z): zero for negatives |")
    .replace("| Formula | max(0, z) |", "| Formula | **max(0, z)** |")
    .replace("Neurons stuck at 0.", "Neurons whose output is 0 for every input.")
    .replace("- [ ] ReLU\n- [x] Leaky ReLU", "- [ ] ReLU\n- [x] Leaky ReLU\n- [ ] Tanh")
)


def keys(text: str) -> dict[tuple[CardKind, str], str]:
    return {(c.kind, c.front): c.key for c in parse_deck(text, "d.md").cards}


def test_implicit_keys_are_deck_kind_and_normalised_front():
    k = keys(DECK)
    assert k[(CardKind.GLOSSARY, "ReLU")] == "d:glossary:relu"
    assert k[(CardKind.GLOSSARY_REVERSE, "max(0, z)")] == "d:glossary_reverse:relu"  # named by its term
    assert k[(CardKind.QA, "What is dying ReLU?")] == "d:qa:what is dying relu"
    assert k[(CardKind.COMPARISON, "Leaky ReLU — Formula?")] == "d:comparison:leaky relu — formula"


def test_editing_backs_keeps_every_key():
    before, after = parse_deck(DECK, "d.md").cards, parse_deck(EDITED_BACKS, "d.md").cards
    changed = {c.kind for c, d in zip(before, after, strict=True) if c.back != d.back}
    assert changed == {CardKind.GLOSSARY, CardKind.COMPARISON, CardKind.QA}
    assert [c.key for c in before] == [c.key for c in after]  # the definition edit keeps the reverse card too


def test_cosmetic_front_edits_keep_the_key():
    a = keys("**Q: What is  *dying* ReLU?**\nA: x\n")
    b = keys("Q: what is dying `ReLU`\nA: y\n")
    assert list(a.values()) == list(b.values())


def test_normalise():
    assert normalise("**What** is  ＲｅＬＵ?!") == "what is relu"
    assert normalise("n_in and __bold__") == "n_in and bold"
    assert normalise("Text <!-- id: x -->") == "text"


def test_explicit_id_wins_and_survives_front_edits():
    a = parse_deck("**Q: What is dying ReLU?** <!-- id: dying -->\nA: x\n", "d.md").cards[0]
    b = parse_deck("**Q: Explain the dying-ReLU problem.** <!-- id: dying -->\nA: x\n", "d.md").cards[0]
    assert a.key == b.key == "d:dying"
    assert a.explicit_id == "dying" and "<!--" not in a.front


def test_id_in_a_table_row_and_reverse_suffix():
    deck = parse_deck("| Term | Definition |\n|---|---|\n| ReLU <!-- id: relu --> | max(0, z) |\n", "d.md")
    assert [c.key for c in deck.cards] == ["d:relu", "d:relu:reverse"]
    assert deck.cards[0].front == "ReLU"


def test_row_id_in_a_comparison_table_names_each_cell():
    deck = parse_deck("| Aspect | ReLU | Leaky ReLU |\n|---|---|---|\n| Formula <!-- id: formula --> | a | b |\n", "d.md")
    assert [c.key for c in deck.cards] == ["d:formula:relu", "d:formula:leaky-relu"]


def test_id_block_after_question_is_attached():
    deck = parse_deck("**Q: Which leaks?**\n<!-- id: which-leaks -->\n- [ ] ReLU\n- [x] Leaky ReLU\n", "d.md")
    assert [c.key for c in deck.cards] == ["d:which-leaks"] and deck.problems == []


def test_id_in_a_separate_answer_paragraph_is_used():
    deck = parse_deck("**Q: Why?**\n\nA: Because. <!-- id: why -->\n", "d.md")
    assert [(c.key, c.back) for c in deck.cards] == [("d:why", "Because.")]


def test_duplicate_explicit_ids_are_an_error_naming_both_lines():
    deck = parse_deck("Q: a <!-- id: same -->\nA: 1\n\nQ: b <!-- id: same -->\nA: 2\n", "d.md")
    assert [c.front for c in deck.cards] == ["a"]
    [err] = deck.errors
    assert (err.line, err.col) == (4, 6)
    assert "line 1" in err.message and "line 4" in err.message


def test_invalid_and_conflicting_ids_are_errors():
    deck = parse_deck("Q: a <!-- id: has space -->\nA: 1\n\nQ: b <!-- id: one --> <!-- id: two -->\nA: 2\n", "d.md")
    assert [(e.line, e.col) for e in deck.errors] == [(1, 6), (4, 23)]
    assert [c.key for c in deck.cards] == ["d:qa:a", "d:one"]


def test_duplicate_implicit_keys_warn_and_get_a_suffix():
    deck = parse_deck("Q: Same?\nA: 1\n\nQ: same\nA: 2\n", "d.md")
    assert [c.key for c in deck.cards] == ["d:qa:same", "d:qa:same:2"]
    [w] = deck.problems
    assert (w.line, w.severity) == (4, Severity.WARNING) and "line 1" in w.message


def test_unattached_id_comment_is_a_warning():
    deck = parse_deck("Prose.\n\n<!-- id: floating -->\n\nQ: a\nA: b\n", "d.md")
    assert [(p.line, p.severity) for p in deck.problems] == [(3, Severity.WARNING)]
