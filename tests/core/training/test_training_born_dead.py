"""Born-dead probability: the width-1 formula, Leaky ReLU's zero, and the simulation's invariants."""

import math
import threading
import time

import pytest

from quizapp.core.engine.born_dead import (
    born_dead_counts,
    born_dead_probability,
    born_dead_table,
    width1_probability,
)


def test_width1_formula_values():
    assert [width1_probability(L) for L in (1, 2, 3, 5)] == [0.0, 0.5, 0.75, 1 - 2**-4]
    with pytest.raises(ValueError):
        width1_probability(0)


@pytest.mark.parametrize("depth", [1, 2, 3, 4, 6, 10])
def test_width1_simulation_matches_one_minus_two_to_the_minus_depth_minus_one(depth):
    trials = 4000
    p = born_dead_probability(1, depth, trials=trials, seed=7)
    exact = width1_probability(depth)
    sigma = math.sqrt(exact * (1 - exact) / trials)
    assert abs(p - exact) <= 4 * sigma + 1e-12  # depth 1: exactly 0 (layer 1 sees both signs)


def test_leaky_relu_is_never_born_dead():
    counts = born_dead_counts(2, [2, 10, 50], activation="leaky_relu", trials=500, seed=0)
    assert counts == {2: 0, 10: 0, 50: 0}
    assert born_dead_probability(1, 20, activation="leaky_relu", trials=500) == 0.0


def test_grid_size_does_not_matter_with_zero_biases():
    """ReLU nets without biases are positively homogeneous: h(x) = |x|·h(sign x), so a layer is zero
    on the 201-point grid exactly when it is zero at x = ±1 — the same networks die either way."""
    full = born_dead_counts(3, [2, 5, 10, 20], trials=300, seed=5, n_points=201)
    assert full == born_dead_counts(3, [2, 5, 10, 20], trials=300, seed=5, n_points=3)


def test_cells_are_reproducible_and_independent_of_the_other_depths_asked():
    a = born_dead_counts(4, [5, 20], trials=600, seed=2)
    b = born_dead_counts(4, [20], trials=600, seed=2)
    c = born_dead_counts(4, [5], trials=600, seed=2)
    assert a[20] == b[20] and a[5] == c[5]
    assert a == born_dead_counts(4, [20, 5], trials=600, seed=2)
    assert a[5] <= a[20]  # a prefix that is dead stays dead


def test_probability_grows_with_depth_and_shrinks_with_width():
    cells = {(c.width, c.depth): c.p_dead
             for c in born_dead_table([2, 10], [2, 10, 50], ["relu"], trials=500)}
    assert cells[(2, 2)] < cells[(2, 10)] < cells[(2, 50)]
    assert cells[(10, 50)] < cells[(2, 50)]
    assert cells[(2, 50)] > 0.95


def test_default_table_is_fast_and_stoppable():
    start = time.perf_counter()
    cells = list(born_dead_table())  # 2 activations × 5 widths × 5 depths × 1000 trials
    assert len(cells) == 50 and time.perf_counter() - start < 20
    assert {c.trials for c in cells} == {1000}
    assert all(c.p_dead == 0 for c in cells if c.activation == "leaky_relu")
    assert set(cells[0].to_json()) >= {"activation", "width", "depth", "p_dead"}
    stop = threading.Event()
    stop.set()
    assert list(born_dead_table(stop=stop)) == []
