"""Time, injectable. Storage is UTC; a *study day* starts at ``rollover_hour`` local time (Anki's 4 am).

Everything that needs "now" takes a :data:`Clock` (a zero-argument callable returning an aware UTC
datetime) so tests can freeze and advance time with :class:`FrozenClock`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone, tzinfo

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


def as_utc(dt: datetime) -> datetime:
    """``dt`` converted to UTC (``tzinfo is timezone.utc``, as fsrs requires). Naive means UTC."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


class FrozenClock:
    """A clock for tests: returns the same instant until told otherwise.

    >>> clock = FrozenClock(datetime(2024, 5, 1, 12, tzinfo=timezone.utc))
    >>> clock.advance(timedelta(minutes=10)).minute
    10
    """

    def __init__(self, start: datetime | None = None) -> None:
        self.now = as_utc(start) if start is not None else datetime(2024, 5, 1, 12, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward by ``delta`` (or ``timedelta(**kwargs)``); returns the new now."""
        self.now = self.now + (delta if delta is not None else timedelta(**kwargs))
        return self.now

    def set(self, when: datetime) -> datetime:
        self.now = as_utc(when)
        return self.now

    def __repr__(self) -> str:
        return f"FrozenClock({self.now.isoformat()})"


def _local(dt: datetime, tz: tzinfo | None) -> datetime:
    return as_utc(dt).astimezone(tz)  # tz None: the system's local zone


def study_day(dt_utc: datetime, rollover_hour: int = 4, tz: tzinfo | None = None) -> date:
    """The study day ``dt_utc`` belongs to: local date, but before ``rollover_hour`` it is yesterday."""
    local = _local(dt_utc, tz).replace(tzinfo=None)  # wall-clock arithmetic
    return (local - timedelta(hours=rollover_hour)).date()


def study_day_start(day: date, rollover_hour: int = 4, tz: tzinfo | None = None) -> datetime:
    """The UTC instant the study day ``day`` begins (``rollover_hour`` local time on that date)."""
    wall = datetime.combine(day, time(rollover_hour))
    local = wall.replace(tzinfo=tz) if tz is not None else wall.astimezone()  # naive → system zone
    return local.astimezone(timezone.utc)


def next_rollover(dt_utc: datetime, rollover_hour: int = 4, tz: tzinfo | None = None) -> datetime:
    """The UTC instant the study day after the one containing ``dt_utc`` begins."""
    return study_day_start(study_day(dt_utc, rollover_hour, tz) + timedelta(days=1), rollover_hour, tz)
