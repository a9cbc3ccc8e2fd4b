"""Burying siblings for the day, as Anki does (see :mod:`quizapp.core.content.siblings` for what a
note is).

Nothing is written for it: a new or review card whose sibling was *reviewed today* (a grade in
effect, undone ones excluded) is left out of today's queue and counts, and of the cards of one note
waiting today only the first is taken (learning cards first, then reviews by due time, then new
cards in deck order). So no sibling's FSRS state, due date or bury mark is touched, the burial ends
with the study day by itself, and undoing the grade brings the siblings back.
Learning and relearning cards are never held back: their steps go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def bury_siblings(learning: Iterable[str], due: list[str], unseen: list[str], group: Callable[[str], str],
                  reviewed_today: Iterable[str]) -> tuple[list[str], list[str], int]:
    """``(due, unseen, held)``: the due and unseen keys left once siblings are buried for today, and
    how many were held back. ``group(key)`` is the key's note; ``reviewed_today`` the keys graded today."""
    reviewers: dict[str, set[str]] = {}  # note → its keys graded today
    for key in reviewed_today:
        reviewers.setdefault(group(key), set()).add(key)
    taken = {group(k) for k in learning}
    kept_due: list[str] = []
    kept_unseen: list[str] = []
    for keys, kept in ((due, kept_due), (unseen, kept_unseen)):
        for key in keys:
            note = group(key)
            if note in taken or reviewers.get(note, {key}) - {key}:  # a sibling (not itself) graded today
                continue
            taken.add(note)
            kept.append(key)
    return kept_due, kept_unseen, len(due) + len(unseen) - len(kept_due) - len(kept_unseen)
