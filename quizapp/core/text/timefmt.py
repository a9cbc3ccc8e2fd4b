"""Short human forms of time: intervals as on Anki's grade buttons (<1m, 10m, 3h, 4d, 2.5mo, 1.2y)
and clock readings (m:ss) for timers."""

from __future__ import annotations

from datetime import timedelta


def short_interval(delta: timedelta) -> str:
    seconds = delta.total_seconds()
    if seconds < 60:
        return "<1m"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    months = days / 30.4375
    if months < 12:
        return f"{months:.1f}mo".replace(".0mo", "mo")
    years = days / 365.25
    return f"{years:.1f}y".replace(".0y", "y")


def clock_text(seconds: float, *, up: bool = False) -> str:
    """``m:ss`` (``h:mm:ss`` from an hour). ``up`` rounds up, for a countdown: 0:00 then means
    the time is really up."""
    whole = max(0, int(-(-seconds // 1)) if up else int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
