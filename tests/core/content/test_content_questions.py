"""Q&A and multiple choice."""

from __future__ import annotations

from quizapp.core.content.model import CardKind, Choice, Severity
from quizapp.core.content.parser import parse_deck


def parse(text: str):
    return parse_deck(text, "q.md")


def qa(deck):
    return [(c.front, c.back) for c in deck.cards if c.kind is CardKind.QA]


def errors(deck):
    return [(p.line, p.col, p.message) for p in deck.errors]


def test_bold_question_with_answer_in_the_same_paragraph():
    deck = parse("# S\n\n**Q: What is dying ReLU?**\nA: Neurons stuck at 0.\n")
    assert qa(deck) == [("What is dying ReLU?", "Neurons stuck at 0.")]
    card = deck.cards[0]
    assert (card.line, card.col, card.section) == (3, 1, "S")


def test_answer_in_the_next_paragraph():
    deck = parse("**Q: Why?**\n\nA: Because.\n")
    assert qa(deck) == [("Why?", "Because.")]


def test_marker_variants():
    deck = parse("**Q:** Bold marker?\n**A:** yes\n\nQ: Plain?\nA: also\n\n**Q: Bold all?**\n**A: bold answer**\n")
    assert qa(deck) == [("Bold marker?", "yes"), ("Plain?", "also"), ("Bold all?", "bold answer")]


def test_several_plain_pairs_in_one_paragraph():
    deck = parse("Q: one?\nA: 1\nQ: two?\nA: 2\n")
    assert qa(deck) == [("one?", "1"), ("two?", "2")]
    assert [c.line for c in deck.cards] == [1, 3]


def test_multiline_answer_runs_to_the_next_question_heading_or_rule():
    text = (
        "**Q: Steps?**\n"
        "A: First line\n"
        "second line.\n"
        "\n"
        "A following paragraph.\n"
        "\n"
        "- a list item\n"
        "\n"
        "```python\n"
        "x = 1\n"
        "```\n"
        "**Q: Next?**\n"
        "A: n\n"
        "\n"
        "---\n"
        "\n"
        "Prose after the rule is notes.\n"
    )
    deck = parse(text)
    (f1, b1), (f2, b2) = qa(deck)
    assert b1 == "First line\nsecond line.\n\nA following paragraph.\n\n- a list item\n\n```python\nx = 1\n```"
    assert b2 == "n"
    assert deck.notes == "Prose after the rule is notes."


def test_question_without_answer_is_an_error():
    deck = parse("## H\n\n  **Q: Lonely?**\n\nJust prose.\n")
    assert qa(deck) == []
    [(line, col, message)] = errors(deck)
    assert (line, col) == (3, 3) and "no answer" in message


def test_empty_answer_is_an_error():
    deck = parse("Q: What?\nA:\n")
    assert qa(deck) == [] and [(e[0], e[1]) for e in errors(deck)] == [(2, 1)]


def test_orphan_answer_is_a_warning_and_kept_in_notes():
    deck = parse("A: nobody asked\n")
    assert [(p.line, p.severity) for p in deck.problems] == [(1, Severity.WARNING), (1, Severity.WARNING)]
    assert "nobody asked" in deck.notes


def test_multiple_choice():
    deck = parse("**Q: Which leaks?** <!-- id: leaks -->\n- [ ] ReLU\n- [x] Leaky ReLU\n- [X] ELU\n")
    [card] = deck.cards
    assert card.kind is CardKind.MCQ
    assert card.front == "Which leaks?"
    assert card.choices == (Choice("ReLU", False), Choice("Leaky ReLU", True), Choice("ELU", True))
    assert card.correct_choices == (1, 2)
    assert card.back == "Leaky ReLU; ELU"
    assert card.key == "q:leaks"


def test_multiple_choice_explanation_becomes_the_note():
    deck = parse("Q: Pick\n\n1. [x] a\n2. [ ] b\n\nA: because a.\n\nMore.\n")
    [card] = deck.cards
    assert card.kind is CardKind.MCQ and card.note == "because a.\n\nMore."


def test_multiple_choice_without_correct_option_is_an_error_at_the_list():
    deck = parse("Q: Pick one\n\n  - [ ] a\n  - [ ] b\n")
    assert deck.cards == []
    [(line, col, message)] = errors(deck)
    assert (line, col) == (3, 3) and "[x]" in message


def test_option_without_box_is_an_error():
    deck = parse("Q: Pick\n- [x] a\n- b\n- [ ] c\n")
    assert [c.text for c in deck.cards[0].choices] == ["a", "c"]
    assert [(e[0], e[1]) for e in errors(deck)] == [(3, 1)]


def test_checkbox_list_without_question_is_a_warning():
    deck = parse("Intro.\n\n- [x] done\n- [ ] todo\n")
    assert deck.cards == []
    assert (3, 1, Severity.WARNING) in [(p.line, p.col, p.severity) for p in deck.problems]


def test_typed_decks_type_qa_but_not_mcq():
    deck = parse('+++\ndeck = "t"\ntyped = true\n+++\nQ: a\nA: b\n\nQ: c\n- [x] d\n- [ ] e\n')
    assert [(c.kind, c.typed) for c in deck.cards] == [(CardKind.QA, True), (CardKind.MCQ, False)]
