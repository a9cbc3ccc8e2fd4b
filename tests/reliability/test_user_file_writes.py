"""Issue 13 §1: every write of a user's file is whole or not at all.

A full disk (ENOSPC injected into ``os.write``/``os.fsync``) or a permission error while
`ids --write`, `import --out`, `export --force` or `new` writes leaves the user's file byte for byte as
it was, leaves no temporary file behind, prints one line ``quizapp: cannot write PATH: reason`` and
exits non-zero. A symbolic link, a FIFO or a device at the target is refused, never replaced.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.core.content.loader import load_deck

FIXTURES = Path(__file__).parents[1] / "fixtures" / "interop"


def big_deck(n: int) -> str:
    cards = "".join(f"**Q: What is the meaning of term number {i}?**\nA: It is answer {i}.\n\n" for i in range(n))
    return f'+++\ndeck = "big"\ntitle = "Big"\n+++\n\n{cards}'


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def disk_full_after(monkeypatch, n_writes: int) -> None:
    """``os.write`` writes at most 4 KB per call for ``n_writes`` calls, then fails with ENOSPC."""
    real = os.write
    calls = {"n": 0}

    def write(fd, data):
        calls["n"] += 1
        if calls["n"] > n_writes:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, bytes(data[:4096]))

    monkeypatch.setattr(os, "write", write)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_ids_write_on_a_full_disk_keeps_a_1500_card_deck_whole(tmp_path, home, monkeypatch, capsys):
    deck = tmp_path / "big.md"
    deck.write_text(big_deck(1500), encoding="utf-8")
    before = deck.read_bytes()
    assert len(load_deck(deck).cards) == 1500
    disk_full_after(monkeypatch, 10)  # the stamped text is ~180 KB: the disk fills 40 KB in
    code, out, err = run(["ids", "--write", str(deck)], capsys)
    monkeypatch.undo()
    assert code == 1
    assert err.strip() == f"quizapp: cannot write {deck}: No space left on device"
    assert deck.read_bytes() == before
    assert len(load_deck(deck).cards) == 1500
    assert temp_files(tmp_path) == []
    assert "added <!-- id" not in out  # nothing claimed as done
    # with room again, the same command works
    code, out, err = run(["ids", "--write", str(deck)], capsys)
    assert code == 0, err
    assert all(c.explicit_id for c in load_deck(deck).cards) and len(load_deck(deck).cards) == 1500


def test_ids_write_when_fsync_fails_keeps_the_deck(tmp_path, home, monkeypatch, capsys):
    deck = tmp_path / "big.md"
    deck.write_text(big_deck(200), encoding="utf-8")
    before = deck.read_bytes()

    def fsync(fd):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", fsync)
    code, _, err = run(["ids", "--write", str(deck)], capsys)
    monkeypatch.undo()
    assert code == 1 and err.strip() == f"quizapp: cannot write {deck}: Input/output error"
    assert deck.read_bytes() == before and temp_files(tmp_path) == []


def test_ids_write_goes_on_with_the_other_files_and_keeps_their_history(tmp_path, monkeypatch, capsys):
    """A deck that cannot be written is reported; the others are stamped and their review history
    moves to the new ids (the failed deck's cards keep their old keys and their history)."""
    from quizapp.core.srs.store import Collection

    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "a.md").write_text('+++\ndeck = "a"\n+++\n\n**Q: Alpha?**\nA: a\n', encoding="utf-8")
    (folder / "b.md").write_text('+++\ndeck = "b"\n+++\n\n**Q: Beta?**\nA: b\n', encoding="utf-8")
    b_before = (folder / "b.md").read_bytes()
    key_a, key_b = load_deck(folder / "a.md").cards[0].key, load_deck(folder / "b.md").cards[0].key
    with Collection(tmp_path / "home" / "collection.sqlite3") as col:  # some history for both
        col.suspend(key_a)
        col.suspend(key_b)
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst).name == "b.md":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    code, out, err = run(["ids", "--write", str(folder)], capsys)
    monkeypatch.undo()
    assert code == 1
    assert err.strip() == f"quizapp: cannot write {folder / 'b.md'}: Permission denied"
    assert (folder / "b.md").read_bytes() == b_before and temp_files(folder) == []
    assert load_deck(folder / "a.md").cards[0].explicit_id
    with Collection(tmp_path / "home" / "collection.sqlite3") as col:
        known = col.known_keys()
    assert load_deck(folder / "a.md").cards[0].key in known and key_a not in known
    assert key_b in known  # b was not rewritten, so its history stays under its (unchanged) key


