"""Anki packages for the .apkg import tests, built with genanki (legacy) and by hand (anki21b)."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

import genanki
import zstandard

DECK_ID = 2059400110


def build_genanki(path: Path, notes: list[tuple], media: dict[str, bytes] | None = None,
                  deck_name: str = "ML::Basics", extra_decks: dict[str, list[tuple]] | None = None) -> Path:
    """``notes``: (model, fields, guid) triples; media written beside ``path`` and packed."""
    decks = [genanki.Deck(DECK_ID, deck_name)]
    for model, fields, guid in notes:
        decks[0].add_note(genanki.Note(model=model, fields=fields, guid=guid))
    for k, (name, more) in enumerate((extra_decks or {}).items()):
        d = genanki.Deck(DECK_ID + 1 + k, name)
        for model, fields, guid in more:
            d.add_note(genanki.Note(model=model, fields=fields, guid=guid))
        decks.append(d)
    package = genanki.Package(decks)
    files = []
    for name, data in (media or {}).items():
        f = path.parent / name
        f.write_bytes(data)
        files.append(str(f))
    package.media_files = files
    package.write_to_file(str(path))
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def edit_collection(path: Path, sql: list[tuple[str, tuple]] | None = None, *, fn=None) -> Path:
    """Run SQL on the package's collection.anki2 (e.g. insert revlog rows) and pack it again."""
    files = members(path)
    tmp = path.with_suffix(".sqlite")
    tmp.write_bytes(files["collection.anki2"])
    db = sqlite3.connect(tmp)
    for statement, params in sql or []:
        db.execute(statement, params)
    if fn is not None:
        fn(db)
    db.commit()
    db.close()
    files["collection.anki2"] = tmp.read_bytes()
    tmp.unlink()
    return write_zip(path, files)


def card_ids(path: Path) -> list[tuple[int, int, int]]:
    """(card id, note id, ord) of the package's cards."""
    tmp = path.with_suffix(".read.sqlite")
    tmp.write_bytes(members(path)["collection.anki2"])
    db = sqlite3.connect(tmp)
    rows = db.execute("SELECT id, nid, ord FROM cards ORDER BY nid, ord").fetchall()
    db.close()
    tmp.unlink()
    return rows


def _protobuf_media(names: list[str]) -> bytes:
    out = b""
    for name in names:
        raw = name.encode()
        entry = b"\x0a" + bytes([len(raw)]) + raw
        out += b"\x0a" + bytes([len(entry)]) + entry
    return out


def to_anki21b(legacy: Path, path: Path, *, new_tables: bool) -> Path:
    """A hand-built current-format package from a legacy one: the collection zstd-compressed under
    ``collection.anki21b``, media list as zstd protobuf, media members zstd-compressed. With
    ``new_tables`` the note types and decks move to the ``notetypes``/``fields``/``templates``/
    ``decks`` tables (col.models/col.decks emptied), as Anki's schema 18 stores them."""
    files = members(legacy)
    tmp = path.with_suffix(".sqlite")
    tmp.write_bytes(files.pop("collection.anki2"))
    if new_tables:
        import json

        db = sqlite3.connect(tmp)
        models_json, decks_json = db.execute("SELECT models, decks FROM col").fetchone()
        db.executescript(
            "CREATE TABLE notetypes (id integer primary key, name text, mtime_secs integer, usn integer, config blob);"
            "CREATE TABLE fields (ntid integer, ord integer, name text, config blob, primary key (ntid, ord));"
            "CREATE TABLE templates (ntid integer, ord integer, name text, mtime_secs integer, usn integer,"
            " config blob, primary key (ntid, ord));"
            "CREATE TABLE decks (id integer primary key, name text, mtime_secs integer, usn integer,"
            " common blob, kind blob);")
        for mid, m in json.loads(models_json).items():
            db.execute("INSERT INTO notetypes VALUES (?,?,0,0,?)", (int(mid), m["name"], b""))
            for f in m["flds"]:
                db.execute("INSERT INTO fields VALUES (?,?,?,?)", (int(mid), f["ord"], f["name"], b""))
            for t in m["tmpls"]:
                db.execute("INSERT INTO templates VALUES (?,?,?,0,0,?)",
                           (int(mid), t["ord"], t["name"], ("\x0a" + t["qfmt"]).encode()))
        for did, d in json.loads(decks_json).items():
            db.execute("INSERT INTO decks VALUES (?,?,0,0,?,?)", (int(did), d["name"].replace("::", "\x1f"), b"", b""))
        db.execute("UPDATE col SET models = '{}', decks = '{}'")
        db.commit()
        db.close()
    cctx = zstandard.ZstdCompressor()
    out = {"collection.anki21b": cctx.compress(tmp.read_bytes())}
    tmp.unlink()
    import json

    names = json.loads(files.pop("media", b"{}") or b"{}")
    ordered = [names[str(i)] for i in range(len(names))]
    out["media"] = cctx.compress(_protobuf_media(ordered))
    for k in range(len(ordered)):
        out[str(k)] = cctx.compress(files[str(k)])
    return write_zip(path, out)


def zip_bomb(path: Path, name: str = "collection.anki2", size: int = 600 * 1024 * 1024) -> Path:
    """A member whose header claims (and which really inflates to) more than the per-member cap."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open(name, "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                f.write(block)
    return path


def lying_bomb(path: Path, real: bytes, name: str = "collection.anki2") -> Path:
    """A member whose header says it is tiny while its data inflates to ``real``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, real)
    data = bytearray(buf.getvalue())
    # patch the uncompressed size in the local header (offset 22) and the central directory
    import struct

    struct.pack_into("<I", data, 22, 10)
    cd = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, cd + 24, 10)
    path.write_bytes(bytes(data))
    return path
