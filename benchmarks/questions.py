"""Question generation speed per family, and grading latency of typed answers.

Run:  python benchmarks/questions.py [--seconds 0.5]
Prints, per family and difficulty, questions generated per second (each one a fresh seed and,
where the family takes one, a drawn activation), then the median and worst time of
``grade`` (answers.grade_numbers) on the answer key text of every answer of those questions.
Goal: ≥ 1000 questions/s for the simple families, grading well under 1 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time

from quizapp.core.generators import DIFFICULTIES, family_names, generate, grade
from quizapp.core.generators.worksheet import answer_text


def rate(family: str, difficulty: str, seconds: float) -> tuple[float, list]:
    """Questions per second over about ``seconds``; returns the questions made, too."""
    made, seed, t0 = [], 0, time.perf_counter()
    while (elapsed := time.perf_counter() - t0) < seconds or seed < 20:
        made.append(generate(family, seed=seed, difficulty=difficulty))
        seed += 1
    return len(made) / elapsed, made


def grading_times(questions: list) -> list[float]:
    times = []
    for q in questions:
        for name in q.answer:
            typed = answer_text(q, name)
            t0 = time.perf_counter()
            verdict = grade(q, name, typed)
            times.append(time.perf_counter() - t0)
            assert verdict.correct, (q.id, name, typed)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="time per family × difficulty")
    args = parser.parse_args()
    generate("two_layer", seed=0)  # warm-up: imports, first NumPy calls

    print(f"{'family':24}" + "".join(f"{d + ' q/s':>13}" for d in DIFFICULTIES))
    sample = []
    for family in family_names():
        cells = []
        for difficulty in DIFFICULTIES:
            per_second, made = rate(family, difficulty, args.seconds)
            cells.append(f"{per_second:13.0f}")
            sample += made[:200]
        print(f"{family:24}" + "".join(cells))

    times = grading_times(sample)
    ms = sorted(t * 1000 for t in times)
    print(f"\ngrading {len(ms)} answers (answer-key text, all correct): "
          f"median {statistics.median(ms):.3f} ms, p99 {ms[int(0.99 * (len(ms) - 1))]:.3f} ms, "
          f"worst {ms[-1]:.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
