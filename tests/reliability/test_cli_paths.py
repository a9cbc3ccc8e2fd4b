"""Issue 13 §3, §4, §6: paths and arguments the user names get one clear line, not a traceback, a hang
or a wrong diagnosis.

* a deck path named directly (`check x.md`, `--content x.md`) is checked like one found in a folder:
  a FIFO, a device or a too-big file is an error on that deck (never a hang or MemoryError), exit 1,
  and the other decks still load;
* a folder that cannot be listed says so (not "has no deck files");
* `check /missing.md` is an error and does not check the shipped decks instead;
* a data directory that is a file, or cannot be created, is one line and exit 1 from every entry point;
* `--seed -1` is blamed on --seed; too much work in the expected formula is blamed on --expected.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.core.content import loader

GOOD = '+++\ndeck = "good"\ntitle = "Good"\n+++\n\n**Q: What is ReLU?** <!-- id: relu -->\nA: max(0, z)\n'
SHIPPED_ID = "relu-vs-leaky-relu"


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def run_process(*argv: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """The real command in its own process, so a hang fails the test instead of stopping the suite."""
    code = "import sys; from quizapp.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


# --- a path named directly is checked like one found in a folder ---------------------------------

def test_check_a_fifo_named_directly_is_an_error_not_a_hang(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    good = tmp_path / "good.md"
    good.write_text(GOOD, encoding="utf-8")
    done = run_process("check", str(fifo), str(good), env={"QUIZAPP_HOME": str(tmp_path / "home")})
    assert done.returncode == 1
    assert f"{fifo}:1:1: error: cannot read file: it is a FIFO (named pipe), not a regular file" in done.stdout
    assert "Traceback" not in done.stderr + done.stdout
    assert "good " in done.stdout and "1 error" in done.stdout  # the other deck loaded


def test_content_fifo_does_not_hang_the_app_start(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    done = run_process("stats", "--json", "--content", str(fifo), env={"QUIZAPP_HOME": str(tmp_path / "home")})
    assert done.returncode == 0, done.stderr
    decks = {d["id"] for d in json.loads(done.stdout)["decks"]}
    assert SHIPPED_ID in decks  # the shipped decks still load


def _limit_memory() -> None:  # a regression reads /dev/zero until MemoryError: make that quick and small
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def test_check_a_device_is_refused_without_reading_it(tmp_path):
    code = "import sys; from quizapp.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", code, "check", "/dev/zero"], capture_output=True, text=True,
                          timeout=60, preexec_fn=_limit_memory,
                          env={**os.environ, "QUIZAPP_HOME": str(tmp_path / "home")})
    assert done.returncode == 1, done.stderr[-500:]
    assert "/dev/zero:1:1: error: cannot read file: it is a character device, not a regular file" in done.stdout


def test_a_too_big_deck_is_refused_named_or_in_a_folder(tmp_path, monkeypatch, capsys, home):
    monkeypatch.setattr(loader, "MAX_DECK_BYTES", 2000)
    folder = tmp_path / "decks"
    folder.mkdir()
    big = folder / "big.md"
    big.write_text(GOOD.replace("good", "big") + "x" * 3000, encoding="utf-8")
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    for argv in (["check", str(big), str(folder / "good.md")], ["check", str(folder)]):
        code, out, _ = run(argv, capsys)
        assert code == 1
        assert f"{big}:1:1: error: cannot read file: it is too big (" in out and "the limit is 2,000 bytes" in out
        assert "good " in out


def test_an_unreadable_content_folder_says_it_cannot_be_read(tmp_path, monkeypatch, capsys, home):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):  # tests run as root, which can read any folder: simulate chmod 000
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, _ = run(["check", str(folder)], capsys)
    assert code == 1
    assert f"{folder}:1:1: error: cannot read the folder: Permission denied" in out
    assert "no deck files" not in out
    code, out, _ = run(["check", "--json", "--content", str(folder)], capsys)
    problems = json.loads(out)["problems"]
    assert any(p["message"] == "cannot read the folder: Permission denied" for p in problems)
    assert code == 1


def test_check_missing_path_does_not_check_the_shipped_decks(tmp_path, capsys, home):
    missing = tmp_path / "missing.md"
    code, out, err = run(["check", str(missing)], capsys)
    assert code == 1
    assert err.strip() == f"{missing}: error: no such file or folder"
    assert SHIPPED_ID not in out and out == ""
    good = tmp_path / "good.md"
    good.write_text(GOOD, encoding="utf-8")
    code, out, err = run(["check", str(missing), str(good)], capsys)  # the others named are checked
    assert code == 1 and "good " in out and SHIPPED_ID not in out


def test_check_missing_content_folder_is_an_error(tmp_path, capsys, home):
    code, out, err = run(["check", "--content", str(tmp_path / "nope")], capsys)
    assert code == 1 and err.strip() == f"{tmp_path / 'nope'}: error: no such file or folder"


def test_ids_on_an_unreadable_folder_says_it_cannot_be_read(tmp_path, monkeypatch, capsys, home):
    folder = tmp_path / "locked"
    folder.mkdir()
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, _, err = run(["ids", str(folder)], capsys)
    assert code == 1 and err.strip() == f"{folder}: error: cannot read the folder: Permission denied"


# --- the data directory ----------------------------------------------------------------------------

ENTRY_POINTS = [["stats"], ["backup"], ["review"], []]  # [] is the app


@pytest.mark.parametrize("argv", ENTRY_POINTS, ids=lambda a: " ".join(a) or "app")
def test_data_dir_that_is_a_file_is_one_line(tmp_path, monkeypatch, capsys, argv):
    file = tmp_path / "not-a-folder"
    file.write_text("mine")
    monkeypatch.setenv("QUIZAPP_HOME", str(file))
    code, out, err = run(argv, capsys)
    assert code == 1
    assert err == f"quizapp: data directory {file} is a file, not a folder\n"
    assert file.read_text() == "mine"
    code, out, err = run(["--data-dir", str(file / "sub"), *argv], capsys)
    assert code == 1
    assert err == f"quizapp: cannot create data directory {file / 'sub'}: {file} is a file, not a folder\n"


@pytest.mark.parametrize("argv", ENTRY_POINTS, ids=lambda a: " ".join(a) or "app")
def test_data_dir_that_cannot_be_created_is_one_line(tmp_path, monkeypatch, capsys, argv):
    target = tmp_path / "no-permission" / "quizapp"
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):  # tests run as root: simulate a folder we may not write in
        if self == target or target in self.parents:
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    monkeypatch.setenv("QUIZAPP_HOME", str(target))
    code, out, err = run(argv, capsys)
    assert code == 1
    assert err == f"quizapp: cannot create data directory {target}: Permission denied\n"


def test_data_dir_that_is_a_file_in_a_real_process(tmp_path):
    file = tmp_path / "home"
    file.write_text("")
    done = run_process("stats", env={"QUIZAPP_HOME": str(file)})
    assert done.returncode == 1
    assert done.stderr == f"quizapp: data directory {file} is a file, not a folder\n"


# --- each bad argument is blamed on itself ----------------------------------------------------------

def test_negative_seed_is_blamed_on_seed(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["check-answer", "--expected", "z", "--answer", "z", "--seed", "-1"])
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert "argument --seed: must be a whole number ≥ 0, got -1" in err and "--var" not in err.splitlines()[-1]


def test_negative_seed_in_train_is_blamed_on_seed_not_a_traceback(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["train", "--seed", "-1"])
    assert exited.value.code == 2
    assert "argument --seed: must be a whole number ≥ 0, got -1" in capsys.readouterr().err


def test_too_much_work_in_the_expected_formula_is_blamed_on_expected(monkeypatch, capsys):
    import quizapp.core.formula.evaluate as expr_eval

    monkeypatch.setattr(expr_eval, "MAX_WORK", 200)  # ≥ 30 points: 1 node fits, 20 nodes do not
    big = "+".join(["sin(z)"] * 4)
    code, _, err = run(["check-answer", "--expected", big, "--answer", "z"], capsys)
    assert code == 2 and err.startswith("quizapp check-answer: --expected: too much work")
    code, out, _ = run(["check-answer", "--expected", big, "--answer", "z", "--json"], capsys)
    assert code == 2 and json.loads(out)["error"]["field"] == "expected"
    code, _, err = run(["check-answer", "--expected", "z", "--answer", big], capsys)
    assert code == 2 and err.startswith("quizapp check-answer: --answer: too much work")
