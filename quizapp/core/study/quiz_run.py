"""A quiz being taken: items answered in order, scored, logged, the missed ones sent to review (see
:mod:`quizapp.core.study.quiz`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from quizapp.core.clock import Clock, as_utc, utcnow
from quizapp.core.study.quiz_items import (
    ItemResult, KindScore, MissedItem, QuizError, QuizItem, QuizKind, QuizSummary, _grade, _log_answer,
)

if TYPE_CHECKING:
    from quizapp.core.srs.store import Collection


# ---------------------------------------------------------------------------------------------
# The quiz
# ---------------------------------------------------------------------------------------------


class Quiz:
    """A sequence of :class:`QuizItem` answered in order. ``current`` is None once finished."""

    def __init__(self, items: Sequence[QuizItem], *, time_limit: float | None = None,
                 decks: Iterable[str] = (), kinds: Iterable[QuizKind | str] = (), seed: int = 0,
                 collection: Collection | None = None, clock: Clock = utcnow, now: float = 0.0) -> None:
        if time_limit is not None and time_limit <= 0:
            raise ValueError(f"time limit must be positive, got {time_limit}")
        self.items = list(items)
        self.time_limit = time_limit
        self.decks = list(decks)
        self.kinds = [QuizKind(k) for k in kinds] or sorted({i.kind for i in self.items})
        self.seed = seed
        self.collection = collection
        self.clock = clock
        self.started = now
        self.started_at = as_utc(clock())
        self.results: list[ItemResult | None] = [None] * len(self.items)
        self.index = 0
        self._item_started = now
        self._ended: float | None = None  # monotonic time the quiz ended
        self._timed_out = False
        self._summary: QuizSummary | None = None
        self.record_id: int | None = None
        self.sent_to_review: list[str] | None = None

    def start(self, now: float) -> None:
        """(Re)start the clock at ``now`` — when the first question is shown — unless an answer
        was already given."""
        if self.index == 0 and self._ended is None:
            self.started = self._item_started = now
            self.started_at = as_utc(self.clock())

    # ---- state -------------------------------------------------------------------------------

    @property
    def current(self) -> QuizItem | None:
        if self._ended is not None or self.index >= len(self.items):
            return None
        return self.items[self.index]

    @property
    def finished(self) -> bool:
        return self.current is None

    def elapsed(self, now: float) -> float:
        end = self._ended if self._ended is not None else now
        spent = max(0.0, end - self.started)
        return min(spent, self.time_limit) if self.time_limit is not None else spent

    def remaining(self, now: float) -> float | None:
        """Seconds left (None without a time limit)."""
        if self.time_limit is None:
            return None
        return max(0.0, self.time_limit - self.elapsed(now))

    def expired(self, now: float) -> bool:
        """The time limit has been reached at ``now`` (never without a limit)."""
        return self.time_limit is not None and now - self.started >= self.time_limit

    # ---- answering ---------------------------------------------------------------------------

    def answer(self, response: Any, *, now: float | None = None) -> ItemResult:
        """Grade ``response`` for the current item and move to the next one: :meth:`check`, then
        :meth:`record`.

        ``response``: for multiple choice an option index (0-based ``int``), several indexes, or a
        string of 1-based numbers as typed (``"2"``, ``"1,3"``); for a gradient question a mapping
        ``answer name → text`` (or one string when it has one answer); else the typed text.
        The answer is logged as a ``quiz`` event when the quiz has a collection. Raises
        :class:`QuizError` when the quiz is over or past its time limit at ``now``.
        """
        result = self.check(response, now=now)
        self.record(result, response, now=now)
        return result

    def check(self, response: Any, *, now: float | None = None) -> ItemResult:
        """Grade ``response`` for the current item; nothing is recorded (see :meth:`answer`)."""
        item = self.current
        if item is None:
            raise QuizError("the quiz is over")
        if now is not None and self.expired(now):
            self.finish(now)
            raise QuizError("time is up")
        return _grade(item, response, self.index)

    def record(self, result: ItemResult, response: Any, *, now: float | None = None) -> None:
        """Log ``result`` (from :meth:`check`) for the current item and move to the next one; after
        the last one the quiz is finished (:meth:`finish`). The log comes first: if writing it
        fails, the item is still unanswered. If only storing the finished quiz fails, the answer
        stands and :meth:`finish` tries the store again."""
        item = self.current
        if item is None:
            raise QuizError("the quiz is over")
        if self.collection is not None:
            from fsrs import Rating

            duration = None if now is None else max(0, int((now - self._item_started) * 1000))
            self.collection.log_quiz(item.key, rating=Rating.Good if result.correct else Rating.Again,
                                     answer=_log_answer(item, response, result), duration_ms=duration,
                                     at=self.clock())
        self.results[self.index] = result
        self.index += 1
        if now is not None:
            self._item_started = now
        if self.index >= len(self.items):
            self.finish(now if now is not None else self.started)

    def can_override(self) -> bool:
        """The last answer was a typed answer or cloze graded wrong: the learner may say "I was
        right" (:meth:`override`)."""
        if self.index == 0:
            return False
        item, result = self.items[self.index - 1], self.results[self.index - 1]
        return (result is not None and not result.correct and not result.overridden
                and item.kind in (QuizKind.TYPED, QuizKind.CLOZE))

    def override(self) -> ItemResult:
        """"I was right": the last answer (see :meth:`can_override`) counts as right. Logged as an
        ``override`` event (with the answer); a finished quiz's stored score is corrected in the
        same write. Raises :class:`QuizError` when there is nothing to override."""
        if not self.can_override():
            raise QuizError("only a typed answer graded wrong can be marked right")
        index = self.index - 1
        item, old = self.items[index], self.results[index]
        new = replace(old, correct=True, overridden=True,
                      message=f"Marked right by you (the deck's answer: {old.expected})")
        results = [*self.results]
        results[index] = new
        summary = None
        if self._summary is not None:  # finished: the stored score changes with it
            summary = self._summarise(results, self._ended if self._ended is not None else self.started)
        if self.collection is not None:
            stored = None
            if self.record_id is not None and summary is not None:
                stored = (self.record_id, summary.correct, self._detail(summary))
            self.collection.log_override(item.key, answer=old.given, at=self.clock(), quiz_result=stored)
        self.results = results
        if summary is not None:
            self._summary = summary
        return new

    def finish(self, now: float) -> QuizSummary:
        """End the quiz (all answered, out of time, or given up) and store it in the history once
        (if storing failed, calling this again tries again)."""
        if self._summary is None:
            self._timed_out = self.expired(now) and self.index < len(self.items)
            self._ended = now
            self._summary = self.summary(now)
        if self.collection is not None and self.items and self.record_id is None:
            s = self._summary
            self.record_id = self.collection.add_quiz_result({
                "started_at": self.started_at,
                "finished_at": self.clock(),
                "decks": self.decks,
                "kinds": [str(k) for k in self.kinds],
                "total": s.total,
                "correct": s.correct,
                "seconds": round(s.seconds, 3),
                "time_limit_s": self.time_limit,
                "detail": self._detail(s),
            })
        return self._summary

    def _detail(self, s: QuizSummary) -> dict:
        return {
            "seed": self.seed,
            "answered": s.answered,
            "timed_out": s.timed_out,
            "per_kind": {str(k): [v.correct, v.asked] for k, v in s.per_kind.items()},
            "missed": [m.item.key for m in s.missed],
        }

    def summary(self, now: float | None = None) -> QuizSummary:
        """Score, time, accuracy per kind and the missed items (so far, if not finished)."""
        if self._summary is not None:
            return self._summary
        return self._summarise(self.results, now if now is not None else self.started)

    def _summarise(self, results: Sequence[ItemResult | None], now: float) -> QuizSummary:
        per_kind: dict[QuizKind, list[int]] = {}
        missed: list[MissedItem] = []
        unanswered: list[MissedItem] = []
        for i, (item, result) in enumerate(zip(self.items, results)):
            counts = per_kind.setdefault(item.kind, [0, 0, 0])
            counts[0] += 1
            if result is None:
                unanswered.append(MissedItem(i, item, None, item.expected))
                continue
            counts[1] += 1
            counts[2] += result.correct
            if not result.correct:
                missed.append(MissedItem(i, item, result.given, result.expected))
        order = {k: n for n, k in enumerate(QuizKind)}
        scores = {k: KindScore(k, *per_kind[k]) for k in sorted(per_kind, key=order.__getitem__)}
        answered = sum(r is not None for r in results)
        correct = sum(bool(r and r.correct) for r in results)
        seconds = self.elapsed(now)
        return QuizSummary(len(self.items), answered, correct, seconds, self.time_limit,
                           self._timed_out, scores, missed, [] if self._ended is None else unanswered)

    def review_missed(self, at: datetime | None = None) -> list[str]:
        """Make every card answered wrongly due now in spaced repetition (``due`` events: no
        review is invented, FSRS memory is kept). Returns the keys, once; later calls return []."""
        if self.collection is None or self.sent_to_review is not None:
            return []
        at = at if at is not None else self.clock()
        keys = list(dict.fromkeys(m.item.key for m in self.summary().missed))
        for key in keys:
            self.collection.make_due_now(key, at)
        self.sent_to_review = keys
        return keys


