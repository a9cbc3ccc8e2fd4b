"""Formula drills at their limits (issue 13, items 2 and 3): a drill declaring 1,000 variables (50 s to
check, the drill frozen 20 s on Enter), ranges so wide that hi − lo overflows (OverflowError in
`check`, the app crashed on Enter; the same through `check-answer --var`), and overflow anywhere in
sampling or evaluation, which must never reach the screen as an exception."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from quizapp.cli import main
from quizapp.core.formula import evaluate as expr_eval
from quizapp.core.formula.drills import Drill, parse_drill_toml, validate_drill
from quizapp.core.formula.equivalence import equivalent, sample_points
from quizapp.core.formula.var_ranges import MAX_VARS, range_problem
from quizapp.ui.widgets.drill_panel import DrillPanel


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def drill_deck(vars_line: str, answer: str = "v0 + v1", accept: str = "v1 + v0") -> str:
    return (f'+++\ndeck = "d"\n+++\n\n```drill\nid = "d1"\nprompt = "p"\nanswer = "{answer}"\n'
            f'accept = ["{accept}"]\n{vars_line}\n```\n')


def many_vars(n: int) -> str:
    return "vars = { " + ", ".join(f"v{i} = [-3, 3]" for i in range(n)) + " }"


# ---- how many variables -----------------------------------------------------------------------

def test_a_drill_declaring_1000_variables_is_refused_at_its_vars_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    deck = tmp_path / "d.md"
    deck.write_text(drill_deck(many_vars(1000)), encoding="utf-8")
    start = time.perf_counter()
    code, out, err = run(["check", str(deck)], capsys)
    assert time.perf_counter() - start < 2.0  # was 50 s
    assert code == 1 and "Traceback" not in err
    (error,) = [line for line in out.splitlines() if "error:" in line]
    assert error == f"{deck}:10:1: error: drill 'd1': drill declares 1000 variables; at most {MAX_VARS}"
    # what the review screen and the drills screen read: no drill, the same message
    drill, problems = parse_drill_toml(drill_deck(many_vars(1000)).split("```drill\n")[1][:-4], validate=False)
    assert drill is None and problems[0].message == f"drill declares 1000 variables; at most {MAX_VARS}"


def test_a_drill_with_the_most_variables_allowed_checks_and_grades_quickly(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    names = [f"v{i}" for i in range(MAX_VARS)]
    deck = tmp_path / "d.md"
    deck.write_text(drill_deck(many_vars(MAX_VARS), " + ".join(names), " + ".join(reversed(names))),
                    encoding="utf-8")
    start = time.perf_counter()
    code, out, _ = run(["check", str(deck)], capsys)
    assert code == 0 and "0 errors" in out and time.perf_counter() - start < 2.0
    drill = Drill("d", "p", " + ".join(names), vars={n: (-3.0, 3.0) for n in names})
    start = time.perf_counter()
    right = drill.grade(" + ".join(reversed(names)))
    wrong = drill.grade(" + ".join(names[:-1]))
    assert time.perf_counter() - start < 1.0
    assert right.equivalent and not wrong.equivalent and set(wrong.counterexample) == set(names)


def test_too_many_variables_is_an_error_wherever_they_come_from():
    names = [f"v{i}" for i in range(MAX_VARS + 1)]
    # implied by the answer's free names (no vars table)
    drill, problems = parse_drill_toml(f'id = "x"\nprompt = "p"\nanswer = "{" + ".join(names)}"\n')
    assert drill is None
    assert [(p.line, p.field, p.message) for p in problems] == [
        (2, "answer", f"the answer uses {MAX_VARS + 1} variables; at most {MAX_VARS}")]
    # a Drill built in code, and the comparison itself
    big = Drill("d", "p", "v0", vars={n: (-1.0, 1.0) for n in names})
    assert validate_drill(big) == [(f"drill declares {MAX_VARS + 1} variables; at most {MAX_VARS}", "vars")]
    with pytest.raises(ValueError, match=f"at most {MAX_VARS}"):
        big.grade("v0")
    with pytest.raises(ValueError, match=f"at most {MAX_VARS}"):
        sample_points({n: (-1.0, 1.0) for n in names}, {})


def test_check_answer_refuses_too_many_variables(capsys):
    names = [f"v{i}" for i in range(MAX_VARS + 4)]
    code, _, err = run(["check-answer", "--expected", " + ".join(names), "--answer", "v0"], capsys)
    assert code == 2 and err.startswith(f"quizapp check-answer: --expected: uses {MAX_VARS + 4} variables")
    many = [arg for n in names for arg in ("--var", f"{n}=-1:1")]
    code, _, err = run(["check-answer", "--expected", "v0", "--answer", "v0", *many], capsys)
    assert code == 2 and err.startswith(f"quizapp check-answer: --var: gives {MAX_VARS + 4} variables")


def test_thousands_of_problems_in_one_drill_are_located_in_linear_time():
    """Each problem used to rescan the TOML for its field (8000 bad constants: 15.6 s)."""
    base = 'id = "x"\nprompt = "p"\nanswer = "z"\n'
    bad_constants = base + "constants = { " + ", ".join(f'c{i} = "x"' for i in range(8000)) + " }\n"
    unknown_keys = base + "".join(f"k{i} = 1\n" for i in range(8000))
    start = time.perf_counter()
    _, constants_problems = parse_drill_toml(bad_constants)
    _, key_problems = parse_drill_toml(unknown_keys)
    assert time.perf_counter() - start < 3.0
    p = constants_problems[7999]
    assert (p.line, p.col, p.message) == (3, bad_constants.splitlines()[3].index("c7999 =") + 1,
                                          "constant 'c7999' must be a number")
    assert [(p.line, p.col, p.severity) for p in key_problems[:2]] == [(3, 1, "warning"), (4, 1, "warning")]
    assert key_problems[-1].line == 8002 and "unknown key 'k7999'" in key_problems[-1].message


# ---- ranges -----------------------------------------------------------------------------------

HUGE = "vars = { z = [-1e308, 1e308] }"


def test_a_range_whose_width_overflows_is_a_located_error_in_check(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    deck = tmp_path / "d.md"
    deck.write_text(drill_deck(HUGE, "z", "z + 0"), encoding="utf-8")
    code, out, err = run(["check", str(deck)], capsys)
    assert code == 1 and "Traceback" not in err and "OverflowError" not in out
    (error,) = [line for line in out.splitlines() if "error:" in line]
    assert error.startswith(f"{deck}:10:10: error: drill 'd1': range of 'z' is too wide (hi − lo overflows)")


@pytest.mark.parametrize("lo, hi, fragment", [
    (-1e308, 1e308, "too wide"), (-math.inf, 1.0, "finite"), (0.0, math.nan, "finite"),
    (1.0, 1.0, "lo < hi"), (3.0, -3.0, "lo < hi"),
])
def test_every_way_a_range_enters_refuses_it_cleanly(lo, hi, fragment, capsys):
    assert fragment in range_problem("z", lo, hi)
    assert range_problem("z", -8e307, 8e307) is None  # wide, but hi − lo is finite: fine
    drill = Drill("d", "p", "z", vars={"z": (lo, hi)})
    ((message, field),) = validate_drill(drill)
    assert field == "vars.z" and fragment in message
    with pytest.raises(ValueError, match=fragment):  # the drill panel shows a ValueError as a message
        drill.grade("z")
    with pytest.raises(ValueError, match=fragment):
        sample_points({"z": (lo, hi)}, {})


@pytest.mark.parametrize("var", ["z=-1.7e308:1.7e308", "z=-1e999:1", "z=2:2", "z=10**308:-10**308"])
def test_check_answer_refuses_a_bad_range_at_its_var(var, capsys):
    code, out, err = run(["check-answer", "--expected", "z", "--answer", "z", "--var", var], capsys)
    assert code == 2 and out == "" and "Traceback" not in err
    first, shown = err.splitlines()[:2]
    assert first.startswith("quizapp check-answer: --var z: range of 'z'") and shown.strip() == var


async def test_the_review_screen_survives_a_drill_with_an_overflowing_range(make_app, tmp_path):
    deck = tmp_path / "huge.md"
    deck.write_text(drill_deck(HUGE, "z", "z + 0"), encoding="utf-8")
    app = make_app(paths=(deck,), start_in_review=True, review_deck="d")
    async with app.run_test(size=(100, 32)) as pilot:  # used to end with OverflowError on Enter
        await pilot.pause()
        assert not app.screen.query(DrillPanel)  # the card is shown plainly, with the reason
        await pilot.press("z", "enter", "space", "enter")
        await pilot.pause()
        assert app.is_running


# ---- overflow inside sampling and evaluation --------------------------------------------------

def test_overflow_while_evaluating_counts_as_non_finite_never_an_exception(monkeypatch):
    """NumPy gives inf under the evaluator's errstate; a function that raises OverflowError anyway
    (as Python's math does) must not get through to the drill panel."""
    real_call = expr_eval._Evaluator.call

    def call(self, node):
        if node.func == "exp":
            raise OverflowError("math range error")
        return real_call(self, node)

    monkeypatch.setattr(expr_eval._Evaluator, "call", call)
    monkeypatch.setitem(expr_eval._DISPATCH, expr_eval.Call, call)
    verdict = equivalent("exp(z)", "z", {"z": (-3.0, 3.0)})  # the expected side is undefined everywhere
    assert not verdict.equivalent and "undefined at every sample point" in verdict.message
    verdict = equivalent("z", "exp(z)", {"z": (-3.0, 3.0)})  # the typed side
    assert not verdict.equivalent and "undefined (nan)" in verdict.message


@pytest.mark.parametrize("lo, hi", [(0.0, 1e-310), (0.0, 5e-324), (1.7e308 - 1e293, 1.7e308), (-8e307, 8e307)])
def test_extreme_but_valid_ranges_give_sample_points_inside_the_range(lo, hi):
    points = sample_points({"z": (lo, hi)}, {"z": (hi,)})
    z = points["z"]
    assert len(z) >= 1 and np.all(np.isfinite(z)) and np.all((z >= lo) & (z <= hi))
    verdict = equivalent("z", "z", {"z": (lo, hi)})
    assert verdict.equivalent
