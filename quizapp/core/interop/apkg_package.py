"""Reading an Anki package (.apkg) safely: the zip, its collection (SQLite) and its media list.

Both package formats are read:

* legacy — ``collection.anki2`` / ``collection.anki21`` (SQLite; note types and decks as JSON in
  ``col.models`` / ``col.decks``), ``media`` a JSON map ``{"0": "name.jpg"}``;
* current — ``collection.anki21b`` (zstd-compressed SQLite). When it has the newer tables
  (``notetypes``, ``fields``, ``decks``) they are read from there (deck names use ``\\x1f`` between
  levels); ``media`` is then a zstd-compressed protobuf list and each media member is zstd-compressed.

Hostile input is refused with :class:`ApkgError` (one line, no traceback): a zip bomb (total or
per-member uncompressed size over the caps, counted while reading, never trusting the headers), a
collection that is not SQLite or is truncated, too many members. The collection is copied to a
temporary folder that is removed afterwards.
"""

from __future__ import annotations

import json
import re
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

MAX_MEMBER_BYTES = 512 * 1024 * 1024  # one decompressed member (the collection, a media file)
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024  # everything decompressed from one package
MAX_MEMBERS = 200_000
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_CHUNK = 1 << 20


class ApkgError(Exception):
    """The package cannot be read; the message is one line for the user."""


@dataclass(slots=True)
class NoteType:
    name: str
    fields: list[str]
    cloze: bool
    typed: bool = False  # a template asks {{type:…}} (Basic (type in the answer))
    templates: int = 1
    # per template (by ord): the index of the first field its question side shows, or None
    fronts: list[int | None] = field(default_factory=list)


_FIELD_REF = re.compile(r"\{\{([^{}]+)\}\}")


def first_field(template_text: str, names: list[str]) -> int | None:
    """Index in ``names`` of the first field a card template shows (``{{Back}}``, ``{{text:Back}}``,
    ``{{type:Back}}``); section markers (``{{#Add Reverse}}``, ``{{/…}}``, ``{{^…}}``) and special fields
    (``{{FrontSide}}``, ``{{Tags}}``) are passed over."""
    for m in _FIELD_REF.finditer(template_text):
        ref = m.group(1).strip()
        if ref[:1] in "#/^!":
            continue
        ref = ref.rsplit(":", 1)[-1].strip()
        if ref in names:
            return names.index(ref)
    return None


@dataclass(slots=True)
class Note:
    id: int
    guid: str
    mid: int
    tags: list[str]
    fields: list[str]


@dataclass(slots=True)
class Card:
    id: int
    nid: int
    did: int
    ord: int
    queue: int


@dataclass(slots=True)
class Review:
    at_ms: int  # the revlog id: milliseconds since the epoch
    cid: int
    ease: int  # 1–4 (0: a manual reschedule, not a review)
    time_ms: int
    type: int  # 0 learn, 1 review, 2 relearn, 3 filtered/cram, 4 manual


@dataclass(slots=True)
class Collection:
    notetypes: dict[int, NoteType] = field(default_factory=dict)
    decks: dict[int, str] = field(default_factory=dict)  # id → "Parent::Child"
    notes: list[Note] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    format: str = "legacy"


class _Budget:
    def __init__(self) -> None:
        self.total = 0

    def take(self, n: int, name: str) -> None:
        self.total += n
        if self.total > MAX_TOTAL_BYTES:
            raise ApkgError(f"the package unpacks to more than {MAX_TOTAL_BYTES >> 20} MB (a zip bomb?); "
                            f"stopped at {name!r}")


