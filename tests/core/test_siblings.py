"""Siblings (issue 21, item 2): cards of one note — a glossary row and its reverse, the cells of a
table row, the blanks of one cloze sentence — are buried for the day once one is answered, and
never shown back to back. Burying them writes nothing: their FSRS state is untouched."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from fsrs import Rating

from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.content.loader import load_deck
from quizapp.core.content.siblings import sibling_key
from quizapp.core.srs.store import Collection
from quizapp.core.study.counts import Study
from quizapp.core.study.review import ReviewSession

START = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)

DECK = """+++
deck = "sib"
title = "Siblings"
+++

## Glossary

| Term | Definition |
|------|------------|
| ReLU | max(0, z) |
| GELU | z Φ(z) |

## Compare

| Function | Range | Derivative at 0 |
|----------|-------|-----------------|
| Sigmoid  | (0, 1) | 0.25 |

## Blanks

Leaky ReLU's slope is {{0.01}} for {{negative}} inputs.

**Q: What is a dead neuron?** <!-- id: dead -->
A: One that outputs 0 for every input.
"""


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def deck(tmp_path):
    path = tmp_path / "sib.md"
    path.write_text(DECK, encoding="utf-8")
    return load_deck(path)


@pytest.fixture
def study(tmp_path, deck, clock):
    with Collection(tmp_path / "c.sqlite3", clock) as col:
        yield Study(col, [deck], Config(enable_fuzzing=False), clock, tz=timezone.utc)


def by_front(deck, front: str):
    return next(c for c in deck.cards if c.front.startswith(front))


def test_a_note_is_a_table_row_or_a_cloze_sentence(deck):
    relu, relu_rev = by_front(deck, "ReLU"), by_front(deck, "max(0")
    gelu = by_front(deck, "GELU")
    cells = [c for c in deck.cards if c.front.startswith("Sigmoid")]
    blanks = [c for c in deck.cards if c.kind == "cloze"]
    qa = by_front(deck, "What is a dead")
    assert sibling_key(relu) == sibling_key(relu_rev) != sibling_key(gelu)
    assert len(cells) == 2 and sibling_key(cells[0]) == sibling_key(cells[1])
    assert len(blanks) == 2 and sibling_key(blanks[0]) == sibling_key(blanks[1])
    assert sibling_key(qa) == qa.key
    notes = {sibling_key(c) for c in deck.cards}
    assert len(notes) == 5 and len(deck.cards) == 9


def test_one_card_per_note_a_day_and_siblings_stay_untouched(study, deck, clock):
    assert study.counts().new == 5  # 9 cards, 5 notes
    session = study.start_review()
    shown = []
    while not session.finished:
        shown.append(session.current_key)
        session.grade(Rating.Good)
    notes = [study.sibling_of(k) for k in shown]
    first_pass = list(dict.fromkeys(shown))
    assert len({study.sibling_of(k) for k in first_pass}) == len(first_pass) == 5
    assert all(a != b for a, b in zip(notes, notes[1:]))  # never two of one note back to back
    assert study.counts().new == 0
    siblings = [c.key for c in deck.cards if c.key not in first_pass]
    assert len(siblings) == 4
    for key in siblings:  # not written: no state, no log row
        assert study.collection.state(key) is None and study.collection.history(key) == []
    clock.advance(timedelta(days=1))  # the next study day: the siblings are new cards again
    session = study.start_review()
    assert study.counts().new == 4 and set(session.keys()) >= set(siblings)


def test_undoing_the_grade_brings_the_sibling_back(study, deck):
    session = study.start_review()
    first = session.current_key
    sibling = next(c.key for c in deck.cards if c.key != first and study.sibling_of(c.key) == study.sibling_of(first))
    session.grade(Rating.Good)
    assert sibling not in session.keys()
    session.undo()
    assert session.current_key == first
    # nothing graded today any more: a new session may show the sibling again
    assert study.collection.keys_reviewed_since(START - timedelta(hours=1)) == set()
    assert study.counts().new == 5


def test_never_back_to_back_after_bury_suspend_or_grade(study, deck):
    relu, relu_rev = by_front(deck, "ReLU").key, by_front(deck, "max(0").key
    qa = by_front(deck, "What is a dead").key
    gelu = by_front(deck, "GELU").key
    # a queue holding two siblings (as after a deck edit or learning steps of both)
    session = ReviewSession(study, [relu, relu_rev, qa, gelu], [])
    session.bury()
    assert session.current_key == qa  # not the buried card's reverse
    session.suspend()
    assert session.current_key == relu_rev  # not a sibling of the QA card: it may come now
    session.grade(Rating.Good)
    assert session.current_key == gelu
    session.grade(Rating.Again)  # GELU comes back in a minute; the reverse is in learning too
    # nothing is due yet (learning ahead): GELU is due first, but was just shown — the reverse comes
    assert session.current_key == relu_rev
    session.grade(Rating.Again)
    assert session.current_key == gelu


def test_a_sibling_is_shown_if_nothing_else_is_left(study, deck):
    relu, relu_rev = by_front(deck, "ReLU").key, by_front(deck, "max(0").key
    session = ReviewSession(study, [relu, relu_rev], [])
    session.bury()
    assert session.current_key == relu_rev
