"""The suite's own guard against date-dependent tests (tests/clock_guard.py) catches what it should."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import clock_guard
from quizapp.core.clock import FrozenClock, utcnow
from quizapp.core.srs.store import Collection


def test_reading_the_frozen_and_the_real_clock_in_one_test_is_reported_with_where(monkeypatch, tmp_path):
    watch = clock_guard.install(monkeypatch)  # a second watch, inside the autouse one
    frozen = FrozenClock(datetime(2026, 11, 28, 12, tzinfo=timezone.utc))
    with Collection(tmp_path / "c.sqlite3", frozen) as col:
        col.suspend("deck:one")  # stamped by the frozen clock
    assert watch.problem() is None
    with Collection(tmp_path / "c.sqlite3") as col:  # forgot to pass the clock: the bug of 2026-11-29
        col.suspend("deck:two")
    problem = watch.problem()
    assert problem is not None and "store.py" in problem and "pass the frozen clock through" in problem


def test_a_test_that_reads_only_one_clock_passes(monkeypatch):
    watch = clock_guard.install(monkeypatch)
    assert utcnow().tzinfo is timezone.utc
    assert watch.problem() is None


@pytest.mark.real_clock
def test_the_shift_moves_only_the_real_clock(monkeypatch):
    monkeypatch.setattr(clock_guard, "SHIFT", clock_guard.timedelta(days=400))
    clock_guard.install(monkeypatch)
    assert (utcnow() - datetime.now(timezone.utc)).days in (399, 400)
    assert FrozenClock(datetime(2026, 1, 1, tzinfo=timezone.utc))().year == 2026
