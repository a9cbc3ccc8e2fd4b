"""Quiz mode: practice on chosen decks, scored on the spot, kept apart from spaced repetition.

    quiz = build_quiz(decks, [QuizKind.CHOICE, QuizKind.CLOZE], count=10, seed=7,
                      time_limit=300, collection=collection, clock=clock, now=monotonic())
    while (item := quiz.current) is not None and not quiz.expired(monotonic()):
        result = quiz.answer(user_input, now=monotonic())   # ItemResult(correct, expected, given, message)
    summary = quiz.finish(monotonic())                      # stored once in the quiz history
    quiz.review_missed()                                    # missed cards become due now

Question kinds (:class:`QuizKind`):

* ``choice`` — multiple choice: the deck's own ``- [x]`` cards (options in the author's order) and
  options generated for glossary rows (both directions), comparison cells and long Q&A answers.
  Distractors come from the same deck: first the same section and kind (for a comparison cell, the
  same aspect of the same table, then that aspect in other tables; other cells of the table only
  when no other value of the aspect differs), closest in length, sharing the most words and of the
  same shape (numbers with numbers); never the right answer again, no two options equal after
  normalisation. An aspect with two distinct values gives a two-option question (Yes / No).
* ``typed`` — Q&A cards whose answer is short enough to type (≤ 5 words, or the deck asks for typed
  answers), graded leniently by :func:`~quizapp.core.text.compare.compare_text`; a near miss (a typo,
  same numbers) is accepted with a note.
* ``cloze`` — one blank of a sentence, graded the same way.
* ``drill`` — formula drills, graded by equivalence (:mod:`quizapp.core.formula.drills`, imported lazily).
* ``gradient`` — a fresh "compute the gradient" question from a skill card's family, numbers drawn
  from the quiz's seed (:mod:`quizapp.core.generators`, imported lazily: it needs NumPy).

Everything random comes from one ``random.Random(seed)``: the same decks, kinds, count and seed give
the same quiz. Answers are logged as ``quiz`` events (:meth:`Collection.log_quiz`), which never
touch scheduling; :meth:`Quiz.review_missed` appends ``due`` events so the missed cards show up in
the next review with their FSRS memory intact. Time is a float from a monotonic clock passed in by
the caller (``now``), so tests control it; wall-clock times for storage come from ``clock``.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from quizapp.core.clock import Clock, as_utc, utcnow
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.text.compare import compare_text, normalize_text

if TYPE_CHECKING:
    from quizapp.core.srs.store import Collection

__all__ = [
    "KIND_LABELS", "ItemResult", "KindScore", "MissedItem", "Quiz", "QuizError", "QuizItem",
    "QuizKind", "QuizRecord", "QuizSummary", "available_counts", "build_quiz", "choice_options",
    "quiz_history",
]

TYPED_MAX_WORDS = 5  # a Q&A answer longer than this is asked as multiple choice instead
CHOICE_OPTIONS = 4  # options of a generated multiple-choice question (right answer included)


class QuizKind(StrEnum):
    """How a quiz item is asked. Values are stored in the quiz history."""

    CHOICE = "choice"
    TYPED = "typed"
    CLOZE = "cloze"
    DRILL = "drill"
    GRADIENT = "gradient"


KIND_LABELS = {
    QuizKind.CHOICE: "Multiple choice",
    QuizKind.TYPED: "Typed answer",
    QuizKind.CLOZE: "Cloze",
    QuizKind.DRILL: "Formula drill",
    QuizKind.GRADIENT: "Gradient",
}


class QuizError(RuntimeError):
    """The quiz is over (finished or out of time), or an answer does not fit the item."""


# ---------------------------------------------------------------------------------------------
# Items and results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizItem:
    """One question. ``options``/``correct`` for multiple choice (``correct`` holds 0-based
    indexes; several for a "pick all that apply" card); ``answers`` are the answer names of a
    gradient question (``question`` is its generated :class:`~quizapp.core.generators.Question`);
    ``drill`` is the parsed :class:`~quizapp.core.formula.drills.Drill` of a drill card."""

    card: Card
    kind: QuizKind
    prompt: str
    expected: str  # the right answer as text, shown after answering and in the summary
    ask: str = ""  # what to do when the prompt alone does not say: "pick the definition", …
    options: tuple[str, ...] = ()
    correct: frozenset[int] = frozenset()
    answers: tuple[str, ...] = ()
    question: Any = None
    drill: Any = None

    @property
    def key(self) -> str:
        return self.card.key

    @property
    def multi(self) -> bool:
        """Several options are right: the learner toggles options, then checks."""
        return len(self.correct) > 1


@dataclass(frozen=True)
class ItemResult:
    """The verdict on one answer. ``message`` is plain text (front ends style it)."""

    correct: bool
    expected: str
    given: str
    message: str
    close: bool = False  # accepted despite a typo
    index: int = 0
    kind: QuizKind = QuizKind.TYPED


@dataclass(frozen=True)
class KindScore:
    kind: QuizKind
    asked: int
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        """Right answers over questions asked (unanswered ones count as not right)."""
        return self.correct / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class MissedItem:
    index: int
    item: QuizItem
    given: str | None  # None: not answered (time ran out)
    expected: str


@dataclass(frozen=True)
class QuizSummary:
    total: int
    answered: int
    correct: int
    seconds: float
    time_limit: float | None
    timed_out: bool
    per_kind: dict[QuizKind, KindScore]
    missed: list[MissedItem]  # answered wrongly, in quiz order
    unanswered: list[MissedItem]  # not reached before the time ran out

    @property
    def score(self) -> float:
        """Right answers over every question of the quiz, 0…1."""
        return self.correct / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.score)


@dataclass(frozen=True)
class QuizRecord:
    """One past quiz as stored in the collection (newest first in :func:`quiz_history`)."""

    id: int
    started_at: datetime
    finished_at: datetime
    decks: list[str]
    kinds: list[str]
    total: int
    correct: int
    seconds: float
    time_limit_s: float | None = None
    detail: dict = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


def quiz_history(collection: Collection, limit: int | None = 10) -> list[QuizRecord]:
    return [QuizRecord(**row) for row in collection.quiz_results(limit)]


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
                "detail": {
                    "seed": self.seed,
                    "answered": s.answered,
                    "timed_out": s.timed_out,
                    "per_kind": {str(k): [v.correct, v.asked] for k, v in s.per_kind.items()},
                    "missed": [m.item.key for m in s.missed],
                },
            })
        return self._summary

    def summary(self, now: float | None = None) -> QuizSummary:
        """Score, time, accuracy per kind and the missed items (so far, if not finished)."""
        if self._summary is not None:
            return self._summary
        per_kind: dict[QuizKind, list[int]] = {}
        missed: list[MissedItem] = []
        unanswered: list[MissedItem] = []
        for i, (item, result) in enumerate(zip(self.items, self.results)):
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
        answered = sum(r is not None for r in self.results)
        correct = sum(bool(r and r.correct) for r in self.results)
        seconds = self.elapsed(now if now is not None else self.started)
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


# ---------------------------------------------------------------------------------------------
# Grading
# ---------------------------------------------------------------------------------------------


def _grade(item: QuizItem, response: Any, index: int) -> ItemResult:
    if item.kind is QuizKind.CHOICE:
        return _grade_choice(item, response, index)
    if item.kind is QuizKind.GRADIENT:
        return _grade_gradient(item, response, index)
    if not isinstance(response, str):
        raise QuizError(f"a {item.kind} item takes typed text")
    given = response.strip()
    if item.kind is QuizKind.DRILL:
        from quizapp.core.formula.language import ExprError

        try:
            verdict = item.drill.grade(given)
        except ExprError as error:
            return ItemResult(False, item.expected, given,
                              f"Could not read the formula: {error}. Expected: {item.expected}",
                              index=index, kind=item.kind)
        ok = bool(verdict.equivalent)
        msg = "Correct" if ok else (verdict.message or "Not equivalent") + f". Expected: {item.expected}"
        return ItemResult(ok, item.expected, given, msg, index=index, kind=item.kind)
    verdict = compare_text(given, item.card.back)
    if verdict.correct:
        return ItemResult(True, item.expected, given, "Correct", index=index, kind=item.kind)
    if verdict.close:
        return ItemResult(True, item.expected, given, f"Accepted — check the spelling: {item.expected}",
                          close=True, index=index, kind=item.kind)
    return ItemResult(False, item.expected, given, f"Expected: {item.expected}", index=index, kind=item.kind)


def _picked(item: QuizItem, response: Any) -> set[int]:
    if isinstance(response, bool):
        raise QuizError("pick an option by its index")
    if isinstance(response, int):
        picked = {response}
    elif isinstance(response, str):
        numbers = re.findall(r"\d+", response)
        if numbers and not re.sub(r"[\d\s,;]", "", response):
            picked = {int(n) - 1 for n in numbers}
        else:  # the option's text
            norm = normalize_text(response)
            picked = {i for i, o in enumerate(item.options) if normalize_text(o) == norm}
            if not picked:
                raise QuizError(f"no option reads {response!r}")
    else:
        picked = {int(i) for i in response}
    if not picked or any(not 0 <= i < len(item.options) for i in picked):
        raise QuizError(f"pick options between 1 and {len(item.options)}")
    return picked


def _grade_choice(item: QuizItem, response: Any, index: int) -> ItemResult:
    picked = _picked(item, response)
    given = " / ".join(item.options[i] for i in sorted(picked))
    ok = picked == set(item.correct)
    message = "Correct" if ok else f"The answer is: {item.expected}"
    return ItemResult(ok, item.expected, given, message, index=index, kind=item.kind)


def _grade_gradient(item: QuizItem, response: Any, index: int) -> ItemResult:
    from quizapp.core.generators import grade

    if isinstance(response, str):
        if len(item.answers) != 1:
            raise QuizError(f"this question has {len(item.answers)} answers: give a mapping")
        response = {item.answers[0]: response}
    if not isinstance(response, Mapping):
        raise QuizError("a gradient question takes its answers by name")
    parts, messages, ok = [], [], True
    for name in item.answers:
        text = str(response.get(name, "")).strip()
        parts.append(f"{name} = {text}")
        verdict = grade(item.question, name, text) if text else None
        if verdict is None or not verdict.correct:
            ok = False
            messages.append(f"{name}: " + (verdict.message if verdict else "no answer"))
    message = "Correct" if ok else "; ".join(messages) + f". Expected: {item.expected}"
    return ItemResult(ok, item.expected, "; ".join(parts), message, index=index, kind=item.kind)


def _log_answer(item: QuizItem, response: Any, result: ItemResult) -> str:
    if item.kind is QuizKind.CHOICE:
        return ",".join(str(i + 1) for i in sorted(_picked(item, response)))
    if item.kind is QuizKind.GRADIENT:
        data = response if isinstance(response, Mapping) else {item.answers[0]: response}
        return json.dumps({k: str(v) for k, v in data.items()}, ensure_ascii=False, sort_keys=True)
    return result.given


# ---------------------------------------------------------------------------------------------
# Building a quiz
# ---------------------------------------------------------------------------------------------

_STOP = frozenset("a an and are as at be by for from in is it its of on or than that the this to "
                  "with when which what".split())
_GLOSSARY = (CardKind.GLOSSARY, CardKind.GLOSSARY_REVERSE)
_GENERATED_CHOICE = (*_GLOSSARY, CardKind.COMPARISON, CardKind.QA)


@lru_cache(maxsize=16384)
def _norm(text: str) -> str:
    return normalize_text(text)


@lru_cache(maxsize=16384)
def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _norm(text).split() if w not in _STOP)


def _column(card: Card) -> str:
    """The column name of a comparison cell ("Sigmoid — Formula?" → "formula")."""
    _head, sep, tail = card.front.rpartition(" — ")
    return _norm(tail.rstrip("?")) if sep else ""


def _typeable(card: Card) -> bool:
    return card.typed or ("\n" not in card.back.strip()
                          and len(_norm(card.back).split()) <= TYPED_MAX_WORDS)


def _same_answer(a: str, b: str) -> bool:
    """Would compare_text accept either as the other? Its alternatives ("x / y", an optional
    " (remark)") in normal form, without its slow similarity scoring."""
    return _norm(b) in _alternatives(a) or _norm(a) in _alternatives(b)


@lru_cache(maxsize=16384)
def _alternatives(text: str) -> frozenset[str]:
    alts = [text, *(p for p in re.split(r"\s+/\s+", text) if p.strip())]
    alts += [_PAREN_REMARK.sub("", a) for a in alts]
    return frozenset(n for n in map(_norm, alts) if n)


_PAREN_REMARK = re.compile(r"\s+\([^()]*\)")


@lru_cache(maxsize=16384)
def _shape(text: str) -> str:
    """"number" (only numbers and symbols), "yesno" or "text": options should look alike."""
    tokens = _norm(text).split()
    if tokens and all(not t[:1].isalpha() or t in _GREEK_WORDS for t in tokens):
        return "number"
    return "yesno" if tokens and tokens[0] in ("yes", "no") else "text"


_GREEK_WORDS = frozenset({"alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "lambda", "mu",
                          "pi", "sigma", "tau", "phi", "omega", "e", "ln", "log", "exp", "sqrt"})


def _closeness(answer: str, answer_words: frozenset[str], other: str) -> float:
    """Lower is closer: length ratio on a log scale, minus the share of words in common, plus a
    penalty when one is a number and the other words."""
    la, lo = max(len(_norm(answer)), 1), max(len(_norm(other)), 1)
    words = _words(other)
    union = answer_words | words
    shared = len(answer_words & words) / len(union) if union else 0.0
    return abs(math.log(la / lo)) - 1.5 * shared + (_shape(answer) != _shape(other))


def choice_options(card: Card, deck_cards: Sequence[Card], rng: random.Random,
                   n: int = CHOICE_OPTIONS - 1) -> list[str]:
    """Up to ``n`` distractors for ``card`` from the cards of its deck (see the module docstring).

    Candidates are ranked by tier (same section and kind/column first), then by closeness in
    length and wording, with a little seeded jitter so two quizzes differ. An empty list means
    the card cannot be asked as multiple choice."""
    answer = card.back
    right = _norm(answer)
    answer_words = _words(answer)
    column = _column(card) if card.kind is CardKind.COMPARISON else ""
    ranked: list[tuple[int, float, str]] = []
    for other in deck_cards:
        if other.key == card.key or other.kind is not card.kind:
            continue
        same_section = other.section == card.section
        if card.kind is CardKind.COMPARISON:
            same_column = _column(other) == column
            tier = (0 if same_section else 1) if same_column else (2 if same_section else 3)
        elif card.kind is CardKind.QA and _typeable(other):
            continue  # a one-word answer next to three sentences gives itself away
        else:
            tier = 0 if same_section else 1
        ranked.append((tier, _closeness(answer, answer_words, other.back) + rng.random() * 0.3, other.back))
    ranked.sort(key=lambda r: (r[0], r[1]))
    chosen: list[str] = []
    seen = {right}
    best_tier = None
    for tier, _score, text in ranked:
        norm = _norm(text)
        if not norm or norm in seen or _same_answer(text, answer):
            continue
        if card.kind is CardKind.COMPARISON:
            best_tier = tier if best_tier is None else best_tier
            if tier >= 2 and best_tier < 2:
                break  # another column's value would be an obvious giveaway: fewer options instead
        seen.add(norm)
        chosen.append(text)
        if len(chosen) == n:
            break
    minimum = 1 if card.kind is CardKind.COMPARISON else 2
    return chosen if len(chosen) >= minimum else []


def _plan_kind(card: Card) -> QuizKind | None:
    """The quiz kind a card is asked as (before checking it has enough distractors)."""
    if card.kind is CardKind.MCQ:
        return QuizKind.CHOICE if len(card.choices) >= 2 and card.correct_choices else None
    if card.kind in (*_GLOSSARY, CardKind.COMPARISON):
        return QuizKind.CHOICE
    if card.kind is CardKind.QA:
        return QuizKind.TYPED if _typeable(card) else QuizKind.CHOICE
    return {CardKind.CLOZE: QuizKind.CLOZE, CardKind.DRILL: QuizKind.DRILL,
            CardKind.GRADIENT: QuizKind.GRADIENT}.get(card.kind)


def _fact(card: Card) -> tuple:
    """Cards asking the same fact (a glossary row's two directions) share this."""
    if card.kind in _GLOSSARY:
        return ("glossary", card.deck, frozenset((_norm(card.front), _norm(card.back))))
    return ("card", card.key)


def _candidates(decks: Iterable[Deck], kinds: set[QuizKind]) -> dict[QuizKind, list[tuple[Card, list[Card]]]]:
    out: dict[QuizKind, list[tuple[Card, list[Card]]]] = {k: [] for k in QuizKind if k in kinds}
    seen: set[str] = set()
    for deck in decks:
        if deck.failed:
            continue
        for card in deck.cards:
            kind = _plan_kind(card)
            if kind in out and card.key not in seen:
                seen.add(card.key)
                out[kind].append((card, deck.cards))
    return out


def available_counts(decks: Iterable[Deck], kinds: Iterable[QuizKind | str] = tuple(QuizKind)) -> dict[QuizKind, int]:
    """How many cards can be asked per kind (a glossary row counts once per direction; drill and
    gradient cards whose TOML turns out broken are counted)."""
    out = {}
    rng = random.Random(0)  # whether a card has enough distractors does not depend on the draw
    for kind, pool in _candidates(decks, {QuizKind(k) for k in kinds}).items():
        if kind is QuizKind.CHOICE:
            pool = [c for c, cards in pool if c.kind is CardKind.MCQ or choice_options(c, cards, rng)]
        out[kind] = len(pool)
    return out


def _make_item(card: Card, deck_cards: list[Card], kind: QuizKind, rng: random.Random) -> QuizItem | None:
    if kind is QuizKind.CHOICE:
        if card.kind is CardKind.MCQ:
            right = [card.choices[i].text for i in card.correct_choices]
            ask = "pick every right option" if len(right) > 1 else ""
            return QuizItem(card, kind, card.front, " / ".join(right), ask,
                            tuple(c.text for c in card.choices), frozenset(card.correct_choices))
        distractors = choice_options(card, deck_cards, rng)
        if not distractors:
            return None
        options = [card.back, *distractors]
        rng.shuffle(options)
        prompt, ask = card.front, ""
        if card.kind is CardKind.GLOSSARY:
            ask = "pick the definition"
        elif card.kind is CardKind.GLOSSARY_REVERSE:
            ask = "which term is this?"
        return QuizItem(card, kind, prompt, card.back, ask, tuple(options), frozenset({options.index(card.back)}))
    if kind is QuizKind.TYPED:
        return QuizItem(card, kind, card.front, card.back)
    if kind is QuizKind.CLOZE:
        return QuizItem(card, kind, card.front, card.back)
    if kind is QuizKind.DRILL:
        from quizapp.core.formula.drills import parse_drill_toml

        drill, _problems = parse_drill_toml(card.spec, validate=False)
        if drill is None:
            return None
        return QuizItem(card, kind, drill.prompt, drill.answer, drill=drill)
    if kind is QuizKind.GRADIENT:
        import tomllib

        from quizapp.core.generators import generate
        from quizapp.core.generators.format import arr

        try:
            spec = tomllib.loads(card.spec)
            question = generate(spec["family"], seed=rng.randrange(2**31),
                                difficulty=spec.get("difficulty", "easy"),
                                activation=spec.get("activation"), params=spec.get("params"))
        except (KeyError, ValueError, TypeError, tomllib.TOMLDecodeError):
            return None
        names = tuple(question.answer)
        expected = "; ".join(f"{n} = {arr(question.answer[n])}" for n in names)
        return QuizItem(card, kind, question.prompt, expected, answers=names, question=question)
    return None


def build_quiz(decks: Iterable[Deck], kinds: Iterable[QuizKind | str], count: int, *,
               seed: int | None = None, time_limit: float | None = None,
               collection: Collection | None = None, clock: Clock = utcnow, now: float = 0.0) -> Quiz:
    """A quiz of up to ``count`` items from ``decks`` of the chosen ``kinds``.

    Kinds take turns (so each chosen kind is asked when it has cards), cards are drawn at random
    without repeating a fact (a glossary row is asked in one direction only), then the items are
    shuffled. ``seed`` None draws one (kept in ``quiz.seed``). ``time_limit`` is in seconds."""
    if count < 1:
        raise ValueError(f"count must be ≥ 1, got {count}")
    decks = [d for d in decks if not d.failed]
    wanted = [QuizKind(k) for k in dict.fromkeys(kinds)]
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    pools = _candidates(decks, set(wanted))
    for pool in pools.values():
        rng.shuffle(pool)
    items: list[QuizItem] = []
    facts: set[tuple] = set()
    turn = [k for k in wanted if pools.get(k)]
    while len(items) < count and turn:
        for kind in list(turn):
            if len(items) >= count:
                break
            pool = pools[kind]
            while pool:
                card, deck_cards = pool.pop()
                if _fact(card) in facts:
                    continue
                item = _make_item(card, deck_cards, kind, rng)
                if item is not None:
                    facts.add(_fact(card))
                    items.append(item)
                    break
            if not pool:
                turn.remove(kind)
    rng.shuffle(items)
    return Quiz(items, time_limit=time_limit, decks=[d.id for d in decks], kinds=wanted, seed=seed,
                collection=collection, clock=clock, now=now)
