"""Time of one formula equivalence check (parse both + sample + evaluate + compare) per drill pair.

Pairs: the equivalence table of the test suite (tests/core/expr/test_expr_equivalence.py) plus a
few multi-variable ones. Each pair is checked REPEAT times after a warm-up; prints the median and the
worst single check. Goal: median ≤ 5 ms, worst ≤ 50 ms.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
import time
from pathlib import Path

from quizapp.core.formula.equivalence import equivalent

REPEAT = 20
ROOT = Path(__file__).resolve().parent.parent


def pairs() -> list[tuple[str, str, dict, dict]]:
    path = ROOT / "tests" / "core" / "expr" / "test_expr_equivalence.py"
    spec = importlib.util.spec_from_file_location("_equiv_table", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = [(e, g, module.Z, module.ALPHA) for e, g, _ in module.PAIRS]
    xy = {"x": (-2.0, 2.0), "y": (-2.0, 2.0)}
    out += [("x*y + x", "x*(y + 1)", xy, {}), ("relu(x - y)", "max(x, y) - y", xy, {}),
            ("sigmoid(x*y)", "1/(1 + exp(-x*y))", xy, {})]
    return out


def main() -> int:
    cases = pairs()
    for e, g, v, c in cases:  # warm-up
        equivalent(e, g, v, c)
    times = []
    slowest = (0.0, "")
    for e, g, v, c in cases:
        for _ in range(REPEAT):
            start = time.perf_counter()
            equivalent(e, g, v, c)
            dt = time.perf_counter() - start
            times.append(dt)
            if dt > slowest[0]:
                slowest = (dt, f"{e}  vs  {g}")
    median, worst = statistics.median(times) * 1000, max(times) * 1000
    print(f"{len(cases)} pairs × {REPEAT}: median {median:.2f} ms, worst {worst:.2f} ms "
          f"(goal ≤ 5 ms median, ≤ 50 ms worst)")
    print(f"slowest: {slowest[1]}")
    return 0 if median <= 5 and worst <= 50 else 1


if __name__ == "__main__":
    sys.exit(main())
