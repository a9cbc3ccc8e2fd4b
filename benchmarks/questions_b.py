"""Time to generate 1,000 questions of each family added for issue 15 (part B), per difficulty.

Run:  python benchmarks/questions_b.py [--count 1000] [--repeat 3] [--families conv1d,adam_step]
Each question is a fresh seed (0 … count − 1), built exactly as ``quizapp questions`` builds it;
the best of ``--repeat`` runs is shown. Times are CPU seconds of this process
(``time.process_time``), so other work on a shared machine does not count; BLAS is asked for one
thread, so this is time on one core. Goal: under a second per family and
difficulty for 1,000 questions. Exit status 1 when a family misses it.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import time  # noqa: E402

from quizapp.core.generators import DIFFICULTIES, generate  # noqa: E402

FAMILIES_B = ("conv1d", "conv2d_shape", "maxpool_backward", "rnn_bptt", "l2_penalty_grad",
              "momentum_step", "adam_step", "clip_grad_norm")
GOAL_SECONDS = 1.0


def seconds_for(family: str, difficulty: str, count: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(max(repeat, 1)):
        t0 = time.process_time()
        for seed in range(count):
            generate(family, seed=seed, difficulty=difficulty)
        best = min(best, time.process_time() - t0)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="questions per family × difficulty")
    parser.add_argument("--repeat", type=int, default=3, help="runs per cell; the best is shown")
    parser.add_argument("--families", default=",".join(FAMILIES_B), help="comma-separated names")
    args = parser.parse_args()
    families = [f.strip() for f in args.families.split(",") if f.strip()]
    for family in families:  # warm-up: imports, first NumPy calls
        generate(family, seed=0)
    print(f"CPU seconds for {args.count} questions (goal < {GOAL_SECONDS:g} s each)")
    print(f"{'family':20}" + "".join(f"{d:>10}" for d in DIFFICULTIES) + f"{'worst':>10}")
    slow = []
    for family in families:
        times = [seconds_for(family, d, args.count, args.repeat) for d in DIFFICULTIES]
        worst = max(times)
        print(f"{family:20}" + "".join(f"{t:10.3f}" for t in times) + f"{worst:10.3f}")
        if worst * 1000 / max(args.count, 1) >= GOAL_SECONDS:
            slow.append(family)
    if slow:
        print(f"over the goal: {', '.join(slow)}")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
