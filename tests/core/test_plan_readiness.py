"""Readiness: predicted recall on the interview day, now and if the plan is kept; the daily load."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs import Rating

from quizapp.core.plan.readiness import plan_report

from test_plan_schedule import START, UTC, clock, collection, graduate, make_deck, study_of  # noqa: F401


def test_new_cards_count_zero_and_the_plan_promises_more(collection, clock):
    study = study_of(collection, clock, [make_deck(n=40)], new_per_day=2,
                     interview_date=START.date() + timedelta(days=10))
    report = plan_report(study)
    assert report["recall_now"] == 0.0  # nothing learnt yet
    assert report["recall_planned"] > 80
    assert report["cards"] == report["unseen"] == 40
    assert report["days_left"] == len(report["days"]) == 10
    assert report["today"] == {"reviews": 0, "new": 5, "line": report["today"]["line"]}
    assert report["today"]["line"].startswith("0 reviews + 5 new today; predicted recall on Nov 12: 0% → ")
    assert sum(d["new"] for d in report["days"]) == 40  # every card introduced before the day
    assert all(d["new"] == 0 for d in report["days"][-2:])  # … at least 3 days before it
    recalls = [d["recall"] for d in report["days"]]
    assert recalls[-1] == report["recall_planned"] and recalls[0] < recalls[-1]


def test_learnt_cards_raise_recall_now_and_the_forecast_is_reproducible(collection, clock):
    study = study_of(collection, clock, [make_deck(n=10)], interview_date=START.date() + timedelta(days=10))
    for i in range(5):
        graduate(study, clock, f"d:c{i}")
    first = plan_report(study)
    assert 0 < first["recall_now"] < 50  # 5 of 10 cards, forgotten somewhat by the day
    assert plan_report(study) == first  # seeded: the same collection and moment give the same plan
    assert first["decks"] == [{"id": "d", "title": "D", "cards": 10, "unseen": 5,
                               "recall_now": first["recall_now"], "recall_planned": first["recall_planned"]}]


def test_per_deck_readiness_and_interview_decks(collection, clock):
    decks = [make_deck("a", 4), make_deck("b", 4)]
    study = study_of(collection, clock, decks, interview_date=START.date() + timedelta(days=8),
                     interview_decks=("b",))
    graduate(study, clock, "a:c0")
    report = plan_report(study)
    assert [d["id"] for d in report["decks"]] == ["b"]
    assert report["cards"] == 4 and report["recall_now"] == 0.0  # deck a's card is not the interview's


def test_on_the_day_the_report_says_scheduling_is_normal(collection, clock):
    study = study_of(collection, clock, interview_date=START.date())
    report = plan_report(study)
    assert report["days_left"] == 0 and report["days"] == []
    assert "scheduling is back to normal" in report["today"]["line"]


def test_without_a_date_there_is_no_report(collection, clock):
    with pytest.raises(ValueError, match="no interview date"):
        plan_report(study_of(collection, clock))


def test_a_date_in_the_past_says_scheduling_is_back_to_normal(collection, clock):
    report = plan_report(study_of(collection, clock, interview_date=START.date() - timedelta(days=3)))
    assert report["days_left"] == 0
    assert report["today"]["line"] == "The interview date (Oct 30) has passed: scheduling is back to normal"


def test_todays_plan_counts_only_the_interview_decks(collection, clock):
    decks = [make_deck("a", 4), make_deck("b", 3)]
    every = plan_report(study_of(collection, clock, decks, interview_date=START.date() + timedelta(days=8)))
    only_b = plan_report(study_of(collection, clock, decks, interview_date=START.date() + timedelta(days=8),
                                  interview_decks=("b",)))
    assert (every["today"]["new"], only_b["today"]["new"]) == (7, 3)


def test_a_cap_too_low_for_the_cards_left_is_said(collection, clock):
    study = study_of(collection, clock, [make_deck(n=100)], new_per_day=2, interview_new_cap=5,
                     interview_date=START.date() + timedelta(days=10))
    report = plan_report(study)
    # 5 a day for the 10 days: behind the plan, cards keep coming at the cap until the day before
    assert report["unseen_on_the_day"] == 100 - 5 * 10
    assert report["today"]["line"].endswith("(50 cards still new then: interview_new_cap is too low)")
    assert report["recall_planned"] <= 50  # the 50 never seen count 0
