"""Cloze blanks in paragraphs and list items."""

from __future__ import annotations

from quizapp.core.content.model import CardKind
from quizapp.core.content.parser import parse_deck


def parse(text: str):
    return parse_deck(text, "c.md")


def test_one_card_per_blank_with_others_filled():
    deck = parse("Dead neurons output {{0}} and {{never::when?}} recover.\n")
    a, b = deck.cards
    assert (a.kind, a.front, a.back) == (CardKind.CLOZE, "Dead neurons output […] and never recover.", "0")
    assert (b.front, b.back) == ("Dead neurons output 0 and [when?] recover.", "never")
    assert a.context == b.context == "Dead neurons output 0 and never recover."
    assert [(c.line, c.col) for c in deck.cards] == [(1, 21), (1, 31)]
    assert a.key != b.key


def test_list_items_become_cards_and_other_items_stay_notes():
    deck = parse("# Points\n\n- ReLU is {{max(0, z)}}\n- plain point\n  - nested {{leak}} item\n- another plain\n")
    assert [(c.front, c.line, c.col) for c in deck.cards] == [("ReLU is […]", 3, 11), ("nested […] item", 5, 12)]
    assert deck.notes == "# Points\n\n- another plain\n\n*2 cloze cards here.*"


def test_multiline_paragraph_positions():
    deck = parse("First line\n  second {{line}} here\n")
    [card] = deck.cards
    assert (card.line, card.col) == (2, 10)
    assert card.front == "First line\nsecond […] here"


def test_unclosed_blank_is_an_error_at_its_column():
    deck = parse("Intro\n\nA {{fine}} and {{broken here.\n")
    assert deck.cards == []
    [err] = deck.errors
    assert (err.line, err.col) == (3, 16) and "unclosed" in err.message


def test_nested_open_is_unclosed():
    deck = parse("x {{a {{b}} c\n")
    assert [(e.line, e.col) for e in deck.errors] == [(1, 3)]


def test_empty_blank_is_an_error():
    deck = parse("- item with {{ }} blank\n")
    assert [(e.line, e.col) for e in deck.errors] == [(1, 13)]


def test_braces_in_code_spans_and_fences_are_not_blanks():
    deck = parse("Jinja uses `{{ var }}` syntax.\n\n```\n{{x}}\n```\n")
    assert deck.cards == [] and deck.errors == []
    assert "`{{ var }}`" in deck.notes


def test_id_applies_to_the_sentence_with_numbered_blanks():
    deck = parse("Leaky ReLU uses {{α}} = {{0.01}}. <!-- id: leak-alpha -->\n")
    assert [c.key for c in deck.cards] == ["c:leak-alpha", "c:leak-alpha:2"]
    assert "<!--" not in deck.cards[0].front


def test_id_block_after_paragraph_is_attached():
    deck = parse("ReLU is {{max(0, z)}}.\n<!-- id: relu-def -->\n")
    assert [c.key for c in deck.cards] == ["c:relu-def"]
    assert deck.warnings == []
