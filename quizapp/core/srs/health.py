"""Is this file a collection we can open? :func:`diagnose` answers without ever raising or writing.

The app calls it before opening the collection, so a damaged file leads to the recovery screen (or,
for scripts, a plain message and exit 1) instead of a traceback — and a file from another program or
a newer quizapp is never "upgraded" into something it was not. Problems, as ``Health.problem``:

``missing``       no file yet (ok: a new collection is created)
``locked``        another program holds the database lock (ok: opening waits for it; not ok only when
                  it waited longer than its patience)
``empty``         the file has 0 bytes: it was never written (ok: a new collection is set up in its
                  place); not ok only when backups show it once held reviews (see ``open_collection``)
``not_sqlite``    not an SQLite database at all (overwritten, garbage, another format)
``truncated``     an SQLite file shorter than its header says (cut off by a crash or a bad copy)
``corrupt``       SQLite's integrity check fails ("database disk image is malformed", …)
``wrong_schema``  a healthy SQLite database, but not a quizapp collection (tables missing)
``too_new``       written by a newer quizapp (``PRAGMA user_version`` above what this one knows)
``unreadable``    the file cannot be read (permissions, a folder, an I/O error)

Not damage — the file is fine or absent, the place is the problem; restoring a backup or moving the
file aside cannot help, so neither is offered (``Health.damaged`` is False):

``read_only``     quizapp may not write there (read-only file system, no permission, not a folder)
``no_space``      the disk is full

A diagnosis never creates a file: not the collection, not its ``-wal``/``-shm`` (see ``readonly.py``).
"""

from __future__ import annotations

import os
import sqlite3
from functools import cache
from pathlib import Path
from typing import NamedTuple

