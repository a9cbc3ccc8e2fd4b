"""Statistics over the review log: calendar heatmap, due forecast, true retention, mastery, streaks.

Everything is computed from the append-only log (and, for the forecast and mastery, the cached card
states), with these rules:

* only ``review`` rows count, and a review cancelled by an ``undo`` row does not count at all;
* days are *study days* — local dates that start at ``day_rollover_hour`` (see :mod:`.clock`);
* **true retention** follows Anki: among reviews of cards that were in the *Review* state before that
  review (the previous review's ``state_after`` of the same card; a card's first review, or its first
  after a ``reset``, is a learning review), the share graded Hard/Good/Easy rather than Again.

:func:`compute_stats` returns plain JSON-able data (the extra keys of ``quizapp stats --json``,
documented in ``docs/cli.md``). No Textual or Rich here: the Statistics screen renders this dict.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from fsrs import Rating, State

from quizapp.core.clock import as_utc, study_day
from quizapp.core.config import Config
from quizapp.core.srs.records import CardRecord, LogEntry
from quizapp.core.srs.store import Collection

HEATMAP_DAYS = 182  # 26 weeks, ending today
FORECAST_DAYS = 30  # today and the 29 days after it
#: (key, lower bound in days inclusive, upper bound exclusive or None) — stability of a card
STABILITY_BUCKETS: tuple[tuple[str, float, float | None], ...] = (
    ("under_1d", 0, 1),
    ("1_7d", 1, 7),
    ("7_21d", 7, 21),
    ("21_90d", 21, 90),
    ("over_90d", 90, None),
)
MASTERY_KEYS: tuple[str, ...] = ("new", *(b[0] for b in STABILITY_BUCKETS))
#: retention windows: key → (oldest day, newest day), as days back from today
RETENTION_WINDOWS: dict[str, tuple[int, int]] = {
    "today": (0, 0),
    "yesterday": (1, 1),
    "week": (6, 0),
    "month": (29, 0),
}


@dataclass(frozen=True, slots=True)
class ReviewFact:
    """One review in effect, with the card's fsrs state just before it (None: new)."""

    key: str
    rating: Rating
    at: datetime
    duration_ms: int
    state_before: State | None


def effective_reviews(entries: Iterable[LogEntry]) -> list[ReviewFact]:
    """Reviews in effect, in log order, each with the state its card was in before it.

    Undone events (and the ``undo`` rows themselves) are dropped first: the store only lets the latest
    event in effect of a card be undone, so what remains is the card's real history. A ``reset`` makes
    the card new again, a ``due`` event sets the state it carries, a ``rename`` moves the state of
    ``renamed_from`` to the new key (so the first review after a rewording counts as the review it
    is); other kinds (whose ``state_after`` is the card *before* them) do not change its fsrs state.
    """
    entries = sorted(entries, key=lambda e: e.id)  # history() is in id order already: cheap
    undone = {e.undoes for e in entries if e.kind == "undo" and e.undoes is not None}
    state: dict[str, State | None] = {}
    out: list[ReviewFact] = []
    for e in entries:
        if e.kind == "undo" or e.id in undone:
            continue
        if e.kind == "review" and e.rating is not None:
            out.append(ReviewFact(e.card_key, Rating(e.rating), as_utc(e.reviewed_at), e.duration_ms or 0,
                                  state.get(e.card_key)))
            state[e.card_key] = e.state_after.state if e.state_after is not None else None
        elif e.kind == "reset":
            state[e.card_key] = None
        elif e.kind == "due" and e.state_after is not None:  # made due now: same state, or learning
            state[e.card_key] = e.state_after.state
        elif e.kind == "rename" and e.renamed_from is not None:  # a reworded card keeps its state
            state[e.card_key] = state.pop(e.renamed_from, None)
    return out


