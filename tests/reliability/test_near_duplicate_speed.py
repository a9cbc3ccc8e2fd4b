"""The near-duplicate check scores a small share of all pairs and stays fast as the library grows, and
copies of one card cannot make it quadratic (scaled down from benchmarks/near_dups.py; the bounds
are generous for a shared machine)."""

from __future__ import annotations

import random
import time
from pathlib import Path

from quizapp.core.content.loader import load_library
from quizapp.core.content.near_duplicates import THRESHOLD, card_items, near_duplicate_problems
from quizapp.core.content.set_join import candidate_pairs, weigh


def topic_decks(folder: Path, decks: int, cards: int = 500, seed: int = 3) -> None:
    """``decks`` decks of Q&A cards: each deck's words come 60 % from its own topic, 40 % from shared
    words, both Zipf-distributed — the way a library grows, one topic at a time."""
    rng = random.Random(seed)
    shared = [f"s{i}" for i in range(2000)]
    zipf = [1 / (r + 1) for r in range(2000)]
    for d in range(decks):
        topic = [f"t{d}x{i}" for i in range(2000)]

        def phrase(n: int) -> str:
            return " ".join(rng.choice((rng.choices(topic, zipf)[0], rng.choices(shared, zipf)[0]))
                            for _ in range(n))

        body = "\n".join(f"Q: {phrase(rng.randint(4, 9))}?\nA: {phrase(rng.randint(2, 8))}\n" for _ in range(cards))
        (folder / f"d{d}.md").write_text(f'+++\ndeck = "d{d}"\n+++\n\n{body}', encoding="utf-8")


def work(folder: Path) -> tuple[int, float]:
    library = load_library([folder])
    items = card_items(library)
    weights = weigh(items)
    pairs = sum(1 for _ in candidate_pairs(items, weights, THRESHOLD))
    t0 = time.process_time()
    near_duplicate_problems(library)
    return pairs, time.process_time() - t0


def test_a_4000_card_library_is_checked_in_well_under_two_seconds_scoring_few_pairs(tmp_path):
    topic_decks(tmp_path, 8)
    pairs, seconds = work(tmp_path)
    cards = 8 * 500
    assert pairs < cards * (cards - 1) / 2 / 100  # under 1 % of all pairs are even scored
    assert seconds < 2.0  # about 0.2 s of CPU on an idle machine


def test_a_thousand_copies_of_one_card_do_not_make_the_check_quadratic(tmp_path):
    rows = "\n".join("| ReLU | max(0, z) |" for _ in range(3000))
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text(f'+++\ndeck = "{name}"\n+++\n\n| Term | Definition |\n|---|---|\n{rows}\n',
                                              encoding="utf-8")
    library = load_library([tmp_path])
    t0 = time.process_time()
    problems = near_duplicate_problems(library)
    assert time.process_time() - t0 < 2.0  # all pairs would be 18 million comparisons
    assert len(problems) == 3000  # b.md's rows repeat a.md's (a.md's own copies are the parser's warning)
