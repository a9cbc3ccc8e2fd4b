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
    assert deck.notes == "*2 Q&A cards here.*\n\n---\n\nProse after the rule is notes."


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


# ---- notes on questions ----------------------------------------------------------------------------

def notes_of(deck):
    return [(c.front, c.back, c.note) for c in deck.cards]


def test_note_paragraph_after_an_answer_is_the_cards_note_not_the_back():
    deck = parse("# S\n\n**Q: What?**\nA: The answer.\n\nNote: a precise remark.\n\n## Next\n\nProse.\n")
    assert notes_of(deck) == [("What?", "The answer.", "a precise remark.")]
    assert deck.problems == [] and deck.notes == "# S\n\n*1 Q&A card here.*\n\n## Next\n\nProse."


def test_note_marker_variants_and_quoted_note():
    text = (
        "Q: one?\nA: 1\n\n**Note:** bold marker\n\n"
        "Q: two?\nA: 2\n\n**Note: all bold**\n\n"
        "Q: three?\nA: 3\n\n> **Note:** quoted\n> on two lines\n>\n> and a second paragraph\n\n"
        "Q: four?\nA: 4\n\n> Note: plain quote\n"
    )
    assert notes_of(parse(text)) == [
        ("one?", "1", "bold marker"),
        ("two?", "2", "all bold"),
        ("three?", "3", "quoted\non two lines\n\nand a second paragraph"),
        ("four?", "4", "plain quote"),
    ]


def test_note_line_in_the_question_paragraph_ends_the_answer():
    deck = parse("Q: a?\nA: first\nsecond\nNote: n1\nQ: b?\nA: b\nNote: n2\n")
    assert notes_of(deck) == [("a?", "first\nsecond", "n1"), ("b?", "b", "n2")]


def test_note_after_a_multi_paragraph_answer_and_prose_after_the_note_joins_the_note():
    text = "Q: Steps?\n\nA: First.\n\nSecond paragraph.\n\n- a list\n\nNote: careful.\n\nMore detail.\n\n---\n\nProse.\n"
    deck = parse(text)
    assert notes_of(deck) == [("Steps?", "First.\n\nSecond paragraph.\n\n- a list", "careful.\n\nMore detail.")]
    assert deck.notes == "*1 Q&A card here.*\n\n---\n\nProse."


def test_answer_without_a_note_still_absorbs_following_prose():
    text = "Q: Why?\nA: Because.\n\nNote that this paragraph has no marker.\n\n> A quote.\n\nNotes: plural is prose.\n\n## H\n\nx\n"
    deck = parse(text)
    assert notes_of(deck) == [
        ("Why?", "Because.\n\nNote that this paragraph has no marker.\n\n> A quote.\n\nNotes: plural is prose.", ""),
    ]
    assert deck.notes == "*1 Q&A card here.*\n\n## H\n\nx"


def test_note_paragraph_without_a_card_is_plain_prose():
    deck = parse("Intro.\n\nNote: just prose.\n")
    assert deck.cards == [] and "Note: just prose." in deck.notes
    assert [p.message for p in deck.problems] == ["deck has no cards"]


def test_id_on_the_note_line_names_the_card():
    deck = parse("Q: a?\nA: b\n\nNote: c <!-- id: my-id -->\n")
    [card] = deck.cards
    assert (card.key, card.note) == ("q:my-id", "c")


def test_note_after_a_multiple_choice_explanation_continues_the_note():
    deck = parse("Q: Pick\n\n- [x] a\n- [ ] b\n\nA: because a.\n\n> **Note:** and more.\n\n## H\n\nx\n")
    [card] = deck.cards
    assert card.back == "a" and card.note == "because a.\n\nand more."
    assert deck.notes == "*1 multiple choice card here.*\n\n## H\n\nx"


def test_note_right_after_the_options_is_the_multiple_choice_note():
    deck = parse("Q: Pick\n- [x] a\n- [ ] b\n\nNote: n\n")
    [card] = deck.cards
    assert card.note == "n" and deck.problems == []


# ---- an A: line glued to the last option ---------------------------------------------------------------

def warnings(deck):
    return [(p.line, p.col, p.message) for p in deck.problems if p.severity is Severity.WARNING]


def test_explanation_glued_to_the_last_option_is_read_as_the_explanation_with_a_warning():
    deck = parse("## S\n\nQ: Pick <!-- id: pick -->\n- [ ] a\n- [x] b\nA: because b.\n")
    [card] = deck.cards
    assert [c.text for c in card.choices] == ["a", "b"]
    assert card.back == "b" and card.note == "because b."
    [(line, col, message)] = warnings(deck)
    assert (line, col) == (6, 1)
    assert "last option" in message and "blank line" in message
    assert deck.errors == []


def test_glued_explanation_parses_like_the_blank_line_form():
    glued = parse("Q: Pick\n- [x] a\n- [ ] b\n  **A:** because a,\n  on two lines.\n\nMore.\n\nNote: n\n")
    fixed = parse("Q: Pick\n- [x] a\n- [ ] b\n\n**A:** because a,\non two lines.\n\nMore.\n\nNote: n\n")
    assert notes_of(glued) == notes_of(fixed) == [("Pick", "a", "because a,\non two lines.\n\nMore.\n\nn")]
    assert [c.choices for c in glued.cards] == [c.choices for c in fixed.cards]
    assert [(w[0], w[1]) for w in warnings(glued)] == [(4, 3)] and warnings(fixed) == []


def test_explanation_in_a_second_paragraph_of_the_last_option():
    deck = parse("Q: Pick\n\n1. [ ] a\n2. [x] b\n\n   A: indented explanation\n")
    [card] = deck.cards
    assert [c.text for c in card.choices] == ["a", "b"] and card.note == "indented explanation"
    assert [(w[0], w[1]) for w in warnings(deck)] == [(6, 4)]


def test_a_colon_inside_an_option_text_is_not_an_explanation():
    deck = parse("Q: Pick\n- [ ] a\n- [x] b, as in A: B\n")
    [card] = deck.cards
    assert card.choices[-1].text == "b, as in A: B" and card.note == "" and deck.problems == []
