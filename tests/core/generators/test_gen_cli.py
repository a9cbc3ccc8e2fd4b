"""`quizapp questions`: the JSON contract, the worksheet's answer key, text output and errors."""

import json
import subprocess
import sys

import pytest

from quizapp import cli
from quizapp.core.generators import generate_many

JSON_FIELDS = {
    "id", "family", "title", "difficulty", "seed", "activation", "params", "inputs", "answer",
    "answer_shapes", "tolerances", "prompt", "solution", "conventions",
}


def run(capsys, *argv):
    code = cli.main(["questions", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_a_list_with_the_documented_fields(capsys):
    code, out, _ = run(capsys, "--family", "all", "--count", "9", "--seed", "4",
                       "--difficulty", "medium", "--json")
    assert code == 0
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 9
    for item in data:
        assert set(item) == JSON_FIELDS
        assert set(item["answer"]) == set(item["tolerances"]) == set(item["answer_shapes"])
        assert all(set(t) == {"rtol", "atol", "integer"} for t in item["tolerances"].values())
        assert isinstance(item["solution"], list) and isinstance(item["conventions"], list)
    expected = [q.to_json() for q in generate_many("all", 9, 4, "medium")]
    assert data == json.loads(json.dumps(expected))


def test_json_is_identical_across_processes():
    argv = [sys.executable, "-m", "quizapp", "questions", "--family", "two_layer", "--count", "3",
            "--seed", "11", "--difficulty", "hard", "--json"]
    first = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    second = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    data = json.loads(first)
    assert first == second and data[0]["id"] == f"two_layer-hard-{data[0]['activation']}-s11"


def test_markdown_worksheet_has_the_answer_key_after_the_questions(capsys):
    code, out, _ = run(capsys, "--family", "all", "--count", "9", "--seed", "2", "--markdown")
    assert code == 0
    questions, key = out.split("## Answer key")
    assert questions.count("\n## ") == 9 and "____" in questions
    assert key.count("\n### ") == 9 and "____" not in key
    for q in generate_many("all", 9, 2):
        assert q.id in key and q.id not in questions
        assert q.prompt in questions
        for name in q.answer:
            assert f"`{name}` = `" in key


def test_text_output_shows_prompt_answer_and_solution(capsys):
    code, out, _ = run(capsys, "--family", "backprop_activation", "--activation", "leaky_relu",
                       "--count", "2", "--seed", "1")
    assert code == 0
    assert out.count("Question ") == 2 and "Answer (" in out and "Worked solution:" in out
    assert "leaky_relu" in out and "seed 1" in out


def test_param_option_and_random_seed_is_printed(capsys):
    code, out, _ = run(capsys, "--family", "init_std", "--param", "scheme=xavier", "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data) == 5 and {d["params"]["scheme"] for d in data} == {"xavier"}
    seeds = [d["seed"] for d in data]
    assert seeds == list(range(seeds[0], seeds[0] + 5))
    code, out, _ = run(capsys, "--family", "activation_derivative", "--activation", "relu",
                       "--param", "at_kink=true", "--count", "1", "--seed", "0", "--json")
    assert code == 0 and 0.0 in json.loads(out)[0]["inputs"]["z"]


@pytest.mark.parametrize(("argv", "needle"), [
    (["--family", "nope"], "families: all, activation_value"),
    (["--activation", "nope"], "activations: identity, relu"),
    (["--family", "dense_backward", "--activation", "relu"], "activations: identity"),
    (["--family", "two_layer", "--activation", "softmax"], "not elementwise"),
    (["--family", "init_std", "--param", "scheme=lecun"], "he or xavier"),
    (["--param", "alpha"], "KEY=VALUE"),
    (["--seed", "-3"], "--seed"),
])
def test_usage_errors_exit_2_with_the_valid_names(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert needle in err and err.startswith("quizapp questions: ")


def test_bad_difficulty_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["questions", "--difficulty", "extreme"])
    assert exc.value.code == 2


def test_command_module_does_not_import_numpy():
    script = ("import sys\nimport quizapp.commands.questions\nfrom quizapp import cli\n"
              "cli.build_parser()\nprint('numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
