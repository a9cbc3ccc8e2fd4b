"""Decks → .apkg: reopened as SQLite; models, fields, GUIDs, tags; GUIDs stable across exports."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest

from quizapp.core.content.parser import parse_deck
from quizapp.core.interop.anki_text import import_anki_text
from quizapp.core.interop.apkg_export import anki_deck_id, cloze_text, write_apkg
from quizapp.core.interop.markdown_html import markdown_to_html

FIXTURES = Path(__file__).parents[2] / "fixtures" / "interop"
DECK = FIXTURES / "export-deck.md"


def _deck():
    return parse_deck(DECK.read_text(encoding="utf-8"), str(DECK))


def _open(path: Path, tmp: Path):
    with zipfile.ZipFile(path) as z:
        assert "collection.anki2" in z.namelist()
        z.extract("collection.anki2", tmp)
    con = sqlite3.connect(tmp / "collection.anki2")
    models = {int(k): v for k, v in json.loads(con.execute("select models from col").fetchone()[0]).items()}
    decks = json.loads(con.execute("select decks from col").fetchone()[0])
    notes = [(guid, models[mid]["name"], flds.split("\x1f"), tags.split())
             for guid, mid, flds, tags in con.execute("select guid, mid, flds, tags from notes order by id")]
    cards = con.execute("select count(*) from cards").fetchone()[0]
    con.close()
    return notes, decks, cards, models


@pytest.fixture
def exported(tmp_path):
    deck = _deck()
    out = tmp_path / "demo.apkg"
    summary = write_apkg([deck], out)
    return deck, out, summary, _open(out, tmp_path)


def test_apkg_notes_models_fields(exported):
    _, _, summary, (notes, decks, cards, models) = exported
    assert summary.by_model() == {"Basic (and reversed card)": 2, "Basic": 6, "Cloze": 2}
    by_name = {m["name"] for m in models.values()}
    assert {"Basic (genanki)", "Basic (and reversed card) (genanki)", "Cloze (genanki)"} <= by_name
    assert cards == 2 * 2 + 6 + 2 + 1  # glossary rows give 2 cards each; the 2-blank sentence 2
    assert str(anki_deck_id("export-demo")) in decks and decks[str(anki_deck_id("export-demo"))]["name"] == "Export demo"
    fields = {n[2][0]: n for n in notes}
    relu = fields["ReLU"]
    assert relu[1] == "Basic (and reversed card) (genanki)" and relu[2][1] == "max(0, z)"
    assert relu[0] == genanki.guid_for("export-demo:glossary:relu")
    assert relu[3] == ["activations", "glossary"]
    qa = fields["What is dying ReLU?"]
    assert qa[0] == genanki.guid_for("export-demo:dying-relu")
    assert qa[2][1].startswith("<p>Neurons stuck at 0 with <em>zero</em> gradient; <code>a &lt; b</code>")
    assert "<ul><li>they never recover</li></ul>" in qa[2][1] and "see the training demo." in qa[2][1]
    mcq = next(n for n in notes if n[2][0].startswith("Which activation"))
    assert '<ol type="A"><li>ReLU</li><li>Leaky ReLU</li><li>Sigmoid</li></ol>' in mcq[2][0]
    assert mcq[2][1].startswith("<ul><li>B. Leaky ReLU</li></ul>") and "Its derivative is α" in mcq[2][1]
    clozes = [n for n in notes if n[1] == "Cloze (genanki)"]
    assert [n[2][0] for n in clozes] == [
        "Dead neurons output {{c1::0}} for all inputs and {{c2::never::when?}} recover.",
        "Leaky ReLU's default α is {{c1::0.01}}.",
    ]
    assert clozes[0][0] == genanki.guid_for("export-demo:dead-cloze")
    drill = fields["Derivative of Leaky ReLU with respect to z"]
    assert drill[2][1].startswith("<code>1 if z &gt; 0 else alpha</code>") and "graded by quizapp" in drill[2][1]
    assert "The leak keeps a gradient of α." in drill[2][1]
    assert any(n[2][0].startswith("Compute the gradient") for n in notes)
    assert fields["ReLU — Derivative (z ≤ 0)?"][2][1] == "<strong>0</strong>"


def test_guids_are_stable_across_exports(tmp_path):
    first = _open_guids(tmp_path, "a")
    second = _open_guids(tmp_path, "b")
    assert first == second and len(set(first)) == len(first) == 10


def _open_guids(tmp: Path, name: str) -> list[str]:
    folder = tmp / name
    folder.mkdir()
    write_apkg([_deck()], folder / "x.apkg")
    return [n[0] for n in _open(folder / "x.apkg", folder)[0]]


def test_anki_imported_ids_export_with_their_original_guids(tmp_path):
    text = "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n" \
           "f:J0D/*y\tBasic\tWhat?\tThat.\nbK4w9xRq2P\tCloze\t{{c1::a}} and {{c2::b}}\t\n"
    result = import_anki_text(text, "mine.txt")
    notes = _open_after_write(tmp_path, parse_deck(result.text, "mine.md"))
    assert {n[0] for n in notes} == {"f:J0D/*y", "bK4w9xRq2P"}
    assert next(n for n in notes if n[0] == "bK4w9xRq2P")[2][0] == "{{c1::a}} and {{c2::b}}"


def _open_after_write(tmp: Path, deck):
    write_apkg([deck], tmp / "x.apkg")
    return _open(tmp / "x.apkg", tmp)[0]


def test_cloze_text_with_hints_and_repeated_words():
    deck = parse_deck("a {{a}} a {{a::letter}} [x] {{b}}.\n", "c.md")
    assert cloze_text(deck.cards) == "a {{c1::a}} a {{c2::a::letter}} [x] {{c3::b}}."


def test_markdown_to_html_escapes_and_links_images():
    assert markdown_to_html("**b** <script>x</script>") == "<strong>b</strong> &lt;script&gt;x&lt;/script&gt;"
    assert markdown_to_html("![plot](p.png)") == '<a href="p.png">plot</a>'
    assert markdown_to_html("one\ntwo <!-- id: x -->") == "one<br>two"
    assert markdown_to_html("```\na\nb\n```") == "<pre><code>a\nb\n</code></pre>"
