"""The parser never raises: random text and mutated seed text always become a deck plus problems."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core.content.loader import load_deck
from quizapp.core.content.parser import parse_deck

SEED_TEXT = (Path(__file__).parents[2] / "fixtures" / "decks" / "relu-vs-leaky-relu-quick-revision.md").read_text(
    encoding="utf-8"
)
# Fragments that exercise every construct and its error paths.
PIECES = [
    "+++", "\n", "\n\n", "|", " | ", "\\|", "{{", "}}", "::", "`", "```", "```drill\n", "~~~", "**Q: ", "Q: ", "A: ",
    "**A:** ", "- [ ] ", "- [x] ", "1. [X] ", "<!-- id: x -->", "<!-- id: bad id -->", "<!--", "-->", "# ", "---",
    "|---|---|", "| Term | Definition |", "| Aspect | A | B |", "deck = ", "\"", "[", "]", "> ", "    ", "\t", "\r",
    "\x00", "\ufeff", "α", "…", "*", "_",
]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_sane(deck) -> None:
    assert not any("internal error" in p.message for p in deck.problems), deck.problems
    for p in deck.problems:
        assert p.line >= 1 and p.col >= 1
    for c in deck.cards:
        assert c.line >= 1 and c.col >= 1 and c.key.startswith(deck.id + ":")
    assert len({c.key for c in deck.cards}) == len(deck.cards)
    if deck.failed:
        assert deck.cards == [] and deck.errors


@SETTINGS
@given(st.text())
def test_random_text(text):
    assert_sane(parse_deck(text, "fuzz.md"))


@SETTINGS
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=60).map("".join))
def test_markdown_soup(text):
    assert_sane(parse_deck(text, "soup.md"))


@SETTINGS
@given(st.data())
def test_mutated_seed(data):
    text = SEED_TEXT
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = data.draw(st.sampled_from(PIECES) | st.text(max_size=4))
        span = data.draw(st.integers(0, 40))
        if op == "insert":
            text = text[:at] + piece + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + span :]
        else:
            text = text[:at] + piece + text[at + span :]
    assert_sane(parse_deck(text, "seed.md"))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_from_disk(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "deck.md"
    path.write_bytes(data)
    assert_sane(load_deck(path))


def test_huge_table_is_fine():
    rows = "".join(f"| term {i} | definition {i} |\n" for i in range(3000))
    deck = parse_deck("| Term | Definition |\n|---|---|\n" + rows, "big.md")
    assert len(deck.cards) == 6000 and deck.problems == []
