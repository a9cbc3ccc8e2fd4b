"""Reading and writing the user's own files (decks, imports, exports) without losing or hanging.

Writing (:func:`write_user_file`, :func:`user_file_writer`): the new content goes to a temporary file
in the same folder, is flushed and fsync'd, then ``os.replace``-d over the old name and the folder is
fsync'd. A crash, a full disk or a permission error at any point leaves the old file as it was (the
temporary file is removed) — the name always points at a whole file, old or new. A path that exists
but is not a regular file (a symbolic link, a FIFO, a device, a folder) is refused rather than
replaced. Every failure is a :class:`UserFileError` whose text is ``cannot write PATH: reason``.

Reading (:func:`read_user_file`): opened without blocking (a FIFO never hangs the reader), checked on
the open descriptor to be a regular file, and refused above a size limit (``/dev/zero`` or a huge
file never reads until memory runs out).

Every byte written goes through ``os.write`` and every sync through ``os.fsync``, so a test can
simulate a full disk by patching either.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

__all__ = ["UserFileError", "read_user_file", "user_file_writer", "write_user_file", "file_kind"]


class UserFileError(OSError):
    """A user file could not be read or written; ``str()`` is ``cannot ACTION PATH: reason``."""

    def __init__(self, path: str | os.PathLike[str], reason: str, *, action: str = "write",
                 code: int | None = None) -> None:
        super().__init__(reason)
        self.path, self.reason, self.action = Path(path), reason, action
        self.errno = code

    def __str__(self) -> str:
        return f"cannot {self.action} {self.path}: {self.reason}"


def file_kind(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words ("a FIFO", "a character device", …)."""
    for test, name in ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a folder"),
                       (stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


# --- reading -------------------------------------------------------------------------------------

def read_user_file(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The bytes of the regular file ``path`` (symbolic links are followed), at most ``max_bytes``.

    Raises :class:`UserFileError` (action "read") for anything else: missing, unreadable, a FIFO or
    device (never blocks on one), a folder, or bigger than ``max_bytes``.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise UserFileError(path, _reason(error), action="read", code=error.errno) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UserFileError(path, f"it is {file_kind(st.st_mode)}, not a regular file", action="read")
        if st.st_size > max_bytes:
            raise UserFileError(path, f"it is too big ({_size_text(st.st_size)}; the limit is "
                                      f"{_size_text(max_bytes)})", action="read")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # it grew while being read
                raise UserFileError(path, f"it is too big (more than {_size_text(max_bytes)})", action="read")
        return b"".join(chunks)
    except OSError as error:
        if isinstance(error, UserFileError):
            raise
        raise UserFileError(path, _reason(error), action="read", code=error.errno) from None
    finally:
        os.close(fd)


# --- writing -------------------------------------------------------------------------------------

def write_user_file(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = True,
                    make_parents: bool = False) -> None:
    """Replace (or create) ``path`` with ``data`` atomically; see the module docstring.

    ``overwrite=False`` never replaces an existing file: it raises :class:`FileExistsError` instead
    (and the new file appears whole or not at all). ``make_parents`` creates missing folders.
    """
    with user_file_writer(path, overwrite=overwrite, make_parents=make_parents) as out:
        out.write(data)


@contextmanager
def user_file_writer(path: str | os.PathLike[str], *, overwrite: bool = True,
                     make_parents: bool = False) -> Iterator[BinaryIO]:
    """A binary file object; what is written to it replaces ``path`` when the block ends without an
    exception (nothing changes at ``path`` otherwise). Same rules as :func:`write_user_file`."""
    path = Path(path)
    folder = path.parent
    if make_parents:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UserFileError(path, f"cannot create the folder {folder}: {_reason(error)}",
                                code=error.errno) from None
    old = _existing_regular_file(path)
    if old is not None and not overwrite:
        raise FileExistsError(errno.EEXIST, "File exists", str(path))
    if old is not None and not os.access(path, os.W_OK):  # a rename would get past a read-only file
        raise UserFileError(path, "Permission denied (the file is read-only)", code=errno.EACCES)
    fd, tmp = _create_temp(path)
    out = io.BufferedWriter(_FdWriter(fd), buffer_size=1 << 16)
    try:
        if old is not None:
            _copy_permissions(fd, old)
        yield out
        out.flush()
        os.fsync(fd)
        out.close()  # closes fd
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
        _fsync_folder(folder)
    except BaseException as error:
        try:
            out.close()  # closes fd even when flushing fails
        except OSError:
            pass
        _remove(tmp)
        if isinstance(error, OSError) and not isinstance(error, (UserFileError, FileExistsError)):
            raise UserFileError(path, _reason(error), code=error.errno) from error
        raise


def _existing_regular_file(path: Path) -> os.stat_result | None:
    """The lstat of ``path`` if it is a regular file, None if there is none; refuses anything else."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise UserFileError(path, _reason(error), code=error.errno) from None
    if stat.S_ISREG(st.st_mode):
        return st
    if stat.S_ISLNK(st.st_mode):
        try:
            target = f" (to {os.readlink(path)})"
        except OSError:
            target = ""
        raise UserFileError(path, f"it is a symbolic link{target}; it was not replaced — write to the "
                                  "file it points to instead")
    raise UserFileError(path, f"it is {file_kind(st.st_mode)}, not a regular file; it was not replaced")


def _create_temp(path: Path) -> tuple[int, str]:
    """A new hidden file beside ``path`` (``.NAME.XXXXXXXX.tmp``: never a ``*.md`` deck)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = str(path.parent / f".{path.name[:200]}.{os.urandom(4).hex()}.tmp")  # NAME_MAX is 255
        try:
            return os.open(tmp, flags, 0o666), tmp  # the umask applies, as for any new file
        except FileExistsError:
            continue
        except OSError as error:
            raise UserFileError(path, _reason(error), code=error.errno) from None
    raise UserFileError(path, "cannot find a free temporary file name beside it")


def _copy_permissions(fd: int, old: os.stat_result) -> None:
    """The replacement keeps the old file's mode (and, where allowed, its owner)."""
    os.fchmod(fd, stat.S_IMODE(old.st_mode))
    if hasattr(os, "fchown"):
        try:
            st = os.fstat(fd)
            if (st.st_uid, st.st_gid) != (old.st_uid, old.st_gid):
                os.fchown(fd, old.st_uid, old.st_gid)
        except OSError:
            pass  # not ours to give away: the file keeps the writer's owner


def _link_new(tmp: str, path: Path) -> None:
    """Give the finished ``tmp`` the name ``path`` only if nothing has it (FileExistsError if so)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: reserve the name, then replace it
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable. Some file systems cannot fsync a folder (EINVAL): that is not a
    failure of the write."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.EOPNOTSUPP, errno.ENOSYS):
            raise
    finally:
        os.close(fd)


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


class _FdWriter(io.RawIOBase):
    """A raw writer on ``fd`` whose writes are ``os.write`` calls (so tests can inject ENOSPC)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def write(self, data) -> int:
        return os.write(self.fd, data)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return os.lseek(self.fd, offset, whence)

    def tell(self) -> int:
        return os.lseek(self.fd, 0, os.SEEK_CUR)

    def close(self) -> None:
        if not self.closed:
            try:
                os.close(self.fd)
            finally:
                super().close()
