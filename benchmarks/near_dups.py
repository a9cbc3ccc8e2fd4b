"""Near-duplicate check speed: `quizapp check`'s all-decks comparison on 10k and 40k cards.

Run:  python benchmarks/near_dups.py
Generates libraries of 1000-card decks whose words follow a Zipf law, and where 1 % of the questions
reappear reworded in another deck. "topic decks": 60 % of a deck's words come from its own topic's
2000 words and 40 % from 4000 shared ones (common shared words are in thousands of cards, as "relu"
is in a real library; a library grows by adding topics). "one vocabulary": a stress case where every
deck draws from the same 4000 words, so every word's card count grows with the library. Prints the time of ``near_duplicate_problems``
(the decks are parsed before timing; wall clock and CPU time, best of 3), the candidate pairs it
scored, the warnings, how many planted duplicates were found, and the 40k/10k ratio (4 = linear).
Goal: 10k cards in ≤ 0.5 s.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from quizapp.core.content import near_duplicates as nd
from quizapp.core.content.set_join import candidate_pairs, weigh
from quizapp.core.content.loader import load_library

SYLLABLES = "ka lo mi ne ru ta ve so pi du ge ha ji ko lu ma no pe ri sa te vi zo".split()


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class Corpus:
    """Words for the generated cards: Zipf-distributed over a shared vocabulary, and — with
    ``topic_share`` > 0 — partly over a vocabulary of the deck's own topic (``new_topic``)."""

    def __init__(self, seed: int = 7, size: int = 4000, topic_share: float = 0.0, topic_size: int = 2000) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary(size, self.rng)
        self.cum = list(_cumulative([1 / (r + 1) ** 1.05 for r in range(size)]))
        self.topic_share, self.topic_size = topic_share, topic_size
        self.topic: list[str] = []
        self.topic_cum = list(_cumulative([1 / (r + 1) ** 1.05 for r in range(topic_size)]))

    def new_topic(self) -> None:
        if self.topic_share:
            self.topic = [w + "x" for w in vocabulary(self.topic_size, self.rng)]  # "x": apart from the shared words

    def phrase(self, n: int) -> str:
        k = sum(self.rng.random() < self.topic_share for _ in range(n)) if self.topic else 0
        words = self.rng.choices(self.words, cum_weights=self.cum, k=n - k)
        if k:
            words += self.rng.choices(self.topic, cum_weights=self.topic_cum, k=k)
        self.rng.shuffle(words)
        return " ".join(words)


def _cumulative(weights):
    total = 0.0
    for w in weights:
        total += w
        yield total


def deck_text(n: int, deck: str, corpus: Corpus, planted: list[tuple[str, str]], plant_from: list) -> str:
    """A deck of exactly ``n`` cards (n a multiple of 10). 1 % of its questions are rewordings of
    questions kept in ``plant_from`` (from earlier decks); its own questions go to ``planted``."""
    rng = corpus.rng
    units = n // 10  # each unit: 2 glossary + 2 comparison + 3 qa + 1 mcq + 2 cloze
    out = [f'+++\ndeck = "{deck}"\ntitle = "{deck}"\n+++\n', f"# {deck}\n"]
    out.append("## Glossary\n\n| Term | Definition |\n|---|---|")
    out += [f"| {corpus.phrase(2)} {i} | {corpus.phrase(8)} |" for i in range(units)]
    out.append("\n## Comparison\n\n| Aspect | Left | Right |\n|---|---|---|")
    out += [f"| {corpus.phrase(3)} | {corpus.phrase(3)} | {corpus.phrase(3)} |" for _ in range(units)]
    out.append("\n## Questions\n")
    for i in range(units):
        for k in range(3):
            if plant_from and rng.random() < 0.033:
                question, answer = plant_from.pop(rng.randrange(len(plant_from)))
                words = question.split()
                words.insert(rng.randrange(len(words) + 1), "really")  # a reworded front
                out.append(f"**Q: Which {' '.join(words)}?** <!-- id: q{i}-{k} -->\nA: {answer}\n")
                planted.append((question, f"{deck}:q{i}-{k}"))
                continue
            question, answer = corpus.phrase(rng.randint(5, 10)), corpus.phrase(rng.randint(2, 12))
            out.append(f"**Q: What is {question}?** <!-- id: q{i}-{k} -->\nA: {answer}\n")
            if rng.random() < 0.2:
                plant_from.append((question, answer))
        out.append(f"**Q: Pick {corpus.phrase(6)}**\n- [ ] {corpus.phrase(2)}\n- [x] {corpus.phrase(2)}\n- [ ] {corpus.phrase(2)}\n")
        out.append(f"{corpus.phrase(5)} {{{{{corpus.phrase(2)}}}}} {corpus.phrase(4)} {{{{{corpus.phrase(1)}}}}} {corpus.phrase(3)}.\n")
    return "\n".join(out) + "\n"


def build(folder: Path, total: int, per_file: int = 1000, topic_share: float = 0.0) -> list[str]:
    """Writes the decks; returns the keys of the planted (reworded) duplicates."""
    corpus, planted, pool = Corpus(topic_share=topic_share), [], []
    for k in range(total // per_file):
        corpus.new_topic()
        (folder / f"deck-{k:03}.md").write_text(deck_text(per_file, f"deck-{k:03}", corpus, planted, pool),
                                                encoding="utf-8")
    return [key for _, key in planted]


def measure(folder: Path, repeat: int = 3, planted: list[str] = ()) -> dict:
    """Best of ``repeat``: wall-clock seconds and CPU seconds (the machine may be shared), and how many
    of the ``planted`` duplicates were reported."""
    library = load_library([folder])
    wall = cpu = float("inf")
    problems = []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        problems = nd.near_duplicate_problems(library)
        wall, cpu = min(wall, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
    items = nd.card_items(library)
    weights = weigh(items)
    pairs = sum(1 for _ in candidate_pairs(items, weights, nd.THRESHOLD))
    reported = {late.key for late, _, _ in nd.find_near_duplicates(library)}
    return {"seconds": wall, "cpu": cpu, "cards": len(library.cards), "pairs": pairs, "warnings": len(problems),
            "found": sum(key in reported for key in planted)}


CASES = {  # name: (topic share, sizes)
    "topic decks": (0.6, (10_000, 40_000)),  # each deck has its own topic words besides the shared ones
    "one vocabulary": (0.0, (10_000,)),  # stress: every deck draws from the same 4000 words
}


def run(name: str, topic_share: float, total: int, tmp: Path) -> dict:
    folder = tmp / f"{name.replace(' ', '-')}-{total}"
    folder.mkdir()
    planted = build(folder, total, topic_share=topic_share)
    r = measure(folder, repeat=3 if total <= 10_000 else 1, planted=planted)
    print(f"{name:>14}, {r['cards']:>6} cards: near-duplicate check {r['seconds']:.3f} s (CPU {r['cpu']:.3f} s); "
          f"{r['pairs']} candidate pairs scored ({r['pairs'] / r['cards']:.1f} per card); "
          f"{r['warnings']} warnings; {r['found']} of {len(planted)} planted rewordings found")
    return r


def main() -> int:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (share, sizes) in CASES.items():
            for total in sizes:
                results[name, total] = run(name, share, total, Path(tmp))
    growth = results["topic decks", 40_000]["cpu"] / results["topic decks", 10_000]["cpu"]
    print(f"topic decks, CPU-time ratio 40k/10k: {growth:.2f} (4 = linear)")
    ok = results["topic decks", 10_000]["seconds"] <= 0.5
    print("goal (10k cards of topic decks <= 0.5 s):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