# ---- heatmap colour scale --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeatScale:
    """Colour levels 0–4 for review counts: 0 for none, then the quartiles of the non-zero days.

    ``thresholds`` are the nearest-rank 25th, 50th and 75th percentiles of the non-zero counts;
    ``n ≤ q1`` → 1, ``≤ q2`` → 2, ``≤ q3`` → 3, above → 4, and the busiest day is always 4.
    """

    thresholds: tuple[int, int, int] = (0, 0, 0)
    top: int = 0

    @classmethod
    def of(cls, counts: Iterable[int]) -> HeatScale:
        values = sorted(c for c in counts if c > 0)
        if not values:
            return cls()

        def rank(p: float) -> int:
            return values[max(0, math.ceil(p * len(values)) - 1)]

        return cls((rank(0.25), rank(0.5), rank(0.75)), values[-1])

    def level(self, n: int) -> int:
        if n <= 0:
            return 0
        if n >= self.top:
            return 4
        q1, q2, q3 = self.thresholds
        return 1 if n <= q1 else 2 if n <= q2 else 3 if n <= q3 else 4

    def ranges(self) -> list[tuple[int, int, int]]:
        """(level, lowest, highest count) of each level in use, level 0 (``0, 0``) first."""
        out = [(0, 0, 0)]
        if not self.top:
            return out
        q1, q2, q3 = self.thresholds
        for level, low, high in ((1, 1, q1), (2, q1 + 1, q2), (3, q2 + 1, q3), (4, q3 + 1, self.top)):
            high = min(high, self.top - 1) if level < 4 else self.top
            if level == 4:
                low = min(low, self.top)
            if low <= high:
                out.append((level, low, high))
        return out


# ---- the figures -------------------------------------------------------------------------------


def _day(dt: datetime, config: Config, tz: tzinfo | None) -> date:
    return study_day(dt, config.day_rollover_hour, tz)


class _DayOf:
    """``study_day`` memoised on the UTC quarter-hour: UTC offsets and DST switches are whole
    quarter-hours and the rollover a whole local hour, so every instant of a quarter-hour shares a
    study day (a log of 50 000 reviews then needs a few thousand zone conversions, not 50 000)."""

    def __init__(self, config: Config, tz: tzinfo | None) -> None:
        self.rollover, self.tz = config.day_rollover_hour, tz
        self.cache: dict[datetime, date] = {}

    def __call__(self, dt: datetime) -> date:
        key = dt.replace(minute=dt.minute - dt.minute % 15, second=0, microsecond=0)
        day = self.cache.get(key)
        if day is None:
            day = self.cache[key] = study_day(key, self.rollover, self.tz)
        return day


def heatmap(per_day: Mapping[date, int], today: date, days: int = HEATMAP_DAYS) -> list[dict]:
    """``[{date, reviews, level}]`` for the ``days`` study days ending ``today``, oldest first."""
    window = [today - timedelta(days=days - 1 - i) for i in range(days)]
    counts = [per_day.get(d, 0) for d in window]
    scale = HeatScale.of(counts)
    return [{"date": d.isoformat(), "reviews": n, "level": scale.level(n)} for d, n in zip(window, counts)]


def forecast(records: Iterable[CardRecord], now: datetime, config: Config, tz: tzinfo | None = None,
             days: int = FORECAST_DAYS) -> list[dict]:
    """``[{date, due}]``: cards falling due on each of the next ``days`` study days (today first;
    overdue cards count today). Suspended cards are left out; a buried card counts when it comes back."""
    now = as_utc(now)
    today = _day(now, config, tz)
    counts = [0] * days
    for record in records:
        card = record.card
        if card is None or record.suspended:
            continue
        when = as_utc(card.due)
        if record.is_buried(now) and record.buried_until is not None:
            when = max(when, as_utc(record.buried_until))
        offset = max(0, (_day(when, config, tz) - today).days)
        if offset < days:
            counts[offset] += 1
    return [{"date": (today + timedelta(days=i)).isoformat(), "due": n} for i, n in enumerate(counts)]


def retention(reviews: Iterable[ReviewFact], today: date, config: Config,
              tz: tzinfo | None = None) -> dict[str, dict]:
    """True retention per window (:data:`RETENTION_WINDOWS`): ``{passed, failed, reviews, rate}``
    where ``rate`` is ``passed / reviews`` (rounded to 4 places) or None without reviews."""
    day_of = _DayOf(config, tz)
    passed: Counter[date] = Counter()
    failed: Counter[date] = Counter()
    for r in reviews:
        if r.state_before != State.Review:
            continue
        (failed if r.rating == Rating.Again else passed)[day_of(r.at)] += 1
    out: dict[str, dict] = {}
    for name, (oldest, newest) in RETENTION_WINDOWS.items():
        window = [today - timedelta(days=k) for k in range(newest, oldest + 1)]
        p = sum(passed[d] for d in window)
        f = sum(failed[d] for d in window)
        out[name] = {"passed": p, "failed": f, "reviews": p + f,
                     "rate": round(p / (p + f), 4) if p + f else None}
    return out