class Package:
    """An open .apkg: ``collection()`` reads the notes, ``media_names()`` the media map,
    ``media_chunks(member)`` streams one media file (decompressed, within the caps)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.budget = _Budget()
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise ApkgError(f"{path} is not an Anki package (not a readable zip: {error})") from None
        if len(infos) > MAX_MEMBERS:
            raise ApkgError(f"{path} has {len(infos)} files inside; the limit is {MAX_MEMBERS}")
        self.members = {i.filename: i for i in infos}
        names = self.members.keys()
        self.kind = next((n for n in ("collection.anki21b", "collection.anki21", "collection.anki2") if n in names), None)
        if self.kind is None:
            raise ApkgError(f"{path} is not an Anki package (no collection.anki2/.anki21/.anki21b inside)")

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- members ------------------------------------------------------------------------------
    def _raw_chunks(self, name: str) -> Iterator[bytes]:
        info = self.members[name]
        if info.file_size > MAX_MEMBER_BYTES:
            raise ApkgError(f"{name!r} in the package is {info.file_size >> 20} MB unpacked; the limit is "
                            f"{MAX_MEMBER_BYTES >> 20} MB")
        got = 0
        try:
            with self.zip.open(info) as f:
                while chunk := f.read(_CHUNK):
                    got += len(chunk)
                    if got > MAX_MEMBER_BYTES:  # the header lied
                        raise ApkgError(f"{name!r} unpacks to more than {MAX_MEMBER_BYTES >> 20} MB (a zip bomb?)")
                    self.budget.take(len(chunk), name)
                    yield chunk
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
            raise ApkgError(f"{name!r} in the package cannot be unpacked: {error}") from None

    def member_chunks(self, name: str, zstd: bool = True) -> Iterator[bytes]:
        """The member's bytes, zstd-decompressed when they are zstd (the current format) and ``zstd``."""
        chunks = self._raw_chunks(name)
        first = next(chunks, b"")
        if not zstd or not first.startswith(_ZSTD_MAGIC):
            if first:
                yield first
            yield from chunks
            return
        import zstandard

        def raw() -> Iterator[bytes]:
            yield first
            yield from chunks

        reader = zstandard.ZstdDecompressor().read_to_iter(_IterReader(raw()), read_size=_CHUNK)
        got = 0
        try:
            for out in reader:
                got += len(out)
                if got > MAX_MEMBER_BYTES:
                    raise ApkgError(f"{name!r} decompresses to more than {MAX_MEMBER_BYTES >> 20} MB (a zip bomb?)")
                self.budget.take(len(out), name)
                yield out
        except zstandard.ZstdError as error:
            raise ApkgError(f"{name!r} in the package is damaged (zstd: {error})") from None

    def read_small(self, name: str, limit: int = 64 * 1024 * 1024) -> bytes:
        out, n = [], 0
        for chunk in self.member_chunks(name):
            n += len(chunk)
            if n > limit:
                raise ApkgError(f"{name!r} in the package is too big ({n >> 20} MB or more)")
            out.append(chunk)
        return b"".join(out)

    # ---- media --------------------------------------------------------------------------------
    def media_names(self) -> dict[str, str]:
        """Zip member → the media file's name as the notes refer to it."""
        if "media" not in self.members:
            return {}
        data = self.read_small("media")
        try:
            mapping = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            mapping = None
        if isinstance(mapping, dict):
            return {str(k): str(v) for k, v in mapping.items() if str(k) in self.members}
        names = _media_protobuf(data)
        return {str(i): n for i, n in enumerate(names) if str(i) in self.members}

    # ---- the collection -----------------------------------------------------------------------
    @contextmanager
    def database(self) -> Iterator[sqlite3.Connection]:
        with tempfile.TemporaryDirectory(prefix="quizapp-apkg-") as tmp:
            db_path = os.path.join(tmp, "collection.sqlite")
            with open(db_path, "wb") as f:
                head = b""
                for chunk in self.member_chunks(self.kind):
                    if len(head) < 16:
                        head += chunk[:16]
                    f.write(chunk)
            if not head.startswith(_SQLITE_MAGIC):
                raise ApkgError(f"{self.kind} in {self.path.name} is not an SQLite database")
            try:
                db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
            except sqlite3.Error as error:
                raise ApkgError(f"{self.kind} in {self.path.name} cannot be opened: {error}") from None
            try:
                yield db
            finally:
                db.close()

    def collection(self, db: sqlite3.Connection) -> Collection:
        try:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            col = Collection()
            if {"notetypes", "fields", "decks"} <= tables:
                col.format = "current"
                _current_types(db, col)
            else:
                _legacy_types(db, col)
            for nid, guid, mid, tags, flds in db.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"):
                col.notes.append(Note(int(nid), str(guid), int(mid), str(tags or "").split(),
                                      str(flds or "").split("\x1f")))
            for row in db.execute("SELECT id, nid, did, ord, queue FROM cards ORDER BY nid, ord"):
                col.cards.append(Card(*(int(x) for x in row)))
            return col
        except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError) as error:
            raise ApkgError(f"{self.kind} in {self.path.name} is damaged or not an Anki collection ({error})") from None

    def reviews(self, db: sqlite3.Connection) -> Iterator[Review]:
        try:
            for row in db.execute("SELECT id, cid, ease, time, type FROM revlog ORDER BY cid, id"):
                yield Review(*(int(x or 0) for x in row))
        except (sqlite3.Error, ValueError, TypeError) as error:
            raise ApkgError(f"the review log in {self.path.name} is damaged ({error})") from None


