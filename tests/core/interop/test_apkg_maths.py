"""Deck maths goes to Anki as MathJax (``\\(…\\)``, ``\\[…\\]``), which Anki renders natively."""

from __future__ import annotations

import sqlite3
import zipfile

from quizapp.core.content.parser import parse_deck
from quizapp.core.interop.apkg_export import write_apkg
from quizapp.core.interop.markdown_html import markdown_to_html

DECK = r"""+++
deck = "maths-export"
+++
# Maths

**Q: What is $\sigma(z)$?** <!-- id: sigmoid -->
A: $$\sigma(z) = \frac{1}{1+e^{-z}}$$
for $5 and $10, and `$code$` stays.

| Term | Definition |
|------|------------|
| Softmax | \(\frac{e^{z_i}}{\sum_j e^{z_j}}\) |

The gradient of $x^2$ is {{$2x$}} and $a < b$.
"""


def test_markdown_maths_becomes_mathjax():
    assert markdown_to_html(r"the $x_i^2$ and $$\frac{a}{b}$$") == r"the \(x_i^2\) and \[\frac{a}{b}\]"
    assert markdown_to_html(r"\(a\) and \[b\]") == r"\(a\) and \[b\]"
    assert markdown_to_html("costs $5 and $10") == "costs $5 and $10"
    assert markdown_to_html("`$x$` and \\$y\\$") == "<code>$x$</code> and $y$"
    assert markdown_to_html("$a < b$ and $*x*$") == r"\(a &lt; b\) and \(*x*\)"  # escaped HTML, no emphasis


def test_apkg_fields_carry_mathjax(tmp_path):
    deck = parse_deck(DECK, "maths.md")
    out = tmp_path / "maths.apkg"
    write_apkg([deck], out)
    with zipfile.ZipFile(out) as z:
        z.extract("collection.anki2", tmp_path)
    con = sqlite3.connect(tmp_path / "collection.anki2")
    fields = [f.split("\x1f") for (f,) in con.execute("select flds from notes order by id")]
    con.close()
    by_front = {f[0]: f[1] for f in fields}
    assert by_front[r"What is \(\sigma(z)\)?"] == (
        r"\[\sigma(z) = \frac{1}{1+e^{-z} }\]<br>for $5 and $10, and <code>$code$</code> stays.")
    assert by_front["Softmax"] == r"\(\frac{e^{z_i} }{\sum_j e^{z_j} }\)"
    cloze = next(f[0] for f in fields if "{{c1::" in f[0])
    # '}}' inside maths is spaced so Anki's cloze parser does not end the deletion there
    assert cloze == r"The gradient of \(x^2\) is {{c1::\(2x\)}} and \(a &lt; b\)."
