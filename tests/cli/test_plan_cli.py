"""`quizapp plan` and `quizapp optimize` as scripts use them: JSON, exit codes, one-line errors."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from quizapp.cli import build_parser, main
from quizapp.core.clock import FrozenClock

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
DECK = """+++
deck = "good"
title = "Good deck"
+++

**Q: What is ReLU?** <!-- id: relu -->
A: max(0, z)
"""


@pytest.fixture
def env(tmp_path: Path):
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "good.md").write_text(DECK, encoding="utf-8")
    return ["--data-dir", str(tmp_path / "data"), "--content", str(decks)], tmp_path / "data"


def run(argv, capsys):
    code = main(argv, clock=FrozenClock(NOW))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_plan_json(env, capsys):
    common, _ = env
    code, out, err = run(["plan", "--json", "--interview-date", "2026-12-20", *common], capsys)
    assert code == 0, err
    report = json.loads(out)
    assert (report["interview_date"], report["days_left"], report["recall_now"]) == ("2026-12-20", 19, 0.0)
    assert len(report["days"]) == 19 and report["recall_planned"] > 50
    assert "good" in [d["id"] for d in report["decks"]]
    assert "if you keep the plan" in report["today"]["line"]  # (+ "N cards still new then" with the 14 shipped decks)


def test_plan_reads_the_date_from_config_and_prints_a_table(env, capsys):
    common, data = env
    data.mkdir()
    (data / "config.toml").write_text("interview_date = 2026-12-10\n")
    code, out, _ = run(["plan", *common], capsys)
    assert code == 0
    assert "predicted recall on Dec 10" in out.splitlines()[0]
    assert "good" in out and "2026-12-09" in out and "2026-12-10" not in out.split("Day", 1)[1]


def test_plan_without_a_date_is_one_line_and_exit_1(env, capsys):
    common, _ = env
    code, out, err = run(["plan", *common], capsys)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "no interview date" in err


def test_a_bad_date_is_blamed_on_its_option(env, capsys):
    common, _ = env
    with pytest.raises(SystemExit) as caught:
        main(["plan", "--interview-date", "20/12/2026", *common], clock=FrozenClock(NOW))
    assert caught.value.code == 2
    assert "argument --interview-date: must be a date YYYY-MM-DD" in capsys.readouterr().err


def test_the_app_takes_interview_date_before_or_after_review(env):
    from quizapp.cli import build_app

    common, _ = env
    for argv in (["--interview-date", "2026-12-20", *common], ["--interview-date", "2026-12-20", "review", *common],
                 ["review", "--interview-date", "2026-12-20", *common]):
        args = build_parser(argv).parse_args(argv)
        app = build_app(args, clock=FrozenClock(NOW))
        try:
            assert str(app.config.interview_date) == "2026-12-20", argv
        finally:
            app.collection.close()


def test_optimize_below_the_threshold_says_how_many_more(env, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", type(sys)("fsrs_rs_python"))  # present or not
    common, _ = env
    code, out, _ = run(["optimize", *common], capsys)
    assert code == 0
    assert "the log has 0: 400 more needed" in out
    code, out, _ = run(["optimize", "--json", *common], capsys)
    assert json.loads(out)["not_enough"]["needed"] == 400


def test_optimize_without_the_extra_is_a_clean_message(env, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)
    common, _ = env
    code, out, err = run(["optimize", *common], capsys)
    assert code == 1
    assert 'pip install "quizapp[optimize]"' in out and "Traceback" not in out + err


def test_retention_preview_then_apply(env, capsys):
    common, data = env
    code, out, _ = run(["optimize", "--retention", "0.8", *common], capsys)
    assert code == 0 and out.startswith("Desired retention 0.90 → 0.80: about ")
    assert not (data / "config.toml").exists()  # a preview changes nothing
    run(["optimize", "--retention", "0.8", "--apply-retention", "--dry-run", *common], capsys)
    assert not (data / "config.toml").exists()  # nor does a dry run
    code, out, _ = run(["optimize", "--retention", "0.8", "--apply-retention", "--json", *common], capsys)
    result = json.loads(out)
    assert result["workload"]["proposed"]["retention"] == 0.8 and result["retention_applied"] == 0.8
    assert "desired_retention = 0.8" in (data / "config.toml").read_text()


def test_optimize_applies_better_parameters_to_config(env, capsys, tmp_path):
    pytest.importorskip("fsrs_rs_python", reason="fsrs-rs-python (quizapp[optimize]) is not installed")
    from plan_logs import simulated_log
    from quizapp.core.srs.store import Collection

    common, data = env
    data.mkdir()
    with Collection(data / "collection.sqlite3", FrozenClock(NOW)) as collection:
        simulated_log(collection)
    code, out, _ = run(["optimize", "--dry-run", *common], capsys)
    assert code == 0 and "run without --dry-run" in out and not (data / "config.toml").exists()
    code, out, _ = run(["optimize", "--json", *common], capsys)
    result = json.loads(out)
    assert result["fit"]["better"] and result["applied"].endswith("config.toml")
    assert result["fit"]["fitted"]["log_loss"] < result["fit"]["current"]["log_loss"]
    code, out, _ = run(["optimize", "--json", "--dry-run", *common], capsys)
    again = json.loads(out)["fit"]
    assert again["current"]["parameters"] == pytest.approx(result["fit"]["fitted"]["parameters"])
