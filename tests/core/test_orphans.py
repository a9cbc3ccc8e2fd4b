"""Progress that survives editing: rename events in the log, carry-over by front, orphans."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from quizapp.cli import main
from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.content.library import Library
from quizapp.core.content.parser import parse_deck
from quizapp.core.study.orphans import (
    carry_over,
    find_orphans,
    find_renames,
    match_renames,
    open_read_only,
    similarity,
)
from quizapp.core.srs import migrations
from quizapp.core.srs.scheduling import Scheduler, new_card
from quizapp.core.srs.store import Collection, UndoConflict

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SCHED = Scheduler(Config(enable_fuzzing=False))

DECK = """+++
deck = "d"
+++

Q: What is the dying ReLU problem?
A: Units stuck at 0.

Q: Which initialisation suits ReLU?
A: He.

Q: Why does batch norm help training?
A: Smoother loss.

| Term | Definition |
|------|------------|
| ReLU | max(0, z) |

**Q: What does dropout do?** <!-- id: dropout -->
A: Zeroes random units.
"""


@pytest.fixture
def clock():
    return FrozenClock(T0)


@pytest.fixture
def col(tmp_path, clock):
    with Collection(tmp_path / "c.sqlite3", clock) as c:
        yield c


def library(*texts: str) -> Library:
    return Library([parse_deck(t, f"/decks/deck{i}.md") for i, t in enumerate(texts)])


def grade(col: Collection, key: str, rating: Rating = Rating.Good):
    now = col.clock()
    return col.apply_review(key, rating, lambda c: SCHED.review(c or new_card(key, now), rating, now), at=now)


def study_all(col: Collection, lib: Library, clock: FrozenClock) -> None:
    for card in lib.cards:
        grade(col, card.key)
        clock.advance(minutes=1)


def rows(col: Collection) -> list[tuple]:
    return col.connection.execute("SELECT * FROM reviews ORDER BY id").fetchall()


# ---- the store's rename event ------------------------------------------------------------------

def test_rename_moves_the_state_and_history_follows_without_rewriting_rows(col, clock):
    grade(col, "d:qa:old")
    clock.advance(days=1)
    grade(col, "d:qa:old", Rating.Easy)
    before_rows, state = rows(col), col.state("d:qa:old")
    [entry] = col.rename_keys({"d:qa:old": "d:qa:new"})
    assert (entry.kind, entry.card_key, entry.renamed_from) == ("rename", "d:qa:new", "d:qa:old")
    assert rows(col)[: len(before_rows)] == before_rows  # append-only: nothing rewritten
    assert col.state("d:qa:old") is None
    assert col.state("d:qa:new").card.to_dict() == state.card.to_dict()
    assert col.state("d:qa:new").reps == 2
    assert [(e.kind, e.card_key) for e in col.history("d:qa:new")] == [
        ("review", "d:qa:old"), ("review", "d:qa:old"), ("rename", "d:qa:new")]
    assert col.known_keys() == {"d:qa:new"}
    assert col.review_counts_by_key() == {"d:qa:new": 2}
    cached = col.states()
    col.rebuild_state()
    assert col.states() == cached  # the replay understands renames


def test_a_grade_before_a_rename_cannot_be_undone(col):
    entry, _ = grade(col, "d:qa:old")
    col.rename_keys({"d:qa:old": "d:qa:new"})
    with pytest.raises(UndoConflict):
        col.undo(entry.id)
    later, _ = grade(col, "d:qa:new", Rating.Again)
    col.undo(later.id)  # after the rename, undo works as usual
    assert col.state("d:qa:new").reps == 1


def test_rename_refuses_keys_without_history_or_with_their_own(col):
    grade(col, "d:a")
    grade(col, "d:b")
    with pytest.raises(ValueError):
        col.rename_keys({"d:nothing": "d:c"})
    with pytest.raises(ValueError):
        col.rename_keys({"d:a": "d:b"})
    assert [r[2] for r in rows(col)] == ["review", "review"]  # nothing written


def test_renaming_back_and_forth_keeps_one_continuous_history(col, clock):
    grade(col, "d:qa:a")
    col.rename_keys({"d:qa:a": "d:qa:b"})
    clock.advance(days=2)
    grade(col, "d:qa:b")
    col.rename_keys({"d:qa:b": "d:qa:a"})  # the author reverted the edit
    assert col.known_keys() == {"d:qa:a"}
    assert [e.kind for e in col.history("d:qa:a")] == ["review", "rename", "review", "rename"]
    assert col.history("d:qa:b") == []  # its rows now belong to d:qa:a
    assert col.state("d:qa:a").reps == 2
    assert col.review_counts_by_key() == {"d:qa:a": 2}
    cached = col.states()
    col.rebuild_state()
    assert col.states() == cached


def test_a_version_2_collection_upgrades_to_the_rename_schema(tmp_path, clock):
    path = tmp_path / "v2.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrations.apply_migrations(conn, migrations.MIGRATIONS[:2]) == 2
    conn.execute("INSERT INTO reviews (card_key, kind, reviewed_at) VALUES ('d:a', 'quiz', '2026-01-01T00:00:00.000000+00:00')")
    conn.close()
    with Collection(path, clock) as c:
        assert c.schema_version == migrations.LATEST_VERSION >= 3
        assert [(e.card_key, e.renamed_from) for e in c.history()] == [("d:a", None)]
        c.rename_keys({"d:a": "d:b"})
        assert c.known_keys() == {"d:b"}


# ---- carry-over by front -----------------------------------------------------------------------

def test_similarity_takes_characters_or_words():
    assert similarity("what is relu", "what is relu") == 1.0
    assert similarity("what is the dying relu problem", "what is dying relu problem") >= 0.8
    assert similarity("relu vs leaky relu", "leaky relu vs relu") == 1.0  # same words
    assert similarity("what is relu", "why does batch norm help") < 0.8


def test_a_slightly_edited_front_continues_its_history(col, clock):
    lib = library(DECK)
    study_all(col, lib, clock)
    old_key = "d:qa:what is the dying relu problem"
    state = col.state(old_key)
    edited = library(DECK.replace("What is the dying ReLU problem?", "What is the **dying ReLU** problem, exactly?"))
    renames = carry_over(col, edited)
    assert [(r.old_key, r.new_key) for r in renames] == [(old_key, "d:qa:what is the dying relu problem, exactly")]
    assert "continues the history of 'what is the dying relu problem'" in renames[0].note()
    assert renames[0].note().startswith("/decks/deck0.md:5:1: note: card 'What is the **dying ReLU** problem")
    new = col.state(renames[0].new_key)
    assert new.card.to_dict() == state.card.to_dict()
    assert [e.kind for e in col.history(renames[0].new_key)] == ["review", "rename"]
    assert carry_over(col, edited) == []  # done once
    col.known_keys = None  # the decks did not change since: not even the keys are read again
    assert carry_over(col, edited) == []
    del col.known_keys
    assert find_orphans(col, edited) == []


def test_a_rewritten_front_is_a_new_card_and_the_old_history_an_orphan(col, clock):
    lib = library(DECK)
    study_all(col, lib, clock)
    edited = library(DECK.replace("Why does batch norm help training?", "How do residual connections change gradients?"))
    assert carry_over(col, edited) == []
    [orphan] = find_orphans(col, edited)
    assert orphan.key == "d:qa:why does batch norm help training"
    assert (orphan.deck, orphan.reviews, orphan.events) == ("d", 1, 1)
    assert orphan.last_review == T0 + timedelta(minutes=2)
    assert col.state("d:qa:how do residual connections change gradients") is None


def test_a_removed_card_stays_an_orphan_with_its_history(col, clock):
    lib = library(DECK)
    study_all(col, lib, clock)
    removed = library(DECK.replace("Q: Which initialisation suits ReLU?\nA: He.\n", ""))
    assert carry_over(col, removed) == []
    assert [o.key for o in find_orphans(col, removed)] == ["d:qa:which initialisation suits relu"]
    assert col.state("d:qa:which initialisation suits relu") is not None  # never deleted
    assert find_orphans(col, removed, decks={"other"}) == []


def test_explicit_ids_win(col, clock):
    lib = library(DECK)
    study_all(col, lib, clock)
    # Rewording a card with an id changes nothing: its key is the id.
    reworded = library(DECK.replace("What does dropout do?", "What does dropout do at training time?"))
    assert find_renames(col, reworded) == []
    # An orphan keyed by an id is never matched by front.
    gone = library(DECK.replace("<!-- id: dropout -->", "<!-- id: dropout-v2 -->"))
    assert find_renames(col, gone) == []
    assert "d:dropout" in {o.key for o in find_orphans(col, gone)}
    # A card that already has history is never a target, however similar.
    similar = library(DECK.replace("Q: Which initialisation suits ReLU?\nA: He.\n", "")
                      + "\nQ: What is the dying ReLU problem, really?\nA: x\n")
    assert [r.new_key for r in find_renames(col, similar)] == []
    # A card that gets an id by hand takes over its implicit history (same front).
    stamped = library(DECK.replace("Q: Which initialisation suits ReLU?", "Q: Which initialisation suits ReLU? <!-- id: init -->"))
    assert [(r.old_key, r.new_key) for r in find_renames(col, stamped)] == [("d:qa:which initialisation suits relu", "d:init")]


def test_matching_is_one_to_one_best_first_within_deck_and_kind():
    known = {"d:qa:what is relu", "d:qa:what is elu", "d:glossary:relu", "e:qa:what is gelu"}
    lib = library("+++\ndeck = 'd'\n+++\nQ: What is a ReLU\nA: b\n\n"
                  "Q: What is GELU\nA: c\n\n| Term | Def |\n|-|-|\n| ReLUs | x |\n")
    # "what is a relu" is 0.88 like "what is elu" but 0.92 like "what is relu"; "what is gelu" is
    # 0.96 like "what is elu" (and 0.92 like "what is relu", taken by then): best first, one each
    pairs = {(r.old_key, r.new_key) for r in match_renames(known, lib)}
    assert pairs == {("d:qa:what is relu", "d:qa:what is a relu"), ("d:qa:what is elu", "d:qa:what is gelu"),
                     ("d:glossary:relu", "d:glossary:relus")}
    # e's orphan is not matched to d's "What is GELU": decks are separate; nothing in a failed deck
    assert match_renames({"x:qa:a"}, library("+++\ndeck = 'x'\ntitle = [\n+++\nQ: a b\nA: c\n")) == []


def test_a_glossary_term_edit_carries_both_directions(col, clock):
    lib = library(DECK)
    study_all(col, lib, clock)
    edited = library(DECK.replace("| ReLU | max(0, z) |", "| ReLU unit | max(0, z) |"))
    # "relu" vs "relu unit": too different for 0.8, so both become orphans …
    assert find_renames(col, edited) == []
    edited = library(DECK.replace("| ReLU | max(0, z) |", "| ReLUs | max(0, z) |"))
    assert sorted((r.old_key, r.new_key) for r in carry_over(col, edited)) == [
        ("d:glossary:relu", "d:glossary:relus"), ("d:glossary_reverse:relu", "d:glossary_reverse:relus")]


# ---- quizapp check ----------------------------------------------------------------------------

def test_check_reports_continued_history_and_lists_orphans_read_only(tmp_path, capsys, clock):
    deck = tmp_path / "d.md"
    deck.write_text(DECK)
    data = tmp_path / "data"
    with Collection(data / "collection.sqlite3", clock) as c:
        study_all(c, library(DECK), clock)
    deck.write_text(DECK.replace("What is the dying ReLU problem?", "What is the dying ReLU problem, exactly?")
                    .replace("Q: Which initialisation suits ReLU?\nA: He.\n", ""))
    db = data / "collection.sqlite3"
    before = db.read_bytes()
    assert main(["check", str(deck), "--data-dir", str(data), "--orphans"]) == 0
    out = capsys.readouterr().out
    assert f"{deck}:5:1: note: card 'What is the dying ReLU problem, exactly?' continues the history of " \
           "'what is the dying relu problem'" in out
    assert "2 orphans (history kept, in no loaded deck):" in out
    assert "d:qa:which initialisation suits relu  last review 2026-03-01 12:01  1 review" in out
    assert "(continued by" in out
    assert "0 errors, 0 warnings" in out
    assert db.read_bytes() == before  # check never writes the collection
    assert main(["check", str(deck), "--data-dir", str(data), "--json"]) == 0
    import json

    history = json.loads(capsys.readouterr().out)["history"]
    assert history["renames"][0]["new_key"] == "d:qa:what is the dying relu problem, exactly"
    assert main(["check", str(deck), "--data-dir", str(tmp_path / "none"), "--orphans"]) == 0
    assert "no collection at" in capsys.readouterr().out


def test_open_read_only_upgrades_an_old_schema_in_memory(tmp_path):
    path = tmp_path / "v2.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply_migrations(conn, migrations.MIGRATIONS[:2])
    conn.execute("INSERT INTO reviews (card_key, kind, rating, reviewed_at) VALUES ('d:a', 'review', 3, '2026-01-01T00:00:00.000000+00:00')")
    conn.close()
    before = path.read_bytes()
    copy = open_read_only(path)
    assert copy is not None and copy.known_keys() == {"d:a"}
    copy.close()
    assert path.read_bytes() == before
    assert open_read_only(tmp_path / "missing.sqlite3") is None
    (tmp_path / "junk.sqlite3").write_bytes(b"not a database at all" * 100)
    assert open_read_only(tmp_path / "junk.sqlite3") is None


def test_stats_count_carried_reviews_and_no_false_orphans(col, clock):
    from quizapp.core.study.counts import Study

    lib = library(DECK)
    study_all(col, lib, clock)
    edited = library(DECK.replace("What is the dying ReLU problem?", "What is the dying-ReLU problem?"))
    carry_over(col, edited)
    stats = Study(col, edited.decks, Config(enable_fuzzing=False), clock).stats()
    assert stats["orphans"] == 0
    assert stats["totals"]["total_reviews"] == len(lib.cards)


def test_open_read_only_reads_a_current_collection_in_place_without_writing(tmp_path, col, clock):
    """A current-schema collection is read where it is (no copy of a possibly huge file in memory),
    and nothing can be written through it."""
    study_all(col, library(DECK), clock)
    col.close()
    before = col.path.read_bytes()
    reader = open_read_only(col.path, clock)
    assert reader is not None and reader.path == col.path
    assert reader.connection.execute("PRAGMA database_list").fetchone()[2] == str(col.path)  # not :memory:
    assert reader.known_keys() and reader.history()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.suspend(next(iter(reader.known_keys())))
    reader.close()
    assert col.path.read_bytes() == before
