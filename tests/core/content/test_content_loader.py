"""Loading files and libraries; check reports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from quizapp.core.content.check import run_check
from quizapp.core.content.loader import load_deck, load_library, shipped_decks_dir
from quizapp.core.content.model import Severity

SEED = Path(__file__).parents[2] / "fixtures" / "decks" / "relu-vs-leaky-relu-quick-revision.md"
GOOD = '+++\ndeck = "good"\ntitle = "Good"\n+++\n\nQ: a?\nA: b\n'


def test_non_utf8_file_fails_at_the_bad_byte(tmp_path):
    path = tmp_path / "latin.md"
    path.write_bytes("Q: ok?\nA: caf".encode() + b"\xe9 \xff\n")
    deck = load_deck(path)
    assert deck.failed and deck.cards == [] and deck.id == "latin"
    [p] = deck.problems
    assert (p.file, p.line, p.col, p.severity) == (str(path), 2, 7, Severity.ERROR)
    assert "UTF-8" in p.message


def test_non_utf8_column_counts_characters_not_bytes(tmp_path):
    path = tmp_path / "x.md"
    path.write_bytes("\n\nαβ".encode() + b"\x80")
    [p] = load_deck(path).problems
    assert (p.line, p.col) == (3, 3)


def test_unreadable_path_is_a_failed_deck(tmp_path):
    deck = load_deck(tmp_path / "missing.md")
    assert deck.failed and deck.problems[0].severity is Severity.ERROR


def test_broken_deck_among_good_ones(tmp_path):
    shutil.copy(SEED, tmp_path / SEED.name)
    (tmp_path / "a-good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b-broken.md").write_text('+++\ndeck = \n+++\nQ: x\nA: y\n', encoding="utf-8")
    (tmp_path / "c-bytes.md").write_bytes(b"\xff\xfe")
    (tmp_path / "README.md").write_text("Q: not a deck\nA: skipped\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    lib = load_library([tmp_path])
    assert [d.path.name for d in lib.decks] == ["a-good.md", "b-broken.md", "c-bytes.md", SEED.name]
    assert [d.failed for d in lib.decks] == [False, True, True, False]
    assert len(lib.cards) == 1 + 51
    assert lib.deck("good").title == "Good" and lib.deck("b-broken") is None
    assert {(Path(p.file).name, p.line) for p in lib.errors} == {("b-broken.md", 2), ("c-bytes.md", 1)}


def test_duplicate_deck_id_fails_the_second_file(tmp_path):
    (tmp_path / "one.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "two.md").write_text(GOOD.replace("a?", "c?"), encoding="utf-8")
    lib = load_library([tmp_path, tmp_path / "one.md"])  # the same file twice is loaded once
    assert [(d.path.name, d.failed) for d in lib.decks] == [("one.md", False), ("two.md", True)]
    [err] = lib.errors
    assert (Path(err.file).name, err.line) == ("two.md", 2) and "one.md" in err.message
    assert [c.front for c in lib.cards] == ["a?"]


def test_missing_path_and_empty_directory(tmp_path):
    lib = load_library([tmp_path / "nope", tmp_path])
    assert [(p.severity, p.message) for p in lib.problems] == [
        (Severity.ERROR, "no such file or directory"),
        (Severity.WARNING, "directory has no deck files (*.md)"),
    ]


def test_shipped_decks_dir_is_the_installed_content_directory():
    path = shipped_decks_dir()
    assert isinstance(path, Path) and path.is_dir()
    assert all(p.suffix == ".md" for p in path.glob("*.md"))


def test_check_report_text_json_and_exit_code(tmp_path):
    shutil.copy(SEED, tmp_path / SEED.name)
    (tmp_path / "bad.md").write_text("Q: no answer here\n\n| Term | Definition |\n|---|---|\n| a | b | c |\n", encoding="utf-8")
    report = run_check([tmp_path])
    assert report.exit_code == 1
    text = report.text()
    bad = str(tmp_path / "bad.md")
    assert f"{bad}:1:1: error: question has no answer" in text
    assert f"{bad}:5:11: error: table row has 3 cells" in text
    assert f"{bad}:1:1: warning: deck has no cards" in text
    # the seed sheet asks six of its facts twice (a glossary row and a table cell or a question)
    assert "relu-vs-leaky-relu-quick-revision" in text and "2 errors, 7 warnings" in text
    data = json.loads(json.dumps(report.to_json()))
    assert [(d["id"], d["cards"], d["failed"]) for d in data["decks"]] == [
        ("bad", 0, False), ("relu-vs-leaky-relu-quick-revision", 51, False)
    ]
    assert data["decks"][1]["by_kind"]["comparison"] == 30
    assert len(data["cards"]) == 51 and data["cards"][0]["kind"] == "glossary"
    assert data["summary"] == {
        "decks": 2, "failed": 0, "cards": 51,
        "by_kind": {"glossary": 8, "glossary_reverse": 8, "comparison": 30, "qa": 5, "mcq": 0, "cloze": 0,
                    "drill": 0, "gradient": 0},
        "errors": 2, "warnings": 7,
    }
    assert {p["severity"] for p in data["problems"]} == {"error", "warning"}


def test_check_of_a_deck_without_errors_exits_zero():
    report = run_check([SEED])
    assert report.exit_code == 0 and report.text().endswith("0 errors, 6 warnings")
    assert all("near-duplicate of" in p.message for p in report.library.warnings)
