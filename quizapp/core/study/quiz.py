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

from quizapp.core.study.quiz_build import available_counts, build_quiz, choice_options
from quizapp.core.study.quiz_items import (
    KIND_LABELS, ItemResult, KindScore, MissedItem, QuizError, QuizItem, QuizKind, QuizRecord,
    QuizSummary, quiz_history,
)
from quizapp.core.study.quiz_run import Quiz

__all__ = [
    "KIND_LABELS", "ItemResult", "KindScore", "MissedItem", "Quiz", "QuizError", "QuizItem",
    "QuizKind", "QuizRecord", "QuizSummary", "available_counts", "build_quiz", "choice_options",
    "quiz_history",
]
