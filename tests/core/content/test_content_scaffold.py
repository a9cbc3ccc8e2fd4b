"""`quizapp new ID`: a starter deck with every construct that passes `quizapp check` cleanly."""

from __future__ import annotations

import pytest

from quizapp.cli import main
from quizapp.core.content.check import run_check
from quizapp.core.content.model import CardKind
from quizapp.core.content.scaffold import ScaffoldError, create_deck, deck_text


def test_the_starter_deck_has_every_construct_and_no_problems(tmp_path):
    path = create_deck("attention-basics", tmp_path)
    assert path == tmp_path / "attention-basics.md"
    report = run_check([path])  # also checks the drill's maths and the skill card's family
    assert report.library.problems == []
    [deck] = report.library.decks
    assert (deck.id, deck.title, deck.tags) == ("attention-basics", "Attention Basics", ("attention-basics",))
    assert {c.kind for c in deck.cards} == set(CardKind)
    assert all(c.explicit_id for c in deck.cards)
    qa = next(c for c in deck.cards if c.kind is CardKind.QA)
    assert qa.note.startswith("a single negative input is harmless")
    assert next(c for c in deck.cards if c.kind is CardKind.MCQ).note  # the explanation
    assert deck.notes  # the prose is kept as notes


def test_titles_are_escaped_for_toml_and_bad_ids_refused(tmp_path):
    assert 'title = "Say \\"hi\\" \\\\ now"' in deck_text("x", 'Say "hi" \\ now')
    report = run_check([create_deck("x", tmp_path, 'Say "hi" \\ now')])
    assert report.library.decks[0].title == 'Say "hi" \\ now' and not report.library.problems
    for bad in ("Bad Id", "a--b", "-a", ""):
        with pytest.raises(ScaffoldError):
            deck_text(bad)


def test_new_command_writes_once_and_never_overwrites(tmp_path, capsys):
    out = tmp_path / "decks"
    assert main(["new", "my-deck", "--out", str(out)]) == 0
    assert f"created {out / 'my-deck.md'}" in capsys.readouterr().out
    text = (out / "my-deck.md").read_text()
    assert main(["new", "my-deck", "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (out / "my-deck.md").read_text() == text
    assert main(["check", str(out), "--data-dir", str(tmp_path / "data")]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out
