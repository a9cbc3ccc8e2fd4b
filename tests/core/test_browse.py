"""The card browser's pure logic: rows, search and filter semantics, history lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.core.study.browse import (
    STATES,
    BrowseFilter,
    all_tags,
    build_rows,
    duration_text,
    filter_rows,
    history_lines,
    local_time,
    one_line,
    relative_due,
)
from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.study.counts import Study
from quizapp.core.srs.store import Collection

START = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
UTC = UTC


def card(key, front, back="", deck="d", tags=(), kind=CardKind.QA) -> Card:
    return Card(key=key, deck=deck, kind=kind, front=front, back=back, file=f"{deck}.md", line=1, tags=tags)


CARDS = [
    card("d:relu", "What is **ReLU**?", "max(0, z)", tags=("act",)),
    card("d:leaky", "Leaky ReLU gradient for z ≤ 0?", "alpha", tags=("act", "grad")),
    card("d:he", "He init std?", "sqrt(2/n_in)", tags=("init",)),
    card("e:xavier", "Xavier init std?", "sqrt(2/(n_in+n_out))", deck="e", tags=("init",)),
    card("e:dead", "A dead ReLU outputs?", "0 for every input", deck="e"),
]


@pytest.fixture
def clock():
    return FrozenClock(START)


@pytest.fixture
def collection(tmp_path, clock):
    with Collection(tmp_path / "c.sqlite3", clock) as col:
        yield col


@pytest.fixture
def study(collection, clock):
    decks = [Deck(id=d, title=d.upper(), path=Path(f"{d}.md"), cards=[c for c in CARDS if c.deck == d])
             for d in ("d", "e")]
    return Study(collection, decks, Config(enable_fuzzing=False, leech_threshold=1,
                                           relearning_steps=()), clock, tz=UTC)


def rows_of(study):
    cards = study.cards()
    return build_rows(cards, study.collection.states(c.key for c in cards), study.now(),
                      study.config.leech_threshold)


def keys(rows, **flt):
    return [r.key for r in filter_rows(rows, BrowseFilter(**flt))]


def test_text_search_needs_every_word_in_front_or_back_case_insensitively(study):
    rows = rows_of(study)
    assert keys(rows) == [c.key for c in CARDS]
    assert keys(rows, text="relu") == ["d:relu", "d:leaky", "e:dead"]
    assert keys(rows, text="RELU  gradient") == ["d:leaky"]  # both words, any order
    assert keys(rows, text="every dead") == ["e:dead"]  # one word in the back, one in the front
    assert keys(rows, text="sqrt(2/n_in)") == ["d:he"]  # punctuation is literal text
    assert keys(rows, text="   ") == keys(rows)
    assert keys(rows, text="softmax") == []


def test_tag_and_deck_filters_combine(study):
    rows = rows_of(study)
    assert keys(rows, tag="act") == ["d:relu", "d:leaky"]
    assert keys(rows, tag="init") == ["d:he", "e:xavier"]
    assert keys(rows, tag="init", deck="e") == ["e:xavier"]
    assert keys(rows, deck="e", text="relu") == ["e:dead"]
    assert keys(rows, tag="ac") == []  # tags match exactly
    assert all_tags(CARDS) == ["act", "grad", "init"]


def test_state_filters(study, collection, clock):
    session = study.start_review()
    session.grade(Rating.Good)  # d:relu → learning (first step)
    session.grade(Rating.Easy)  # d:leaky → review
    session.grade(Rating.Easy)  # d:he → review
    collection.suspend("d:he")
    collection.bury("e:xavier", until=clock() + timedelta(hours=5))
    rows = rows_of(study)
    assert keys(rows, state="new") == ["e:xavier", "e:dead"]
    assert keys(rows, state="learning") == ["d:relu"]
    assert keys(rows, state="review") == ["d:leaky", "d:he"]  # the schedule: suspended ones too
    assert keys(rows, state="suspended") == ["d:he"]
    assert keys(rows, state="buried") == ["e:xavier"]
    assert keys(rows, state="relearning") == keys(rows, state="leech") == []
    clock.set(collection.state("d:leaky").due)
    session = study.start_review()
    while session.current_key != "d:leaky":
        session.grade(Rating.Easy)  # d:relu, still in learning, comes first
    graded = session.grade(Rating.Again)  # a lapse, threshold 1: a leech
    assert graded.key == "d:leaky" and graded.leech
    rows = rows_of(study)
    assert keys(rows, state="leech") == ["d:leaky"]
    assert keys(rows, state="suspended") == ["d:leaky", "d:he"]
    leech = next(r for r in rows if r.key == "d:leaky")
    assert leech.status == "leech" and leech.flags() == ["review", "suspended", "leech"]
    assert (leech.lapses, leech.reps) == (1, 2)
    assert keys(rows, state="buried") == []  # the bury ended (5 h later now)
    with pytest.raises(ValueError):
        filter_rows(rows, BrowseFilter(state="lost"))
    assert set(STATES) == {"new", "learning", "review", "relearning", "suspended", "buried", "leech"}


def test_row_status_and_text_helpers(study, clock):
    row = rows_of(study)[0]
    assert (row.status, row.flags(), row.due, row.lapses, row.reps) == ("new", ["new"], None, 0, 0)
    assert one_line("a\n  b\tc", 10) == "a b c"
    assert one_line("abcdefghij", 5) == "abcd…"
    assert one_line("x\x1b[31my", 20) == "x␛[31my"  # a deck cannot send escape sequences
    now = clock()
    assert relative_due(None, now) == "—"
    assert relative_due(now + timedelta(days=4), now) == "in 4d"
    assert relative_due(now - timedelta(hours=3), now) == "now"
    assert relative_due(now - timedelta(days=3), now) == "3d ago"
    assert duration_text(None) == "" and duration_text(4200) == "4.2s" and duration_text(65_000) == "1m 05s"
    assert local_time(START, UTC) == "2024-05-01 12:00"
    assert local_time(START, timezone(timedelta(hours=2))) == "2024-05-01 14:00"


def test_history_lines(study, collection, clock):
    key = "d:relu"
    session = study.start_review()
    session.grade(Rating.Good, duration_ms=3500)  # learning: next in 10 minutes
    clock.advance(minutes=10)
    session = study.start_review()
    session.grade(Rating.Good, duration_ms=61_000)  # graduates
    clock.set(collection.state(key).due)
    session = study.start_review()
    graded = session.grade(Rating.Again, duration_ms=2000)  # a lapse: a leech at threshold 1
    assert graded.leech
    session.undo()
    session.grade(Rating.Hard)
    clock.advance(minutes=1)
    collection.bury(key, until=datetime(2024, 5, 9, 4, 0, tzinfo=UTC))
    collection.reset(key)
    lines = history_lines(collection.history(key), UTC)
    table = [(l.event, l.interval, l.duration, l.detail, l.undone) for l in lines]
    assert table == [
        ("Good", "10m", "3.5s", "", False),
        ("Good", lines[1].interval, "1m 01s", "", False),
        ("Again", lines[2].interval, "2.0s", "lapse 1", True),
        ("suspended", "", "", "leech", True),
        ("undo", "", "", f"undoes {lines[3].when} suspended", False),
        ("undo", "", "", f"undoes {lines[2].when} Again", False),
        ("Hard", lines[6].interval, "", "", False),  # lapse numbering back to before the undo
        ("buried", "", "", "until 2024-05-09 04:00", False),
        ("reset", "", "", "", False),
    ]
    assert lines[1].interval.endswith("d") and lines[0].when == "2024-05-01 12:00"
    assert [l.id for l in lines] == [e.id for e in collection.history(key)]


def test_history_marks_second_lapse_after_undone_one(study, collection, clock):
    key = "d:relu"
    session = study.start_review()
    session.grade(Rating.Easy)
    clock.set(collection.state(key).due)
    session = study.start_review()
    session.grade(Rating.Again)
    session.undo()
    collection.unsuspend(key) if collection.state(key).suspended else None
    session.grade(Rating.Again)
    events = [(l.event, l.detail, l.undone) for l in history_lines(collection.history(key), UTC)]
    assert ("Again", "lapse 1", True) in events and events[-2:] == [("Again", "lapse 1", False),
                                                                     ("suspended", "leech", False)]


def test_history_of_quiz_and_unknown_kinds_is_readable():
    from quizapp.core.srs.records import LogEntry

    entries = [LogEntry(1, "k", "quiz", Rating.Good, START, 1500),
               LogEntry(2, "k", "due", None, START), LogEntry(3, "k", "future-kind", None, START),
               LogEntry(4, "k", "unsuspend", None, START),
               LogEntry(5, "k", "bury", None, START, bury_until=START)]
    lines = history_lines(entries, UTC)
    assert [(l.event, l.duration) for l in lines] == [("quiz: Good", "1.5s"), ("made due", ""),
                                                      ("future-kind", ""), ("unsuspended", ""),
                                                      ("unburied", "")]
