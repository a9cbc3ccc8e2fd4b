"""Cram: reviewing ahead of schedule logs its own events and never changes a card's schedule."""

from __future__ import annotations


from fsrs import Rating

from quizapp.core.plan.cram import cram_keys
from quizapp.core.study.cram import CramSession

from test_plan_schedule import clock, collection, graduate, make_deck, study_of  # noqa: F401


def learnt(collection, clock, n=4):
    deck = make_deck(n=n)
    deck.cards[1] = deck.cards[1]._replace(tags=("attention",))
    study = study_of(collection, clock, [deck])
    for i in range(n - 1):  # d:c{n-1} stays new
        graduate(study, clock, f"d:c{i}")
    return study


def test_cramming_logs_cram_events_and_leaves_the_schedule_alone(collection, clock):
    study = learnt(collection, clock)
    before = collection.states()
    reviews_before = collection.total_reviews()
    session = CramSession(study, ["d:c0", "d:c1"])
    assert session.intervals() == {}
    session.grade(Rating.Good, duration_ms=3000, answer="x")
    session.grade(Rating.Again)
    assert session.current_key == "d:c1"  # Again: once more at the end
    session.grade(Rating.Good)
    assert session.finished
    assert collection.states() == before  # FSRS state, due dates, lapses: untouched
    assert collection.total_reviews() == reviews_before  # not counted as reviews
    kinds = [(e.card_key, e.kind, e.rating) for e in collection.history() if e.kind == "cram"]
    assert kinds == [("d:c0", "cram", Rating.Good), ("d:c1", "cram", Rating.Again), ("d:c1", "cram", Rating.Good)]
    assert session.summary.reviewed == 3 and session.summary.again_keys == ["d:c1"]


def test_undo_cancels_the_last_cram_answer(collection, clock):
    study = learnt(collection, clock)
    session = CramSession(study, ["d:c0", "d:c1"])
    session.grade(Rating.Again)
    assert session.undo().key == "d:c0"
    assert session.remaining == 2 and session.done == 0
    session.grade(Rating.Good)
    assert session.current_key == "d:c1"  # the undone Again no longer sends it back


def test_leaving_early_keeps_what_was_graded(collection, clock):
    study = learnt(collection, clock)
    session = CramSession(study, ["d:c0", "d:c1", "d:c2"])
    session.grade(Rating.Good)
    del session  # the user pressed Esc
    assert [e.card_key for e in collection.history() if e.kind == "cram"] == ["d:c0"]


def test_filters_weakest_failed_tag_all(collection, clock):
    study = learnt(collection, clock)
    clock.advance(days=1)
    CramSession(study, ["d:c2"]).grade(Rating.Again)
    weakest = cram_keys(study, how="weakest")
    assert sorted(weakest) == ["d:c0", "d:c1", "d:c2"]  # reviewed cards only
    from quizapp.core.plan.memory import Curve

    recall = [Curve().card_recall(collection.state(k).card, clock()) for k in weakest]
    assert recall == sorted(recall)
    assert cram_keys(study, how="failed") == ["d:c2"]
    assert cram_keys(study, how="tag", tag="#Attention") == ["d:c1"]
    assert cram_keys(study, how="all", limit=2) == ["d:c0", "d:c1"]
    collection.suspend("d:c0")
    assert "d:c0" not in cram_keys(study, how="all")


def test_a_cram_row_is_not_a_review_anywhere(collection, clock):
    from quizapp.core.study.stats import compute_stats, deck_keys

    study = learnt(collection, clock, n=2)
    stats_before = compute_stats(collection, deck_keys(study.decks), study.config, clock(), study.tz)
    CramSession(study, ["d:c0"]).grade(Rating.Again)
    stats_after = compute_stats(collection, deck_keys(study.decks), study.config, clock(), study.tz)
    assert stats_after == stats_before
    assert collection.rebuild_state() and collection.state("d:c0").lapses == 0


def test_the_browser_history_names_cram_answers(collection, clock):
    from quizapp.core.study.browse import history_lines

    study = learnt(collection, clock, n=2)
    CramSession(study, ["d:c0"]).grade(Rating.Again, duration_ms=4000)
    last = history_lines(collection.history("d:c0"))[-1]
    assert (last.event, last.interval, last.duration, last.detail) == ("cram: Again", "", "4.0s", "")
