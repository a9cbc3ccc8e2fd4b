"""New-card limits (issue 21, item 3): each deck its own daily limit (config, front matter), the
overall ``new_per_day`` as a cap over all decks, ``+`` to study 10 more today (stored for the day),
and a hook for another cap (a study plan)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.srs.store import Collection
from quizapp.core.study.counts import Study
from quizapp.core.study.new_limits import ALL, DECK, OVERALL, PLAN, new_quota

START = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def make_deck(deck_id: str, n: int, **options) -> Deck:
    cards = [Card(key=f"{deck_id}:c{i}", deck=deck_id, kind=CardKind.QA, front=f"Q{i}?", back=f"A{i}",
                  file=f"{deck_id}.md", line=i + 1) for i in range(n)]
    return Deck(id=deck_id, title=deck_id.upper(), path=Path(f"{deck_id}.md"), cards=cards, options=options)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def collection(tmp_path, clock):
    with Collection(tmp_path / "c.sqlite3", clock) as col:
        yield col


def study_of(collection, clock, decks, **config) -> Study:
    return Study(collection, decks, Config(enable_fuzzing=False, **config), clock, tz=timezone.utc)


def learn(study: Study, deck_id: str | None) -> int:
    session = study.start_review(deck_id)
    started = 0
    while not session.finished:
        if session.current_state is None:
            started += 1
        session.grade(Rating.Easy)
    return started


def test_each_deck_has_its_own_limit(collection, clock):
    study = study_of(collection, clock, [make_deck("a", 30), make_deck("b", 30)])
    per_deck, total = study.deck_counts()
    assert (per_deck["a"].new, per_deck["b"].new, total.new) == (20, 20, 40)
    assert learn(study, "a") == 20
    per_deck, total, quota = study.overview()
    assert (per_deck["a"].new, per_deck["b"].new, total.new) == (0, 20, 20)  # a fresh deck is not starved
    assert quota.held["a"] == 10 and quota.why["a"] == DECK


def test_front_matter_and_config_table_set_a_deck_limit(collection, clock):
    decks = [make_deck("a", 30, new_per_day=5), make_deck("b", 30, new_per_day=5)]
    study = study_of(collection, clock, decks, new_per_deck=(("b", 8),))
    per_deck, _total = study.deck_counts()
    assert (per_deck["a"].new, per_deck["b"].new) == (5, 8)  # the user's config beats the deck's own


def test_the_overall_cap_still_caps_all_decks(collection, clock):
    study = study_of(collection, clock, [make_deck("a", 30), make_deck("b", 30)], new_per_day=25)
    assert study.counts().new == 25
    assert learn(study, "a") == 20
    per_deck, total, quota = study.overview()
    assert (per_deck["b"].new, total.new) == (5, 5)
    assert quota.why["b"] == OVERALL
    assert learn(study, None) == 5
    _per_deck, total, quota = study.overview()
    assert total.new == 0 and quota.held[ALL] == 35 and quota.why[ALL] == OVERALL


def test_plus_on_a_deck_lets_ten_more_in_today_only(collection, clock, tmp_path):
    decks = [make_deck("a", 60), make_deck("b", 5)]
    study = study_of(collection, clock, decks, new_per_day=20)
    assert learn(study, "a") == 20
    assert study.counts("a").new == 0
    study.extend_new_today("a")
    assert study.counts("a").new == 10  # past the overall cap too: + promises ten more
    again = study_of(collection, clock, decks, new_per_day=20)
    assert again.counts("a").new == 10  # stored: a restart keeps today's extension
    assert learn(again, "a") == 10
    clock.advance(timedelta(days=1))
    assert again.counts("a").new == 20  # the next study day: the plain limit, no extension


def test_plus_on_all_decks_goes_past_the_deck_limits(collection, clock):
    study = study_of(collection, clock, [make_deck("a", 25), make_deck("b", 25)], deck_new_per_day=5)
    assert learn(study, None) == 10
    _per_deck, total, quota = study.overview()
    assert total.new == 0 and quota.why[ALL] == DECK
    study.extend_new_today(None)
    assert study.counts().new == 10
    assert learn(study, None) == 10
    assert study.counts().new == 0


def test_another_cap_hooks_in_and_is_named(collection, clock):
    class Planned(Study):
        def extra_new_cap(self) -> int | None:
            return 3

    study = Planned(collection, [make_deck("a", 30)], Config(enable_fuzzing=False), clock, tz=timezone.utc)
    _per_deck, total, quota = study.overview()
    assert total.new == 3 and quota.why["a"] == PLAN
    study.extend_new_today("a")
    assert study.counts("a").new == 13


def test_new_quota_rule():
    quota = new_quota({"a": 30, "b": 4}, {"a": 20, "b": 20}, {"a": 0}, 22, 0)
    assert quota.per_deck == {"a": 20, "b": 4} and quota.all_decks == {"a": 20, "b": 2}
    assert quota.why == {"a": DECK, ALL: OVERALL} and quota.held == {"a": 10, ALL: 12}
    bypass = new_quota({"a": 10}, {"a": 5}, {"a": 5}, 100, 5, bypass=10)
    assert bypass.per_deck == {"a": 10} and bypass.all_decks == {"a": 10}
    used = new_quota({"a": 10}, {"a": 5}, {"a": 12}, 100, 12, bypass=10)
    assert used.all_decks == {"a": 3}


def test_front_matter_new_per_day_is_read_and_checked(tmp_path):
    from quizapp.core.content.loader import load_deck

    good = tmp_path / "good.md"
    good.write_text('+++\ndeck = "good"\nnew_per_day = 7\n+++\n\nQ: a?\nA: b\n', encoding="utf-8")
    deck = load_deck(good)
    assert deck.options["new_per_day"] == 7 and not deck.problems
    bad = tmp_path / "bad.md"
    bad.write_text('+++\ndeck = "bad"\nnew_per_day = "lots"\n+++\n\nQ: a?\nA: b\n', encoding="utf-8")
    deck = load_deck(bad)
    assert "new_per_day" not in deck.options and len(deck.cards) == 1
    assert [(p.line, p.severity) for p in deck.problems] == [(3, "error")]
    assert "new_per_day must be a whole number" in deck.problems[0].message
