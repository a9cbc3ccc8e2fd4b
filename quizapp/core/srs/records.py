"""Rows of the review log and the per-card state derived from them, plus the replay that derives it.

The log is the truth; ``card_state`` is a cache. Both the live writes in :mod:`.store` and
:meth:`Collection.rebuild_state` go through :func:`apply_event` / :func:`replay`, so the cache can
always be recomputed from the log and must come out identical.

Event kinds: ``review`` (state_after holds the fsrs card after grading — fuzz is never re-simulated),
``suspend``/``unsuspend``, ``bury`` (until ``bury_until``), ``reset`` (back to new), ``override``
(the learner said "I was right" about a typed answer graded wrong: rating Good and the answer; no
effect on scheduling, like ``quiz``), ``undo``
(cancels the event ``undoes``: the card's state becomes what it was before that event; only the most
recent not-yet-undone event of a card can be undone), ``quiz`` (no effect on scheduling), ``due``
(state_after holds the card with its due time moved to the event's time, stability and difficulty
untouched — a never-reviewed card gets a fresh learning card — so it is offered in the next review;
the card is unburied), ``rename`` (the card's key changed — its front was reworded, or an id was
stamped on it: the state of ``renamed_from`` moves to the row's ``card_key``; the older rows keep
their key, readers follow the rename. Nothing before a rename can be undone), ``cram`` (a card
reviewed ahead of schedule in a cram session: rating, duration and answer are kept; like ``quiz``, no
effect on scheduling — no schema change was needed: ``kind`` is free text and older versions leave
kinds they do not know alone).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

import fsrs
from fsrs import Rating, State

from quizapp.core.clock import as_utc

KINDS = frozenset({"review", "undo", "suspend", "unsuspend", "bury", "reset", "quiz", "due", "rename",
                   "override", "cram"})


def ts(dt: datetime) -> str:
    """Fixed-width UTC ISO-8601 (``2024-05-01T12:00:00.000000+00:00``): sorts as text."""
    return as_utc(dt).isoformat(timespec="microseconds")


def parse_ts(text: str | None) -> datetime | None:
    return as_utc(datetime.fromisoformat(text)) if text else None


def card_json(card: fsrs.Card | None) -> str | None:
    return None if card is None else json.dumps(card.to_dict(), sort_keys=True)


def card_from_json(text: str | None) -> fsrs.Card | None:
    return None if not text else fsrs.Card.from_dict(json.loads(text))


class LogEntry(NamedTuple):
    """One row of the append-only ``reviews`` table."""

    id: int
    card_key: str
    kind: str
    rating: Rating | None
    reviewed_at: datetime
    duration_ms: int | None = None
    answer: str | None = None
    undoes: int | None = None
    state_after: fsrs.Card | None = None
    bury_until: datetime | None = None
    renamed_from: str | None = None  # rename rows: the key whose history card_key continues

    COLUMNS = ("id, card_key, kind, rating, reviewed_at, duration_ms, answer, undoes, state_after, bury_until,"
               " renamed_from")

    @classmethod
    def from_row(cls, row: tuple) -> LogEntry:
        id_, key, kind, rating, at, duration, answer, undoes, state, until, renamed_from = row
        return cls(id_, key, kind, Rating(rating) if rating is not None else None, parse_ts(at),
                   duration, answer, undoes, card_from_json(state), parse_ts(until), renamed_from)


class CardRecord(NamedTuple):
    """A card's current state. ``card`` is None while the card has never been reviewed (new)."""

    key: str
    card: fsrs.Card | None = None
    suspended: bool = False
    buried_until: datetime | None = None
    first_seen: datetime | None = None  # the review that took the card out of "new"
    lapses: int = 0  # Again on a Review-state card
    reps: int = 0  # reviews in effect (undone ones do not count)

    COLUMNS = "card_key, fsrs, due, state, suspended, buried_until, first_seen, lapses, reps"

    @property
    def is_new(self) -> bool:
        return self.card is None

    @property
    def state(self) -> State | None:
        return None if self.card is None else self.card.state

    @property
    def due(self) -> datetime | None:
        return None if self.card is None else self.card.due

    def is_buried(self, now: datetime) -> bool:
        return self.buried_until is not None and now < self.buried_until

    def is_available(self, now: datetime) -> bool:
        """Neither suspended nor buried at ``now``."""
        return not self.suspended and not self.is_buried(now)

    def to_row(self) -> tuple:
        card = self.card
        return (
            self.key, card_json(card), ts(card.due) if card else None, int(card.state) if card else None,
            int(self.suspended), ts(self.buried_until) if self.buried_until else None,
            ts(self.first_seen) if self.first_seen else None, self.lapses, self.reps,
        )

    @classmethod
    def from_row(cls, row: tuple) -> CardRecord:
        key, fsrs_json, _due, _state, suspended, buried, first_seen, lapses, reps = row
        return cls(key, card_from_json(fsrs_json), bool(suspended), parse_ts(buried),
                   parse_ts(first_seen), lapses, reps)


