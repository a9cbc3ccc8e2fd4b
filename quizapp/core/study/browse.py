"""The card browser's logic: one row per card with its scheduling facts, search and filters, and a
card's review log as readable lines. Pure (no Textual); the screen is ``ui/screens/browser.py``.

Filter semantics (Anki's browser):

* **text** — every whitespace-separated word must occur, case-insensitively, in the card's front or
  back (``relu grad`` finds cards mentioning both, in either side);
* **tag**, **deck** — exact match on one of the card's tags / its deck id;
* **state** — one of :data:`STATES`. ``new``/``learning``/``review``/``relearning`` are the
  scheduling state and say nothing about suspension (``review`` lists suspended review cards too,
  as Anki's ``is:review`` does); ``suspended``, ``buried`` (now) and ``leech`` (lapses ≥ the
  config's ``leech_threshold``) are flags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from fsrs import Rating, State

from quizapp.core.clock import as_utc
from quizapp.core.content.model import Card, CardKind
from quizapp.core.srs.records import CardRecord, LogEntry
from quizapp.core.text.safe import visible_controls
from quizapp.core.text.timefmt import short_interval

STATES = ("new", "learning", "review", "relearning", "suspended", "buried", "leech")

KIND_SHORT = {
    CardKind.GLOSSARY: "term→def",
    CardKind.GLOSSARY_REVERSE: "def→term",
    CardKind.COMPARISON: "compare",
    CardKind.QA: "Q&A",
    CardKind.MCQ: "choice",
    CardKind.CLOZE: "cloze",
    CardKind.DRILL: "drill",
    CardKind.GRADIENT: "gradient",
}

GRADE_NAMES = {Rating.Again: "Again", Rating.Hard: "Hard", Rating.Good: "Good", Rating.Easy: "Easy"}


@dataclass(frozen=True, slots=True)
class BrowseRow:
    """A card and what the collection knows about it at ``now``."""

    card: Card
    record: CardRecord | None
    buried: bool
    leech: bool

    @property
    def key(self) -> str:
        return self.card.key

    @property
    def schedule(self) -> str:
        """``new``, ``learning``, ``review`` or ``relearning``."""
        state = self.record.state if self.record is not None else None
        return "new" if state is None else state.name.lower()

    @property
    def suspended(self) -> bool:
        return self.record is not None and self.record.suspended

    @property
    def due(self) -> datetime | None:
        return self.record.due if self.record is not None else None

    @property
    def lapses(self) -> int:
        return self.record.lapses if self.record is not None else 0

    @property
    def reps(self) -> int:
        return self.record.reps if self.record is not None else 0

    @property
    def status(self) -> str:
        """One word for the table: what keeps the card out of reviews first, else its schedule."""
        if self.suspended:
            return "leech" if self.leech else "suspended"
        if self.buried:
            return "buried"
        return self.schedule

    def flags(self) -> list[str]:
        """Every state word that applies, schedule first (``["review", "suspended", "leech"]``)."""
        out = [self.schedule]
        out += [name for name, on in (("suspended", self.suspended), ("buried", self.buried),
                                      ("leech", self.leech)) if on]
        return out

    def has_state(self, state: str) -> bool:
        if state in ("new", "learning", "review", "relearning"):
            return self.schedule == state
        if state == "suspended":
            return self.suspended
        if state == "buried":
            return self.buried
        if state == "leech":
            return self.leech
        raise ValueError(f"unknown state {state!r}; expected one of {', '.join(STATES)}")


@dataclass(frozen=True, slots=True)
class BrowseFilter:
    """What the browser shows; empty / None fields do not filter."""

    text: str = ""
    tag: str | None = None
    deck: str | None = None
    state: str | None = None

    def matches(self, row: BrowseRow) -> bool:
        card = row.card
        if self.deck is not None and card.deck != self.deck:
            return False
        if self.tag is not None and self.tag not in card.tags:
            return False
        if self.state is not None and not row.has_state(self.state):
            return False
        words = self.text.casefold().split()
        if words:
            haystack = f"{card.front}\n{card.back}".casefold()
            return all(word in haystack for word in words)
        return True


def build_rows(cards: Iterable[Card], states: Mapping[str, CardRecord], now: datetime,
               leech_threshold: int) -> list[BrowseRow]:
    """One row per card (in the order given); ``states`` as from ``Collection.states()``."""
    now = as_utc(now)
    rows = []
    for card in cards:
        record = states.get(card.key)
        buried = record is not None and record.is_buried(now)
        leech = record is not None and leech_threshold > 0 and record.lapses >= leech_threshold
        rows.append(BrowseRow(card, record, buried, leech))
    return rows


def filter_rows(rows: Iterable[BrowseRow], flt: BrowseFilter) -> list[BrowseRow]:
    return [row for row in rows if flt.matches(row)]


def all_tags(cards: Iterable[Card]) -> list[str]:
    """Every tag used by ``cards``, sorted."""
    return sorted({tag for card in cards for tag in card.tags})


def one_line(text: str, width: int) -> str:
    """``text`` on one line (whitespace runs collapsed), control characters made visible, cut to
    ``width`` characters with an ellipsis."""
    flat = " ".join(visible_controls(text).split())
    if width <= 0:
        return ""
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def relative_due(due: datetime | None, now: datetime) -> str:
    """``—`` (never reviewed), ``now`` (due), ``in 4d``, or ``3d ago`` (overdue by more than a day)."""
    if due is None:
        return "—"
    delta = as_utc(due) - as_utc(now)
    if delta <= timedelta(0):
        return "now" if -delta < timedelta(days=1) else f"{short_interval(-delta)} ago"
    return f"in {short_interval(delta)}"


def local_time(when: datetime, tz: tzinfo | None = None) -> str:
    """``2026-11-28 13:05`` in ``tz`` (None: the system's local zone)."""
    return as_utc(when).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def duration_text(ms: int | None) -> str:
    """``4.2s``, ``1m 05s``; empty when unknown."""
    if ms is None:
        return ""
    seconds = ms / 1000
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m {rest:02d}s"


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One event of a card's log, ready to show."""

    id: int
    when: str  # local time
    event: str  # "Good", "suspended", "undo", …
    interval: str  # reviews: time from the review to the next due ("10m", "4d"); else ""
    duration: str  # reviews and quiz answers: time spent answering
    detail: str  # e.g. "lapse 3", "leech", "until 2026-11-29 04:00", "undoes #12 (Good)"
    undone: bool  # a later undo cancelled this event


def _event_name(entry: LogEntry) -> str:
    if entry.kind == "bury" and entry.bury_until is not None and entry.bury_until <= entry.reviewed_at:
        return "unburied"  # the browser unburies with a bury that ends at once
    if entry.kind in ("review", "quiz", "cram") and entry.rating is not None:
        grade = GRADE_NAMES.get(entry.rating, str(int(entry.rating)))
        return grade if entry.kind == "review" else f"{entry.kind}: {grade}"
    return {"suspend": "suspended", "unsuspend": "unsuspended", "bury": "buried", "reset": "reset",
            "undo": "undo", "quiz": "quiz", "due": "made due",
            "override": "I was right"}.get(entry.kind, entry.kind)


def history_lines(entries: Iterable[LogEntry], tz: tzinfo | None = None) -> list[HistoryLine]:
    """``entries`` (one card's log in id order, as from ``Collection.history(key)``) as lines.

    Undone events stay listed, marked ``undone``; the undo itself names what it cancelled. A lapse
    (Again on a card in Review) is numbered; a suspension logged at the same instant as a lapse
    (the automatic leech suspension) is labelled ``leech``."""
    entries = list(entries)
    undone = {e.undoes for e in entries if e.kind == "undo" and e.undoes is not None}
    by_id = {e.id: e for e in entries}
    lines: list[HistoryLine] = []
    state: State | None = None  # the schedule before each event, from the events in effect
    states_before: dict[int, State | None] = {}
    lapses = 0
    lapses_before: dict[int, int] = {}
    previous: LogEntry | None = None
    for entry in entries:
        interval = duration = detail = ""
        if entry.kind == "review":
            states_before[entry.id], lapses_before[entry.id] = state, lapses
            if entry.state_after is not None:
                interval = short_interval(as_utc(entry.state_after.due) - as_utc(entry.reviewed_at))
            duration = duration_text(entry.duration_ms)
            if entry.rating == Rating.Again and state == State.Review:
                lapses += 1
                detail = f"lapse {lapses}"
            state = entry.state_after.state if entry.state_after is not None else state
        elif entry.kind in ("quiz", "cram"):
            duration = duration_text(entry.duration_ms)
        elif entry.kind == "suspend":
            if (previous is not None and previous.kind == "review" and previous.rating == Rating.Again
                    and previous.reviewed_at == entry.reviewed_at):
                detail = "leech"
            states_before[entry.id], lapses_before[entry.id] = state, lapses
        elif entry.kind == "bury":
            if entry.bury_until is not None and entry.bury_until > entry.reviewed_at:
                detail = f"until {local_time(entry.bury_until, tz)}"
            states_before[entry.id], lapses_before[entry.id] = state, lapses
        elif entry.kind == "reset":
            states_before[entry.id], lapses_before[entry.id] = state, lapses
            state, lapses = None, 0
        elif entry.kind == "due":
            states_before[entry.id], lapses_before[entry.id] = state, lapses
            state = entry.state_after.state if entry.state_after is not None else state
        elif entry.kind == "undo":
            target = by_id.get(entry.undoes) if entry.undoes is not None else None
            if target is not None:
                detail = f"undoes {local_time(target.reviewed_at, tz)} {_event_name(target)}"
                state = states_before.get(target.id, state)
                lapses = lapses_before.get(target.id, lapses)
            elif entry.undoes is not None:
                detail = f"undoes #{entry.undoes}"
        lines.append(HistoryLine(entry.id, local_time(entry.reviewed_at, tz), _event_name(entry), interval,
                                 duration, detail, entry.id in undone))
        previous = entry
    return lines
