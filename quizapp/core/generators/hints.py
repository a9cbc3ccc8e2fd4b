"""Hints that name the next intermediate of a worked solution, without its numbers.

A family may write its own (``Draft.hints`` → ``Question.hints``: "first x̂ = (x − μ)/√(σ² + ε)");
otherwise ``hints_for`` takes one from each solution step: the step up to where its computed
numbers start ("Xᵀ dZ = [1, 2; 3, 4]" → "Xᵀ dZ"), so a family that only writes a solution still
gets hints in the Gradient Lab. They are worked out when asked for, not for every generated
question (``quizapp questions`` never shows them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

__all__ = ["hints_for", "hints_from_solution"]

# A step's numbers start at " = " (outside brackets) followed by a number, an array or a minus.
_NUMBER_AHEAD = re.compile(r"\s*[\[(]*\s*[−\-]?\d")
_OPEN, _CLOSE = "([{", ")]}"
MIN_HEAD = 3  # "m" alone names nothing


def _formula(step: str) -> str:
    depth = 0
    for i, ch in enumerate(step):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif (ch == "=" and depth == 0 and step[i - 1:i] == " "
              and _NUMBER_AHEAD.match(step, i + 1)):
            return step[:i].strip().rstrip(":;,").strip()
    return step.strip()


def hints_from_solution(solution: Sequence[str]) -> tuple[str, ...]:
    """One hint per step that has a formula before its numbers: "first …", then "then …"."""
    heads = [h for h in (_formula(step) for step in solution) if len(h) >= MIN_HEAD]
    out = []
    for i, head in enumerate(heads):
        out.append(("first " if i == 0 else "then ") + head)
    return tuple(out)


def hints_for(question: Any) -> tuple[str, ...]:
    """The question's own hints, else those of its solution's steps."""
    return tuple(question.hints) or hints_from_solution(question.solution)
