"""Anki's text export → deck: headers, separators, HTML, GUIDs as ids, note types, cloze."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.core.content.parser import parse_deck
from quizapp.core.interop.anki_text import (
    cloze_to_ours,
    guid_to_id,
    id_to_guid,
    import_anki_text,
)
from quizapp.core.interop.html_markdown import html_to_markdown

FIXTURES = Path(__file__).parents[2] / "fixtures" / "interop"
EXPORT = FIXTURES / "anki-export.txt"


def test_anki_export_with_headers_and_html():
    result = import_anki_text(EXPORT.read_text(encoding="utf-8"), str(EXPORT))
    deck = parse_deck(result.text, "anki-export.md")
    assert deck.errors == []
    assert result.by_kind() == {"qa": 5, "cloze": 2}
    assert result.title == "ML"  # the deck column's common parent (ML::Activations, ML::Init)
    cards = {c.key: c for c in deck.cards}
    relu = cards["anki-export:" + guid_to_id("f:J0D/*y")]
    assert relu.front == "What is **ReLU**?" and relu.back == "max(0, z)\\\noutputs *z* if positive, else 0"
    assert relu.section == "Activations · activations, relu"
    init = cards["anki-export:anki-Xy_5f12.ab"]
    assert init.back == "He init:\n\n- std = sqrt(2/n_in)\n- zero biases"
    assert cards["anki-export:anki-Mm3kQ9zLp1"].front == 'Why not "zero" weights?'  # "" in a quoted field
    blanks = [c for c in deck.cards if c.kind == "cloze"]
    assert [c.back for c in blanks] == ["1", "0"]
    assert blanks[1].front == "ReLU's derivative is 1 for z > 0 and [value] for z < 0."
    assert "```python\nw -= lr * grad\n```" in cards["anki-export:anki-Code00001"].back
    assert [(s.line, s.reason) for s in result.skipped] == [
        (13, "note without an answer"), (14, "cloze note without {{c1::…}} blanks")]
    assert any("Basic (and reversed card)" in n and "one-way" in n for n in result.notices)
    made = {m.front: m for m in result.made}
    assert made["Leaky ReLU"].detail == "Basic (and reversed card)" and made["Leaky ReLU"].line == 8


@pytest.mark.parametrize("name, sep", [("Comma", ","), ("Semicolon", ";"), ("Pipe", "|"), ("Space", " "), ("Tab", "\t")])
def test_separators_and_plain_text(name, sep):
    rows = [["What is 2*3?", "6 (not *italic*)"], ["Why?", "Because"]]
    body = "\n".join(sep.join(f'"{f}"' if sep in f else f for f in r) for r in rows)
    text = f"#separator:{name}\n#html:false\n#deck:Maths::Basics\n#notetype:Basic\n{body}\n"
    result = import_anki_text(text, "maths.txt", deck_id="maths")
    deck = parse_deck(result.text, "maths.md")
    assert deck.errors == [] and result.title == "Maths — Basics"
    assert [(c.front, c.back) for c in deck.cards] == [("What is 2\\*3?", "6 (not \\*italic\\*)"), ("Why?", "Because")]
    assert deck.cards[0].key.startswith("maths:what-is-2-3")  # no GUID column: ids from the question


def test_multiline_quoted_field_tags_header_and_unknown_header():
    text = ('#separator:tab\n#html:true\n#tags:ml interview\n#frobnicate:yes\n'
            'Front line\t"<div>first</div>\n<div>second with a <b>tab</b>\there</div>"\n')
    result = import_anki_text(text, "x.txt")
    deck = parse_deck(result.text, "x.md")
    assert deck.tags == ("ml", "interview")
    assert deck.cards[0].back == "first\n\nsecond with a **tab** here"
    assert any("unknown header #frobnicate" in n for n in result.notices)
    assert result.made[0].line == 5


@pytest.mark.parametrize("guid", ["f:J0D/*y", "Ot7Z@<0f#H", "bK4w9xRq2P", "Xy_12.ab", "a-b.c", "é~`'\"|{}"])
def test_guid_ids_round_trip_and_are_valid(guid):
    from quizapp.core.content.identity import VALID_ID

    card_id = guid_to_id(guid)
    assert VALID_ID.match(card_id) and card_id.startswith("anki-")
    assert id_to_guid(card_id) == guid


def test_guid_case_is_kept_and_other_ids_are_not_guids():
    assert guid_to_id("AbC") != guid_to_id("abc")
    assert id_to_guid("what-is-relu") is None and id_to_guid("anki-xy:2") is None


def test_cloze_conversion():
    assert cloze_to_ours("a {{c1::x}} b {{c2::y::hint}} c") == ("a {{x}} b {{y::hint}} c", 2)
    assert cloze_to_ours("{{c1::outer {{c2::inner}} end}}") == ("{{outer inner end}}", 2)
    assert cloze_to_ours("{{c1::a}} and {{c1::b}}") == ("{{a}} and {{b}}", 1)
    assert cloze_to_ours("literal {{x}} and {{c1::y}}")[0] == "literal {\\{x}} and {{y}}"


def test_html_conversion():
    html = ('<p>Text with <b>bold</b>, <em>em</em>, <code>a*b</code> &amp; 2*3 &lt;tag&gt;</p>'
            '<ol><li>one</li><li>two<ul><li>nested</li></ul></li></ol>'
            '<img src="x.png" alt="a plot"><script>alert(1)</script><!-- c -->'
            '<table><tr><th>A</th><th>B</th></tr><tr><td>1|2</td><td>3</td></tr></table>'
            '<h2>Heading</h2><hr><blockquote>quoted</blockquote>')
    md = html_to_markdown(html)
    assert md == ("Text with **bold**, *em*, `a*b` & 2\\*3 &lt;tag>\n\n1. one\n2. two\n   - nested\n\n"
                  "[Image: a plot](x.png)\n\n| A | B |\n|---|---|\n| 1\\|2 | 3 |\n\n**Heading**\n\n> quoted")
    assert html_to_markdown("<h2>H</h2><hr>", headings=True) == "## H\n\n---"
    assert html_to_markdown("a<br>b<br><br>c") == "a\\\nb\n\nc"
    assert html_to_markdown("# not a heading") == "\\# not a heading"
