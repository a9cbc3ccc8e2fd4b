"""Formula drills from TOML: parsing, located problems, validation, engine agreement, grading."""

from __future__ import annotations

import pytest

from quizapp.core.formula.drills import Drill, Engine, parse_drill_toml, validate_drill
from quizapp.core.formula.language import ExprError

GOOD = '''\
id = "leaky-relu-grad"
prompt = "Derivative of Leaky ReLU with respect to z"
answer = "1 if z > 0 else alpha"
accept = ["where(z > 0, 1, alpha)",
          "1 if z > 0 else 0.01"]
reject = ["1 if z > 0 else 0"]
vars = { z = [-3, 3] }
constants = { alpha = 0.01 }
hint = "Two cases."
check_kinks = true
engine = { activation = "leaky_relu", of = "derivative" }
'''


def test_good_drill_parses_clean():
    drill, problems = parse_drill_toml(GOOD)
    assert problems == []
    assert drill.id == "leaky-relu-grad" and drill.vars == {"z": (-3.0, 3.0)}
    assert drill.constants == {"alpha": 0.01} and drill.check_kinks
    assert drill.engine == Engine("leaky_relu", "derivative")
    assert drill.accept[1] == "1 if z > 0 else 0.01"


def test_grading_a_typed_answer():
    drill, _ = parse_drill_toml(GOOD)
    assert drill.grade("where(z > 0, 1, α)").equivalent
    verdict = drill.grade("where(z >= 0, 1, α)")  # check_kinks: z = 0 must follow PyTorch
    assert not verdict.equivalent and verdict.counterexample == {"z": 0.0}
    with pytest.raises(ExprError):
        drill.grade("1 if z > 0 else αz")


def test_problems_are_located_by_line_offset():
    text = GOOD.replace('"1 if z > 0 else 0.01"', '"where(z >= 0, 1, 0.5)"').replace(
        'reject = ["1 if z > 0 else 0"]', 'reject = ["where(z > 0, 1, 0.01)"]')
    _, problems = parse_drill_toml(text)
    fields = {p.field: p for p in problems}
    assert set(fields) == {"accept[1]", "reject[0]"}
    assert fields["accept[1]"].line == 4 and fields["accept[1]"].col == 11
    assert "not equivalent" in fields["accept[1]"].message
    assert fields["reject[0]"].line == 5 and "would be accepted" in fields["reject[0]"].message


def test_engine_disagreement():
    drill, problems = parse_drill_toml(GOOD.replace('of = "derivative"', 'of = "value"'))
    (problem,) = problems
    assert problem.field == "engine" and problem.line == 10 and "registry" in problem.message
    drill, problems = parse_drill_toml(
        'id = "r"\nprompt = "ReLU"\nanswer = "max(0, z)"\nengine = { activation = "ReLU" }\n')
    assert problems == [] and drill.vars == {"z": (-3.0, 3.0)}


@pytest.mark.parametrize("text, field, fragment", [
    ('id = "x"\nprompt = "p"\nanswer = "2z"\n', "answer", "write 2*z"),
    ('id = "x"\nprompt = "p"\nanswer = "z*beta"\nvars = {z = [-1, 1]}\n', "answer", "unknown name 'beta'"),
    ('id = "x"\nprompt = "p"\nanswer = "z"\nvars = {z = [1, -1]}\n', "vars.z", "lo < hi"),
    ('id = "x"\nprompt = "p"\nanswer = "z"\nvars = {z = [-1]}\n', "vars.z", "two numbers"),
    ('id = "x"\nprompt = "p"\nanswer = "z"\nconstants = {relu = 1}\n', "constants.relu", "already"),
    ('id = "x"\nprompt = "p"\nanswer = "z"\nconstants = {k = "a"}\n', "constants.k", "number"),
    ('id = "x"\nprompt = "p"\n', "answer", "required"),
    ('id = "x"\nprompt = "p"\nanswer = "z"\nengine = {activation = "relux"}\n', "engine", "unknown activation"),
    ('id = "x"\nprompt = "p"\nanswer = "z"\nengine = {activation = "relu", of = "grad"}\n', "engine", "'of'"),
    ('id = "x"\nprompt = "p"\nanswer = "z"\naccept = "z + 0"\nreject = [1]\n', "reject", "list of strings"),
])
def test_bad_drills(text, field, fragment):
    _, problems = parse_drill_toml(text)
    assert any(p.field == field and fragment in p.message for p in problems), problems


def test_toml_syntax_error_and_unknown_key():
    drill, problems = parse_drill_toml('id = "x"\nanswer = "z\n')
    assert drill is None and problems[0].line == 1 and "invalid TOML" in problems[0].message
    drill, problems = parse_drill_toml('id = "x"\nprompt = "p"\nanswer = "z"\nhnt = "h"\n')
    assert drill is not None and problems[0].severity == "warning" and "'hint'" in problems[0].message
    assert problems[0].line == 3


def test_validate_drill_directly():
    drill = Drill("d", "p", "relu(z)", accept=("max(0, z)",), reject=("z",), vars={"z": (-3.0, 3.0)})
    assert validate_drill(drill) == []
    bad = Drill("d", "p", "relu(z)", accept=("z",), vars={"z": (-3.0, 3.0)})
    ((message, field),) = validate_drill(bad)
    assert field == "accept[0]" and "at z = −1 it gives −1, expected 0" in message