class _IterReader:
    """A file-like ``read`` over an iterator of chunks (for zstandard's streaming reader)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.buffer = b""

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self.buffer) < n:
            chunk = next(self.chunks, None)
            if chunk is None:
                break
            self.buffer += chunk
        if n < 0:
            out, self.buffer = self.buffer, b""
        else:
            out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out


def _legacy_types(db: sqlite3.Connection, col: Collection) -> None:
    models_json, decks_json = db.execute("SELECT models, decks FROM col").fetchone()
    for mid, m in json.loads(models_json or "{}").items():
        names = [f["name"] for f in sorted(m.get("flds", []), key=lambda f: f.get("ord", 0))]
        tmpls = m.get("tmpls", [])
        typed = any("{{type:" in str(t.get("qfmt", "")) + str(t.get("afmt", "")) for t in tmpls)
        tmpls = sorted(tmpls, key=lambda t: t.get("ord", 0) if isinstance(t, dict) else 0)
        fronts = [first_field(str(t.get("qfmt", "")), names) if isinstance(t, dict) else None for t in tmpls]
        col.notetypes[int(mid)] = NoteType(str(m.get("name", "")), names, m.get("type") == 1, typed, len(tmpls),
                                           fronts)
    for did, d in json.loads(decks_json or "{}").items():
        col.decks[int(did)] = str(d.get("name", "Default"))


def _current_types(db: sqlite3.Connection, col: Collection) -> None:
    fields: dict[int, list[str]] = {}
    for ntid, _ord, name in db.execute("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(int(ntid), []).append(str(name))
    templates: dict[int, str] = {}
    counts: dict[int, int] = {}
    fronts: dict[int, list[int | None]] = {}
    if db.execute("SELECT 1 FROM sqlite_master WHERE name='templates'").fetchone():
        for ntid, config in db.execute("SELECT ntid, config FROM templates ORDER BY ntid, ord"):
            text = bytes(config or b"").decode("utf-8", "replace")
            templates[int(ntid)] = templates.get(int(ntid), "") + text
            counts[int(ntid)] = counts.get(int(ntid), 0) + 1
            # the question format is the config's first field, so its first reference is the front's
            fronts.setdefault(int(ntid), []).append(first_field(text, fields.get(int(ntid), [])))
    for ntid, name in db.execute("SELECT id, name FROM notetypes"):
        # the kind (normal/cloze) sits in a protobuf config; the templates' text (qfmt/afmt, plain
        # UTF-8 inside that protobuf) says {{cloze:…}} or {{type:…}}
        text = templates.get(int(ntid), "")
        is_cloze = "{{cloze:" in text or "cloze" in str(name).lower()
        typed = "{{type:" in text or "type in" in str(name).lower()
        col.notetypes[int(ntid)] = NoteType(str(name), fields.get(int(ntid), []), is_cloze, typed,
                                            counts.get(int(ntid), 1), fronts.get(int(ntid), []))
    for did, name in db.execute("SELECT id, name FROM decks"):
        col.decks[int(did)] = str(name).replace("\x1f", "::")


def _varint(data: bytes, i: int) -> tuple[int, int]:
    out, shift = 0, 0
    while True:
        if i >= len(data) or shift > 63:
            raise ValueError("truncated varint")
        b = data[i]
        out |= (b & 0x7F) << shift
        i, shift = i + 1, shift + 7
        if not b & 0x80:
            return out, i


def _media_protobuf(data: bytes) -> list[str]:
    """Names from the current format's media list (``MediaEntries{repeated MediaEntry entries = 1}``,
    ``MediaEntry{string name = 1; …}``); an unreadable list gives what was read before the damage."""
    names: list[str] = []
    i = 0
    try:
        while i < len(data):
            tag, i = _varint(data, i)
            if tag & 7 != 2:
                raise ValueError("unexpected field")
            size, i = _varint(data, i)
            entry, i = data[i:i + size], i + size
            name, j = "", 0
            while j < len(entry):
                t, j = _varint(entry, j)
                if t & 7 == 2:
                    n, j = _varint(entry, j)
                    if t >> 3 == 1:
                        name = entry[j:j + n].decode("utf-8", "replace")
                    j += n
                elif t & 7 == 0:
                    _, j = _varint(entry, j)
                else:
                    raise ValueError("unexpected field")
            names.append(name)
    except ValueError:
        pass
    return names
