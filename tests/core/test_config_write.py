"""Changing one setting in config.toml keeps everything else the user wrote; failures change nothing."""

from __future__ import annotations

import errno
import os
from datetime import date

import pytest

from quizapp.core.config import load_config
from quizapp.core.config_write import ConfigWriteError, set_setting


def test_a_setting_is_added_replaced_and_removed_keeping_the_rest(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("# my settings\nnew_per_day = 12  # weekdays\n\n[extra]\nx = 1\n")
    config = set_setting(path, "interview_date", date(2026, 12, 20))
    assert config.interview_date == date(2026, 12, 20) and config.new_per_day == 12
    assert path.read_text() == ("# my settings\nnew_per_day = 12  # weekdays\n\ninterview_date = 2026-12-20\n"
                                "[extra]\nx = 1\n")
    set_setting(path, "interview_date", date(2027, 1, 5))
    assert path.read_text().count("interview_date") == 1 and "2027-01-05" in path.read_text()
    assert load_config(path)[0].interview_date == date(2027, 1, 5)
    set_setting(path, "interview_date", None)
    assert path.read_text() == "# my settings\nnew_per_day = 12  # weekdays\n\n[extra]\nx = 1\n"


def test_parameters_round_trip(tmp_path):
    from quizapp.core.plan.memory import DEFAULT_PARAMETERS

    path = tmp_path / "config.toml"
    set_setting(path, "fsrs_parameters", DEFAULT_PARAMETERS)
    assert load_config(path) == (load_config(path)[0], [])
    assert load_config(path)[0].fsrs_parameters == pytest.approx(DEFAULT_PARAMETERS)


def test_a_value_over_several_lines_is_refused_not_mangled(tmp_path):
    path = tmp_path / "config.toml"
    text = "fsrs_parameters = [\n  1, 2,\n]\n"
    path.write_text(text)
    with pytest.raises(ConfigWriteError, match="not changed"):
        set_setting(path, "fsrs_parameters", None)
    assert path.read_text() == text


def test_a_full_disk_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text("new_per_day = 5\n")

    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(ConfigWriteError, match="No space left"):
        set_setting(path, "interview_date", date(2026, 12, 20))
    monkeypatch.undo()
    assert path.read_text() == "new_per_day = 5\n"
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temporary file left behind


def test_unknown_setting_refused(tmp_path):
    with pytest.raises(ConfigWriteError, match="unknown setting"):
        set_setting(tmp_path / "config.toml", "colour", "red")
