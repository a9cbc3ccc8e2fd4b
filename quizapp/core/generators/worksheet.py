"""Questions rendered for people: plain text (question, answer, solution) and a printable
Markdown worksheet whose answer key comes after all the questions."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from quizapp.core.answers import tolerance_text
from quizapp.core.generators.base import Question
from quizapp.core.generators.format import arr

__all__ = ["answer_text", "heading", "markdown", "text"]

WIDTH = 100


def answer_text(q: Question, name: str) -> str:
    """The answer as the key shows it: exact for integers, else 4 significant digits."""
    value = q.answer[name]
    if q.tolerances[name].integer:
        return str(int(value))
    return arr(value)


def heading(q: Question) -> str:
    """"Activation value — relu, easy" (the activation only where there is one)."""
    bits = [q.activation] if q.activation else []
    return f"{q.title} — {', '.join(bits + [q.difficulty])}"


def _tolerance(q: Question, name: str) -> str:
    t = q.tolerances[name]
    return tolerance_text(t.rtol, t.atol, t.integer)


def _tolerances(q: Question) -> str:
    """One tolerance for the whole question when its answers share it, else per answer."""
    texts = {name: _tolerance(q, name) for name in q.answer}
    if len(set(texts.values())) == 1:
        return next(iter(texts.values()))
    return "; ".join(f"{name}: {t}" for name, t in texts.items())


# An operator standing alone ("(1 − y)") stays on the line of what precedes it: a continuation line
# starting with "− y" or "• …" would read as a new bullet. textwrap breaks only at ASCII whitespace,
# so a no-break space holds them together while wrapping.
_LONE_OPERATOR = re.compile(r" (?=[−\-+=×·•*≈≤≥/→⊙÷] )")


def _wrap(text: str, indent: str = "") -> list[str]:
    """``text`` wrapped under ``indent``; continuation lines are indented as far, without repeating
    a bullet or step number and never starting with an operator (a long formula must not read as
    two conventions)."""
    rest = " " * len(indent)
    glued = _LONE_OPERATOR.sub("\u00a0", text.replace("\u00a0", " "))
    lines = textwrap.wrap(glued, WIDTH, initial_indent=indent, subsequent_indent=rest) or [indent]
    return [line.replace("\u00a0", " ") for line in lines]


def text(questions: Sequence[Question], seed: int | None = None) -> str:
    """Human-readable listing: each question, then its answers and worked solution."""
    out: list[str] = []
    if seed is not None:
        out.append(f"{len(questions)} question(s), seed {seed}\n")
    for i, q in enumerate(questions, 1):
        out.append(f"Question {i}: {heading(q)}   [{q.id}]")
        out += _wrap(q.prompt, "  ")
        out.append("  Conventions:")
        for c in q.conventions:
            out += _wrap(c, "    • ")
        out.append(f"  Answer ({_tolerances(q)}):")
        out += [f"    {name} = {answer_text(q, name)}" for name in q.answer]
        out.append("  Worked solution:")
        for k, step in enumerate(q.solution, 1):
            out += _wrap(step, f"    {k}. ")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def markdown(questions: Sequence[Question], seed: int | None = None) -> str:
    """A printable worksheet: questions with blanks, then the answer key with worked solutions."""
    out = ["# Gradient practice worksheet", ""]
    meta = f"{len(questions)} question(s)" + (f", seed {seed}" if seed is not None else "")
    out += [f"{meta}. Numbers are graded within 1% unless a question says otherwise. "
            "The answer key is at the end.", ""]
    for i, q in enumerate(questions, 1):
        out += [f"## {i}. {heading(q)}", "", q.prompt, "", "Conventions:", ""]
        out += [f"- {c}" for c in q.conventions]
        out += ["", "Your answer:", ""]
        out += [f"- `{name}` = ____________________" for name in q.answer]
        out.append("")
    out += ["---", "", "## Answer key", ""]
    for i, q in enumerate(questions, 1):
        out += [f"### {i}. {heading(q)}", "", f"Question id: `{q.id}`", ""]
        out += [f"- `{name}` = `{answer_text(q, name)}`" for name in q.answer]
        out += ["", f"Tolerance: {_tolerances(q)}.", "", "Worked solution:", ""]
        out += [f"{k}. {step}" for k, step in enumerate(q.solution, 1)]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
