"""quizapp.core.user_files: a user's file is replaced whole or not at all, special files are refused,
and reading never blocks or runs out of memory."""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

import pytest

from quizapp.core import user_files
from quizapp.core.user_files import UserFileError, read_user_file, user_file_writer, write_user_file

OLD = b"the user's deck\n" * 100


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def deck(tmp_path) -> Path:
    path = tmp_path / "deck.md"
    path.write_bytes(OLD)
    return path


def test_creates_and_replaces(tmp_path, deck):
    new = tmp_path / "new.md"
    write_user_file(new, b"hello")
    assert new.read_bytes() == b"hello"
    write_user_file(deck, b"replaced")
    assert deck.read_bytes() == b"replaced" and leftovers(tmp_path) == []


def test_replacement_keeps_the_old_mode(deck):
    deck.chmod(0o640)
    write_user_file(deck, b"x")
    assert stat.S_IMODE(deck.stat().st_mode) == 0o640


def test_new_file_gets_the_usual_mode(tmp_path):
    old_mask = os.umask(0o022)
    try:
        write_user_file(tmp_path / "n.md", b"x")
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE((tmp_path / "n.md").stat().st_mode) == 0o644  # not mkstemp's 0600


def _fail_after(monkeypatch, name: str, allowed: int, code: int = errno.ENOSPC) -> None:
    """``os.<name>`` fails with ``code`` after ``allowed`` calls; writes before that are short
    (4 KB at most, as a disk filling up gives), so the failure lands mid-file."""
    real = getattr(os, name)
    calls = {"n": 0}

    def failing(*args):
        calls["n"] += 1
        if calls["n"] > allowed:
            raise OSError(code, os.strerror(code))
        if name == "write":
            return real(args[0], bytes(args[1][:4096]))
        return real(*args)

    monkeypatch.setattr(os, name, failing)


@pytest.mark.parametrize("where, allowed", [("write", 0), ("write", 3), ("fsync", 0), ("replace", 0)])
def test_a_failure_at_any_step_leaves_the_old_file_and_no_temp(tmp_path, deck, monkeypatch, where, allowed):
    _fail_after(monkeypatch, where, allowed)
    with pytest.raises(UserFileError) as caught:
        write_user_file(deck, b"new content " * 20_000)  # several os.write calls
    monkeypatch.undo()
    assert deck.read_bytes() == OLD
    assert leftovers(tmp_path) == []
    assert str(caught.value) == f"cannot write {deck}: No space left on device"
    assert caught.value.errno == errno.ENOSPC


def test_permission_denied_is_one_clear_reason(tmp_path, deck, monkeypatch):
    _fail_after(monkeypatch, "replace", 0, errno.EACCES)
    with pytest.raises(UserFileError, match=r"cannot write .*deck\.md: Permission denied$"):
        write_user_file(deck, b"new")
    monkeypatch.undo()
    assert deck.read_bytes() == OLD and leftovers(tmp_path) == []


def test_a_read_only_file_is_not_replaced(tmp_path, deck, monkeypatch):
    real_access = os.access
    # tests run as root, for whom every file is writable: answer as for an ordinary user
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == deck else real_access(p, mode, **kw))
    with pytest.raises(UserFileError, match="Permission denied"):
        write_user_file(deck, b"new")
    monkeypatch.undo()
    assert deck.read_bytes() == OLD and leftovers(tmp_path) == []


def test_an_exception_in_the_writer_block_changes_nothing(tmp_path, deck):
    with pytest.raises(RuntimeError):
        with user_file_writer(deck) as out:
            out.write(b"half")
            raise RuntimeError("the exporter broke")
    assert deck.read_bytes() == OLD and leftovers(tmp_path) == []


def test_refuses_a_fifo_a_symlink_and_a_folder(tmp_path, deck):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    link = tmp_path / "link.md"
    link.symlink_to(deck)
    folder = tmp_path / "folder.md"
    folder.mkdir()
    for path, says in ((fifo, "FIFO"), (link, "symbolic link"), (folder, "a folder")):
        with pytest.raises(UserFileError, match=says):
            write_user_file(path, b"x")
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and link.is_symlink() and folder.is_dir()
    assert deck.read_bytes() == OLD and leftovers(tmp_path) == []


def test_no_overwrite_mode_never_replaces(tmp_path, deck):
    with pytest.raises(FileExistsError):
        write_user_file(deck, b"x", overwrite=False)
    assert deck.read_bytes() == OLD
    write_user_file(tmp_path / "fresh.md", b"y", overwrite=False)
    assert (tmp_path / "fresh.md").read_bytes() == b"y" and leftovers(tmp_path) == []


def test_no_overwrite_mode_loses_a_race_cleanly(tmp_path, monkeypatch):
    target = tmp_path / "race.md"
    real_link = os.link

    def someone_else_first(src, dst):
        Path(dst).write_bytes(b"theirs")
        return real_link(src, dst)

    monkeypatch.setattr(os, "link", someone_else_first)
    with pytest.raises(FileExistsError):
        write_user_file(target, b"mine", overwrite=False)
    assert target.read_bytes() == b"theirs" and leftovers(tmp_path) == []


def test_make_parents(tmp_path):
    write_user_file(tmp_path / "a" / "b" / "c.md", b"x", make_parents=True)
    assert (tmp_path / "a" / "b" / "c.md").read_bytes() == b"x"
    (tmp_path / "file").write_text("")
    with pytest.raises(UserFileError, match="cannot create the folder"):
        write_user_file(tmp_path / "file" / "c.md", b"x", make_parents=True)


def test_a_binary_writer_that_seeks(tmp_path):
    import zipfile

    with user_file_writer(tmp_path / "x.zip") as out:
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("a.txt", "hello" * 1000)
    with zipfile.ZipFile(tmp_path / "x.zip") as z:
        assert z.read("a.txt") == b"hello" * 1000


# --- reading --------------------------------------------------------------------------------------

def test_read_regular_file(deck):
    assert read_user_file(deck, 10_000) == OLD


def test_read_refuses_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    outcome: list[object] = []

    def attempt():
        try:
            outcome.append(read_user_file(fifo, 1000))
        except UserFileError as error:
            outcome.append(error)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "reading a FIFO blocked"
    [error] = outcome
    assert isinstance(error, UserFileError) and "FIFO" in str(error) and str(error).startswith("cannot read")


def test_read_refuses_a_device_and_a_folder(tmp_path):
    with pytest.raises(UserFileError, match="character device"):
        read_user_file("/dev/zero", 1000)
    with pytest.raises(UserFileError, match="a folder"):
        read_user_file(tmp_path, 1000)


def test_read_refuses_a_big_file(tmp_path):
    path = tmp_path / "big.md"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(UserFileError, match="too big"):
        read_user_file(path, 4999)
    assert read_user_file(path, 5000) == b"x" * 5000


def test_read_missing_keeps_the_errno(tmp_path):
    with pytest.raises(UserFileError) as caught:
        read_user_file(tmp_path / "nope", 10)
    assert caught.value.errno == errno.ENOENT and "No such file" in str(caught.value)


def test_module_exports():
    assert set(user_files.__all__) >= {"UserFileError", "read_user_file", "write_user_file", "user_file_writer"}
