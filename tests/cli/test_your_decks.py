"""Where decks live (issue 21 item 8): `quizapp new` writes to the user's decks folder, which the app
and `check` load; `content_dirs` in config.toml adds folders; `check` never prints a path inside the
installed package for a shipped deck."""

from __future__ import annotations

from pathlib import Path

from quizapp import cli
from quizapp.cli import main
from quizapp.core.content.loader import shipped_decks_dir

GOOD = """+++
deck = "mine"
title = "Mine"
+++

**Q: Which folder is this deck in?** <!-- id: where -->
A: A content_dirs folder
"""


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_new_writes_to_the_decks_folder_that_the_app_loads_and_says_where(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing is written to the current folder any more
    data = tmp_path / "data"
    code, out, _ = run(["new", "attention-basics", "--data-dir", str(data)], capsys)
    path = data / "decks" / "attention-basics.md"
    assert code == 0 and path.is_file() and not (tmp_path / "attention-basics.md").exists()
    assert f"created {path}" in out and "your decks folder" in out and "Home" in out
    app = cli.build_app(cli.parse_args(["--data-dir", str(data)]))
    try:
        assert app.library.deck("attention-basics") is not None  # the app finds it with no option
    finally:
        app.collection.close()
    code, out, _ = run(["check", "--data-dir", str(data)], capsys)
    assert "attention-basics" in out
    code, _, err = run(["new", "attention-basics", "--data-dir", str(data)], capsys)
    assert code == 2 and "already exists" in err  # never over an existing deck


def test_new_with_out_elsewhere_says_how_to_load_it(tmp_path, capsys):
    code, out, _ = run(["new", "elsewhere", "--out", str(tmp_path / "x"), "--data-dir", str(tmp_path / "d")], capsys)
    assert code == 0 and (tmp_path / "x" / "elsewhere.md").is_file()
    assert "does not load" in out and "--content" in out and "content_dirs" in out


def test_content_dirs_in_the_config_add_folders_and_a_missing_one_is_skipped_with_a_notice(tmp_path, capsys):
    data, mine = tmp_path / "data", tmp_path / "notes" / "decks"
    mine.mkdir(parents=True)
    (mine / "mine.md").write_text(GOOD, encoding="utf-8")
    data.mkdir()
    (data / "config.toml").write_text('content_dirs = ["../notes/decks", "~/no-such-folder-xyz"]\n', encoding="utf-8")
    app = cli.build_app(cli.parse_args(["--data-dir", str(data)]))
    try:
        assert app.library.deck("mine") is not None
        assert any("content_dirs: no such folder '~/no-such-folder-xyz' (skipped)" in n for n in app._notices)
    finally:
        app.collection.close()
    code, out, err = run(["check", "--data-dir", str(data)], capsys)
    assert code == 0 and "mine" in out and "no such folder" in err


def test_a_bad_content_dirs_value_is_a_one_line_problem_not_a_crash(tmp_path, capsys):
    (tmp_path / "config.toml").write_text("content_dirs = 3\n", encoding="utf-8")
    app = cli.build_app(cli.parse_args(["--data-dir", str(tmp_path)]))
    try:
        assert any("content_dirs must be a list of folder paths" in n for n in app._notices)
    finally:
        app.collection.close()


def test_check_shows_shipped_decks_as_shipped_not_as_package_paths(tmp_path, capsys):
    code, out, _ = run(["check", "--data-dir", str(tmp_path)], capsys)
    shipped = str(shipped_decks_dir())
    assert code == 0 and shipped not in out and "site-packages" not in out
    assert "shipped:relu-vs-leaky-relu.md" in out
    code, out, _ = run(["check", "--json", "--data-dir", str(tmp_path)], capsys)
    assert shipped in out  # JSON keeps full paths for scripts
