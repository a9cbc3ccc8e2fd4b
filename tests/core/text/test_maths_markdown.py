"""Maths inside card Markdown: which dollars are maths, what is left alone, what the screens get,
and how typed answers with maths are compared."""

from __future__ import annotations

import pytest

from quizapp.core.text.maths_markdown import maths_as_text, maths_problems, render_maths_markdown
from quizapp.core.text.maths_spans import find_maths
from quizapp.core.text.compare import compare_text


def spans(text: str) -> list[str]:
    return [s.latex for s in find_maths(text)]


@pytest.mark.parametrize("text", [
    "It costs $5 and $10 today.",
    "Between $5 and $10, or $20.",
    "A $ sign alone, and another $ here.",
    "Price: $5.",
    "US$5 or US$10",
    "empty $$$$ display",
])
def test_money_is_not_maths(text):
    assert spans(text) == []
    assert render_maths_markdown(text) == text


def test_the_four_delimiters():
    text = r"inline $x_i$, \(y^2\), display $$\frac{a}{b}$$ and \[\sqrt{d}\]"
    assert [(s.latex, s.display) for s in find_maths(text)] == [
        ("x_i", False), ("y^2", False), (r"\frac{a}{b}", True), (r"\sqrt{d}", True)]
    assert maths_as_text(text) == "inline xᵢ, y², display a/b and √d"


@pytest.mark.parametrize("text", [
    "Code `$x_i$` stays code",
    "Fenced:\n```python\nprice = \"$x_i$\"\n```",
    "~~~\n$x$\n~~~",
    r"Escaped \$x_i\$ stays text",
    r"Escaped \\(x\\) stays text",
    "priced $5 and `$code$` here",
    "a [link](http://x.org/$a$) and <http://x.org/$b$>",
])
def test_code_escapes_and_addresses_are_left_alone(text):
    assert spans(text) == []
    assert maths_as_text(text) == text


def test_maths_next_to_code_is_still_found():
    assert spans("`code` and $x^2$ and ```$y$```") == ["x^2"]


def test_maths_does_not_run_across_a_blank_line():
    assert spans("one $a\n\ntwo b$") == []
    assert spans("one $a\nsame paragraph b$") == ["a\nsame paragraph b"]


def test_rendered_text_stays_markdown_and_is_escaped():
    out = render_maths_markdown(r"**bold $x_i * y_i$** and $a_b$ _em_")
    # the maths is escaped so Markdown shows it as is; the author's emphasis around it still works
    assert out == r"**bold xᵢ ∗ yᵢ** and a\_b _em_"


def test_display_maths_alone_on_its_lines_is_stacked():
    text = "The softmax is\n$$\\sigma_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}$$\nfor every i."
    out = render_maths_markdown(text)
    assert out.split("\n") == [
        "The softmax is",
        "       e\\^\\(zᵢ\\)",
        "σᵢ \\= ───────────",
        "      ∑ⱼ e\\^\\(zⱼ\\)",
        "for every i.",
    ]
    # in running text, or for a renderer that reflows paragraphs, it stays on one line
    assert render_maths_markdown(text, layout=False).split("\n")[1] == "σᵢ \\= e\\^\\(zᵢ\\)\\/∑ⱼ e\\^\\(zⱼ\\)"
    inline = render_maths_markdown(r"so $$\frac{a}{b}$$ here")
    assert inline == r"so a\/b here"


def test_indented_display_block_keeps_its_indent():
    out = render_maths_markdown("- item\n\n  $$\\frac{1}{n}$$")
    assert out.split("\n")[2:] == ["   1", "  ───", "   n"]


def test_malformed_maths_shows_its_source_and_is_reported():
    text = r"see $\frac{a$ here and $\foo{x}$"
    assert maths_as_text(text) == r"see $\frac{a$ here and \foo{x}"
    assert render_maths_markdown(text).startswith(r"see \$\\frac\{a\$ here")
    problems = maths_problems(text)
    assert [(p.offset, p.message) for p in problems] == [
        (4, r"maths $\frac{a$ cannot be read (a '{' is never closed); it is shown as written"),
        (23, r"maths $\foo{x}$: unknown command \foo (shown as written)"),
    ]


def test_text_without_maths_is_returned_untouched():
    text = "No maths here: a_b, x^2, 5 * 3"
    assert render_maths_markdown(text) is text
    assert maths_as_text(text) is text


@pytest.mark.parametrize(("typed", "expected"), [
    ("σ(z)", r"$\sigma(z)$"),
    (r"\sigma(z)", r"$\sigma(z)$"),
    ("sigma(z)", r"$\sigma(z)$"),
    (r"$\sigma(z)$", "σ(z)"),
    (r"\sigma(z)", "σ(z)"),
    ("x^2", "$x^2$"),
    ("x²", "$x^2$"),
    ("W^T x", r"$\mathbf{W}^T x$"),
    (r"\hat{x}", r"$\hat{x}$"),
    ("1/(1+e^(-z))", r"$\frac{1}{1+e^{-z}}$"),
])
def test_typed_answers_with_maths_are_compared_as_they_read(typed, expected):
    assert compare_text(typed, expected).correct


def test_typed_maths_still_catches_a_wrong_answer():
    verdict = compare_text("x^3", "$x^2$")
    assert not verdict.correct
    assert verdict.expected_norm == "x ^ 2" and verdict.given_norm == "x ^ 3"
