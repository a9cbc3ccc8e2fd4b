"""TOML front matter: fields, defaults and located errors."""

from __future__ import annotations

from quizapp.core.content.model import Severity
from quizapp.core.content.parser import parse_deck

BODY = "\n**Q: One?**\nA: Two.\n"


def problems(deck):
    return [(p.line, p.col, p.severity, p.message) for p in deck.problems]


def test_fields_are_read():
    deck = parse_deck('+++\ndeck = "act-1"\ntitle = "Activations"\ntags = ["a", "b"]\ntyped = true\n+++\n' + BODY, "x.md")
    assert (deck.id, deck.title, deck.tags, deck.options) == ("act-1", "Activations", ("a", "b"), {"typed": True})
    card = deck.cards[0]
    assert card.key.startswith("act-1:") and card.tags == ("a", "b") and card.typed
    assert card.line == 8  # lines are file lines, front matter included
    assert deck.problems == []


def test_missing_front_matter_defaults_to_file_name_and_first_heading():
    deck = parse_deck("# My Topic\n" + BODY, "decks/My Topic_v2.md")
    assert deck.id == "my-topic-v2"
    assert deck.title == "My Topic"
    assert deck.options == {} and not deck.cards[0].typed
    assert deck.problems == []


def test_bad_toml_is_located_at_the_file_line_and_fails_the_deck():
    deck = parse_deck('+++\ndeck = "x"\ntitle = oops\n+++\n' + BODY, "x.md")
    assert deck.failed and deck.cards == []
    [(line, col, severity, message)] = problems(deck)
    assert (line, col, severity) == (3, 9, Severity.ERROR)
    assert message.startswith("front matter is not valid TOML") and "line" not in message


def test_unclosed_front_matter_fails():
    deck = parse_deck('+++\ndeck = "x"\n' + BODY, "x.md")
    assert deck.failed
    assert problems(deck)[0][:3] == (1, 1, Severity.ERROR)


def test_invalid_values_are_errors_at_their_key():
    deck = parse_deck('+++\ndeck = "Not A Slug"\ntags = "x"\n  typed = "yes"\ncolour = 1\n+++\n' + BODY, "good-name.md")
    assert not deck.failed and len(deck.cards) == 1
    assert deck.id == "good-name"
    got = {(p.line, p.col, p.severity) for p in deck.problems}
    assert got == {(2, 1, Severity.ERROR), (3, 1, Severity.ERROR), (4, 3, Severity.ERROR), (5, 1, Severity.WARNING)}


def test_missing_deck_key_is_an_error_but_cards_load():
    deck = parse_deck('+++\ntitle = "T"\n+++\n' + BODY, "some-file.md")
    assert deck.id == "some-file" and len(deck.cards) == 1
    assert [(p.line, p.severity) for p in deck.problems] == [(1, Severity.ERROR)]


def test_yaml_front_matter_gets_a_hint():
    deck = parse_deck("---\ndeck: x\n---\n" + BODY, "x.md")
    assert any("YAML" in p.message and p.severity is Severity.WARNING for p in deck.problems)