def test_ids_write_refuses_a_symlinked_deck(tmp_path, home, capsys):
    real = tmp_path / "real.md"
    real.write_text(big_deck(3), encoding="utf-8")
    before = real.read_bytes()
    link = tmp_path / "link.md"
    link.symlink_to(real)
    code, _, err = run(["ids", "--write", str(link)], capsys)
    assert code == 1
    assert err.startswith(f"quizapp: cannot write {link}: it is a symbolic link") and err.count("\n") == 1
    assert link.is_symlink() and real.read_bytes() == before


def test_import_out_on_a_full_disk_keeps_the_old_file(tmp_path, home, monkeypatch, capsys):
    source = FIXTURES / "community-notes.md"
    out = tmp_path / "deck.md"
    out.write_bytes(b"my old deck\n" * 1000)
    before = out.read_bytes()
    disk_full_after(monkeypatch, 0)
    code, _, err = run(["import", str(source), "--out", str(out), "--force"], capsys)
    monkeypatch.undo()
    assert code == 1 and err.strip() == f"quizapp: cannot write {out}: No space left on device"
    assert out.read_bytes() == before and temp_files(tmp_path) == []


def test_new_on_a_full_disk_creates_nothing(tmp_path, home, monkeypatch, capsys):
    disk_full_after(monkeypatch, 0)
    code, _, err = run(["new", "my-deck", "--out", str(tmp_path)], capsys)
    monkeypatch.undo()
    path = tmp_path / "my-deck.md"
    assert code == 1 and err.strip() == f"quizapp: cannot write {path}: No space left on device"
    assert not path.exists() and temp_files(tmp_path) == []
    code, _, err = run(["new", "my-deck", "--out", str(tmp_path)], capsys)
    assert code == 0 and path.is_file()


def test_export_force_on_a_full_disk_keeps_the_old_package(tmp_path, home, monkeypatch, capsys):
    out = tmp_path / "old.apkg"
    out.write_bytes(b"an older export")
    disk_full_after(monkeypatch, 2)
    code, _, err = run(["export", "--apkg", str(out), "--force"], capsys)
    monkeypatch.undo()
    assert code == 1 and err.strip() == f"quizapp: cannot write {out}: No space left on device"
    assert out.read_bytes() == b"an older export" and temp_files(tmp_path) == []


def test_export_force_refuses_a_fifo_and_a_symlink(tmp_path, home, capsys):
    fifo = tmp_path / "pipe.apkg"
    os.mkfifo(fifo)
    target = tmp_path / "target.txt"
    target.write_text("keep me")
    link = tmp_path / "link.apkg"
    link.symlink_to(target)
    for path, says in ((fifo, "it is a FIFO"), (link, "it is a symbolic link")):
        code, _, err = run(["export", "--apkg", str(path), "--force"], capsys)
        assert code == 1 and err.startswith(f"quizapp: cannot write {path}: {says}"), err
        assert err.count("\n") == 1
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still a FIFO, not a regular file
    assert link.is_symlink() and target.read_text() == "keep me"
    assert temp_files(tmp_path) == []


def test_export_force_replaces_a_regular_file_whole(tmp_path, home, capsys):
    import zipfile

    out = tmp_path / "old.apkg"
    out.write_bytes(b"an older export")
    code, _, err = run(["export", "--apkg", str(out), "--force"], capsys)
    assert code == 0, err
    with zipfile.ZipFile(out) as z:
        assert "collection.anki2" in z.namelist()
    assert temp_files(tmp_path) == []
