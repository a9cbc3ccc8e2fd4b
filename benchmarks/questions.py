"""Question generation time per family (goal: 1,000 questions in under a second, one core), and
grading latency of typed answers.

Run:  python benchmarks/questions.py [--count 1000] [--repeat 3] [--family NAME ...]

For each family, ``--count`` questions with fresh seeds, the difficulties taken in turn (easy,
medium, hard, easy, …) and, where the family takes one, a drawn activation; the best of
``--repeat`` runs is printed (the machine is shared: the best run is the one least disturbed),
with the per-difficulty time per question beside it. Then the median and worst time of ``grade``
on the answer key text of every answer of a sample. The process is pinned to one CPU and BLAS to
one thread before NumPy loads. Exit status 1 when a family misses the goal.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from quizapp.core.generators import DIFFICULTIES, family_names, generate, grade  # noqa: E402
from quizapp.core.generators.worksheet import answer_text  # noqa: E402

GOAL_SECONDS = 1.0


def pin_to_one_cpu() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def run_once(family: str, count: int) -> tuple[float, dict[str, float], list]:
    """Seconds for ``count`` questions, seconds per question by difficulty, the questions."""
    per: dict[str, list[float]] = {d: [] for d in DIFFICULTIES}
    made = []
    clock = time.perf_counter
    start = clock()
    for seed in range(count):
        difficulty = DIFFICULTIES[seed % len(DIFFICULTIES)]
        t0 = clock()
        made.append(generate(family, seed=seed, difficulty=difficulty))
        per[difficulty].append(clock() - t0)
    total = clock() - start
    return total, {d: sum(v) / len(v) for d, v in per.items() if v}, made


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
    parser.add_argument("--count", type=int, default=1000, help="questions per family (1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per family; the best is kept")
    parser.add_argument("--family", nargs="*", help="only these families (default: all)")
    args = parser.parse_args()
    families = args.family or family_names()
    print(pin_to_one_cpu(), "; BLAS threads 1", sep="")
    for family in families:  # warm-up: imports, first NumPy calls, caches
        generate(family, seed=0)

    head = "".join(f"{d + ' ms/q':>13}" for d in DIFFICULTIES)
    print(f"\n{'family':24}{f'{args.count} q (s)':>12}{head}   goal < {GOAL_SECONDS:g} s")
    sample, missed = [], []
    for family in families:
        runs = [run_once(family, args.count) for _ in range(max(1, args.repeat))]
        total, per, made = min(runs, key=lambda r: r[0])
        sample += made[:60]
        ok = total * 1000 / args.count < GOAL_SECONDS  # the goal is per 1,000 questions
        if not ok:
            missed.append(family)
        cells = "".join(f"{per[d] * 1000:13.3f}" for d in DIFFICULTIES if d in per)
        print(f"{family:24}{total:12.3f}{cells}   {'ok' if ok else 'MISSED'}")

    ms = sorted(t * 1000 for t in grading_times(sample))
    print(f"\ngrading {len(ms)} answers (answer-key text, all correct): "
          f"median {statistics.median(ms):.3f} ms, p99 {ms[int(0.99 * (len(ms) - 1))]:.3f} ms, "
          f"worst {ms[-1]:.3f} ms")
    if missed:
        print(f"missed the goal: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
