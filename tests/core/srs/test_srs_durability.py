"""Crash safety and concurrency with real processes: what was acknowledged is on disk."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import threading
import subprocess
import sys
import textwrap
import time

import pytest

from quizapp.core.srs.store import Collection

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

GRADER = textwrap.dedent(
    """
    import sys
    from fsrs import Rating
    from quizapp.core.clock import utcnow
    from quizapp.core.srs.scheduling import Scheduler, new_card
    from quizapp.core.srs.store import Collection

    path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    scheduler = Scheduler()
    col = Collection(path)
    print("READY", flush=True)
    if sys.stdin.readline().strip() != "go":
        sys.exit(2)
    n = 0
    while count < 0 or n < count:
        key = f"d:c{n % 7}"
        now = utcnow()
        rating = Rating(1 + n % 4)
        col.apply_review(key, rating, lambda c: scheduler.review(c or new_card(key, now), rating, now),
                         at=now, duration_ms=n, answer=f"{tag}-{n}")
        print(f"ACK {n}", flush=True)
        n += 1
    col.close()
    print("DONE", flush=True)
    """
)


def start_grader(path, tag: str, count: int = -1) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", GRADER, str(path), tag, str(count)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1,
    )
    assert proc.stdout.readline().strip() == "READY", proc.stderr.read()
    return proc


def answers(path) -> set[str]:
    with Collection(path) as col:
        assert col.integrity_check() == "ok"
        return {e.answer for e in col.history()}


def test_sigkill_never_loses_an_acknowledged_review(db_path):
    rng = random.Random(1234)
    acknowledged: set[str] = set()
    for run in range(5):
        proc = start_grader(db_path, f"run{run}")
        proc.stdin.write("go\n")
        proc.stdin.flush()
        want = rng.randint(3, 25)
        last = -1
        while last < want:
            line = proc.stdout.readline()
            assert line.startswith("ACK"), (line, proc.stderr.read())
            last = int(line.split()[1])
            acknowledged.add(f"run{run}-{last}")
        time.sleep(rng.random() * 0.01)  # kill at an arbitrary point of the next write
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close(), proc.stderr.close(), proc.stdin.close()
        stored = answers(db_path)
        assert acknowledged <= stored
    with Collection(db_path) as col:  # the cache is consistent with the log after all the kills
        before = col.states()
        col.rebuild_state()
        assert col.states() == before


def test_two_processes_grading_at_once_lose_nothing(db_path):
    Collection(db_path).close()  # created up front, as the app would
    procs = [start_grader(db_path, tag, 30) for tag in ("a", "b")]
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # a third writer holds the lock while both start
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    time.sleep(0.3)
    blocker.execute("COMMIT")
    blocker.close()
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert out.rstrip().endswith("DONE") and "locked" not in err
    expected = {f"{tag}-{n}" for tag in ("a", "b") for n in range(30)}
    assert answers(db_path) == expected
    with Collection(db_path) as col:
        assert col.total_reviews() == 60
        # each card's reps count every review from both processes (no overwritten read-modify-write)
        assert sum(r.reps for r in col.states().values()) == 60
        before = col.states()
        col.rebuild_state()
        assert col.states() == before


def test_a_lock_held_longer_than_busy_timeout_is_waited_out(collection, db_path, clock):
    collection._db.execute("PRAGMA busy_timeout = 20")  # make SQLite give up quickly: we must retry
    other = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    release.start()
    try:
        collection.suspend("d:a")  # would raise "database is locked" without the retry loop
    finally:
        release.join()
        other.close()
    assert collection.state("d:a").suspended
