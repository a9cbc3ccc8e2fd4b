"""`quizapp import --dry-run` says what the real run would refuse (issue 21, item 10)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quizapp.cli import main

FIXTURES = Path(__file__).parents[2] / "fixtures" / "interop"


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    shutil.copy(FIXTURES / "community-notes.md", tmp_path / "community-notes.md")
    return tmp_path


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_dry_run_warns_that_the_real_run_would_not_overwrite_its_input(work, capsys):
    before = (work / "community-notes.md").read_bytes()
    # the default --out is ./<deck id>.md: here the input file itself
    code, out, err = run(["import", "community-notes.md", "--dry-run"], capsys)
    assert code == 0 and "dry run, nothing written" in out
    assert "warning: the real run would write nothing" in err and "is the input file" in err
    code, _, err = run(["import", "community-notes.md"], capsys)
    assert code == 1 and "is the input file" in err
    assert (work / "community-notes.md").read_bytes() == before


def test_dry_run_warns_about_an_existing_out_and_is_quiet_when_all_is_well(work, capsys):
    (work / "taken.md").write_text("mine", encoding="utf-8")
    code, _, err = run(["import", "community-notes.md", "--out", "taken.md", "--dry-run"], capsys)
    assert code == 0 and "already exists; use --force" in err
    code, _, err = run(["import", "community-notes.md", "--out", "taken.md", "--dry-run", "--force"], capsys)
    assert code == 0 and err == ""
    code, _, err = run(["import", "community-notes.md", "--out", "new.md", "--dry-run"], capsys)
    assert code == 0 and err == "" and not (work / "new.md").exists()
