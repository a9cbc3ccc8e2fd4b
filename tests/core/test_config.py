"""Settings, paths and study-day arithmetic."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import platformdirs
import pytest

from quizapp.core.clock import FrozenClock, next_rollover, study_day, study_day_start, utcnow
from quizapp.core.config import Config, load_config
from quizapp.core.paths import resolve_paths

# ---- config ------------------------------------------------------------------------------------


def test_missing_file_gives_defaults_without_problems(tmp_path):
    config, problems = load_config(tmp_path / "nope.toml")
    assert problems == [] and config == Config()
    assert config.desired_retention == 0.9
    assert config.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))
    assert config.relearning_steps == (timedelta(minutes=10),)
    assert (config.new_per_day, config.day_rollover_hour, config.maximum_interval_days) == (100, 4, 36500)
    assert config.deck_new_per_day == 20 and config.new_per_deck == ()
    assert config.enable_fuzzing is True and config.leech_threshold == 8


def test_values_are_read(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("desired_retention = 0.85\nlearning_steps_minutes = [2, 15.5]\nnew_per_day = 5\n"
                    "enable_fuzzing = false\nrelearning_steps_minutes = []\n")
    config, problems = load_config(path)
    assert problems == []
    assert config.desired_retention == 0.85 and config.new_per_day == 5 and not config.enable_fuzzing
    assert config.learning_steps == (timedelta(minutes=2), timedelta(minutes=15.5))
    assert config.relearning_steps == ()
    scheduler = config.scheduler()
    assert scheduler.desired_retention == 0.85 and scheduler.learning_steps == config.learning_steps
    assert scheduler.enable_fuzzing is False


def test_bad_toml_is_reported_with_its_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("new_per_day = 10\ndesired_retention = = 0.9\n")
    config, problems = load_config(path)
    assert config == Config()
    assert len(problems) == 1 and f"{path}:2:" in problems[0] and "TOML" in problems[0]


def test_bad_values_fall_back_per_key(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        "new_per_day = 7\n"
        "desired_retention = 1.5\n"
        "day_rollover_hour = \"4\"\n"
        "learning_steps_minutes = [1, -3]\n"
        "enable_fuzzing = 1\n"
        "new_per_dya = 3\n"
    )
    config, problems = load_config(path)
    assert config == Config(new_per_day=7)
    assert len(problems) == 5
    text = "\n".join(problems)
    for line, key in [(2, "desired_retention"), (3, "day_rollover_hour"), (4, "learning_steps_minutes"),
                      (5, "enable_fuzzing")]:
        assert f"{path}:{line}: {key}" in text
    assert f"{path}:6: unknown setting 'new_per_dya'" in text and "did you mean 'new_per_day'" in text


def test_unreadable_or_binary_config_never_raises(tmp_path):
    (tmp_path / "dir.toml").mkdir()
    assert load_config(tmp_path / "dir.toml")[1]
    (tmp_path / "bin.toml").write_bytes(b"new_per_day = 1\n\xff\xfe")
    config, problems = load_config(tmp_path / "bin.toml")
    assert config == Config() and ":2:" in problems[0]


# ---- paths -------------------------------------------------------------------------------------


def test_explicit_data_dir_wins(tmp_path):
    paths = resolve_paths(tmp_path / "mine", env={"QUIZAPP_HOME": str(tmp_path / "env")})
    assert paths.data_dir == tmp_path / "mine"
    assert paths.collection == tmp_path / "mine" / "collection.sqlite3"
    assert paths.config_file == tmp_path / "mine" / "config.toml"
    assert paths.backups_dir == tmp_path / "mine" / "backups"
    assert not (tmp_path / "mine").exists()  # nothing is created until asked
    paths.ensure()
    assert paths.backups_dir.is_dir()


def test_quizapp_home_beats_platform_dirs(tmp_path):
    paths = resolve_paths(env={"QUIZAPP_HOME": str(tmp_path / "env")}, create=True)
    assert paths.data_dir == tmp_path / "env" and paths.config_file == tmp_path / "env" / "config.toml"
    assert paths.data_dir.is_dir()


def test_platform_dirs_by_default():
    paths = resolve_paths(env={})
    assert paths.data_dir == Path(platformdirs.user_data_dir("quizapp", appauthor=False)).absolute()
    assert paths.config_file == Path(platformdirs.user_config_dir("quizapp", appauthor=False)).absolute() / "config.toml"
    assert resolve_paths(env={"QUIZAPP_HOME": ""}) == paths


# ---- clock -------------------------------------------------------------------------------------


@pytest.mark.real_clock  # compares the two on purpose
def test_frozen_clock_and_utcnow():
    clock = FrozenClock(datetime(2024, 5, 1, 12, tzinfo=timezone.utc))
    assert clock() == clock() and clock().tzinfo is timezone.utc
    assert clock.advance(timedelta(minutes=10)) == clock() == datetime(2024, 5, 1, 12, 10, tzinfo=timezone.utc)
    assert clock.advance(hours=1).hour == 13
    assert utcnow().tzinfo is timezone.utc


@pytest.mark.parametrize(("utc_time", "expected"), [
    (datetime(2024, 5, 2, 3, 59, tzinfo=timezone.utc), date(2024, 5, 1)),
    (datetime(2024, 5, 2, 4, 0, tzinfo=timezone.utc), date(2024, 5, 2)),
])
def test_study_day_rolls_over_at_four(utc_time, expected):
    assert study_day(utc_time, 4, timezone.utc) == expected


def test_study_day_follows_local_time():
    berlin = ZoneInfo("Europe/Berlin")  # UTC+2 in May: 02:30 UTC is 04:30 local
    assert study_day(datetime(2024, 5, 2, 2, 30, tzinfo=timezone.utc), 4, berlin) == date(2024, 5, 2)
    assert study_day_start(date(2024, 5, 2), 4, berlin) == datetime(2024, 5, 2, 2, tzinfo=timezone.utc)
    # across the spring DST change the next rollover is still 4 am local
    rollover = next_rollover(datetime(2024, 3, 30, 12, tzinfo=timezone.utc), 4, berlin)
    assert rollover.astimezone(berlin) == datetime(2024, 3, 31, 4, tzinfo=berlin)


def test_per_deck_new_card_limits_are_read(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("new_per_day = 50\ndeck_new_per_day = 12\n\n[new_per_deck]\nrelu = 5\n\"my-deck\" = 0\n")
    config, problems = load_config(path)
    assert problems == []
    assert (config.new_per_day, config.deck_new_per_day, dict(config.new_per_deck)) == (50, 12, {"relu": 5, "my-deck": 0})
    assert config.to_toml_dict()["new_per_deck"] == {"relu": 5, "my-deck": 0}


def test_bad_per_deck_limits_fall_back_with_a_located_problem(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("deck_new_per_day = -1\nnew_per_deck = { relu = \"five\" }\n")
    config, problems = load_config(path)
    assert config.deck_new_per_day == 20 and config.new_per_deck == ()
    assert any(f"{path}:1: deck_new_per_day must be a whole number" in p for p in problems)
    assert any(f"{path}:2: new_per_deck must be a table" in p for p in problems)
