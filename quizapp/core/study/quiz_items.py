"""Quiz items, their results and the quiz record, and how one answer is graded (see
:mod:`quizapp.core.study.quiz` for the whole quiz mode)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from quizapp.core.content.model import Card
from quizapp.core.text.compare import compare_text, normalize_text

if TYPE_CHECKING:
    from quizapp.core.srs.store import Collection


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
    overridden: bool = False  # graded wrong, then marked right by the learner ("I was right")


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
        from quizapp.core.formula.drills import ForbiddenCall
        from quizapp.core.formula.language import ExprError

        try:
            verdict = item.drill.grade(given)
        except ForbiddenCall as error:  # an input error: the question stays
            raise QuizError(str(error)) from None
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
        if verdict is not None and verdict.input_error is not None:  # a typo: the question stays
            raise QuizError(f"{name}: {verdict.input_error} — fix it and press Enter (nothing was graded)")
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


