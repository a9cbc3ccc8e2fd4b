"""`quizapp import deck.apkg`: note types, media, maths, ids from GUIDs, both package formats."""

from __future__ import annotations

import genanki
import pytest

from quizapp.cli import main
from quizapp.core.content.parser import parse_deck

from apkg_builders import build_genanki, to_anki21b

BASIC, REVERSE = genanki.BASIC_MODEL, genanki.BASIC_AND_REVERSED_CARD_MODEL
CLOZE, TYPE_IN = genanki.CLOZE_MODEL, genanki.BASIC_TYPE_IN_THE_ANSWER_MODEL


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    return tmp_path


def sample(path):
    return build_genanki(path, [
        (BASIC, ["What is \\(x^2 &lt; y\\) <b>here</b>?", 'An area <img src="pic one.png"> [sound:s.mp3]'], "abc/def"),
        (REVERSE, ["ReLU", "max(0, x)"], "g2"),
        (CLOZE, ["{{c1::Paris::city}} is the capital of {{c2::France}}", "Back <i>extra</i>"], "g3"),
    ], media={"pic one.png": b"\x89PNG", "s.mp3": b"ID3"}, deck_name="ML::Basics",
        extra_decks={"Other Deck": [(TYPE_IN, ["2+2", "4"], "g4")]})


def test_apkg_becomes_one_deck_per_anki_deck_with_media_maths_and_guid_ids(work, capsys):
    sample(work / "shared.apkg")
    code, out, err = run(["import", "shared.apkg", "--out", "decks"], capsys)
    assert code == 0, err
    assert "4 notes, 6 cards, 0 reviews imported, 2 media files" in out
    ml = (work / "decks" / "ml.md").read_text()
    deck = parse_deck(ml, "ml.md")
    assert deck.errors == []
    keys = {c.key for c in deck.cards}
    assert keys == {"ml:anki-abc_2fdef", "ml:anki-g2", "ml:anki-g2_rv", "ml:anki-g3", "ml:anki-g3:2"}
    reverse = next(c for c in deck.cards if c.key == "ml:anki-g2_rv")  # Back → Front, as Anki's card 2
    assert "max(0, x)" in reverse.front and "ReLU" in reverse.back
    assert "## Basics" in ml
    assert "\\(x^2 < y\\)" in ml  # MathJax stays LaTeX, its entities decoded
    assert "{{Paris::city}} is the capital of {{France}}" in ml and "Back *extra*" in ml
    assert "[Image](ml.media/pic%20one.png)" in ml and "[Sound: s.mp3](ml.media/s.mp3)" in ml
    assert (work / "decks" / "ml.media" / "pic one.png").read_bytes() == b"\x89PNG"
    assert (work / "decks" / "ml.media" / "s.mp3").read_bytes() == b"ID3"
    other = (work / "decks" / "other-deck.md").read_text()
    assert "typed = true" in other and parse_deck(other, "other-deck.md").errors == []
    assert "\n## " not in other  # notes in the top deck itself sit under no section


def test_deck_and_title_need_a_package_with_one_deck(work, capsys):
    sample(work / "shared.apkg")
    code, _, err = run(["import", "shared.apkg", "--deck", "mine"], capsys)
    assert code == 1 and "holds 2 decks" in err
    build_genanki(work / "one.apkg", [(BASIC, ["Q", "A"], "g1")], deck_name="Solo")
    code, out, err = run(["import", "one.apkg", "--deck", "mine", "--title", "My deck"], capsys)
    assert code == 0, err
    text = (work / "mine.md").read_text()
    assert 'deck = "mine"' in text and 'title = "My deck"' in text and "<!-- id: anki-g1 -->" in text


def test_reimport_of_an_updated_package_updates_cards_in_place(work, capsys):
    sample(work / "v1.apkg")
    assert run(["import", "v1.apkg"], capsys)[0] == 0
    build_genanki(work / "v2.apkg", [
        (BASIC, ["What is \\(x^2\\)?", "A corrected answer"], "abc/def"),
        (BASIC, ["A new question", "new"], "g9"),
    ], deck_name="ML::Basics")
    code, out, err = run(["import", "v2.apkg"], capsys)
    assert code == 0, err
    text = (work / "ml.md").read_text()
    assert text.count("anki-abc_2fdef") == 1 and "A corrected answer" in text and "anki-g9" in text
    assert run(["import", "v2.apkg"], capsys)[0] == 0
    assert (work / "ml.md").read_text() == text  # importing again changes nothing


def test_a_deck_not_made_by_an_apkg_import_is_not_overwritten(work, capsys):
    sample(work / "shared.apkg")
    (work / "ml.md").write_text("my own deck")
    code, _, err = run(["import", "shared.apkg"], capsys)
    assert code == 1 and "already exists" in err and "nothing written" in err
    assert (work / "ml.md").read_text() == "my own deck" and not (work / "other-deck.md").exists()
    assert run(["import", "shared.apkg", "--force"], capsys)[0] == 0


@pytest.mark.parametrize("new_tables", [False, True], ids=["legacy-tables", "notetypes-tables"])
def test_anki21b_package_reads_like_the_legacy_one(work, capsys, new_tables):
    sample(work / "legacy.apkg")
    to_anki21b(work / "legacy.apkg", work / "current.apkg", new_tables=new_tables)
    code, out, err = run(["import", "current.apkg", "--out", "b"], capsys)
    assert code == 0, err
    assert "4 notes, 6 cards" in out
    assert run(["import", "legacy.apkg", "--out", "a"], capsys)[0] == 0
    for name in ("ml.md", "other-deck.md"):
        a = (work / "a" / name).read_text().replace("legacy.apkg", "X")
        assert (work / "b" / name).read_text().replace("current.apkg", "X") == a
    assert (work / "b" / "ml.media" / "pic one.png").read_bytes() == b"\x89PNG"


def test_dry_run_writes_nothing(work, capsys):
    sample(work / "shared.apkg")
    code, out, _ = run(["import", "shared.apkg", "--dry-run"], capsys)
    assert code == 0 and "dry run" in out and "4 notes, 6 cards" in out
    assert not (work / "ml.md").exists() and not (work / "ml.media").exists()
