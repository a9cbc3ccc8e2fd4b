"""Deck loading speed: parse + validate decks of 10k and 100k cards, mixed kinds.

Run:  python benchmarks/load.py
Prints seconds for a library of 1000-card files (10 and 100 files) and for one big file of each
size, and the 100k/10k ratio (10 = linear). Goal: 10k cards in <= 0.5 s.

Maths: the same 10k-card library with LaTeX in every card (fronts, backs, options, cells, cloze
sentences) loads within 1.2x of the library without (goal). Loading never renders maths: a card's
maths is rendered when it is first shown and cached (core/text/maths_markdown.py), so the time to
render every card once is printed too, beside, for what a screen that shows every card would pay.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from quizapp.core.content.loader import load_deck, load_library


def deck_text(n: int, deck: str) -> str:
    """A deck with exactly ``n`` cards (n a multiple of 10): every kind the format has."""
    units = n // 10  # each unit: 2 glossary + 2 comparison + 2 qa + 1 mcq + 2 cloze (paragraph) + 1 cloze (list)
    out = [f'+++\ndeck = "{deck}"\ntitle = "Benchmark {deck}"\ntags = ["bench"]\n+++\n', f"# {deck}\n", "Some prose for the notes.\n"]
    out.append("## Glossary\n\n| Term | Definition |\n|------|------------|")
    out += [f"| term {i} | definition number {i} with *emphasis* |" for i in range(units)]
    out.append("\n## Comparison\n\n| Aspect | ReLU | Leaky ReLU |\n|---|---|---|")
    out += [f"| aspect {i} | **{i}** | α·{i} |" for i in range(units)]
    out.append("\n## Questions\n")
    for i in range(units):
        out.append(f"**Q: What is question {i}?** <!-- id: q{i} -->\nA: Answer {i}.\n")
        out.append(f"Q: Plain question {i}?\nA: Plain answer {i}\nwith a second line.\n")
        out.append(f"**Q: Pick option {i}**\n- [ ] wrong {i}\n- [x] right {i}\n- [ ] also wrong\n")
        out.append(f"Cloze sentence {i} has {{{{first {i}}}}} and {{{{second::hint}}}} blanks.\n")
        out.append(f"- list cloze {i} is {{{{{i}}}}}\n")
    out.append("```python\nprint('code is notes')\n```\n")
    return "\n".join(out) + "\n"


MATHS = [("$", r"\sigma(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}", "$"),
         ("$", r"\hat{x}_i = \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}", "$"),
         ("\\(", r"\text{softmax}(QK^T/\sqrt{d_k})V", "\\)"), ("$", r"W^T x + b", "$"),
         ("$", r"\nabla_\theta L", "$"), ("$$", r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t", "$$")]


def maths_deck_text(n: int, deck: str) -> str:
    """``deck_text`` with LaTeX in every card: a different formula (by index) in each text."""
    text = deck_text(n, deck)
    out, k = [], 0
    for line in text.split("\n"):
        if line.startswith(("| term", "| aspect", "**Q:", "Q: ", "A: ", "- [", "Cloze", "- list")):
            opener, latex, closer = MATHS[k % len(MATHS)]
            formula = f"{opener}{latex} + c_{{{k}}}{closer}"  # every formula different: nothing shared
            k += 1
            if line.endswith(" |"):
                line = line[:-2] + f" {formula} |"
            elif line.endswith("-->"):
                line = line.replace("** <!--", f" {formula}** <!--")
            else:
                line = f"{line} {formula}"
        out.append(line)
    return "\n".join(out)


def render_every_card(cards) -> None:
    from quizapp.core.text.maths_markdown import render_maths_markdown

    for card in cards:
        for text in (card.front, card.back, card.note, *(c.text for c in card.choices)):
            render_maths_markdown(text)


def maths_case(root: Path, per_file: int) -> bool:
    """Load 10k cards with and without maths, interleaved; print the ratio (goal <= 1.2)."""
    plain_dir, maths_dir = root / "plain10k", root / "maths10k"
    plain_dir.mkdir()
    maths_dir.mkdir()
    for k in range(10_000 // per_file):
        (plain_dir / f"deck-{k:03}.md").write_text(deck_text(per_file, f"deck-{k:03}"), encoding="utf-8")
        (maths_dir / f"deck-{k:03}.md").write_text(maths_deck_text(per_file, f"deck-{k:03}"), encoding="utf-8")
    plain_t, maths_t = [], []
    for _ in range(5):  # interleaved, so machine noise hits both alike
        plain_t.append(timed(lambda: load_library([plain_dir]), repeat=1)[0])
        t, lib = timed(lambda: load_library([maths_dir]), repeat=1)
        maths_t.append(t)
    assert len(lib.cards) == 10_000 and not lib.problems, lib.problems[:3]
    with_maths = sum(1 for c in lib.cards if "$" in c.front + c.back or "\\(" in c.front + c.back)
    plain, maths = min(plain_t), min(maths_t)
    ratio = maths / plain
    render_t, _ = timed(lambda: render_every_card(lib.cards), repeat=1)  # cold: nothing cached yet
    again_t, _ = timed(lambda: render_every_card(lib.cards), repeat=1)
    print(f"  10000 cards, {with_maths} with maths: load {maths:6.3f} s vs {plain:6.3f} s without "
          f"-> ratio {ratio:.2f} (goal <= 1.2)")
    print(f"         rendering every card's maths once: {render_t:6.3f} s cold, {again_t:6.3f} s cached")
    return ratio <= 1.2


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> int:
    per_file = 1000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        maths_ok = maths_case(root, per_file)  # first: the 100k libraries below leave a big heap behind
        results = {}
        for total in (10_000, 100_000):
            lib_dir = root / f"lib{total}"
            lib_dir.mkdir()
            for k in range(total // per_file):
                (lib_dir / f"deck-{k:03}.md").write_text(deck_text(per_file, f"deck-{k:03}"), encoding="utf-8")
            big = root / f"big{total}.md"
            big.write_text(deck_text(total, f"big-{total}"), encoding="utf-8")

            t_lib, lib = timed(lambda d=lib_dir: load_library([d]), repeat=3 if total <= 10_000 else 1)
            t_big, deck = timed(lambda b=big: load_deck(b), repeat=3 if total <= 10_000 else 1)
            assert len(lib.cards) == total and not lib.problems, (len(lib.cards), lib.problems[:3])
            assert len(deck.cards) == total and not deck.problems, (len(deck.cards), deck.problems[:3])
            results[total] = (t_lib, t_big)
            kinds = Counter(str(c.kind) for c in deck.cards)
            size = big.stat().st_size / 1e6
            print(f"{total:>7} cards: library of {total // per_file} files {t_lib:6.3f} s | one {size:.1f} MB file {t_big:6.3f} s"
                  f"  ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    (l10, b10), (l100, b100) = results[10_000], results[100_000]
    print(f"ratio 100k/10k: library {l100 / l10:.2f}, single file {b100 / b10:.2f}  (10 = linear)")
    ok = l10 <= 0.5 and b10 <= 0.5
    print("goal (10k <= 0.5 s):", "met" if ok else "NOT met")
    print("goal (maths <= 1.2x):", "met" if maths_ok else "NOT met")
    return 0 if ok and maths_ok else 1


if __name__ == "__main__":
    sys.exit(main())
