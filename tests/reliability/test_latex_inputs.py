"""Hostile and broken maths: never an exception, never a hang, the source shown, check located.

Scaled down to run in seconds: 10,000 nested braces, 20,000 dollar signs, 5,000 unclosed \\(,
chains of commands, and random LaTeX-ish text through every path a formula takes (screen, typed
answer, formula language, .apkg, check)."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core.content.check import run_check
from quizapp.core.content.parser import parse_deck
from quizapp.core.formula.language import ExprError, parse
from quizapp.core.interop.markdown_html import markdown_to_html
from quizapp.core.text.latex import render_latex
from quizapp.core.text.maths_markdown import maths_as_text, maths_problems, render_maths_markdown
from quizapp.core.text.maths_spans import find_maths
from quizapp.core.text.compare import compare_text

PIECES = ["$", "$$", "\\(", "\\)", "\\[", "\\]", "{", "}", "^", "_", "\\frac", "\\sqrt", "\\left(", "\\right)",
          "\\begin{pmatrix}", "\\end{pmatrix}", "&", "\\\\", "`", "\\", "%", "x", "2", " ", "\n", "\n\n", "\\foo",
          "\\hat", "'", "```\n", "\x00", "\x1b[31m", "é", "𝔼"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _all_paths(text: str) -> None:
    render_maths_markdown(text)
    render_maths_markdown(text, layout=False)
    maths_as_text(text)
    maths_problems(text)
    markdown_to_html(text)
    compare_text(text, text)
    try:
        parse(text)
    except ExprError:
        pass


@SETTINGS
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_random_latex_never_raises(text):
    _all_paths(text)
    shown = render_latex(text, display=True)
    assert shown.ok or shown.text == " ".join(text.split())


def test_ten_thousand_nested_braces_on_a_card(tmp_path):
    deep = "{" * 10_000 + "x" + "}" * 10_000
    envs = "\\begin{pmatrix}" * 5000
    deck = tmp_path / "deep.md"
    deck.write_text(f"# Deep\n\n**Q: Deep?**\nA: ${deep}$\n\nQ: Env?\nA: $${envs}$$\n", encoding="utf-8")
    start = time.perf_counter()
    card = parse_deck(deck.read_text(encoding="utf-8"), str(deck)).cards[0]
    assert render_maths_markdown(card.back) == "\\$" + "\\{" * 10_000 + "x" + "\\}" * 10_000 + "\\$"
    problems = [p for p in run_check([deck]).library.problems if "maths" in p.message]
    assert [(p.line, p.col) for p in problems] == [(4, 4), (7, 4)]
    assert "too long to render" in problems[0].message and "cannot be read" in problems[1].message
    assert time.perf_counter() - start < 30  # a hang guard only (speed: benchmarks/); 2 cores may be loaded


def test_command_chains_that_recurse_in_the_parser_are_refused():
    for chain in (r"\hat" * 1500 + "x", r"\sqrt" * 900 + "{x}", r"\frac" * 600 + "12", "x^{" * 45 + "}" * 45):
        shown = render_latex(chain)
        assert not shown.ok and shown.text == chain


def _timed(fn, text: str) -> float:
    start = time.perf_counter()
    fn(text)
    return time.perf_counter() - start


def test_many_dollars_and_openers_are_read_in_linear_time():
    for unit in ("$5 and ", "\\( ", "$$ ", "`$` "):
        small, big = unit * 2_500, unit * 10_000
        find_maths(small)
        t_small = min(_timed(find_maths, small) for _ in range(3))
        t_big = min(_timed(find_maths, big) for _ in range(3))
        assert t_big < 12 * t_small + 0.05, (unit, t_small, t_big)  # 4× the text: ~4× the time, not 16×


def test_money_next_to_maths_and_code_on_a_card():
    deck = parse_deck("# M\n\n**Q: Price?**\nA: $5 and $10; `$x$`; $x^2$ and \\$y\\$\n", "m.md")
    assert render_maths_markdown(deck.cards[0].back) == r"$5 and $10; `$x$`; x² and \$y\$"
