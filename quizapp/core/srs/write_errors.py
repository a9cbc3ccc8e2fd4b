"""Why a write to the collection did not happen: one exception hierarchy, one plain sentence each.

Every write of :class:`~quizapp.core.srs.store.Collection` (a grade, suspend, undo, rename, quiz
result, the schema set-up when opening) either commits or raises a :class:`CollectionWriteError`, and
then nothing of it was applied (one transaction, rolled back). ``str(error)`` and ``error.message``
are the same one-line sentence for the user; ``error.kind`` says which case it is:

=============  =======================  ===================================================================
kind           class                    what happened
=============  =======================  ===================================================================
``busy``       :class:`CollectionBusy`      another program held the lock longer than ``patience`` seconds
``no_space``   :class:`CollectionFull`      the disk is full (``free``: bytes left, when known)
``read_only``  :class:`CollectionReadOnly`  read-only file system, or no permission (``reason``)
``moved``      :class:`CollectionMoved`     the file under the open connection is no longer the one at
                                            its path: deleted, or replaced by a restore (``why``)
``damaged``    :class:`CollectionDamaged`   SQLite found broken pages (``health.damage_in`` knows it)
``io``         :class:`CollectionIOError`   any other failure SQLite or the OS reported
=============  =======================  ===================================================================

The base class derives from :class:`sqlite3.OperationalError`, so code that already catches SQLite's
errors keeps working; the original error is the ``__cause__``.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from quizapp.core.srs import surroundings

# SQLite result codes (https://sqlite.org/rescode.html): primary codes are the low byte.
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 3, 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_AUTH, SQLITE_NOTADB = 11, 13, 14, 23, 26
SQLITE_READONLY_DBMOVED = SQLITE_READONLY | (4 << 8)  # the file was unlinked or renamed under us
_ENVIRONMENT = {SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_AUTH}


class CollectionWriteError(sqlite3.OperationalError):
    """A change to the collection was not saved (nothing of it was applied). See the module docs."""

    kind = "failed"
    sqlite_errorcode: int | None = None
    sqlite_errorname: str | None = None

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None


class CollectionBusy(CollectionWriteError):
    """Another program held the collection's lock for longer than ``patience`` seconds."""

    kind = "busy"

    def __init__(self, path: Path, patience: float) -> None:
        self.patience = patience
        super().__init__(f"The collection is in use by another program (locked for more than {patience:g} s); "
                         "nothing was saved. Close the other quizapp and try again.", path)


class CollectionFull(CollectionWriteError):
    """No space left on the disk holding the collection (``free``: bytes free, when known)."""

    kind = "no_space"

    def __init__(self, path: Path, free: int | None = None) -> None:
        self.free = free
        super().__init__("The disk is full — free some space and start again. Nothing was saved.", path)


class CollectionReadOnly(CollectionWriteError):
    """The collection (or its folder) cannot be written: ``reason`` says why, as the end of a sentence."""

    kind = "read_only"

    def __init__(self, path: Path, reason: str) -> None:
        self.reason = reason
        super().__init__(f"quizapp cannot write the collection: {reason}. Nothing was saved.", path)


class CollectionMoved(CollectionWriteError):
    """The collection file under the open connection is no longer the one at its path.

    ``why`` is a short phrase ("it was deleted", "another file was put in its place"). With
    ``saved_elsewhere`` the change was committed, but into the file that was moved away (it was
    replaced between the last check and the commit); it is still not reported as done."""

    kind = "moved"

    def __init__(self, path: Path, why: str, *, saved_elsewhere: bool = False) -> None:
        self.why, self.saved_elsewhere = why, saved_elsewhere
        tail = ("This change went into the file that was moved away, not into your collection."
                if saved_elsewhere else "This change was not saved.")
        super().__init__(f"Your collection was moved or replaced while the app was open ({why}) — "
                         f"quit and start again. {tail}", path)


class CollectionDamaged(CollectionWriteError):
    """SQLite found the collection damaged while writing ("database disk image is malformed")."""

    kind = "damaged"

    def __init__(self, path: Path, sqlite_says: str) -> None:
        self.sqlite_says = sqlite_says
        super().__init__(f"The collection turned out to be damaged (SQLite says: {sqlite_says}); "
                         "nothing was saved.", path)


