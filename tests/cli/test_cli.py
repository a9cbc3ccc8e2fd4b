"""The command line as scripts use it: exit codes, stable JSON, and broken decks next to good ones."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp import __version__
from quizapp.cli import main

GOOD = """+++
deck = "good"
title = "Good deck"
+++

**Q: What is ReLU?** <!-- id: relu -->
A: max(0, z)
"""

BROKEN = """+++
deck = "broken"
title = [unclosed
+++

**Q: Never read?**
A: no
"""


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    (folder / "broken.md").write_text(BROKEN, encoding="utf-8")
    return folder


def test_check_reports_located_error_and_exit_1_but_loads_the_good_deck(decks, capsys):
    code, out, _ = run(["check", str(decks)], capsys)
    assert code == 1
    broken = str(decks / "broken.md")
    assert any(line.startswith(f"{broken}:3:") and ": error: " in line for line in out.splitlines()), out
    code, out, _ = run(["check", "--json", str(decks)], capsys)
    data = json.loads(out)
    assert [c["key"] for c in data["cards"]] == ["good:relu"]
    assert {d["id"]: d["failed"] for d in data["decks"]}["good"] is False
    problem = next(p for p in data["problems"] if p["severity"] == "error")
    assert problem["file"] == broken and problem["line"] == 3


def test_check_of_good_decks_exits_0(decks, capsys):
    (decks / "broken.md").unlink()
    code, out, _ = run(["check", str(decks)], capsys)
    assert code == 0
    assert "0 errors" in out


def test_check_missing_path_is_an_error(tmp_path, capsys):
    code, _, err = run(["check", str(tmp_path / "nope.md")], capsys)
    assert code == 1 and "no such file" in err


def test_shipped_decks_check_clean(capsys):
    code, out, _ = run(["check", "--json"], capsys)
    data = json.loads(out)
    assert code == 0, [p for p in data["problems"]]
    assert {d["id"] for d in data["decks"]} >= {"relu-vs-leaky-relu"}
    card = data["cards"][0]
    assert set(card) >= {"key", "deck", "kind", "front", "back", "file", "line"}


def test_stats_json_counts_reviews(tmp_path, decks, capsys):
    (decks / "broken.md").unlink()
    data_dir = tmp_path / "data"
    code, out, _ = run(["stats", "--json", "--data-dir", str(data_dir), "--content", str(decks)], capsys)
    assert code == 0
    stats = json.loads(out)
    good = next(d for d in stats["decks"] if d["id"] == "good")
    assert (good["cards"], good["new"], good["total_reviews"]) == (1, 1, 0)

    from fsrs import Rating

    from quizapp.core.content.loader import load_library
    from quizapp.core.study.counts import Study
    from quizapp.core.srs.store import Collection

    with Collection(data_dir / "collection.sqlite3") as collection:
        library = load_library([decks])
        session = Study(collection, library.decks).start_review("good")
        session.grade(Rating.Good, duration_ms=1200)
    code, out, _ = run(["stats", "--json", "--data-dir", str(data_dir), "--content", str(decks)], capsys)
    good = next(d for d in json.loads(out)["decks"] if d["id"] == "good")
    assert (good["new"], good["learning"], good["reviews_today"], good["total_reviews"]) == (0, 1, 1, 1)
    code, out, _ = run(["stats", "--data-dir", str(data_dir), "--content", str(decks)], capsys)
    assert code == 0 and "good" in out and "Streak" in out


def test_review_of_unknown_deck_is_a_usage_error(tmp_path, capsys):
    code, _, err = run(["review", "--deck", "nope", "--data-dir", str(tmp_path)], capsys)
    assert code == 2 and "relu-vs-leaky-relu" in err


def test_version_and_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "quizapp", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"quizapp {__version__}"


def test_corrupt_collection_is_reported_not_a_traceback(tmp_path, capsys):
    (tmp_path / "collection.sqlite3").write_bytes(b"this is not a database" * 100)
    code, _, err = run(["stats", "--data-dir", str(tmp_path)], capsys)
    assert code == 1
    assert "collection.sqlite3" in err and "Traceback" not in err