def _blank(record: CardRecord) -> bool:
    return record == CardRecord(record.key)


def apply_event(prev: CardRecord | None, entry: LogEntry) -> CardRecord | None:
    """The state after ``entry`` (any kind but ``undo``); None means "no state: a new card"."""
    record = prev or CardRecord(entry.card_key)
    kind = entry.kind
    if kind == "review":
        if entry.state_after is None:
            raise ValueError(f"review {entry.id} has no state_after")
        lapse = entry.rating == Rating.Again and record.state == State.Review
        record = record._replace(
            card=entry.state_after, buried_until=None,
            first_seen=record.first_seen if record.first_seen is not None else entry.reviewed_at,
            lapses=record.lapses + lapse, reps=record.reps + 1,
        )
    elif kind == "suspend":
        record = record._replace(suspended=True)
    elif kind == "unsuspend":
        record = record._replace(suspended=False)
    elif kind == "bury":
        record = record._replace(buried_until=entry.bury_until)
    elif kind == "due":
        if entry.state_after is None:
            raise ValueError(f"due event {entry.id} has no state_after")
        record = record._replace(card=entry.state_after, buried_until=None)
    elif kind == "reset":
        record = record._replace(card=None, buried_until=None, first_seen=None, lapses=0, reps=0)
    elif kind in ("undo", "rename"):
        raise ValueError(f"{kind} is handled by Replay")
    # "quiz", "override", "cram" and kinds from newer versions leave the state alone
    return None if _blank(record) else record


class Replay:
    """Folds log entries (in id order) into card states, keeping what each undo needs."""

    def __init__(self) -> None:
        self.states: dict[str, CardRecord] = {}
        self._stacks: dict[str, list[tuple[int, CardRecord | None]]] = {}

    def feed(self, entries: Iterable[LogEntry]) -> Replay:
        for entry in entries:
            key = entry.card_key
            stack = self._stacks.setdefault(key, [])
            prev = self.states.get(key)
            if entry.kind == "rename":
                self._rename(entry)
                continue
            if entry.kind == "undo":
                if not stack or stack[-1][0] != entry.undoes:
                    continue  # never written by the store (it validates); ignored if hand-made
                _, after = stack.pop()
            else:
                stack.append((entry.id, prev))
                after = apply_event(prev, entry)
            if after is None:
                self.states.pop(key, None)
            else:
                self.states[key] = after
        return self

    def _rename(self, entry: LogEntry) -> None:
        """The state of ``renamed_from`` becomes ``card_key``'s; neither can undo past the rename."""
        old, new = entry.renamed_from, entry.card_key
        moved = self.states.pop(old, None) if old is not None and old != new else None
        self._stacks.pop(old, None)
        self._stacks[new] = []
        if moved is None:
            self.states.pop(new, None)
        else:
            self.states[new] = moved._replace(key=new)

    def undoable(self, key: str) -> int | None:
        """The id of the event an undo of ``key`` would cancel now, if any."""
        stack = self._stacks.get(key)
        return stack[-1][0] if stack else None

    def before(self, key: str) -> CardRecord | None:
        stack = self._stacks.get(key)
        return stack[-1][1] if stack else None
