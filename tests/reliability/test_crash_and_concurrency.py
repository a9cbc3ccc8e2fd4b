"""Real processes grading through the session API (``Study.start_review`` → ``ReviewSession.grade``):

* SIGKILLed at random moments, many times over — while grading, and while still opening the
  collection — every grade that ``grade()`` returned from is on disk, nothing else but the one grade
  in flight may appear, the database passes ``integrity_check`` and the state cache equals a rebuild
  from the log;
* two processes grading the same collection at once (while a third reads the counts): no review is
  lost, none fails with "database is locked".
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from quizapp.core.srs.store import Collection

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

DECK = "+++\ndeck = \"k\"\ntitle = \"Kill\"\n+++\n\n" + "\n".join(
    f"**Q: Question {i}?** <!-- id: q{i} -->\nA: Answer {i}.\n" for i in range(40))

# A grader: a Study over the deck with a clock that moves an hour per grade (so learning cards come
# due again and sessions never run dry), grading whatever the session shows; prints "ACK n" only
# after grade() has returned. Its answers are "<tag>-<n>" so the test can tell its grades apart.
GRADER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timedelta, timezone
    from fsrs import Rating
    from quizapp.core.config import Config
    from quizapp.core.content.loader import load_deck
    from quizapp.core.study.counts import Study
    from quizapp.core.srs.store import Collection

    db, deck_path, tag, count, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    now = [datetime(2025, 1, 1, 12, tzinfo=timezone.utc) + timedelta(days=seed)]
    col = Collection(db, clock=lambda: now[0])
    study = Study(col, [load_deck(deck_path)], Config(new_per_day=1000, enable_fuzzing=False),
                  lambda: now[0], tz=timezone.utc)
    print("READY", flush=True)
    if sys.stdin.readline().strip() != "go":
        sys.exit(2)
    session = study.start_review()
    n = 0
    while count < 0 or n < count:
        if session.finished:
            now[0] += timedelta(days=1)
            session = study.start_review()
            continue
        session.grade(Rating(1 + (n + seed) % 4), duration_ms=n, answer=f"{tag}-{n}")
        print(f"ACK {n}", flush=True)
        n += 1
        now[0] += timedelta(hours=1)
    study.counts()
    col.close()
    print("DONE", flush=True)
    """
)

READER = textwrap.dedent(
    """
    import sys, time
    from quizapp.core.content.loader import load_deck
    from quizapp.core.study.counts import Study
    from quizapp.core.srs.store import Collection

    col = Collection(sys.argv[1])
    study = Study(col, [load_deck(sys.argv[2])])
    print("READY", flush=True)
    sys.stdin.readline()
    end = time.monotonic() + float(sys.argv[3])
    reads = 0
    while time.monotonic() < end:
        study.counts(); study.start_review(); reads += 1
    col.close()
    print(f"DONE {reads}", flush=True)
    """
)


@pytest.fixture
def deck_path(tmp_path: Path) -> Path:
    path = tmp_path / "k.md"
    path.write_text(DECK, encoding="utf-8")
    return path


def spawn(code: str, *args: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)


def ready(proc: subprocess.Popen) -> None:
    line = proc.stdout.readline()
    assert line.strip() == "READY", (line, proc.stderr.read())
    proc.stdin.write("go\n")
    proc.stdin.flush()


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        stream.close()


def stored_answers(db: Path) -> list[str]:
    with Collection(db) as col:
        assert col.integrity_check() == "ok"
        return [e.answer for e in col.history() if e.kind == "review"]


def test_sigkill_at_random_moments_never_loses_an_acknowledged_grade(tmp_path, deck_path):
    db = tmp_path / "collection.sqlite3"
    rng = random.Random(20240501)
    acknowledged: set[str] = set()
    for run in range(25):
        tag = f"r{run}"
        proc = spawn(GRADER, db, deck_path, tag, -1, run)
        if run % 6 == 5:  # killed before it is even ready: while opening / migrating the collection
            time.sleep(rng.random() * 0.25)
            kill(proc)
            stored_answers(db)
            continue
        ready(proc)
        want, last = rng.randint(0, 12), -1
        while last < want:
            line = proc.stdout.readline()
            assert line.startswith("ACK"), (line, proc.stderr.read())
            last = int(line.split()[1])
            acknowledged.add(f"{tag}-{last}")
        time.sleep(rng.random() * 0.02)  # somewhere in the next grade (or between two)
        kill(proc)
        stored = stored_answers(db)
        assert acknowledged <= set(stored), sorted(acknowledged - set(stored))[:5]
        mine = [a for a in stored if a.startswith(f"{tag}-")]
        # in order, without gaps; unacknowledged grades are only those that raced the kill
        assert mine == [f"{tag}-{n}" for n in range(len(mine))]
        assert len(stored) == len(set(stored))
    with Collection(db) as col:  # the state cache is what the log says, after all those kills
        before = col.states()
        col.rebuild_state()
        assert col.states() == before
        assert col.integrity_check() == "ok"


def test_two_processes_grading_at_once_lose_nothing(tmp_path, deck_path):
    db = tmp_path / "collection.sqlite3"
    Collection(db).close()
    n = 40
    graders = [spawn(GRADER, db, deck_path, tag, n, seed) for seed, tag in enumerate("ab")]
    reader = spawn(READER, db, deck_path, 60)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # a third writer holds the lock as both start: they must queue
    for proc in graders:
        ready(proc)
    reader.stdout.readline()
    reader.stdin.write("go\n")
    reader.stdin.flush()
    time.sleep(0.3)
    blocker.execute("COMMIT")
    blocker.close()
    for proc in graders:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.rstrip().endswith("DONE"), (out[-200:], err)
        assert "locked" not in err.lower() and "busy" not in err.lower(), err
        assert out.count("ACK") == n
    assert reader.poll() is None, reader.stderr.read()  # it read all along and did not die (locked)
    kill(reader)
    answers = stored_answers(db)
    assert sorted(answers) == sorted(f"{tag}-{i}" for tag in "ab" for i in range(n))
    with Collection(db) as col:
        assert col.total_reviews() == 2 * n
        assert sum(r.reps for r in col.states().values()) == 2 * n  # no read-modify-write lost
        before = col.states()
        col.rebuild_state()
        assert col.states() == before
