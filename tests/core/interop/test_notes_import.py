"""Notes → deck: the seed sheet, a community-style collection, and the question heuristics."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from quizapp.core.content.parser import parse_deck
from quizapp.core.interop.deckwriter import DeckWriter, ImportGuardError, make_id
from quizapp.core.interop.notes_import import import_notes
from quizapp.core.interop.notes_questions import bold_question, heading_question

FIXTURES = Path(__file__).parents[2] / "fixtures" / "interop"
SEED = FIXTURES / "relu-vs-leaky-relu-quick-revision.md"
COMMUNITY = FIXTURES / "community-notes.md"


def _import(path: Path, **kw):
    return import_notes(path.read_text(encoding="utf-8"), str(path), **kw)


def test_seed_sheet_gives_the_cards_our_parser_reads_from_it():
    result = _import(SEED)
    assert result.by_kind() == {"glossary": 8, "glossary_reverse": 8, "comparison": 30, "qa": 5}
    direct = parse_deck(SEED.read_text(encoding="utf-8"), str(SEED))
    assert Counter(str(c.kind) for c in direct.cards) == Counter(result.by_kind())
    again = parse_deck(result.text, "out.md")
    assert again.errors == [] and len(again.cards) == 51
    assert result.deck_id == "relu-vs-leaky-relu-quick-revision"
    assert result.title == "Interview Preparation: ReLU vs Leaky ReLU - Quick Revision"
    qa = [c for c in again.cards if c.kind == "qa"]
    assert qa[0].key == "relu-vs-leaky-relu-quick-revision:what-is-dying-relu"
    assert qa[0].back == "Neurons stuck outputting 0 due to zero gradient for negative inputs."
    assert [m.line for m in result.made if m.kind == "qa"] == [145, 148, 151, 154, 157]
    skipped = {(s.line, s.end_line): s.reason for s in result.skipped}
    assert skipped[(30, 39)] == "list outside a question"  # "Top 10 Points": bold but not questions
    assert skipped[(120, 139)] == "code outside a question"  # the mermaid diagram


def test_import_is_deterministic_and_ids_come_from_the_question():
    assert _import(SEED).text == _import(SEED).text
    assert make_id("What is dying ReLU?") == "what-is-dying-relu"
    long = make_id("What is the difference between batch normalisation and layer normalisation in transformers?")
    assert len(long) <= 56 and long.startswith("what-is-the-difference-between-batch") and long[-7] == "-"
    assert make_id("什么是过拟合?").startswith("q-")


def test_community_notes_cards_and_skipped_parts():
    result = _import(COMMUNITY)
    assert result.by_kind() == {"comparison": 6, "qa": 9}
    assert parse_deck(result.text, "community-notes.md").errors == []
    fronts = [(m.line, m.kind, m.front) for m in result.made]
    assert fronts == [
        (17, "qa", "What is overfitting?"),
        (29, "qa", "Explain the bias-variance trade-off."),
        (41, "qa", "How does L2 regularisation change the gradient?"),
        (53, "qa", "Why do we need non-linear activations?"),
        (61, "qa", "What is the vanishing gradient problem?"),
        (61, "table", "Activation"),
        (71, "qa", "What is the dying ReLU problem?"),
        (81, "qa", "Which initialisation suits ReLU layers?"),
        (92, "qa", "What does dropout do at test time?"),
        (94, "qa", "What is a good first learning rate for Adam?"),
    ]
    assert [m.section for m in result.made][:3] == ["Fundamentals"] * 3
    assert [m.detail for m in result.made][:3] == ["difficulty: easy", "difficulty: medium", "difficulty: hard"]
    skipped = [(s.line, s.end_line, s.reason) for s in result.skipped]
    assert skipped == [
        (3, 5, "prose outside a question"),  # the badge <p><img></p>
        (7, 7, "prose outside a question"),
        (11, 13, "table of contents"),
        (49, 49, "navigation link"),
        (97, 97, "prose outside a question"),
        (99, 99, "prose outside a question"),
        (101, 102, "list outside a question"),
        (104, 104, "prose outside a question"),
    ]
    assert result.title == "Machine Learning Interview Questions"


def test_community_answers_keep_markdown_and_convert_html():
    deck = parse_deck(_import(COMMUNITY).text, "x.md")
    cards = {c.front: c for c in deck.cards if c.kind == "qa"}
    over = cards["What is overfitting?"]
    assert "- validation loss starts **rising**" in over.back
    assert "[Image: train vs validation loss](images/overfitting.png)" in over.back
    assert over.note == "Difficulty: easy"
    bias = cards["Explain the bias-variance trade-off."]
    assert bias.back.startswith("Total error")  # the "**Answer:**" label is dropped
    assert "**high bias**" in bias.back and "*high variance*" in bias.back and "<b>" not in bias.back
    assert "```python\ngrad_w = grad_loss" in cards["How does L2 regularisation change the gradient?"].back
    assert "**Example**" in cards["Why do we need non-linear activations?"].back  # #### sub-heading kept
    dying = cards["What is the dying ReLU problem?"]  # a <details> question
    assert dying.back.startswith("A ReLU neuron whose input is negative for **every** example")
    he = cards["Which initialisation suits ReLU layers?"]  # "Show answer" <details> under a question
    assert "`W ~ N(0, 2/n_in)`" in he.back and "[Image: He init formula](images/he.png)" in he.back
    assert cards["What is a good first learning rate for Adam?"].back == "`3e-4` is a common default."
    text = _import(COMMUNITY).text
    assert "<details" not in text and "<br" not in text and "<img" not in text


@pytest.mark.parametrize(
    "line, strict, expected",
    [
        ("**What is overfitting?**", False, ("What is overfitting?", "", "")),
        ("🟡 **Explain dropout.**", False, ("Explain dropout.", "", "medium")),
        ("**Q3. Why batch norm?** ⭐⭐⭐", False, ("Why batch norm?", "", "hard")),
        ("**Question:** What is a kernel?", False, ("What is a kernel?", "", "")),
        ("**What is AUC?** The area under the ROC curve.", False, ("What is AUC?", "The area under the ROC curve.", "")),
        ("**Problem**: Dying ReLU - neurons stop learning", False, None),
        ("**ReLU = max(0, z)** - simple, fast", False, None),
        ("**How it works:**", False, None),
        ("**Key Takeaways**", False, None),
        ("**🟢 Easy**", False, None),
        ("**Why it matters**", True, None),  # inside an answer a label is not a question
        ("**Why it matters**", False, ("Why it matters", "", "")),
        ("**Does it converge?**", True, ("Does it converge?", "", "")),
        ("Some **bold** text", False, None),
    ],
)
def test_bold_question_lines(line, strict, expected):
    assert bold_question(line, strict) == expected


@pytest.mark.parametrize(
    "heading, expected",
    [
        ("Q1: What is X?", ("What is X?", "")),
        ("Question 12. Explain attention", ("Explain attention", "")),
        ("What is the vanishing gradient problem? 🟡", ("What is the vanishing gradient problem?", "medium")),
        ("🔴 Explain backprop through time", ("Explain backprop through time", "hard")),
        ("1. Introduction", None),
        ("🟢 Easy questions", None),
        ("Neural Networks", None),
    ],
)
def test_heading_questions(heading, expected):
    assert heading_question(heading) == expected


NOTES = """# Tricky notes

