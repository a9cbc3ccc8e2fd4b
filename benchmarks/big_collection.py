"""A big collection: 50k cards in 50 decks and 1M reviews; time to open the review queue and to grade.

The deck set (50 files of 1000 cards, every kind, from ``load.deck_text``) and the collection are
generated once into a cache dir (``$QUIZAPP_BENCH_CACHE``, default ``<tmp>/quizapp-bench-cache``)
and reused. The collection is written with direct SQL inserts in one transaction, using the store's
own schema (``migrations``) and row formats (``CardRecord.to_row``, ``card_json``, ``ts``), so it is
exactly what years of use would leave: 40k cards reviewed ~25 times each (the last review's state is
the cached state), 10k never seen; of the reviewed ones ~2 % in learning, ~4 % due today, the rest due
later, a few suspended.

Figures (each the median of several runs on a copy of the cached collection):

* **open review queue** — ``Study.start_review(None)`` over all 50k cards (goal ≤ 100 ms);
* **home counts** — ``Study.deck_counts``: the counts per deck and in total, as the home screen shows them;
* **grade → next card** — ``ReviewSession.grade`` (committed, fsync'd) plus what the review screen
  reads for the next card: ``current``, ``current_state`` and ``intervals()`` (goal ≤ 10 ms).

Run:  python benchmarks/big_collection.py
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import deck_text

VERSION = 2  # bump when the generated data changes shape
N_DECKS, PER_DECK = 50, 1000
N_REVIEWS = 1_000_000
REVIEWED_SHARE = 0.8


@dataclass(frozen=True)
class BigCollection:
    decks_dir: Path
    db_path: Path
    cards: int
    reviews: int


def cache_dir() -> Path:
    base = os.environ.get("QUIZAPP_BENCH_CACHE") or Path(tempfile.gettempdir()) / "quizapp-bench-cache"
    return Path(base) / f"big-v{VERSION}"


def _card_dict(card_id: int, state: int, step: int | None, stability: float, difficulty: float,
               due: datetime, last: datetime) -> str:
    return json.dumps({"card_id": card_id, "difficulty": difficulty, "due": due.isoformat(timespec="microseconds"),
                       "last_review": last.isoformat(timespec="microseconds"), "stability": stability,
                       "state": state, "step": step}, sort_keys=True)


def build(root: Path | None = None, *, now: datetime | None = None, seed: int = 0) -> BigCollection:
    """The cached big deck set + collection, generated on first use (about half a minute)."""
    from quizapp.core.content.loader import load_library
    from quizapp.core.srs import migrations
    from quizapp.core.srs.records import ts
    from quizapp.core.srs.scheduling import card_id_for

    root = root or cache_dir()
    decks_dir, db_path, done = root / "decks", root / "collection.sqlite3", root / "DONE"
    if done.exists():
        info = json.loads(done.read_text())
        return BigCollection(decks_dir, db_path, info["cards"], info["reviews"])
    if root.exists():
        shutil.rmtree(root)
    decks_dir.mkdir(parents=True)
    for k in range(N_DECKS):
        (decks_dir / f"big-{k:02}.md").write_text(deck_text(PER_DECK, f"big-{k:02}"), encoding="utf-8")
    library = load_library([decks_dir])
    keys = [c.key for c in library.cards]
    assert len(keys) == N_DECKS * PER_DECK and not library.problems, (len(keys), library.problems[:3])

    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    reviewed = rng.sample(keys, int(len(keys) * REVIEWED_SHARE))
    per_card = N_REVIEWS // len(reviewed)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrations.apply_migrations(conn)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    review_sql = ("INSERT INTO reviews (card_key, kind, rating, reviewed_at, duration_ms, answer, undoes,"
                  " state_after, bury_until) VALUES (?, 'review', ?, ?, ?, NULL, NULL, ?, NULL)")
    state_rows, batch, written = [], [], 0
    span = timedelta(days=730)
    for i, key in enumerate(reviewed):
        card_id = card_id_for(key)
        n = per_card + (1 if i < N_REVIEWS - per_card * len(reviewed) else 0)
        start = now - span * rng.uniform(0.5, 1.0)
        stability, difficulty = 1.0, rng.uniform(2, 8)
        at, state_after, last_rating = start, "", 3
        for j in range(n):
            at = start + (now - start) * (j + 1) / (n + 1) - timedelta(minutes=rng.uniform(0, 60))
            last_rating = rng.choices((1, 2, 3, 4), (1, 2, 6, 1))[0]
            stability = max(0.1, stability * (0.3 if last_rating == 1 else 1.2))
            due = at + timedelta(days=stability)
            state_after = _card_dict(card_id, 2, None, stability, difficulty, due, at)
            batch.append((key, last_rating, ts(at), rng.randint(800, 20000), state_after))
        # the cached state: where the card stands now
        roll = rng.random()
        if roll < 0.02:  # learning: a short step, due within the hour
            state, step, due = 1, 1, now + timedelta(minutes=rng.uniform(-30, 30))
        elif roll < 0.06:  # review, due today (overdue by up to a week)
            state, step, due = 2, None, now - timedelta(hours=rng.uniform(0, 24 * 7))
        else:
            state, step, due = 2, None, now + timedelta(days=rng.uniform(1, 365))
        fsrs_json = _card_dict(card_id, state, step, stability, difficulty, due, at)
        suspended = int(rng.random() < 0.01)
        state_rows.append((key, fsrs_json, ts(due), state, suspended, None, ts(start), rng.randint(0, 3), n))
        if len(batch) >= 50_000:
            conn.executemany(review_sql, batch)
            written += len(batch)
            batch.clear()
    conn.executemany(review_sql, batch)
    written += len(batch)
    conn.executemany("INSERT INTO card_state (card_key, fsrs, due, state, suspended, buried_until, first_seen,"
                     " lapses, reps) VALUES (?,?,?,?,?,?,?,?,?)", state_rows)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    done.write_text(json.dumps({"cards": len(keys), "reviews": written}))
    return BigCollection(decks_dir, db_path, len(keys), written)


def measure(big: BigCollection, rounds: int = 5, grades: int = 30) -> dict[str, list[float]]:
    """Seconds per run of each figure (lists, one value per run)."""
    from fsrs import Rating

    from quizapp.core.content.loader import load_library
    from quizapp.core.study.counts import Study
    from quizapp.core.srs.store import Collection

    library = load_library([big.decks_dir])
    decks = [d for d in library.decks if not d.failed]
    out: dict[str, list[float]] = {"open": [], "counts": [], "grade": []}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "collection.sqlite3"
        shutil.copyfile(big.db_path, db)
        with Collection(db) as collection:
            study = Study(collection, decks)
            study.start_review(None)  # warm the page cache
            for _ in range(rounds):
                t0 = time.perf_counter()
                session = study.start_review(None)
                out["open"].append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                per_deck, total = study.deck_counts()
                out["counts"].append(time.perf_counter() - t0)
                assert len(per_deck) == len(study.decks) and total.total
            assert session.remaining > 1000, session.remaining
            ratings = [Rating.Good, Rating.Easy, Rating.Hard, Rating.Good, Rating.Again]
            for i in range(grades):
                t0 = time.perf_counter()
                session.grade(ratings[i % len(ratings)], duration_ms=1000)
                assert session.current is not None
                _ = session.current_state
                session.intervals()
                out["grade"].append(time.perf_counter() - t0)
    return out


def main() -> int:
    t0 = time.perf_counter()
    big = build()
    print(f"collection: {big.cards} cards, {big.reviews} reviews ({big.db_path}, "
          f"{big.db_path.stat().st_size / 1e6:.0f} MB; ready in {time.perf_counter() - t0:.1f} s)")
    res = measure(big)
    op, co, gr = (statistics.median(res[k]) * 1000 for k in ("open", "counts", "grade"))
    print(f"open review queue : median {op:7.1f} ms  (goal ≤ 100 ms)")
    print(f"home counts       : median {co:7.1f} ms  (51 Study.counts calls)")
    print(f"grade → next card : median {gr:7.2f} ms, worst {max(res['grade']) * 1000:.2f} ms  (goal ≤ 10 ms)")
    return 0 if op <= 100 and gr <= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
