"""Hostile .apkg files: zip bombs, path traversal in media names, non-SQLite or truncated
collections, many notes — a clean one-line error (exit 1) or a correct result; nothing half-written."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import genanki
import pytest
import zstandard

sys.path.insert(0, str(Path(__file__).parents[1] / "core" / "interop"))
from apkg_builders import build_genanki, edit_collection, lying_bomb, members, write_zip, zip_bomb  # noqa: E402

from quizapp.cli import main  # noqa: E402
from quizapp.core.interop import apkg_package  # noqa: E402


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    return tmp_path


def refused(argv, capsys):
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.startswith("quizapp import: ") and err.count("\n") == 1 and "Traceback" not in err
    return err


def written(work):
    """What an import wrote: deck files and media folders."""
    return sorted(p.name for p in work.rglob("*") if p.suffix == ".md" or p.name.endswith(".media"))


def small(path):
    return build_genanki(path, [(genanki.BASIC_MODEL, ["Q", "A <img src='x.png'>"], "g1")],
                         media={"x.png": b"img"})


def test_member_over_the_cap_is_a_zip_bomb(work, capsys, monkeypatch):
    monkeypatch.setattr(apkg_package, "MAX_MEMBER_BYTES", 1 << 20)
    zip_bomb(work / "bomb.apkg", size=4 << 20)
    assert "limit" in refused(["import", "bomb.apkg"], capsys)
    assert written(work) == []


def test_total_over_the_cap_is_a_zip_bomb(work, capsys, monkeypatch):
    names = [f"m{k}.bin" for k in range(5)]
    build_genanki(work / "b.apkg", [(genanki.BASIC_MODEL, ["Q", " ".join(f"[sound:{n}]" for n in names)], "g1")],
                  media={n: b"\0" * (1 << 20) for n in names})
    monkeypatch.setattr(apkg_package, "MAX_TOTAL_BYTES", 3 << 20)
    assert "zip bomb" in refused(["import", "b.apkg"], capsys)
    assert written(work) == [] and not [p for p in work.rglob("*") if p.name.startswith(".quizapp")]
    monkeypatch.setattr(apkg_package, "MAX_TOTAL_BYTES", 8 << 20)
    assert main(["import", "b.apkg"]) == 0


def test_zstd_bomb_in_the_current_format(work, capsys, monkeypatch):
    monkeypatch.setattr(apkg_package, "MAX_MEMBER_BYTES", 1 << 20)
    data = zstandard.ZstdCompressor().compress(b"SQLite format 3\0" + b"\0" * (3 << 20))
    write_zip(work / "z.apkg", {"collection.anki21b": data})
    assert "zip bomb" in refused(["import", "z.apkg"], capsys)
    assert written(work) == []


def test_header_that_lies_about_the_size(work, capsys):
    lying_bomb(work / "lie.apkg", b"SQLite format 3\0" + b"\0" * 100_000)
    refused(["import", "lie.apkg"], capsys)


def test_media_names_cannot_escape_the_media_folder(work, capsys):
    evil = ["../../escape.png", "/etc/passwd", "..\\..\\win.png", ".hidden", "a\x00b.png", "x.png"]
    notes = [(genanki.BASIC_MODEL, [f"Q{k}", f'<img src="{n}">'], f"g{k}") for k, n in enumerate(evil)]
    build_genanki(work / "p.apkg", notes[-1:])
    files = members(work / "p.apkg")
    files["media"] = ("{" + ", ".join(f'"{k}": {__import__("json").dumps(n)}' for k, n in enumerate(evil)) + "}").encode()
    for k in range(len(evil)):
        files[str(k)] = b"data%d" % k
    write_zip(work / "evil.apkg", files)
    # the notes refer to every evil name
    import sqlite3
    tmp = work / "c.sqlite"
    tmp.write_bytes(files["collection.anki2"])
    db = sqlite3.connect(tmp)
    mid, = db.execute("SELECT mid FROM notes").fetchone()
    for k, n in enumerate(evil[:-1]):
        db.execute("INSERT INTO notes VALUES (?,?,?,0,0,'',?,?,0,0,'')", (100 + k, f"e{k}", mid, f"Q{k}\x1f<img src=\"{n}\">", f"Q{k}"))
        db.execute("INSERT INTO cards VALUES (?,?,?,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'')", (200 + k, 100 + k, 2059400110))
    db.commit()
    db.close()
    files["collection.anki2"] = tmp.read_bytes()
    tmp.unlink()
    write_zip(work / "evil.apkg", files)
    code = main(["import", "evil.apkg", "--out", "out"])
    assert code == 0, capsys.readouterr().err
    media = work / "out" / "ml.media"
    inside = sorted(p.name for p in media.iterdir())
    assert len(inside) == len(evil) and all(not n.startswith(".") and "/" not in n for n in inside)
    assert not (work / "escape.png").exists() and not (work.parent / "escape.png").exists()
    assert {p.parent for p in (work / "out").rglob("*") if p.is_file()} == {work / "out", media}
    assert sorted(p.name for p in work.iterdir()) == ["evil.apkg", "out", "p.apkg"]


@pytest.mark.parametrize("kind", ["not-sqlite", "truncated", "not-a-zip", "no-collection", "not-anki"])
def test_broken_collections_are_refused_cleanly(work, capsys, kind):
    small(work / "ok.apkg")
    files = members(work / "ok.apkg")
    if kind == "not-sqlite":
        files["collection.anki2"] = b"hello, this is not a database" * 100
    elif kind == "truncated":
        files["collection.anki2"] = files["collection.anki2"][:3000]
    elif kind == "no-collection":
        del files["collection.anki2"]
    elif kind == "not-anki":
        import sqlite3
        tmp = work / "x.sqlite"
        sqlite3.connect(tmp).execute("CREATE TABLE t (x)").connection.commit()
        files["collection.anki2"] = tmp.read_bytes()
    if kind == "not-a-zip":
        (work / "bad.apkg").write_bytes(b"PK\x03\x04 garbage")
    else:
        write_zip(work / "bad.apkg", files)
    refused(["import", "bad.apkg"], capsys)
    assert written(work) == []


def _many(path, n):
    build_genanki(path, [(genanki.BASIC_MODEL, [f"Question number {k}?", f"Answer {k}"], f"guid{k}") for k in range(n)],
                  deck_name="Big")
    return path


def test_many_notes_import_in_linear_time_and_bounded_memory(work, capsys):
    _many(work / "a.apkg", 1000)
    _many(work / "b.apkg", 4000)
    t = time.perf_counter()
    assert main(["import", "a.apkg", "--out", "a"]) == 0
    small_t = time.perf_counter() - t
    t = time.perf_counter()
    assert main(["import", "b.apkg", "--out", "b"]) == 0
    big_t = time.perf_counter() - t
    assert "4000 notes, 4000 cards" in capsys.readouterr().out
    assert big_t < max(8 * small_t, 1.0)  # 4× the notes: well under 8× the time


def test_a_deck_over_the_size_limit_is_refused_whole(work, capsys, monkeypatch):
    from quizapp.core.interop import apkg_import

    monkeypatch.setattr(apkg_import, "MAX_DECK_BYTES", 20_000)
    _many(work / "big.apkg", 1000)
    assert "more than quizapp reads" in refused(["import", "big.apkg"], capsys)
    assert written(work) == []


def test_a_media_folder_that_is_a_link_is_not_followed(work, capsys):
    small(work / "p.apkg")
    (work / "elsewhere").mkdir()
    (work / "ml.media").symlink_to(work / "elsewhere")
    assert "not a plain folder" in refused(["import", "p.apkg"], capsys)
    assert list((work / "elsewhere").iterdir()) == [] and not (work / "ml.md").exists()


def test_history_not_saved_says_so_and_a_second_run_adds_it(work, capsys, monkeypatch):
    import sqlite3

    from quizapp.core.srs.store import Collection

    small(work / "p.apkg")
    edit_collection(work / "p.apkg", [("UPDATE cards SET queue = -1", ())])

    def broken(self, items, at=None):
        raise sqlite3.OperationalError("database or disk is full")

    with monkeypatch.context() as m:
        m.setattr(Collection, "import_reviews", broken)
        err = refused(["import", "p.apkg", "--with-history"], capsys)
    assert "history was not saved" in err and "run the same import again" in err
    assert main(["import", "p.apkg", "--with-history"]) == 0
    found = next((work / "home").rglob("collection.sqlite3"))
    with Collection(found) as col:
        assert col.state("ml:anki-g1").suspended