## Templates

**What does `{{ name }}` do in Jinja?**

It prints {{ name }} into the page.
Q: this line in an answer must not start a card
A: nor this one

---

**What is a dead neuron?**

<br/>

**Which are activations?**

- [x] ReLU
- [ ] SGD
- [x] Tanh

A: SGD is an optimiser.

### Q7: Compare them

| Model | Bias | Variance |
|-------|------|----------|
| Linear | high | low |

```drill
id = "not-a-card"
```
"""


def test_tricky_notes_braces_markers_mcq_and_table_answers():
    result = import_notes(NOTES, "tricky.md", deck_id="tricky")
    deck = parse_deck(result.text, "tricky.md")
    assert deck.errors == []
    assert result.by_kind() == {"comparison": 2, "qa": 2, "mcq": 1}  # no cloze, no drill
    assert "{\\{ name }}" in result.text
    jinja = next(c for c in deck.cards if c.kind == "qa" and "Jinja" in c.front)
    assert "Q\\: this line" in jinja.back and "A\\: nor" in jinja.back
    mcq = next(c for c in deck.cards if c.kind == "mcq")
    assert [ch.text for ch in mcq.choices if ch.correct] == ["ReLU", "Tanh"] and mcq.note == "SGD is an optimiser."
    assert ("question without an answer", 13) in [(s.reason, s.line) for s in result.skipped]
    compare = next(c for c in deck.cards if c.kind == "qa" and c.front == "Compare them")
    assert "```toml" in compare.back  # a ```drill fence in an answer is renamed, not a card
    assert result.deck_id == "tricky" and result.title == "Tricky notes"


def test_guard_refuses_a_deck_our_parser_rejects():
    writer = DeckWriter("bad", "Bad", "x.md")
    writer.parts.append("| a | b |\n|---|---|\n| 1 | 2 | 3 |")  # a ragged row: an error
    with pytest.raises(ImportGuardError, match="does not pass"):
        writer.finish("bad.md")
    writer = DeckWriter("bad", "Bad", "x.md")
    writer.qa("What?", "Yes.", 1)
    writer.parts.append("**Q:** Extra? \nA: sneaked in")  # a card nobody wrote
    with pytest.raises(ImportGuardError, match="other cards"):
        writer.finish("bad.md")


def test_ragged_table_is_skipped_with_its_line_not_written():
    text = "## T\n\n| Term | Definition |\n|---|---|\n| a | b | c |\n\n**What is x?**\n\nx.\n"
    result = import_notes(text, "t.md")
    assert result.by_kind() == {"qa": 1}
    assert result.skipped[0].line == 3 and result.skipped[0].reason.startswith("table (")
