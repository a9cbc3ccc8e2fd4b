"""Siblings and new-card limits cost no more than the queue they sit on (issue 21): today's graded
keys come from the reviewed_at index, and grading does not re-examine the whole queue."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from fsrs import Rating

from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.srs.store import Collection
from quizapp.core.study.counts import Study

START = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def glossary_deck(rows: int) -> Deck:
    cards = []
    for i in range(rows):
        cards.append(Card(f"g:t{i}", "g", CardKind.GLOSSARY, f"term {i}", f"def {i}", "g.md", i + 1))
        cards.append(Card(f"g:t{i}:reverse", "g", CardKind.GLOSSARY_REVERSE, f"def {i}", f"term {i}", "g.md", i + 1))
    return Deck(id="g", title="G", path=Path("g.md"), cards=cards)


def test_todays_graded_keys_use_the_reviewed_at_index(tmp_path):
    with Collection(tmp_path / "c.sqlite3", FrozenClock(START)) as col:
        col.suspend("x")  # a log row, so the table is not empty
        plans = []
        col.connection.set_trace_callback(plans.append)
        col.keys_reviewed_since(START - timedelta(hours=8))
        col.connection.set_trace_callback(None)
        sql = next(p for p in plans if p.lstrip().upper().startswith("SELECT"))
        plan = " ".join(str(r) for r in col.connection.execute("EXPLAIN QUERY PLAN " + sql).fetchall())
        assert "reviews_reviewed_at" in plan, plan


def test_grading_does_not_rescan_the_queue(tmp_path):
    clock = FrozenClock(START)
    with Collection(tmp_path / "c.sqlite3", clock) as col:
        col.connection.execute("PRAGMA synchronous = OFF")  # test speed only
        study = Study(col, [glossary_deck(2000)], Config(enable_fuzzing=False, new_per_day=10_000,
                                                         deck_new_per_day=10_000), clock, tz=timezone.utc)
        session = study.start_review()
        assert session.remaining == 2000  # one card per row
        calls = 0
        real = study.sibling_of

        def counted(key: str) -> str:
            nonlocal calls
            calls += 1
            return real(key)

        study.sibling_of = counted
        for _ in range(30):
            session.grade(Rating.Easy)
        # one look-up per queued card (the session's note index) plus a few per grade — not 30 × 2000
        assert calls <= 2000 + 30 * 10, calls
