"""Statistics from a synthetic review log whose answers were worked out by hand (see the timeline).

Times are UTC, the study day rolls over at 4 am UTC (``tz=UTC``), and "today" is Saturday
2026-11-28 (D0). Every review is written through the Collection API with a hand-made fsrs card as
its ``state_after``, so states and stabilities are exactly what the timeline says.

    day    date        reviews (key: rating -> state stability)                    retention
    D-200  05-12       h: Good -> Review 3                                         (first)
    D-199  05-13       h: Good -> Review 9                                         pass, too old
    D-40…  10-19…10-22 g0…g3: Good -> Review 7, 21, 90, 1 (one a day)              (first)
    D-10   11-18       a: Good -> Learning 0.5; a: Good -> Review 3; b: Good -> Review 2
    D-7    11-21       a: Good -> Review 8                                         pass
    D-4    11-24       e: Good -> Review 2, then e reset; f: Good -> Review 4, f suspended
    D-2    11-26       b: Again -> Relearning 0.8                                  fail
                       b: Good -> Review 6.5 (was Relearning)
    D-1    11-27       a: Hard -> Review 25; c: Good -> Review 50 (first)          pass
           11-28 02:00 c: Easy -> Review 120 (before 4 am: still D-1)              pass
    D0     11-28       a: Again (60 s) — then undone                               (ignored)
                       b: Good (4 s) -> Review 6.5                                 pass
                       c: Again -> Relearning 95                                   fail
                       d, i, j: first reviews; e: Good after its reset (new)       (learning)

Every review takes 10 s unless said otherwise; one practice answer (``quiz``) is logged too.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import fsrs
import pytest
from fsrs import Rating, State

from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.srs.store import Collection
from quizapp.core.study.stats import HeatScale, compute_stats, stability_bucket, streaks

UTC = timezone.utc
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 28)
CONFIG = Config(day_rollover_hour=4)
DECKS = {
    "one": ["a", "b", "c", "d", "e", "f", "n1"],
    "two": ["g0", "g1", "g2", "g3", "i", "j", "n2", "a"],  # a is in both decks
}


def at(days: int, hour: int = 10, minute: int = 0) -> datetime:
    """``days`` after D0 (negative: before) at hour:minute UTC."""
    return datetime(2026, 11, 28, hour, minute, tzinfo=UTC) + timedelta(days=days)


def card(state: State, stability: float, due: datetime) -> fsrs.Card:
    return fsrs.Card(card_id=1, state=state, step=0 if state != State.Review else None,
                     stability=stability, difficulty=5.0, due=due, last_review=due - timedelta(days=1))


@pytest.fixture
def log(tmp_path):
    clock = FrozenClock(at(-200))
    col = Collection(tmp_path / "collection.sqlite3", clock=clock)

    def review(when: datetime, key: str, rating: Rating, state: State, stability: float,
               due: datetime, ms: int = 10_000):
        clock.set(when)
        return col.log_review(key, rating, card(state, stability, due), duration_ms=ms)

    review(at(-200), "h", Rating.Good, State.Review, 3, at(-197))
    review(at(-199), "h", Rating.Good, State.Review, 9, at(-150))
    for n, stability in enumerate((7, 21, 90, 1)):
        due = NOW + timedelta(days=45) if n == 3 else at(-30)
        review(at(-40 + n), f"g{n}", Rating.Good, State.Review, stability, due)
    review(at(-10), "a", Rating.Good, State.Learning, 0.5, at(-10, 10, 10))
    review(at(-10, 10, 10), "a", Rating.Good, State.Review, 3, at(-7))
    review(at(-10, 10, 20), "b", Rating.Good, State.Review, 2, at(-8))
    review(at(-7), "a", Rating.Good, State.Review, 8, at(1))
    review(at(-4), "e", Rating.Good, State.Review, 2, at(-2))
    clock.set(at(-4, 11))
    col.reset("e")
    review(at(-4, 12), "f", Rating.Good, State.Review, 4, at(2))
    clock.set(at(-4, 13))
    col.suspend("f")
    review(at(-2), "b", Rating.Again, State.Relearning, 0.8, at(-2, 10, 10))
    review(at(-2, 10, 10), "b", Rating.Good, State.Review, 6.5, at(-1))
    review(at(-1), "a", Rating.Hard, State.Review, 25, datetime(2026, 12, 18, 10, tzinfo=UTC))
    review(at(-1, 11), "c", Rating.Good, State.Review, 50, at(0, 2, 30))
    review(at(0, 2), "c", Rating.Easy, State.Review, 120, at(100))  # 02:00 on D0 is still D-1
    wrong = review(at(0, 9), "a", Rating.Again, State.Relearning, 5, at(0, 9, 10), ms=60_000)
    clock.set(at(0, 9, 1))
    col.undo(wrong.id)
    review(at(0, 9, 5), "b", Rating.Good, State.Review, 6.5, at(25), ms=4_000)
    review(at(0, 9, 10), "c", Rating.Again, State.Relearning, 95, NOW + timedelta(minutes=10))
    review(at(0, 9, 20), "d", Rating.Again, State.Learning, 0.3, NOW + timedelta(minutes=1))
    review(at(0, 9, 30), "e", Rating.Good, State.Learning, 0.5, NOW + timedelta(minutes=10))
    review(at(0, 9, 40), "i", Rating.Good, State.Review, 1.2, datetime(2026, 11, 29, 3, tzinfo=UTC))
    review(at(0, 9, 50), "j", Rating.Good, State.Review, 1.2, datetime(2026, 11, 29, 5, tzinfo=UTC))
    clock.set(at(0, 10))
    col.log_quiz("a", rating=Rating.Again, duration_ms=30_000)
    clock.set(NOW)
    yield col
    col.close()


@pytest.fixture
def stats(log):
    return compute_stats(log, DECKS, CONFIG, NOW, tz=UTC)


def test_result_is_plain_json(stats):
    assert json.loads(json.dumps(stats)) == stats
    assert set(stats) == {"study_day", "heatmap", "forecast", "retention", "mastery", "streak",
                          "streak_longest", "time"}
    assert stats["study_day"] == "2026-11-28"


def test_heatmap_counts_reviews_in_effect_per_study_day(stats):
    days = stats["heatmap"]
    assert len(days) == 182
    assert days[0]["date"] == "2026-05-31" and days[-1]["date"] == "2026-11-28"
    nonzero = {d["date"]: d["reviews"] for d in days if d["reviews"]}
    assert nonzero == {
        "2026-10-19": 1, "2026-10-20": 1, "2026-10-21": 1, "2026-10-22": 1,
        "2026-11-18": 3, "2026-11-21": 1, "2026-11-24": 2, "2026-11-26": 2,
        "2026-11-27": 3,  # a Hard, c Good, and c Easy at 02:00 on the 28th (before the rollover)
        "2026-11-28": 6,  # b, c, d, e, i, j — a's Again was undone, the quiz answer is no review
    }
    # non-zero counts sorted: 1 1 1 1 1 2 2 3 3 6 → nearest-rank q1 = 1, median = 1, q3 = 3, top 6
    levels = {d["date"]: d["level"] for d in days if d["reviews"]}
    assert levels["2026-10-19"] == 1 and levels["2026-11-21"] == 1
    assert levels["2026-11-24"] == 3 and levels["2026-11-18"] == 3
    assert levels["2026-11-28"] == 4
    assert all(d["level"] == 0 for d in days if not d["reviews"])


def test_heat_scale_levels():
    scale = HeatScale.of([0, 1, 2, 3, 4, 0])
    assert scale.thresholds == (1, 2, 3) and scale.top == 4
    assert [scale.level(n) for n in range(6)] == [0, 1, 2, 3, 4, 4]
    same = HeatScale.of([5, 5, 5])
    assert [same.level(n) for n in (0, 1, 5)] == [0, 1, 4]  # the busiest day is always the darkest
    assert HeatScale.of([0, 0]).level(0) == 0 and HeatScale.of([]).ranges() == [(0, 0, 0)]
    assert HeatScale.of([1, 2, 3, 4]).ranges() == [(0, 0, 0), (1, 1, 1), (2, 2, 2), (3, 3, 3), (4, 4, 4)]


def test_forecast_counts_due_cards_per_day_with_overdue_today(stats):
    forecast = stats["forecast"]
    assert len(forecast) == 30
    assert forecast[0]["date"] == "2026-11-28" and forecast[-1]["date"] == "2026-12-27"
    due = {i: d["due"] for i, d in enumerate(forecast) if d["due"]}
    # today: g0 g1 g2 (overdue), c d e (learning, due in minutes), i (03:00 tomorrow is still today);
    # j tomorrow; a on 12-18; b in 25 days; f is suspended; g3 is beyond 30 days; h is in no deck
    assert due == {0: 7, 1: 1, 20: 1, 25: 1}


def test_true_retention_by_day_week_month(stats):
    r = stats["retention"]
    assert r["today"] == {"passed": 1, "failed": 1, "reviews": 2, "rate": 0.5}
    assert r["yesterday"] == {"passed": 2, "failed": 0, "reviews": 2, "rate": 1.0}
    assert r["week"] == {"passed": 3, "failed": 2, "reviews": 5, "rate": 0.6}
    assert r["month"] == {"passed": 4, "failed": 2, "reviews": 6, "rate": 0.6667}


def test_retention_without_reviews_is_none(tmp_path):
    with Collection(tmp_path / "c.sqlite3", clock=FrozenClock(NOW)) as col:
        s = compute_stats(col, {}, CONFIG, NOW, tz=UTC)
    assert s["retention"]["month"] == {"passed": 0, "failed": 0, "reviews": 0, "rate": None}
    assert s["streak"] == s["streak_longest"] == 0
    assert sum(d["reviews"] for d in s["heatmap"]) == 0
    assert s["mastery"] == {"decks": [], "totals": {"cards": 0, "new": 0, "under_1d": 0, "1_7d": 0,
                                                    "7_21d": 0, "21_90d": 0, "over_90d": 0, "mature": 0}}


def test_mastery_buckets_per_deck(stats):
    one, two = stats["mastery"]["decks"]
    # one: a 25 (the undone lapse does not count), b 6.5, c 95, d 0.3, e 0.5, f 4 (suspended), n1 new
    assert one == {"id": "one", "cards": 7, "new": 1, "under_1d": 2, "1_7d": 2, "7_21d": 0,
                   "21_90d": 1, "over_90d": 1, "mature": 2}
    # two: g0 7, g1 21, g2 90, g3 1 (bounds go up: 7 is 7–21d, 90 is >90d), i and j 1.2, n2 new, a 25
    assert two == {"id": "two", "cards": 8, "new": 1, "under_1d": 0, "1_7d": 3, "7_21d": 1,
                   "21_90d": 2, "over_90d": 1, "mature": 3}
    # the union has 14 different cards (a once)
    assert stats["mastery"]["totals"] == {"cards": 14, "new": 2, "under_1d": 2, "1_7d": 5, "7_21d": 1,
                                          "21_90d": 2, "over_90d": 2, "mature": 4}
    assert stability_bucket(None) == "new"


def test_streaks_and_time(stats, log):
    # study days: 05-12 05-13, 10-19…10-22 (4 in a row), 11-18, 11-21, 11-24, 11-26 11-27 11-28
    assert (stats["streak"], stats["streak_longest"]) == (3, 4)
    assert stats["time"] == {
        "today_seconds": 54.0,  # b 4 s + c d e i j 10 s each; the undone 60 s and the quiz are out
        "week_seconds": 124.0,  # + 11-24 (20 s) + 11-26 (20 s) + 11-27 (30 s)
        "total_seconds": 224.0,  # 23 reviews in effect: 22 × 10 s + 4 s
        "reviews_today": 6,
        "reviews_week": 13,
        "reviews_total": 23,
        "days_studied": 12,
    }
    # the store's own counters agree
    assert log.total_reviews() == 23 and log.time_spent_seconds() == 224.0
    assert log.streak(NOW, 4, UTC) == 3


def test_streak_survives_until_you_study_today():
    days = [date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 1)]
    assert streaks(days, date(2026, 11, 28)) == (3, 3)
    assert streaks(days, date(2026, 11, 29)) == (3, 3)  # nothing yet today: yesterday's run stands
    assert streaks(days, date(2026, 11, 30)) == (0, 3)
    assert streaks([], date(2026, 11, 30)) == (0, 0)


def test_next_day_moves_the_windows(log):
    tomorrow = NOW + timedelta(days=1)
    s = compute_stats(log, DECKS, CONFIG, tomorrow, tz=UTC)
    assert s["study_day"] == "2026-11-29"
    assert s["heatmap"][-1] == {"date": "2026-11-29", "reviews": 0, "level": 0}
    assert s["heatmap"][-2]["reviews"] == 6
    assert s["retention"]["today"]["reviews"] == 0
    assert s["retention"]["yesterday"] == {"passed": 1, "failed": 1, "reviews": 2, "rate": 0.5}
    assert s["streak"] == 3 and s["time"]["reviews_today"] == 0
    # everything due today or overdue is now due "today" (29th): g0 g1 g2 c d e i j
    assert s["forecast"][0]["due"] == 8


def test_time_zone_and_rollover_are_injectable(log):
    plus15 = timezone(timedelta(hours=15))
    s = compute_stats(log, DECKS, CONFIG, NOW, tz=plus15)
    # NOW is 03:00 on the 29th local, before the 4 am rollover: study day 11-28 local. The D0
    # reviews (09:00–09:50 UTC) are 00:00–00:50 on the 29th local → study day 11-28 as well,
    # and c's 02:00 UTC review is 17:00 on the 28th local → 11-28; D-1's 10:00/11:00 UTC reviews
    # are 01:00/02:00 on the 28th local → before the rollover → study day 11-27.
    assert s["study_day"] == "2026-11-28"
    per_day = {d["date"]: d["reviews"] for d in s["heatmap"] if d["reviews"]}
    assert per_day["2026-11-28"] == 7 and per_day["2026-11-27"] == 2
    midnight = compute_stats(log, DECKS, Config(day_rollover_hour=0), NOW, tz=UTC)
    per_day = {d["date"]: d["reviews"] for d in midnight["heatmap"] if d["reviews"]}
    assert per_day["2026-11-27"] == 2 and per_day["2026-11-28"] == 7  # 02:00 is the 28th now


def test_cli_stats_json_adds_the_figures(tmp_path, capsys):
    from quizapp.cli import main

    data = tmp_path / "data"
    assert main(["stats", "--json", "--data-dir", str(data)]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("version", "decks", "totals", "streak", "reviews_today"):
        assert key in out  # the existing keys stay
    assert len(out["heatmap"]) == 182 and len(out["forecast"]) == 30
    assert set(out["retention"]) == {"today", "yesterday", "week", "month"}
    assert [d["id"] for d in out["mastery"]["decks"]] == [d["id"] for d in out["decks"]]
    assert out["mastery"]["totals"]["new"] == out["totals"]["cards"]
    assert out["streak_longest"] == 0 and out["time"]["reviews_total"] == 0


def test_made_due_cards_keep_their_state_for_retention(tmp_path):
    clock = FrozenClock(at(-3))
    with Collection(tmp_path / "c.sqlite3", clock=clock) as col:
        col.log_review("r", Rating.Good, card(State.Review, 10, at(7)), duration_ms=1000)
        col.make_due_now("r", at=at(-1))  # missed in a quiz: due now, still a Review card
        col.make_due_now("n", at=at(-1))  # never reviewed: a fresh learning card
        clock.set(at(-1, 11))
        col.log_review("r", Rating.Good, card(State.Review, 20, at(19)), duration_ms=1000)
        col.log_review("n", Rating.Good, card(State.Learning, 0.5, at(-1, 11, 10)), duration_ms=1000)
        s = compute_stats(col, {"x": ["r", "n"]}, CONFIG, NOW, tz=UTC)
    assert s["retention"]["yesterday"] == {"passed": 1, "failed": 0, "reviews": 1, "rate": 1.0}
    assert s["time"]["reviews_total"] == 3  # "due" events are not reviews


def test_a_reworded_card_keeps_its_state_for_retention(tmp_path):
    """After a rename (the card's front was reworded), its next review is still a review of a Review
    card: it counts for true retention like any other."""
    clock = FrozenClock(at(-3))
    with Collection(tmp_path / "c.sqlite3", clock=clock) as col:
        col.log_review("old", Rating.Good, card(State.Review, 10, at(-1)), duration_ms=1000)
        col.rename_keys({"old": "new"}, at=at(-2))
        clock.set(at(-1, 11))
        col.log_review("new", Rating.Again, card(State.Relearning, 2, at(-1, 11, 10)), duration_ms=1000)
        s = compute_stats(col, {"x": ["new"]}, CONFIG, NOW, tz=UTC)
    assert s["retention"]["yesterday"] == {"passed": 0, "failed": 1, "reviews": 1, "rate": 0.0}
    assert s["time"]["reviews_total"] == 2  # the rename is not a review