from quizapp.core.srs import migrations
from quizapp.core.srs.initialise import never_written
from quizapp.core.srs.readonly import connect_read_only
from quizapp.core.srs import surroundings
from quizapp.core.srs.write_errors import (
    SQLITE_CORRUPT, SQLITE_NOTADB, CollectionWriteError, is_damage, is_lock_error,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
LOCK_WAIT_MS = 1000  # how long diagnose waits for a lock before calling the file "locked" (fine)
QUICK_CHECK_MAX_BYTES = 16 * 1024 * 1024  # start-up scans pages (~3 ms per MB) only up to this size
EFFECTIVE_REVIEWS_SQL = (
    "SELECT COUNT(*) FROM reviews WHERE kind = 'review'"
    " AND id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)"
)

DAMAGE = frozenset({"empty", "not_sqlite", "truncated", "corrupt", "wrong_schema", "unreadable"})
SURROUNDINGS = frozenset({"read_only", "no_space", "locked"})  # the place or another program, not the file

_FIX_THE_PLACE = "Make that place writable, or choose another folder with --data-dir, and start again."

_HEADLINES = {
    "missing": "There is no collection yet; a new one will be created.",
    "locked": "The collection is in use by another program.",
    "empty": "The collection file is empty (0 bytes).",
    "read_only": "quizapp may not write where the collection is kept (a read-only place, or no permission).",
    "no_space": "The disk is full — free some space and start again.",
    "not_sqlite": "The collection file is not a database: its contents were overwritten or damaged.",
    "truncated": "The collection file is cut short: part of it is missing.",
    "corrupt": "The collection file is damaged: SQLite's integrity check failed.",
    "wrong_schema": "This file is a database, but not a quizapp collection.",
    "too_new": "This collection was written by a newer version of quizapp.",
    "unreadable": "The collection file cannot be read.",
}


class Health(NamedTuple):
    """The verdict on one file. ``ok`` means quizapp can open it (perhaps after waiting or migrating);
    ``problem`` is one of the codes above (None when all is well); ``detail`` is a plain sentence."""

    ok: bool
    problem: str | None = None
    detail: str = ""
    path: Path | None = None
    version: int | None = None  # PRAGMA user_version, when it could be read
    reviews: int | None = None  # reviews in effect (undone ones excluded), when the schema is ours

    @property
    def headline(self) -> str:
        """One plain sentence saying what happened."""
        if self.problem is None:
            return "The collection is healthy."
        return _HEADLINES.get(self.problem, "The collection cannot be opened.")

    @property
    def damaged(self) -> bool:
        """The file itself is bad: restoring a backup or starting a new collection is the way out.
        False for ``read_only``/``no_space``/``locked`` (fix the disk or the folder and start again:
        never offer to replace the file) and for ``too_new`` (upgrade quizapp)."""
        return not self.ok and self.problem in DAMAGE

    @property
    def offers_recovery(self) -> bool:
        """Whether the recovery choices (restore a backup, start a new collection) may help."""
        return not self.ok and self.problem not in SURROUNDINGS

    @property
    def needs_upgrade(self) -> bool:
        """A healthy collection of an older schema: opening it migrates (take a backup first)."""
        return self.ok and self.version is not None and 0 < self.version < migrations.LATEST_VERSION

    def message(self) -> str:
        """Headline and detail, for the command line."""
        return f"{self.headline} {self.detail}".strip()


def diagnose(path: str | os.PathLike[str], *, thorough: bool = False) -> Health:
    """Check ``path`` without modifying it. Never raises.

    The default is what every start-up pays: the header (magic, size against the page count), the
    schema version and the tables, plus ``PRAGMA quick_check`` for files up to
    :data:`QUICK_CHECK_MAX_BYTES` (bigger ones are scanned by the daily backup's verification, in the
    background). ``thorough`` runs SQLite's full ``PRAGMA integrity_check`` and counts the reviews
    (``Health.reviews``) — used on backups before trusting them, by `quizapp restore`, and when
    opening failed after the cheap check passed."""
    path = Path(path)
    try:
        return _diagnose(path, thorough)
    except Exception as error:  # noqa: BLE001 — the whole point is to never raise
        return Health(False, "unreadable", f"{type(error).__name__}: {error}", path)


def _diagnose(path: Path, thorough: bool) -> Health:
    if not os.path.lexists(path):
        blocker = surroundings.write_blocker(path)
        if blocker is not None:
            return Health(False, "read_only", f"It does not exist yet and cannot be created: {blocker}. "
                          f"Nothing is damaged. {_FIX_THE_PLACE}", path)
        return Health(True, "missing", f"{path} does not exist yet.", path)
    if not path.is_file():
        return Health(False, "unreadable", f"{path} is not a regular file.", path)
    size = path.stat().st_size
    if size == 0 and never_written(path):
        return Health(True, "empty", "Nothing was ever saved in it (quizapp was stopped, or the disk was "
                      "full, while creating it); a new collection will be set up in its place.", path)
    with open(path, "rb") as handle:
        header = handle.read(HEADER_SIZE)
    if not header.startswith(SQLITE_MAGIC):
        if SQLITE_MAGIC.startswith(header):  # the first bytes of an SQLite file, then nothing
            return Health(False, "truncated", f"Only {size:,} bytes are left of it.", path)
        return Health(False, "not_sqlite", f"Its {size:,} bytes do not start like an SQLite database.", path)
    if len(header) < HEADER_SIZE:
        return Health(False, "truncated", f"Only {size:,} bytes are left of it.", path)
    expected = _expected_size(header)
    wal = Path(f"{path}-wal")
    if expected is not None and size < expected and not (wal.exists() and wal.stat().st_size > 0):
        return Health(False, "truncated",
                      f"It has {size:,} bytes but its header says {expected:,}.", path)
    return _inspect(path, thorough, quick=size <= QUICK_CHECK_MAX_BYTES)


def _expected_size(header: bytes) -> int | None:
    """Page size × page count from the header, when the header's count is trustworthy."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    change_counter = int.from_bytes(header[24:28], "big")
    pages = int.from_bytes(header[28:32], "big")
    valid_for = int.from_bytes(header[92:96], "big")
    if pages == 0 or valid_for != change_counter or page_size < 512 or page_size & (page_size - 1):
        return None
    return page_size * pages


def _inspect(path: Path, thorough: bool, quick: bool) -> Health:
    """Open read-only without creating anything beside the file (see ``readonly.py``) and check it."""
    try:
        conn = connect_read_only(path, timeout=LOCK_WAIT_MS / 1000)
    except sqlite3.Error as error:
        return _from_error(error, path)
    try:
        return _check(conn, path, thorough, quick)
    except sqlite3.DatabaseError as error:
        return _from_error(error, path)
    finally:
        conn.close()


def _environmental(error: sqlite3.Error) -> bool:
    """Not about the file's contents: I/O, "unable to open", read-only, full (not a lock, not damage)."""
    return isinstance(error, sqlite3.OperationalError) and not is_lock_error(error) and not is_damage(error)


def damage_in(error: BaseException, path: Path) -> Health | None:
    """The damage an exception raised while using the collection at ``path`` reveals ("database disk
    image is malformed", "file is not a database": pages the start-up check did not read; a
    :class:`~quizapp.core.srs.write_errors.CollectionDamaged` from a write), or None for anything
    else — a lock, a full disk, a closed connection, a bug."""
    if not is_damage(error):
        return None
    cause = error.__cause__ if isinstance(error, CollectionWriteError) else error
    return _from_error(cause if isinstance(cause, sqlite3.DatabaseError) else error, path)


def health_of_failure(error: CollectionWriteError, path: Path) -> Health:
    """What a failure to open (or set up) the collection at ``path`` says about it, as a diagnosis:
    a full disk, a read-only place or a lock are not damage (see :attr:`Health.damaged`)."""
    if error.kind == "no_space":
        free = getattr(error, "free", None)
        left = f"{free:,} bytes are free" if free is not None else "there is no room left"
        what = "The collection itself was not changed" if path.exists() else "No collection was created"
        return Health(False, "no_space", f"On the disk holding {path.parent}, {left}. {what}; nothing is "
                      "damaged.", path)
    if error.kind == "read_only":
        return Health(False, "read_only", f"{error.reason[:1].upper()}{error.reason[1:]}. Nothing is damaged. "
                      f"{_FIX_THE_PLACE}", path)
    if error.kind == "busy":
        return Health(False, "locked", f"Another program kept it locked for more than {error.patience:g} s. "
                      "Close the other quizapp and start again.", path)
    if error.kind == "damaged":
        return _from_error(error.__cause__ if isinstance(error.__cause__, sqlite3.DatabaseError) else error, path)
    return Health(False, "unreadable", f"Opening it failed: {getattr(error, 'detail', error.message)}.", path)


def _from_error(error: sqlite3.DatabaseError, path: Path) -> Health:
    text = str(error)
    low = text.lower()
    code = getattr(error, "sqlite_errorcode", None)
    if is_lock_error(error):
        return Health(True, "locked", "Another program is using it right now; quizapp will wait for it.", path)
    if "not a database" in low or (code is not None and code & 0xFF == SQLITE_NOTADB):
        return Health(False, "not_sqlite", f"SQLite says: {text}.", path)
    if is_damage(error) or (code is not None and code & 0xFF == SQLITE_CORRUPT):
        return Health(False, "corrupt", f"SQLite says: {text}.", path)
    if _environmental(error):
        if surroundings.disk_full(path.parent):
            free = surroundings.free_bytes(path.parent)
            return Health(False, "no_space", f"SQLite says: {text}; {free:,} bytes are free on the disk holding "
                          f"{path.parent}. The collection itself was not changed; nothing is damaged.", path)
        return Health(False, "unreadable", f"SQLite says: {text}.", path)
    return Health(False, "corrupt", f"SQLite says: {text}.", path)


def _check(conn: sqlite3.Connection, path: Path, thorough: bool, quick: bool) -> Health:
    pragma = "integrity_check" if thorough else "quick_check" if quick else None
    rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}(20)")] if pragma else ["ok"]
    if rows != ["ok"]:
        lines = [ln for r in rows for ln in str(r).splitlines() if ln and not ln.startswith("***")]
        first = lines[0] if lines else "no answer"
        more = f" (and {len(lines) - 1} more problems)" if len(lines) > 1 else ""
        return Health(False, "corrupt", f"SQLite reports: {first}{more}.", path)
    version = migrations.schema_version(conn)
    latest = migrations.LATEST_VERSION
    if version > latest:
        return Health(False, "too_new",
                      f"Its schema version is {version}; this quizapp knows versions up to {latest}. "
                      "Upgrade quizapp to open it.", path, version)
    tables = _tables(conn)
    if version == 0:
        if tables:
            names = ", ".join(sorted(tables)[:5])
            return Health(False, "wrong_schema",
                          f"It has no quizapp schema version and holds other tables ({names}): "
                          "probably another program's database.", path, version)
        return Health(True, None, "An empty database; quizapp will set it up.", path, version, 0)
    missing = _missing(tables, expected_schema(version))
    if missing:
        return Health(False, "wrong_schema",
                      f"It claims schema version {version} but is missing {', '.join(missing)}.", path, version)
    reviews = conn.execute(EFFECTIVE_REVIEWS_SQL).fetchone()[0] if thorough else None
    detail = "" if version == latest else f"Schema version {version}; it will be upgraded to {latest}."
    return Health(True, None, detail, path, version, reviews)


def _tables(conn: sqlite3.Connection) -> dict[str, set[str]]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: {r[1] for r in conn.execute(f"PRAGMA table_info({_quote(name)})")} for name in names}


def _missing(tables: dict[str, set[str]], expected: dict[str, frozenset[str]]) -> list[str]:
    out = []
    for table, columns in sorted(expected.items()):
        if table not in tables:
            out.append(f"the table {table!r}")
        else:
            out.extend(f"the column {table}.{c}" for c in sorted(columns - tables[table]))
    return out


@cache
def expected_schema(version: int) -> dict[str, frozenset[str]]:
    """Tables and columns a collection of schema ``version`` has (migrations 1..version applied to
    an empty in-memory database), so this check follows new migrations by itself."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrations.apply_migrations(conn, migrations.MIGRATIONS[:version])
        return {name: frozenset(cols) for name, cols in _tables(conn).items()}
    finally:
        conn.close()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class CollectionBroken(Exception):
    """The collection cannot be opened; ``health`` says why (see :func:`diagnose`)."""

    def __init__(self, health: Health) -> None:
        super().__init__(f"{health.path}: {health.message()}")
        self.health = health
