"""Maths in card Markdown, rendered: what the screens show, what typed answers are compared with,
and what ``quizapp check`` warns about.

:func:`render_maths_markdown` keeps the text Markdown (emphasis around maths still works) and puts
each formula's Unicode in place of its source, backslash-escaped so the Markdown renderer shows it
character for character. Display maths alone on its lines may become a 2-D block (a stacked
fraction) when it fits. Maths that cannot be read is shown as its own source.

Everything is cached by the text, so a card's maths is rendered once however often it is shown;
text without a ``$``, ``\\(`` or ``\\[`` is returned at once and never loads the LaTeX parser.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from quizapp.core.text.maths_spans import MathSpan, find_maths, may_have_maths

__all__ = ["MathsProblem", "maths_as_text", "maths_problems", "render_maths_markdown", "typed_maths"]

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_COMMAND = re.compile(r"\\[A-Za-z]{2,}|\\[{}|,;!]|[\^_]\{")


def escape_markdown(text: str) -> str:
    """``text`` with every ASCII punctuation character backslash-escaped: Markdown shows it as is."""
    return _PUNCTUATION.sub(r"\\\1", text)


def render_maths_markdown(text: str, layout: bool = True) -> str:
    """``text`` with its maths as Unicode (see the module docstring); ``layout`` False keeps every
    formula on one line (for renderers that reflow paragraphs)."""
    if not may_have_maths(text):
        return text
    return _render(text, layout)


@lru_cache(maxsize=8192)
def _render(text: str, layout: bool) -> str:
    from quizapp.core.text.latex import render_latex

    spans = find_maths(text)
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for span in spans:
        out.append(text[pos : span.start])
        shown = render_latex(span.latex, span.display)
        if not shown.ok:
            out.append(escape_markdown(text[span.start : span.end]))
        elif span.display and layout and shown.lines and _alone(text, span):
            indent = _indent(text, span.start)
            out.append(("\n" + indent).join(escape_markdown(line) for line in shown.lines))
        else:
            out.append(escape_markdown(shown.text))
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def _alone(text: str, span: MathSpan) -> bool:
    """Whether only whitespace shares the span's first and last lines."""
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    after = text[span.end :] if line_end < 0 else text[span.end : line_end]
    return not text[line_start : span.start].strip() and not after.strip()


def _indent(text: str, at: int) -> str:
    return text[text.rfind("\n", 0, at) + 1 : at]


@lru_cache(maxsize=4096)
def maths_as_text(text: str) -> str:
    """``text`` with each formula replaced by its one-line Unicode (no escaping): for comparing."""
    if not may_have_maths(text):
        return text
    from quizapp.core.text.latex import render_latex

    out: list[str] = []
    pos = 0
    for span in find_maths(text):
        shown = render_latex(span.latex)
        out.append(text[pos : span.start])
        out.append(shown.text if shown.ok else text[span.start : span.end])
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def typed_maths(text: str, *, latex_likely: bool = False) -> str:
    """What a learner typed, with LaTeX read as maths: delimited maths anywhere (``$x^2$``), or the
    whole text when it is LaTeX without delimiters (``\\sigma(z)``, ``x^{2}``; with
    ``latex_likely`` — the expected answer is maths — also ``x^2`` and ``x_i``)."""
    if may_have_maths(text):
        return maths_as_text(text)
    if _COMMAND.search(text) or (latex_likely and ("^" in text or "_" in text)):
        from quizapp.core.text.latex import render_latex

        shown = render_latex(text)
        return shown.text if shown.ok else text
    return text


class MathsProblem(NamedTuple):
    offset: int  # where the formula starts in the text
    message: str


def maths_problems(text: str) -> list[MathsProblem]:
    """What ``quizapp check`` says about the maths of ``text``: formulas that cannot be read (shown
    as written) and commands it does not know."""
    if not may_have_maths(text):
        return []
    from quizapp.core.text.latex import render_latex

    found = []
    for span in find_maths(text):
        shown = render_latex(span.latex, span.display)
        source = _clip(text[span.start : span.end])
        if not shown.ok:
            found.append(MathsProblem(span.start, f"maths {source} cannot be read ({shown.problems[0]}); "
                                                  "it is shown as written"))
        else:
            found += [MathsProblem(span.start, f"maths {source}: {p}") for p in dict.fromkeys(shown.problems)]
    return found


def _clip(source: str, limit: int = 60) -> str:
    source = " ".join(source.split())
    return source if len(source) <= limit else source[: limit - 1] + "…"
