"""Quiz mode: building (distractors, determinism), grading per kind, time limit, summary, store."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.content.loader import load_library
from quizapp.core.content.model import Card, CardKind
from quizapp.core.study.quiz import (
    ItemResult, Quiz, QuizError, QuizItem, QuizKind, available_counts, build_quiz, choice_options,
    quiz_history,
)
from quizapp.core.study.counts import Study
from quizapp.core.srs import migrations
from quizapp.core.srs.store import Collection
from quizapp.core.text.compare import normalize_text

ROOT = Path(__file__).resolve().parents[2]
QUIZ_DECK = ROOT / "tests" / "ui" / "decks" / "quiz.md"
T0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def quiz_decks():
    return [d for d in load_library([QUIZ_DECK]).decks if not d.failed]


@pytest.fixture(scope="module")
def shipped():
    return [d for d in load_library([ROOT / "content"]).decks if not d.failed]


@pytest.fixture
def clock():
    return FrozenClock(T0)


@pytest.fixture
def collection(tmp_path, clock):
    with Collection(tmp_path / "c.sqlite3", clock=clock) as c:
        yield c


def item_of(quiz: Quiz, kind: CardKind) -> QuizItem:
    return next(i for i in quiz.items if i.card.kind is kind)


def right_answer(item: QuizItem):
    if item.kind is QuizKind.CHOICE:
        return sorted(item.correct) if item.multi else min(item.correct)
    if item.kind is QuizKind.GRADIENT:
        from quizapp.core.generators.format import arr

        return {n: arr(item.question.answer[n], sig=10) for n in item.answers}
    if item.kind is QuizKind.DRILL:
        return item.drill.answer
    return item.card.back


def wrong_answer(item: QuizItem):
    if item.kind is QuizKind.CHOICE:
        return min(set(range(len(item.options))) - set(item.correct))
    if item.kind is QuizKind.GRADIENT:  # as many numbers as the answer has, all wrong
        import numpy as np

        from quizapp.core.generators.format import arr

        return {n: arr(np.asarray(item.question.answer[n], dtype=float) * 0 + 12345) for n in item.answers}
    if item.kind is QuizKind.DRILL:
        return "2*z"
    return "definitely not it"


# ---- building ------------------------------------------------------------------------------


def test_same_seed_same_quiz_other_seed_other_quiz(shipped):
    kinds = [QuizKind.CHOICE, QuizKind.TYPED, QuizKind.CLOZE]
    a = build_quiz(shipped, kinds, 15, seed=42)
    b = build_quiz(shipped, kinds, 15, seed=42)
    c = build_quiz(shipped, kinds, 15, seed=43)
    sig = lambda q: [(i.key, i.options, tuple(sorted(i.correct))) for i in q.items]
    assert sig(a) == sig(b)
    assert sig(a) != sig(c)
    assert a.seed == 42


def test_count_and_kinds_are_respected_and_every_kind_is_asked(shipped):
    quiz = build_quiz(shipped, [QuizKind.CHOICE, QuizKind.CLOZE, QuizKind.DRILL], 12, seed=1)
    assert len(quiz.items) == 12
    kinds = {i.kind for i in quiz.items}
    assert kinds == {QuizKind.CHOICE, QuizKind.CLOZE, QuizKind.DRILL}
    assert len({i.key for i in quiz.items}) == 12  # no card twice


def test_count_larger_than_the_pool_takes_everything_once(quiz_decks):
    quiz = build_quiz(quiz_decks, [QuizKind.TYPED, QuizKind.CLOZE], 50, seed=1)
    assert sorted(i.kind for i in quiz.items) == [QuizKind.CLOZE, QuizKind.TYPED]


def test_a_glossary_row_is_asked_in_one_direction_only(quiz_decks):
    quiz = build_quiz(quiz_decks, [QuizKind.CHOICE], 100, seed=3)
    rows = [frozenset((normalize_text(i.card.front), normalize_text(i.card.back)))
            for i in quiz.items if i.card.kind in (CardKind.GLOSSARY, CardKind.GLOSSARY_REVERSE)]
    assert len(rows) == len(set(rows)) == 4


@pytest.mark.parametrize("seed", range(25))
def test_generated_options_never_repeat_the_answer_and_never_duplicate(shipped, seed):
    quiz = build_quiz(shipped, [QuizKind.CHOICE], 30, seed=seed)
    for item in quiz.items:
        norms = [normalize_text(o) for o in item.options]
        assert len(item.options) >= 2
        if item.card.kind is not CardKind.MCQ:  # the author's own options are shown as written
            assert len(norms) == len(set(norms)), item.options
            assert len(item.correct) == 1
            assert item.options[min(item.correct)] == item.card.back
            assert norms.count(normalize_text(item.card.back)) == 1


def test_distractors_come_from_the_same_deck_and_kind(shipped):
    by_deck = {d.id: d for d in shipped}
    quiz = build_quiz(shipped, [QuizKind.CHOICE], 150, seed=5)
    checked = 0
    for item in quiz.items:
        card = item.card
        if card.kind is CardKind.MCQ:
            continue
        same_kind = {c.back for c in by_deck[card.deck].cards if c.kind is card.kind}
        for option in item.options:
            assert option in same_kind, (card.key, option)
        checked += 1
    assert checked > 50


def test_comparison_distractors_prefer_the_same_aspect_of_the_same_table(quiz_decks):
    deck = quiz_decks[0]
    card = next(c for c in deck.cards if c.front == "ReLU — Dead neurons?")
    options = choice_options(card, deck.cards, __import__("random").Random(0))
    assert options == ["Not possible"]  # the aspect has two values: Yes/No style, not other columns
    card = next(c for c in deck.cards if c.front == "Leaky ReLU — Derivative (z ≤ 0)?")
    options = choice_options(card, deck.cards, __import__("random").Random(0))
    assert sorted(options) == sorted(["**0**", "σ(z)(1 − σ(z))"])


def test_glossary_distractors_are_other_definitions_close_in_length():
    def card(term, definition, section="Glossary"):
        return Card(f"d:glossary:{term}", "d", CardKind.GLOSSARY, term, definition, "f.md", 1, section=section)

    target = card("ReLU", "max(0, z), zero for negative inputs")
    deck = [target,
            card("Leaky ReLU", "max(αz, z), small slope for negative inputs"),
            card("ELU", "α(eᶻ − 1) for negative inputs, z otherwise"),
            card("Sigmoid", "1/(1 + e⁻ᶻ)"),
            card("Essay", "A very long definition " * 12),
            card("Other", "A definition in another section", section="Elsewhere"),
            card("Twin", "max(0, z), zero for negative inputs!")]  # the same text after normalising
    import random

    options = choice_options(target, deck, random.Random(1))
    assert len(options) == 3
    assert "max(0, z), zero for negative inputs!" not in options
    assert "A very long definition " * 12 not in options
    assert "A definition in another section" not in options  # the section had enough
    assert options[0] == "max(αz, z), small slope for negative inputs"  # most words in common


def test_available_counts(quiz_decks):
    counts = available_counts(quiz_decks)
    assert counts[QuizKind.TYPED] == counts[QuizKind.CLOZE] == counts[QuizKind.DRILL] == 1
    assert counts[QuizKind.GRADIENT] == 1
    assert counts[QuizKind.CHOICE] == 4 + 4 + 6 + 1


# ---- grading -------------------------------------------------------------------------------


def test_grading_every_kind_right_and_wrong(quiz_decks):
    for kind in QuizKind:
        quiz = build_quiz(quiz_decks, [kind], 1, seed=2)
        item = quiz.current
        result = quiz.answer(right_answer(item))
        assert result.correct, (kind, result)
        assert result.kind is kind
        quiz = build_quiz(quiz_decks, [kind], 1, seed=2)
        result = quiz.answer(wrong_answer(quiz.current))
        assert not result.correct, (kind, result)
        assert result.expected == quiz.items[0].expected
        assert result.expected in result.message or kind is QuizKind.CHOICE and result.message


def test_typed_answers_are_lenient_and_typos_accepted_with_a_note(quiz_decks):
    quiz = build_quiz(quiz_decks, [QuizKind.TYPED], 1, seed=0)
    result = quiz.answer("  .01 ")
    assert result.correct and not result.close
    deck = quiz_decks[0]
    card = Card("q:x", "q", CardKind.QA, "Init for ReLU?", "He initialization", "f", 1)
    quiz = Quiz([QuizItem(card, QuizKind.TYPED, card.front, card.back)])
    result = quiz.answer("He initialisation")
    assert result.correct and result.close and "spelling" in result.message
    assert deck.cards


def test_multiple_choice_accepts_index_numbers_or_text():
    card = Card("q:m", "q", CardKind.MCQ, "Pick", "", "f", 1)
    item = QuizItem(card, QuizKind.CHOICE, "Pick", "b", options=("a", "b", "c"), correct=frozenset({1}))
    assert Quiz([item]).answer(1).correct
    assert Quiz([item]).answer("2").correct
    assert Quiz([item]).answer("B").correct
    assert not Quiz([item]).answer([0, 1]).correct
    with pytest.raises(QuizError):
        Quiz([item]).answer(7)
    many = QuizItem(card, QuizKind.CHOICE, "Pick", "a / c", options=("a", "b", "c"), correct=frozenset({0, 2}))
    assert many.multi
    assert Quiz([many]).answer("1, 3").correct
    assert not Quiz([many]).answer(0).correct


def test_drill_that_cannot_be_read_is_wrong_with_a_reason(quiz_decks):
    quiz = build_quiz(quiz_decks, [QuizKind.DRILL], 1, seed=0)
    result = quiz.answer("1 if z >")
    assert not result.correct
    assert "read" in result.message
    quiz = build_quiz(quiz_decks, [QuizKind.DRILL], 1, seed=0)
    assert quiz.answer("where(z > 0, 1, 0)").correct


def test_gradient_questions_are_fresh_per_seed_and_graded_by_number(quiz_decks):
    a = build_quiz(quiz_decks, [QuizKind.GRADIENT], 1, seed=1).items[0]
    b = build_quiz(quiz_decks, [QuizKind.GRADIENT], 1, seed=1).items[0]
    assert a.question.to_json() == b.question.to_json()
    assert a.answers == ("dz",)
    quiz = build_quiz(quiz_decks, [QuizKind.GRADIENT], 1, seed=1)
    from quizapp.core.generators.format import arr

    assert quiz.answer(arr(quiz.current.question.answer["dz"], sig=10)).correct  # one answer: a string


def test_answers_after_the_end_are_refused(quiz_decks):
    quiz = build_quiz(quiz_decks, [QuizKind.TYPED], 1, seed=0)
    quiz.answer("0.01")
    assert quiz.finished and quiz.current is None
    with pytest.raises(QuizError):
        quiz.answer("0.01")


# ---- time ----------------------------------------------------------------------------------


def test_time_limit_expires_and_ends_the_quiz(quiz_decks):
    quiz = build_quiz(quiz_decks, [QuizKind.CHOICE], 5, seed=0, time_limit=60, now=100.0)
    assert not quiz.expired(159.9)
    assert quiz.remaining(130.0) == 30.0
    quiz.answer(right_answer(quiz.current), now=110.0)
    assert quiz.expired(160.0)
    with pytest.raises(QuizError):
        quiz.answer(right_answer(quiz.current), now=161.0)
    summary = quiz.summary()
    assert summary.timed_out and quiz.finished
    assert summary.seconds == 60.0  # capped at the limit
    assert summary.answered == 1 and summary.correct == 1 and summary.total == 5
    assert len(summary.unanswered) == 4 and summary.missed == []
    assert summary.percent == 20


def test_no_time_limit_never_expires(quiz_decks):
    quiz = build_quiz(quiz_decks, [QuizKind.CHOICE], 2, seed=0, now=0.0)
    assert not quiz.expired(1e9) and quiz.remaining(5.0) is None
    assert quiz.elapsed(42.0) == 42.0
    with pytest.raises(ValueError):
        Quiz([], time_limit=0)


# ---- summary -------------------------------------------------------------------------------


def test_summary_numbers(quiz_decks):
    quiz = build_quiz(quiz_decks, list(QuizKind), 8, seed=4, now=0.0)
    wrong = {0, 3}
    for n in range(len(quiz.items)):
        item = quiz.current
        quiz.answer(wrong_answer(item) if n in wrong else right_answer(item), now=10.0 * (n + 1))
    s = quiz.summary()
    assert (s.total, s.answered, s.correct) == (8, 8, 6)
    assert s.score == 0.75 and s.percent == 75
    assert s.seconds == 80.0 and not s.timed_out
    assert [m.index for m in s.missed] == [0, 3]
    assert all(m.expected == m.item.expected and m.given for m in s.missed)
    assert sum(k.asked for k in s.per_kind.values()) == 8
    assert sum(k.correct for k in s.per_kind.values()) == 6
    assert set(s.per_kind) == {i.kind for i in quiz.items}
    missed_kind = quiz.items[0].kind
    assert s.per_kind[missed_kind].accuracy < 1
    assert list(s.per_kind) == [k for k in QuizKind if k in s.per_kind]  # a stable order


def test_empty_quiz_summary():
    quiz = Quiz([])
    assert quiz.finished and quiz.summary().score == 0 and quiz.summary().percent == 0


# ---- the store -----------------------------------------------------------------------------


def test_quiz_answers_are_logged_and_do_not_change_scheduling(quiz_decks, collection, clock):
    study = Study(collection, quiz_decks, Config(enable_fuzzing=False), clock)
    session = study.start_review("quiz")
    session.grade(Rating.Good)
    before = collection.states()
    counts_before = study.counts()
    quiz = build_quiz(quiz_decks, list(QuizKind), 30, seed=9, collection=collection, clock=clock, now=0.0)
    for n in range(len(quiz.items)):
        clock.advance(seconds=5)
        quiz.answer(right_answer(quiz.current) if n % 2 else wrong_answer(quiz.current), now=5.0 * n)
    assert collection.states() == before
    assert study.counts() == counts_before
    rows = collection.connection.execute(
        "SELECT card_key, rating, answer, duration_ms FROM reviews WHERE kind = 'quiz' ORDER BY id").fetchall()
    assert [r[0] for r in rows] == [i.key for i in quiz.items]
    assert [r[1] for r in rows] == [int(Rating.Good if r.correct else Rating.Again) for r in quiz.results]
    assert all(r[2] for r in rows)
    assert rows[1][3] == 5000
    collection.rebuild_state()
    assert collection.states() == before  # the replay ignores quiz rows too
    assert collection.total_reviews() == 1


def test_review_missed_makes_them_due_now_and_keeps_fsrs_memory(quiz_decks, collection, clock):
    study = Study(collection, quiz_decks, Config(enable_fuzzing=False), clock)
    for _day in range(4):  # everything learned far into the future (siblings on later days)
        session = study.start_review("quiz")
        while not session.finished:
            session.grade(Rating.Easy)
        if not collection.known_keys() >= {c.key for c in study.cards("quiz")}:
            clock.advance(days=1)
    assert collection.known_keys() >= {c.key for c in study.cards("quiz")}
    assert study.counts("quiz").total == 0
    memory = {k: (r.card.stability, r.card.difficulty, r.card.last_review) for k, r in collection.states().items()}
    clock.advance(days=1)
    quiz = build_quiz(quiz_decks, [QuizKind.CHOICE, QuizKind.TYPED], 6, seed=1,
                      collection=collection, clock=clock)
    for n in range(len(quiz.items)):
        quiz.answer(wrong_answer(quiz.current) if n < 2 else right_answer(quiz.current))
    missed = [m.item.key for m in quiz.summary().missed]
    assert len(missed) == 2
    reviews_before = collection.total_reviews()
    assert quiz.review_missed() == missed
    assert quiz.review_missed() == []  # once
    states = collection.states()
    for key in missed:
        assert states[key].due == clock()
        assert (states[key].card.stability, states[key].card.difficulty, states[key].card.last_review) == memory[key]
    assert collection.total_reviews() == reviews_before  # no invented review
    assert study.counts("quiz").total == 2
    due_session = study.start_review("quiz")
    assert {due_session.current_key} <= set(missed)
    after = collection.states()
    collection.rebuild_state()
    assert collection.states() == after  # the log replays to the same state


def test_make_due_now_on_a_new_card_and_undo(collection, clock):
    entry = collection.make_due_now("d:new", clock())
    record = collection.state("d:new")
    assert entry.kind == "due" and record.card is not None and record.due == clock()
    assert record.first_seen is None and record.reps == 0
    collection.undo(entry.id)
    assert collection.state("d:new") is None


def test_make_due_now_keeps_an_earlier_due_and_unburies(collection, clock):
    collection.bury("d:x", clock() + timedelta(days=1))
    collection.make_due_now("d:x")
    assert collection.state("d:x").buried_until is None


def test_quiz_results_are_stored_and_listed_newest_first(quiz_decks, collection, clock):
    for seed in (1, 2):
        quiz = build_quiz(quiz_decks, [QuizKind.CHOICE], 3, seed=seed, collection=collection, clock=clock,
                          time_limit=120, now=0.0)
        for n in range(3):
            clock.advance(seconds=10)
            quiz.answer(right_answer(quiz.current) if n else wrong_answer(quiz.current), now=10.0 * (n + 1))
        assert quiz.record_id is not None
        clock.advance(minutes=5)
    history = quiz_history(collection)
    assert [h.id for h in history] == [2, 1]
    newest = history[0]
    assert (newest.total, newest.correct, newest.percent) == (3, 2, 67)
    assert newest.decks == ["quiz"] and newest.kinds == ["choice"]
    assert newest.seconds == 30.0 and newest.time_limit_s == 120
    assert newest.detail["seed"] == 2 and len(newest.detail["missed"]) == 1
    assert newest.detail["per_kind"] == {"choice": [2, 3]}
    assert newest.finished_at > newest.started_at
    assert len(quiz_history(collection, limit=1)) == 1


def test_finishing_twice_stores_once(quiz_decks, collection, clock):
    quiz = build_quiz(quiz_decks, [QuizKind.TYPED], 1, seed=0, collection=collection, clock=clock)
    quiz.finish(5.0)
    quiz.finish(6.0)
    assert len(quiz_history(collection)) == 1
    assert quiz_history(collection)[0].detail["answered"] == 0


def test_a_version_1_collection_upgrades_to_version_2(tmp_path, clock):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrations.apply_migrations(conn, migrations.MIGRATIONS[:1]) == 1
    conn.execute("INSERT INTO reviews (card_key, kind, reviewed_at) VALUES ('d:a', 'quiz', '2026-01-01T00:00:00.000000+00:00')")
    conn.close()
    with Collection(path, clock=clock) as c:
        assert c.schema_version == migrations.LATEST_VERSION >= 2
        assert [e.card_key for e in c.history()] == ["d:a"]  # the log survived
        assert c.quiz_results() == []
        c.add_quiz_result({"started_at": T0, "finished_at": T0, "decks": ["d"], "kinds": ["choice"],
                           "total": 1, "correct": 1, "seconds": 3})
        assert c.quiz_results()[0]["total"] == 1


def test_item_result_is_plain_data():
    r = ItemResult(True, "a", "a", "Correct")
    assert r.kind is QuizKind.TYPED and not r.close
