"""Daily rotating backups of the collection, restore, and the checked way to open a collection.

* :func:`daily_backup` — at most one backup per local day (the cheap check: does today's file
  exist?), taken when the app opens the collection: ``backups/collection-YYYY-MM-DD.sqlite3``, made
  with SQLite's online backup API, switched to a self-contained rollback journal, and verified with
  ``PRAGMA integrity_check`` *before* it replaces anything or older backups are pruned. The newest
  :data:`KEEP` daily backups are kept. A collection with an empty log is not backed up.
* :func:`backup_before_upgrade` — a copy of a collection of an older schema, taken before the
  migrations run (``collection-YYYY-MM-DD-v1.sqlite3``: "the v1 collection"); never pruned.
* :func:`restore` — puts a verified backup in place atomically; the file it replaces is kept aside
  as ``collection.sqlite3.broken-YYYYMMDD-HHMMSS`` (with its ``-wal``/``-shm``). Nothing is deleted.
* :func:`open_collection` — diagnose, back up before an upgrade, open, take today's backup.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import NamedTuple

from quizapp.core.clock import Clock, as_utc, utcnow
from quizapp.core.srs.files import SIDECARS, fsync, fsync_dir, remove_copy
from quizapp.core.srs.health import CollectionBroken, Health, diagnose, health_of_failure
from quizapp.core.srs.store import Collection, CollectionWriteError
from quizapp.core.srs.in_use import open_elsewhere

KEEP = 7
_NAME = re.compile(r"^collection-(\d{4}-\d{2}-\d{2})(?:-v(\d+))?\.sqlite3$")


class BackupError(RuntimeError):
    """A backup could not be written or did not pass verification (nothing was replaced)."""


class Backup(NamedTuple):
    path: Path
    day: date
    schema: int | None = None  # pre-upgrade copies: the schema version they hold
    health: Health | None = None  # filled in by :func:`check` / :func:`newest_good_backup`

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def reviews(self) -> int | None:
        return self.health.reviews if self.health else None

    @property
    def good(self) -> bool:
        return self.health is not None and self.health.ok and self.health.problem is None

    def check(self) -> Backup:
        """This backup with ``health`` from a full integrity check."""
        return self._replace(health=diagnose(self.path, thorough=True))

    def describe(self) -> str:
        """``2026-11-27 · 42 reviews`` (``· before upgrading from v1`` for pre-upgrade copies)."""
        text = self.day.isoformat()
        if self.reviews is not None:
            text += f" · {self.reviews} review{'s' if self.reviews != 1 else ''}"
        if self.schema is not None:
            text += f" · taken before upgrading from schema v{self.schema}"
        return text


class Restored(NamedTuple):
    backup: Backup
    collection: Path
    kept_aside: Path | None  # where the replaced file went (None if there was none)


def local_day(clock: Clock = utcnow, tz: tzinfo | None = None) -> date:
    """Today's local date (``tz`` None: the system's zone)."""
    return as_utc(clock()).astimezone(tz).date()


def daily_path(backups_dir: Path, day: date) -> Path:
    return Path(backups_dir) / f"collection-{day.isoformat()}.sqlite3"


def list_backups(backups_dir: str | os.PathLike[str]) -> list[Backup]:
    """Backups in ``backups_dir``, newest first (a day's daily backup before its pre-upgrade copy).
    Unchecked: ``health`` is None (see :meth:`Backup.check`)."""
    folder = Path(backups_dir)
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if not match or not entry.is_file():
            continue
        try:
            day = date.fromisoformat(match[1])
        except ValueError:
            continue
        found.append(Backup(entry, day, int(match[2]) if match[2] else None))
    return sorted(found, key=lambda b: (b.day, b.schema is None, b.schema or 0), reverse=True)


def newest_good_backup(backups_dir: str | os.PathLike[str]) -> Backup | None:
    """The newest backup that passes a full integrity check and is a quizapp collection we can open
    (checked with ``health`` filled in), or None."""
    for backup in list_backups(backups_dir):
        checked = backup.check()
        if checked.good:
            return checked
    return None


def find_backup(backups_dir: str | os.PathLike[str], spec: str) -> Backup | None:
    """A backup named by ``spec``: a path, a file name in ``backups_dir`` or a date (YYYY-MM-DD)."""
    backups = list_backups(backups_dir)
    for backup in backups:
        if spec in (backup.name, backup.day.isoformat()):
            return backup
    path = Path(spec).expanduser()
    if path.is_file():
        match = _NAME.match(path.name)
        day = date.fromisoformat(match[1]) if match else date.fromtimestamp(path.stat().st_mtime)
        return Backup(path.absolute(), day, int(match[2]) if match and match[2] else None)
    return None


# ---- taking backups ----------------------------------------------------------------------------


def write_backup(source: Collection | str | os.PathLike[str], dest: str | os.PathLike[str]) -> Health:
    """Copy ``source`` (an open collection, or a file) to ``dest`` with SQLite's backup API.

    The copy is written next to ``dest``, made self-contained (``journal_mode = DELETE``), synced and
    verified (full integrity check, quizapp schema) and only then renamed over ``dest``. Raises
    :class:`BackupError` (``dest`` untouched) if the copy is not good. Returns the copy's health."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    # A copy of its own per process and thread: two quizapp windows opened on a new day both take
    # the day's backup, and neither may delete or rename the other's half-written copy.
    tmp = dest.with_name(f"{dest.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    remove_copy(tmp)
    try:
        if isinstance(source, Collection):
            source.backup(tmp)
        else:
            _copy_file(Path(source), tmp)
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            target.execute("PRAGMA journal_mode = DELETE").fetchone()
        finally:
            target.close()
        fsync(tmp)
        health = diagnose(tmp, thorough=True)
        if not health.ok or health.problem is not None:
            raise BackupError(f"the new backup failed verification, so the older backups were kept: "
                              f"{health.message()} The collection itself may be damaged: "
                              "see `quizapp backup --list` and `quizapp restore --help`.")
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
        return health._replace(path=dest)
    except sqlite3.Error as error:
        raise BackupError(f"could not write {dest}: {error}") from error
    finally:
        remove_copy(tmp)


def take_backup(collection: Collection, backups_dir: str | os.PathLike[str], *, day: date | None = None,
                keep: int = KEEP) -> Backup:
    """Back up now as ``collection-<day>.sqlite3`` (replacing that day's file once the new copy is
    verified), then prune daily backups beyond the newest ``keep``."""
    day = day or local_day(collection.clock)
    dest = daily_path(Path(backups_dir), day)
    health = write_backup(collection, dest)
    prune(backups_dir, keep)
    return Backup(dest, day, None, health)


def daily_backup(collection: Collection, backups_dir: str | os.PathLike[str], *, day: date | None = None,
                 keep: int = KEEP) -> Backup | None:
    """Today's backup if there is none yet and the log is not empty; None when nothing was done."""
    day = day or local_day(collection.clock)
    if daily_path(Path(backups_dir), day).exists():
        return None
    if not collection._read("SELECT EXISTS (SELECT 1 FROM reviews)")[0][0]:  # under its lock: any thread
        return None
    return take_backup(collection, backups_dir, day=day, keep=keep)


def prune(backups_dir: str | os.PathLike[str], keep: int = KEEP) -> list[Path]:
    """Delete daily backups beyond the newest ``keep`` (pre-upgrade copies stay), and copies left
    half-written by a process killed while backing up. Returns the backups deleted."""
    _sweep_stale_copies(Path(backups_dir))
    daily = [b for b in list_backups(backups_dir) if b.schema is None]
    removed = []
    for backup in daily[max(keep, 1):]:
        backup.path.unlink(missing_ok=True)
        removed.append(backup.path)
    return removed


def backup_before_upgrade(path: str | os.PathLike[str], backups_dir: str | os.PathLike[str], version: int,
                          *, day: date) -> Backup:
    """A verified copy of the (closed) collection at ``path``, schema ``version``, before migrating."""
    dest = Path(backups_dir) / f"collection-{day.isoformat()}-v{version}.sqlite3"
    health = write_backup(path, dest)
    return Backup(dest, day, version, health)


# ---- restoring ---------------------------------------------------------------------------------


def restore(backup: Backup | str | os.PathLike[str], collection_path: str | os.PathLike[str], *,
            now: datetime | None = None) -> Restored:
    """Put ``backup`` in place of the collection. The backup is verified first (BackupError if it
    is not good), and a collection that a running quizapp has open is never replaced (BackupError:
    see :func:`refuse_if_open`); the current file, if any, is kept aside (see :func:`move_aside`); the
    restored file appears atomically — at every moment ``collection_path`` is either the old file or
    the backup."""
    if not isinstance(backup, Backup):
        found = find_backup(Path(collection_path).parent / "backups", str(backup))
        if found is None:
            raise BackupError(f"no backup {backup}")
        backup = found
    checked = backup.check() if not backup.good else backup
    if not checked.good:
        raise BackupError(f"the backup {backup.path} is not usable: {checked.health.message()}")
    collection_path = Path(collection_path)
    refuse_if_open(collection_path)
    collection_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = collection_path.with_name(collection_path.name + ".restoring")
    remove_copy(tmp)
    try:
        _copy_file(checked.path, tmp)
        fsync(tmp)
        kept = _keep_aside(collection_path, now, link=True)
        os.replace(tmp, collection_path)
        fsync_dir(collection_path.parent)
    except sqlite3.Error as error:
        raise BackupError(f"could not restore {backup.path}: {error}") from error
    finally:
        remove_copy(tmp)
    return Restored(checked, collection_path, kept)


def refuse_if_open(collection_path: Path) -> None:
    """:class:`BackupError` when a running quizapp (or any program) has the collection open: what it
    wrote next would go to the file moved aside (see :func:`~quizapp.core.srs.in_use.open_elsewhere`)."""
    why = open_elsewhere(collection_path)
    if why is not None:
        raise BackupError(f"{why}; quit it first, then restore")


def move_aside(collection_path: str | os.PathLike[str], *, now: datetime | None = None) -> Path | None:
    """Rename the collection (and its ``-wal``/``-shm``) to ``<name>.broken-YYYYMMDD-HHMMSS`` so a
    new one can be started; returns the new name (None if there was no file)."""
    return _keep_aside(Path(collection_path), now, link=False)


def _keep_aside(path: Path, now: datetime | None, *, link: bool) -> Path | None:
    if not path.exists():
        return None
    stamp = as_utc(now or utcnow()).astimezone().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while aside.exists() or any(Path(f"{aside}{s}").exists() for s in SIDECARS):
        aside = path.with_name(f"{path.name}.broken-{stamp}-{n}")
        n += 1
    if link:  # the old name keeps pointing at the file until the restored one replaces it
        try:
            os.link(path, aside)
        except OSError:  # no hard links here (some network or FAT file systems): a copy
            import shutil

            shutil.copy2(path, aside)
    else:
        os.replace(path, aside)
    for suffix in SIDECARS:  # a stale -wal must never be applied to the restored/new file
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{aside}{suffix}"))
    fsync_dir(path.parent)
    return aside


# ---- opening -----------------------------------------------------------------------------------


def open_collection(path: str | os.PathLike[str], backups_dir: str | os.PathLike[str], *,
                    clock: Clock = utcnow, tz: tzinfo | None = None, daily: bool = True,
                    patience: float = 120.0) -> tuple[Collection, list[str]]:
    """Open the collection the careful way: :func:`diagnose` first, a verified copy before migrating
    an older schema, then (``daily``) today's backup — the app passes False and takes it in a
    background thread instead, so start-up never waits for it. Returns the collection and notices
    for the user (a failed daily backup does not stop anything).

    Raises :class:`CollectionBroken` whenever it cannot be opened; its ``health`` says why: damage
    (``health.damaged``), or the place — a full disk, a read-only folder, a lock held longer than
    ``patience`` seconds — which no restore can fix. :class:`BackupError` if the backup taken before
    an upgrade failed."""
    path = Path(path)
    health = diagnose(path)
    if health.problem == "empty" and health.ok and list_backups(backups_dir):
        health = Health(False, "empty", "It has 0 bytes, yet there are backups of it, so it once held "
                        "reviews: something emptied it. The newest good backup brings them back.", path)
    if not health.ok:
        raise CollectionBroken(health)
    day = local_day(clock, tz)
    if health.needs_upgrade:
        try:
            backup_before_upgrade(path, backups_dir, health.version, day=day)
        except (OSError, BackupError) as error:
            raise BackupError(
                f"not upgrading {path} from schema v{health.version}: the backup taken first failed "
                f"({error}); free some space or check {backups_dir}, then try again") from error
    try:
        collection = Collection(path, clock, patience=patience)
    except CollectionWriteError as error:
        raise CollectionBroken(_after_failed_open(error, path)) from error
    notices = []
    if daily:
        try:
            daily_backup(collection, backups_dir, day=day)
        except (OSError, sqlite3.Error, BackupError) as error:
            notices.append(f"Today's backup of the collection failed: {error}")
    return collection, notices


def _after_failed_open(error: CollectionWriteError, path: Path) -> Health:
    """The diagnosis when opening failed after :func:`diagnose` passed: the place (full, read-only,
    locked) as such; damage SQLite found in pages the cheap check did not read, confirmed by a full
    check when it can."""
    if error.kind != "damaged":
        return health_of_failure(error, path)
    checked = diagnose(path, thorough=True)
    return checked if not checked.ok else health_of_failure(error, path)


# ---- files -------------------------------------------------------------------------------------


def _copy_file(source: Path, dest: Path) -> None:
    """A consistent copy of the database ``source`` (its WAL included) via the backup API."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    src = sqlite3.connect(source, isolation_level=None)
    try:
        target = sqlite3.connect(dest, isolation_level=None)
        try:
            src.backup(target)
        finally:
            target.close()
    finally:
        src.close()


STALE_COPY_SECONDS = 3600  # a backup copy untouched this long was left by a process that died


def _sweep_stale_copies(folder: Path, now: float | None = None) -> None:
    """Remove ``collection-….sqlite3.<pid>-<thread>.tmp`` copies (and their sidecars) not written to
    for :data:`STALE_COPY_SECONDS`: their process was killed mid-backup. Live copies are younger."""
    now = time.time() if now is None else now
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        if _STALE_NAME.match(entry.name):
            try:
                if now - entry.stat().st_mtime > STALE_COPY_SECONDS:
                    entry.unlink(missing_ok=True)
            except OSError:
                continue


_STALE_NAME = re.compile(r"^collection-[\w.-]*\.sqlite3\.\d+-\d+\.tmp(?:-wal|-shm|-journal)?$")
