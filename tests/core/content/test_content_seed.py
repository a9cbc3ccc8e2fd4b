"""The seed quick-revision sheet parses completely, with every card located in the source."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from quizapp.core.content.loader import load_deck
from quizapp.core.content.model import CardKind

SEED = Path(__file__).parents[2] / "fixtures" / "decks" / "relu-vs-leaky-relu-quick-revision.md"


@pytest.fixture(scope="module")
def seed():
    return load_deck(SEED)


def by_front(deck, kind):
    return {c.front: c for c in deck.cards if c.kind is kind}


def test_seed_has_no_problems_and_defaults_from_file(seed):
    assert seed.problems == []
    assert not seed.failed
    assert seed.id == "relu-vs-leaky-relu-quick-revision"
    assert seed.title == "Interview Preparation: ReLU vs Leaky ReLU - Quick Revision"


def test_seed_card_counts(seed):
    counts = Counter(c.kind for c in seed.cards)
    assert counts == {
        CardKind.GLOSSARY: 8,
        CardKind.GLOSSARY_REVERSE: 8,
        CardKind.COMPARISON: 6 * 2 + 5 * 2 + 4 * 2,
        CardKind.QA: 5,
    }
    assert len({c.key for c in seed.cards}) == len(seed.cards)


def test_seed_glossary_both_ways(seed):
    relu = by_front(seed, CardKind.GLOSSARY)["ReLU"]
    assert relu.back == "max(0, z) - outputs z if positive, else 0"
    assert (relu.line, relu.col) == (17, 3)
    assert relu.section == "Key Terms Glossary"
    reverse = by_front(seed, CardKind.GLOSSARY_REVERSE)["Leak factor in Leaky ReLU (typically 0.01)"]
    assert reverse.back == "Alpha (α)"
    assert reverse.line == 23
    terms = [c.front for c in seed.cards if c.kind is CardKind.GLOSSARY]
    assert terms == ["ReLU", "Leaky ReLU", "Dead Neuron", "Gradient", "Forward Prop", "Backward Prop", "Alpha (α)", "He Init"]


def test_seed_aspect_table_is_column_major_and_keeps_emphasis(seed):
    cells = by_front(seed, CardKind.COMPARISON)
    leaky = cells["Leaky ReLU — Derivative (z ≤ 0)?"]
    assert leaky.back == "**α (0.01)**"
    assert (leaky.line, leaky.col) == (51, 32)
    assert cells["ReLU — Derivative (z ≤ 0)?"].back == "**0**"
    aspects = ["Formula", "Derivative (z > 0)", "Derivative (z ≤ 0)", "Dead neurons", "Complexity", "When to use"]
    for aspect in aspects:
        assert f"ReLU — {aspect}?" in cells and f"Leaky ReLU — {aspect}?" in cells
    assert cells["Leaky ReLU — When to use?"].back == "Deep nets, safety"


def test_seed_entity_tables_are_row_major(seed):
    cells = by_front(seed, CardKind.COMPARISON)
    expected = {
        "ReLU — Pros?": "Fast, simple", "ReLU — Cons?": "Dead neurons",
        "Leaky ReLU — Pros?": "No dead neurons", "Leaky ReLU — Cons?": "Extra param",
        "ELU — Pros?": "Smooth", "ELU — Cons?": "Expensive",
        "Sigmoid — Pros?": "Bounded (0,1)", "Sigmoid — Cons?": "Vanishing gradient",
        "Tanh — Pros?": "Zero-centered", "Tanh — Cons?": "Vanishing gradient",
        "Dead neurons — Cause?": "ReLU gradient = 0", "Dead neurons — Solution?": "Leaky ReLU",
        "Vanishing gradient — Cause?": "Sigmoid/Tanh", "Vanishing gradient — Solution?": "ReLU family",
        "Exploding gradient — Cause?": "High weights", "Exploding gradient — Solution?": "Gradient clipping",
        "Slow training — Cause?": "Poor init", "Slow training — Solution?": "He/Xavier init",
    }
    for front, back in expected.items():
        assert cells[front].back == back
    assert cells["Dead neurons — Cause?"].section == "Common Problems & Solutions"


def test_seed_questions(seed):
    qa = [c for c in seed.cards if c.kind is CardKind.QA]
    assert [c.front for c in qa] == [
        "What is dying ReLU?",
        "How does Leaky ReLU fix it?",
        "When to use ReLU vs Leaky ReLU?",
        "What's a dead neuron?",
        "What initialization for ReLU?",
    ]
    assert qa[0].back == "Neurons stuck outputting 0 due to zero gradient for negative inputs."
    assert qa[-1].back == "He initialization: W ~ N(0, sqrt(2/n_in))"
    assert [c.line for c in qa] == [145, 148, 151, 154, 157]


def test_seed_notes_keep_prose_lists_code_and_diagrams(seed):
    notes = seed.notes
    for kept in ("## 30-Second Summary", "## Top 10 Points to Remember", "10. **Both work well**",
                 "```mermaid", "def leaky_relu(z, alpha=0.01):", "## Final Tips", "### Quick Decision Tree"):
        assert kept in notes
    # Card content is not repeated in the notes; a heading whose content all became cards stays, with
    # a line saying what became cards there (issue 21: the outline of the file is kept).
    assert "| Term |" not in notes and "**Q: What is dying ReLU?**" not in notes
    assert "## Key Terms Glossary\n\n*" in notes and "glossary cards here.*" in notes
