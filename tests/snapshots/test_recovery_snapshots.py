"""SVG snapshots of the recovery screen: a garbage collection with a backup to offer (100×32 and
80×24), none to offer, and a collection from a newer quizapp. The path shown is a fixed display
name, the backup's date comes from its file name, the clock is frozen: the pictures are stable."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

from fsrs import Rating

from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.content.loader import load_library
from quizapp.core.study.counts import Study
from quizapp.core.srs.backups import take_backup
from quizapp.core.srs.health import diagnose
from quizapp.core.srs.store import Collection
from quizapp.ui.app import QuizApp
from quizapp.ui.screens.recovery import Recovery

BASICS = Path(__file__).parents[1] / "ui" / "decks" / "basics.md"
START = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
SHOWN = "~/.local/share/quizapp/collection.sqlite3"


def recovery_app(tmp_path: Path, *, backup: bool = True, too_new: bool = False) -> QuizApp:
    data, clock = tmp_path / "data", FrozenClock(START)
    path = data / "collection.sqlite3"
    with Collection(path, clock) as col:
        session = Study(col, load_library([BASICS]).decks, Config(enable_fuzzing=False), clock).start_review(None)
        for _ in range(3):
            session.grade(Rating.Good, duration_ms=4000)
        if backup:
            take_backup(col, data / "backups", day=date(2026, 11, 27))
    if too_new:
        with sqlite3.connect(path) as db:
            db.execute("PRAGMA user_version = 99")
    else:
        path.write_bytes(bytes(range(256)) * 12)
    recovery = Recovery.find(diagnose(path), path, data / "backups", display=SHOWN)
    return QuizApp(library=load_library([BASICS]), collection=None, config=Config(enable_fuzzing=False),
                   content_paths=[BASICS], clock=clock, recovery=recovery)


def test_recovery(snap_compare, tmp_path):
    assert snap_compare(recovery_app(tmp_path), terminal_size=(100, 32))


def test_recovery_small_terminal(snap_compare, tmp_path):
    assert snap_compare(recovery_app(tmp_path), terminal_size=(80, 24))


def test_recovery_without_backup(snap_compare, tmp_path):
    assert snap_compare(recovery_app(tmp_path, backup=False), terminal_size=(80, 24))


def test_recovery_too_new(snap_compare, tmp_path):
    assert snap_compare(recovery_app(tmp_path, too_new=True), terminal_size=(100, 32))
