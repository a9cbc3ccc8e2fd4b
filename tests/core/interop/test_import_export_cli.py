"""`quizapp import` / `quizapp export`: default paths, --dry-run, --force, refusals, exit codes."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.core.content.parser import parse_deck

FIXTURES = Path(__file__).parents[2] / "fixtures" / "interop"


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    shutil.copy(FIXTURES / "community-notes.md", tmp_path / "community-notes.md")
    return tmp_path


def test_import_writes_default_out_and_refuses_to_overwrite(work, capsys):
    code, out, err = run(["import", "community-notes.md", "--deck", "ml-interview"], capsys)
    assert code == 0, err
    target = work / "ml-interview.md"
    assert out.startswith(f"wrote {target}: deck \"ml-interview\"")
    text = target.read_text(encoding="utf-8")
    assert parse_deck(text, str(target)).errors == []
    target.write_text("mine", encoding="utf-8")
    code, _, err = run(["import", "community-notes.md", "--deck", "ml-interview"], capsys)
    assert code == 1 and "already exists; use --force" in err
    assert target.read_text(encoding="utf-8") == "mine"
    code, _, _ = run(["import", "community-notes.md", "--deck", "ml-interview", "--force"], capsys)
    assert code == 0 and target.read_text(encoding="utf-8") == text


def test_dry_run_lists_and_writes_nothing(work, capsys):
    code, out, _ = run(["import", "community-notes.md", "--dry-run"], capsys)
    assert code == 0
    assert "15 cards — comparison 6, qa 9" in out
    assert "line 17  qa     [fundamentals] What is overfitting? (difficulty: easy)" in out
    assert "lines 11-13: table of contents" in out
    assert [p.name for p in work.glob("*.md")] == ["community-notes.md"]


def test_import_anki_text_by_extension_and_out_option(work, capsys):
    out_file = work / "decks" / "anki.md"
    code, out, err = run(["import", str(FIXTURES / "anki-export.txt"), "--out", str(out_file)], capsys)
    assert code == 0, err
    assert "qa 5, cloze 2" in out and "one-way Q&A" in out
    assert parse_deck(out_file.read_text(encoding="utf-8"), str(out_file)).errors == []


def test_import_refusals(work, capsys):
    assert run(["import", "missing.md"], capsys)[0] == 1
    code, _, err = run(["import", "community-notes.md", "--deck", "Bad Id"], capsys)
    assert code == 2 and "slug" in err
    code, _, err = run(["import", "community-notes.md", "--out", "community-notes.md", "--force"], capsys)
    assert code == 1 and "is the input file" in err
    (work / "empty.md").write_text("Just prose.\n", encoding="utf-8")
    code, _, err = run(["import", "empty.md"], capsys)
    assert code == 1 and "nothing to import" in err
    assert sorted(p.name for p in work.glob("*.md")) == ["community-notes.md", "empty.md"]


def test_import_guard_failure_writes_nothing(work, capsys, monkeypatch):
    from quizapp.core.interop import deckwriter

    monkeypatch.setattr(deckwriter.DeckWriter, "text", lambda self: "+++\ndeck = [broken\n+++\n")
    code, _, err = run(["import", "community-notes.md"], capsys)
    assert code == 1 and "internal error" in err and "Nothing was written" in err
    assert [p.name for p in work.glob("*.md")] == ["community-notes.md"]


def test_export_apkg_force_and_unknown_deck(work, capsys):
    content = work / "decks"
    content.mkdir()
    shutil.copy(FIXTURES / "export-deck.md", content / "export-deck.md")
    out = work / "demo.apkg"
    code, stdout, err = run(["export", "--apkg", str(out), "--deck", "export-demo", "--content", str(content)], capsys)
    assert code == 0, err
    assert "1 deck(s), 10 notes" in stdout
    assert "collection.anki2" in zipfile.ZipFile(out).namelist()
    code, _, err = run(["export", "--apkg", str(out), "--content", str(content)], capsys)
    assert code == 1 and "use --force" in err
    code, _, err = run(["export", "--apkg", str(out), "--deck", "nope", "--content", str(content), "--force"], capsys)
    assert code == 2 and "no deck 'nope'" in err