def stability_bucket(record: CardRecord | None) -> str:
    """The :data:`MASTERY_KEYS` entry of a card: ``new`` if never reviewed, else by stability."""
    if record is None or record.card is None:
        return "new"
    stability = record.card.stability or 0.0
    for key, low, high in STABILITY_BUCKETS:
        if stability >= low and (high is None or stability < high):
            return key
    return STABILITY_BUCKETS[0][0]


def mastery(decks: Mapping[str, Iterable[str]], records: Mapping[str, CardRecord]) -> dict:
    """``{"decks": [{id, cards, new, under_1d, …, over_90d, mature}], "totals": {…}}``;
    ``mature`` counts cards with a stability of 21 days or more (also counted in their bucket)."""

    def block(keys: Iterable[str]) -> dict:
        keys = list(dict.fromkeys(keys))
        counts = Counter(stability_bucket(records.get(k)) for k in keys)
        out = {"cards": len(keys), **{k: counts.get(k, 0) for k in MASTERY_KEYS}}
        out["mature"] = out["21_90d"] + out["over_90d"]
        return out

    per_deck = [{"id": deck_id, **block(keys)} for deck_id, keys in decks.items()]
    every = [k for keys in decks.values() for k in keys]
    return {"decks": per_deck, "totals": block(every)}


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive study days. The current run ends today, or yesterday
    when nothing was studied yet today (so it survives until you study)."""
    active = set(days)
    longest = run = 0
    previous: date | None = None
    for day in sorted(active):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    day = today if today in active else today - timedelta(days=1)
    current = 0
    while day in active:
        current += 1
        day -= timedelta(days=1)
    return current, longest


def compute_stats(collection: Collection, decks: Mapping[str, Iterable[str]], config: Config | None,
                  now: datetime, tz: tzinfo | None = None) -> dict:
    """All the figures of the Statistics screen as JSON-able data.

    ``decks`` maps deck id → its card keys (deck order kept; see :func:`deck_keys`); forecast and
    mastery cover those cards, the log-based figures (heatmap, retention, streaks, time) every review
    in the collection. ``tz`` None means the system's local zone.
    """
    config = config or Config()
    now = as_utc(now)
    today = _day(now, config, tz)
    decks = {deck_id: list(keys) for deck_id, keys in decks.items()}
    reviews = effective_reviews(collection.history())
    day_of = _DayOf(config, tz)
    per_day: Counter[date] = Counter()
    seconds: Counter[date] = Counter()
    for r in reviews:
        day = day_of(r.at)
        per_day[day] += 1
        seconds[day] += r.duration_ms / 1000
    records = collection.states()
    wanted = {k for keys in decks.values() for k in keys}
    current, longest = streaks(per_day, today)
    week = [today - timedelta(days=k) for k in range(7)]
    return {
        "study_day": today.isoformat(),
        "heatmap": heatmap(per_day, today),
        "forecast": forecast((r for k, r in records.items() if k in wanted), now, config, tz),
        "retention": retention(reviews, today, config, tz),
        "mastery": mastery(decks, records),
        "streak": current,
        "streak_longest": longest,
        "time": {
            "today_seconds": round(float(seconds[today]), 3),
            "week_seconds": round(float(sum(seconds[d] for d in week)), 3),
            "total_seconds": round(float(sum(seconds.values())), 3),
            "reviews_today": per_day[today],
            "reviews_week": sum(per_day[d] for d in week),
            "reviews_total": len(reviews),
            "days_studied": len(per_day),
        },
    }


def deck_keys(decks: Iterable) -> dict[str, list[str]]:
    """deck id → card keys (in deck order, no repeats) of loaded
    :class:`~quizapp.core.content.model.Deck` objects; failed decks are skipped."""
    out: dict[str, list[str]] = {}
    for deck in decks:
        if getattr(deck, "failed", False):
            continue
        keys = out.setdefault(deck.id, [])
        seen = set(keys)
        for card in deck.cards:
            if card.key not in seen:
                seen.add(card.key)
                keys.append(card.key)
    return out
