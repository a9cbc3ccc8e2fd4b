"""Glossary and comparison tables, ragged rows."""

from __future__ import annotations

from quizapp.core.content.model import CardKind, Severity
from quizapp.core.content.parser import parse_deck


def parse(text: str):
    return parse_deck(text, "t.md")


def cards(deck, kind):
    return [(c.front, c.back) for c in deck.cards if c.kind is kind]


def test_term_header_gives_glossary_both_ways_with_extra_columns_as_note():
    deck = parse("| Concept | Meaning | Example |\n|---|---|---|\n| ReLU | max(0, z) | relu(-1) = 0 |\n")
    assert cards(deck, CardKind.GLOSSARY) == [("ReLU", "max(0, z)")]
    assert cards(deck, CardKind.GLOSSARY_REVERSE) == [("max(0, z)", "ReLU")]
    assert deck.cards[0].note == "Example: relu(-1) = 0"
    assert [(c.line, c.col) for c in deck.cards] == [(3, 3), (3, 10)]


def test_two_column_table_with_any_header_is_a_pair_list():
    deck = parse("| Formula | Meaning |\n|---|---|\n| `dW = X.T @ dZ / m` | weight gradient |\n")
    assert cards(deck, CardKind.GLOSSARY) == [("`dW = X.T @ dZ / m`", "weight gradient")]


def test_aspect_table_asks_column_then_row():
    deck = parse("| Property | ReLU | ELU |\n|---|---|---|\n| Smooth | no | *yes* |\n")
    assert cards(deck, CardKind.COMPARISON) == [("ReLU — Smooth?", "no"), ("ELU — Smooth?", "*yes*")]
    assert [(c.line, c.col) for c in deck.cards] == [(3, 12), (3, 17)]


def test_entity_table_asks_row_then_column_and_skips_empty_cells():
    deck = parse("| Problem | Cause | Fix |\n|---|---|---|\n| Dead neurons | gradient 0 |  |\n")
    assert cards(deck, CardKind.COMPARISON) == [("Dead neurons — Cause?", "gradient 0")]


def test_label_ending_in_question_mark_is_not_doubled():
    deck = parse("| Function | Smooth? | Cheap? |\n|---|---|---|\n| ELU | yes | no |\n")
    assert cards(deck, CardKind.COMPARISON) == [("ELU — Smooth?", "yes"), ("ELU — Cheap?", "no")]


def test_escaped_pipe_stays_in_the_cell():
    deck = parse("| Term | Definition |\n|---|---|\n| abs | \\|x\\| |\n")
    assert cards(deck, CardKind.GLOSSARY) == [("abs", "|x|")]


def test_ragged_rows_are_errors_and_only_that_row_is_skipped():
    text = (
        "| Term | Definition |\n"
        "|------|------------|\n"
        "| A | alpha |\n"
        "| B | beta | extra |\n"
        "| C |\n"
        "| D | delta |\n"
    )
    deck = parse(text)
    assert [f for f, _ in cards(deck, CardKind.GLOSSARY)] == ["A", "D"]
    assert [(p.line, p.col, p.severity) for p in deck.problems] == [(4, 14, Severity.ERROR), (5, 6, Severity.ERROR)]
    assert "3 cells but the header has 2" in deck.problems[0].message


def test_glossary_row_without_definition_is_an_error():
    deck = parse("| Term | Definition |\n|---|---|\n| A |  |\n| B | beta |\n")
    assert [c.front for c in deck.cards] == ["B", "beta"]
    assert [(p.line, p.col) for p in deck.errors] == [(3, 3)]


def test_comparison_column_without_header_is_an_error():
    deck = parse("| Function | | Cons |\n|---|---|---|\n| ReLU | fast | dead |\n")
    assert cards(deck, CardKind.COMPARISON) == [("ReLU — Cons?", "dead")]
    assert [(p.line, p.col) for p in deck.errors] == [(1, 13)]


def test_one_column_table_is_notes():
    deck = parse("| Just |\n|---|\n| text |\n")
    assert deck.cards == [] and "| Just |" in deck.notes


def test_paragraph_glued_to_a_table_becomes_a_ragged_row():
    # GFM continues a table until a blank line, so the author forgot one here.
    deck = parse("| Term | Definition |\n|---|---|\n| A | alpha |\n**Q: Lost?**\nA: yes\n")
    assert [(p.line, p.severity) for p in deck.errors] == [(4, Severity.ERROR), (5, Severity.ERROR)]
