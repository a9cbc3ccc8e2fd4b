"""`quizapp train` and `quizapp train born-dead` (the scripting surface; JSON is a contract)."""

import json

from quizapp import cli


def _run(capsys, *argv):
    code = cli.main(["train", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_train_json_history_with_preset_and_overrides(capsys):
    code, out, _ = _run(capsys, "--preset", "dying-relu", "--steps", "20", "--every", "10",
                        "--samples", "50", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["preset"] == "dying-relu"
    assert data["config"]["steps"] == 20 and data["config"]["lr"] == 3.0  # override + preset
    assert [r["name"] for r in data["runs"]] == ["relu", "leaky_relu"]
    run = data["runs"][0]
    assert [m["step"] for m in run["history"]] == [0, 10, 20]
    assert run["final"] == run["history"][-1]
    assert set(run["final"]) >= {"loss", "accuracy", "inactive", "dead", "grad_norm", "step"}
    assert len(run["final"]["dead"]) == 2
    assert data["runs"][1]["final"]["dead"] == [0.0, 0.0]


def test_train_table_names_every_run(capsys):
    code, out, _ = _run(capsys, "--activation", "relu", "tanh", "--init", "he", "xavier",
                        "--depth", "2", "--width", "4", "--steps", "5", "--samples", "40")
    assert code == 0
    for name in ("relu/he", "relu/xavier", "tanh/he", "tanh/xavier"):
        assert name in out
    assert "dead % per layer" in out


def test_train_rejects_bad_input(capsys):
    assert _run(capsys, "--activation", "nope")[0] == 2
    code, _, err = _run(capsys, "--lr", "-1")
    assert code == 2 and "lr" in err
    assert _run(capsys, "--widths", "2")[0] == 2
    assert _run(capsys, "--activation", "relu", "--param", "alpha=0.1")[0] == 2  # relu has no α


def test_born_dead_json_items(capsys):
    code, out, _ = _run(capsys, "born-dead", "--widths", "1", "3", "--depths", "2", "4",
                        "--trials", "200", "--json")
    assert code == 0
    items = json.loads(out)
    assert len(items) == 2 * 2 * 2
    assert {k for item in items for k in item} >= {"activation", "width", "depth", "p_dead"}
    assert {i["activation"] for i in items} == {"relu", "leaky_relu"}
    assert all(i["p_dead"] == 0 for i in items if i["activation"] == "leaky_relu")


def test_born_dead_table_text(capsys):
    code, out, _ = _run(capsys, "born-dead", "--activation", "relu", "--widths", "2",
                        "--depths", "2", "50", "--trials", "100")
    assert code == 0
    assert "relu: width \\ depth" in out and "leaky" not in out


def test_train_json_with_adam_and_batchnorm_has_dead_unit_counts(capsys):
    code, out, _err = _run(capsys, "--preset", "dying-relu", "--optimizer", "adam", "--batchnorm",
                     "--steps", "20", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["config"]["optimizer"] == "adam" and data["config"]["batchnorm"] is True
    for run in data["runs"]:
        final = run["final"]
        assert len(final["dead_units"]) == 2 and all(isinstance(n, int) for n in final["dead_units"])
        assert [n / 64 for n in final["dead_units"]] == final["dead"]
    assert sum(data["runs"][1]["final"]["dead_units"]) == 0  # leaky_relu: never dead


def test_train_text_names_adam_and_batchnorm(capsys):
    code, out, _err = _run(capsys, "--optimizer", "adam", "--batchnorm", "--steps", "5")
    assert code == 0 and "Adam, BatchNorm" in out


def test_batchnorm_with_batch_size_one_is_a_clean_error(capsys):
    code, out, err = _run(capsys, "--batchnorm", "--batch-size", "1", "--steps", "5")
    assert code == 2 and out == ""
    assert "batchnorm needs batch_size ≥ 2" in err and "Traceback" not in err
