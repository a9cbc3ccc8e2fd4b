"""One clock per test: a test that reads a frozen clock may not also read the real one.

The suite once failed on every day after the one a test was written, because the test froze time for
the reviews it wrote but built the app with the real clock. This guard (an autouse fixture in
``tests/conftest.py``) makes that mistake fail on the day it is written instead: while a test runs,
reads of :class:`~quizapp.core.clock.FrozenClock` and of the real clock
(:func:`quizapp.core.clock.utcnow`, the project's only source of "now") are counted, and a test that
did both fails with the place the real clock was read. A test that needs both on purpose says so
with ``@pytest.mark.real_clock``.

``QUIZAPP_TEST_SHIFT_DAYS=N`` moves the real clock (as the app reads it) N days, to try the suite on
another date without libfaketime; CI also runs date-sensitive tests under a shifted date.
"""

from __future__ import annotations

import os
import threading
import traceback
from datetime import datetime, timedelta

from quizapp.core import clock as clock_module
from quizapp.core.clock import FrozenClock

SHIFT = timedelta(days=int(os.environ.get("QUIZAPP_TEST_SHIFT_DAYS", "0") or 0))


class ClockWatch:
    """Counts what one test read; thread-safe (workers read clocks too)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.frozen_reads = 0
        self.first_real_read: str | None = None

    def frozen(self) -> None:
        with self.lock:
            self.frozen_reads += 1

    def real(self) -> None:
        with self.lock:
            if self.first_real_read is None:
                self.first_real_read = "".join(traceback.format_stack(limit=12)[:-2])

    def problem(self) -> str | None:
        if self.frozen_reads and self.first_real_read is not None:
            return ("this test froze time (FrozenClock was read) but code under test also read the real "
                    "clock — pass the frozen clock through. The real clock was first read here:\n"
                    + self.first_real_read)
        return None


def watched_datetime(watch: ClockWatch) -> type[datetime]:
    class WatchedDatetime(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            watch.real()
            return datetime.now(tz) + SHIFT

    return WatchedDatetime


def watched_frozen_call(watch: ClockWatch):
    original = FrozenClock.__call__

    def call(self: FrozenClock) -> datetime:
        watch.frozen()
        return original(self)

    return call


def install(monkeypatch) -> ClockWatch:
    watch = ClockWatch()
    monkeypatch.setattr(clock_module, "datetime", watched_datetime(watch))
    monkeypatch.setattr(FrozenClock, "__call__", watched_frozen_call(watch))
    return watch
