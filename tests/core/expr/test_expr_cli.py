"""`quizapp check-answer`: exit codes, messages, carets and JSON."""

from __future__ import annotations

import json

import pytest

from quizapp import cli


def run(capsys, *args):
    code = cli.main(["check-answer", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_equivalent_exit_0(capsys):
    code, out, _ = run(capsys, "--expected", "leaky_relu(z, alpha)", "--answer", "max(α·z, z)",
                       "--const", "alpha=0.01")
    assert code == 0 and out.startswith("equivalent")


def test_not_equivalent_exit_1_with_counterexample(capsys):
    code, out, _ = run(capsys, "--expected", "leaky_relu(z, alpha)", "--answer", "relu(z)",
                       "--const", "alpha=0.01")
    assert code == 1
    assert "at z = −1 your formula gives 0, expected −0.01" in out


def test_input_error_exit_2_with_caret(capsys):
    code, _, err = run(capsys, "--expected", "leaky_relu(z, 0.01)", "--answer", "max(αz, z)")
    assert code == 2
    lines = err.splitlines()
    assert "--answer column 6" in lines[0] and "write α*z" in lines[0]
    assert lines[2].index("^") == lines[1].index("z")


@pytest.mark.parametrize("args", [
    ["--expected", "z", "--answer", "x"],
    ["--expected", "2z", "--answer", "z"],
    ["--expected", "z", "--answer", "z", "--var", "z=3"],
    ["--expected", "z", "--answer", "z", "--var", "z=3:-3"],
    ["--expected", "z", "--answer", "z", "--const", "alpha=zz"],
    ["--expected", "z", "--answer", "__import__('os')"],
])
def test_other_input_errors_exit_2(capsys, args):
    code, out, err = run(capsys, *args)
    assert code == 2 and err and not out


def test_vars_consts_kinks_and_json(capsys):
    code, out, _ = run(capsys, "--expected", "1 if z > 0 else alpha", "--answer",
                       "where(z >= 0, 1, alpha)", "--const", "alpha=1/100", "--check-kinks", "--json")
    data = json.loads(out)
    assert code == 1 and data["equivalent"] is False and data["counterexample"] == {"z": 0.0}
    assert data["constants"] == {"alpha": 0.01} and data["vars"] == {"z": [-3.0, 3.0]}
    code, out, _ = run(capsys, "--expected", "x*y", "--answer", "y*x", "--var", "x=-1:1",
                       "--var", "y=0:10", "--json")
    assert code == 0 and json.loads(out)["points_checked"] >= 30


def test_json_input_error(capsys):
    code, out, _ = run(capsys, "--expected", "z", "--answer", "2z", "--json")
    data = json.loads(out)
    assert code == 2 and data["error"]["field"] == "answer" and data["error"]["col"] == 2