class CollectionIOError(CollectionWriteError):
    """Any other failure reported while writing (an I/O error of the disk, …); ``detail`` is the cause."""

    kind = "io"

    def __init__(self, path: Path, detail: str) -> None:
        self.detail = detail
        super().__init__(f"The collection could not be written ({detail}); nothing was saved.", path)


def _code(error: sqlite3.Error) -> int | None:
    return getattr(error, "sqlite_errorcode", None)


def is_lock_error(error: BaseException) -> bool:
    """SQLite's "database is locked"/"busy" (worth waiting for), not one of ours."""
    if not isinstance(error, sqlite3.OperationalError) or isinstance(error, CollectionWriteError):
        return False
    code = _code(error)
    if code is not None:
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
    text = str(error).lower()
    return "locked" in text or "busy" in text


def is_damage(error: BaseException) -> bool:
    """An SQLite error that says the file itself is broken."""
    if isinstance(error, CollectionDamaged):
        return True
    if not isinstance(error, sqlite3.DatabaseError) or isinstance(error, CollectionWriteError):
        return False
    code = _code(error)
    low = str(error).lower()
    return (code is not None and code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)) or any(
        word in low for word in ("malformed", "corrupt", "not a database"))


def write_error(error: BaseException, path: Path) -> CollectionWriteError | None:
    """The :class:`CollectionWriteError` that ``error`` (raised while writing ``path``) amounts to, or
    None for errors that are no failure of the collection — a bug (``ProgrammingError``,
    ``IntegrityError``), a ``ValueError`` of the caller. Looks at the disk and the folder to tell a
    full disk and a read-only place from a damaged file."""
    path = Path(path)
    if isinstance(error, CollectionWriteError):
        return error
    if isinstance(error, OSError):
        return _from_os_error(error, path)
    if not isinstance(error, sqlite3.DatabaseError) or isinstance(
            error, (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError)):
        return None
    found = _from_sqlite_error(error, path)
    found.sqlite_errorcode, found.sqlite_errorname = _code(error), getattr(error, "sqlite_errorname", None)
    return found


def _from_sqlite_error(error: sqlite3.DatabaseError, path: Path) -> CollectionWriteError:
    code, text = _code(error), str(error)
    primary = code & 0xFF if code is not None else None
    low = text.lower()
    if is_damage(error):
        return CollectionDamaged(path, text)
    if code == SQLITE_READONLY_DBMOVED:
        return CollectionMoved(path, "the file was moved or deleted")
    if primary == SQLITE_FULL or "disk is full" in low:
        return CollectionFull(path, surroundings.free_bytes(path.parent))
    if is_lock_error(error):
        return CollectionBusy(path, 0)
    if primary in _ENVIRONMENT or any(w in low for w in ("disk i/o", "unable to open", "readonly")):
        if surroundings.disk_full(path.parent):
            return CollectionFull(path, surroundings.free_bytes(path.parent))
        reason = surroundings.write_blocker(path)
        if reason is not None:
            return CollectionReadOnly(path, reason)
        if primary == SQLITE_READONLY or "readonly" in low:
            return CollectionReadOnly(path, f"SQLite says: {text}")
    return CollectionIOError(path, f"SQLite says: {text}")


def _from_os_error(error: OSError, path: Path) -> CollectionWriteError:
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return CollectionFull(path, surroundings.free_bytes(path.parent))
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        reason = surroundings.write_blocker(path) or f"{error.strerror or error}: {error.filename or path}"
        return CollectionReadOnly(path, reason)
    if error.errno in (errno.ENOTDIR, errno.EEXIST) and surroundings.write_blocker(path):
        return CollectionReadOnly(path, surroundings.write_blocker(path) or str(error))
    if surroundings.disk_full(path.parent):
        return CollectionFull(path, surroundings.free_bytes(path.parent))
    return CollectionIOError(path, f"{error.strerror or type(error).__name__}: {error.filename or path}")
