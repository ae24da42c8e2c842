"""Write a file *into* a path the way text editors do -- the one function every save and export uses.

``write_file(path, text)``:

* a regular file is replaced atomically: the text goes to a temporary file in the target's own directory,
  is fsync'ed, takes the old file's mode (and owner, when allowed), and is renamed over the target; the
  directory is fsync'ed after the rename. A crash leaves either the old or the new content, never half.
* a new file is created with mode 0666 minus the umask, as ``open()`` and editors create files.
* a symlink is followed to its final target, which is written (the link stays a link); a dangling link
  creates its target.
* a file with several hard links is written in place (a rename would split it from its other names).
* ``-`` writes to standard output; ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N`` and ``/proc/self/fd/N``
  write to that open descriptor (never a rename over what the shell opened).
* a character device (``/dev/null``, a terminal, ``/dev/full``) or a FIFO with a reader is written directly;
  a FIFO nobody reads, a directory, a socket or a block device is refused with a clear message.
* a read-only file (no write permission bit for anyone, e.g. mode 0444) is refused even for root, as
  editors ask before overriding it; so is a file the user may not write.

Every failure -- refusal or an OS error such as ENOSPC on ``/dev/full`` -- raises ``WriteError`` whose
message names the path and the reason; nothing is left behind (the temporary file is removed).
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import sys
from pathlib import Path

_FD_PATH = re.compile(r"^/(?:dev/fd|proc/self/fd)/(\d+)$")
_STD_PATHS = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}


class WriteError(OSError):
    """A file could not be written: ``str()`` is one line naming the path and why."""

    def __init__(self, path: str | Path, reason: str, code: int | None = None):
        super().__init__(code or 0, reason)
        self.path = str(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.reason}"


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on device (ENOSPC)"
    if exc.errno == errno.EDQUOT:
        return "disk quota exceeded (EDQUOT)"
    return exc.strerror or str(exc)


def write_file(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) into ``path`` as described in the module docstring; raises
    WriteError on any refusal or failure. This is what the desktop editor's Save calls."""
    data = text.encode("utf-8")
    name = os.fspath(path)
    if name == "-":
        _write_stream(name, sys.stdout, text)
        return
    fd_number = _STD_PATHS.get(name)
    match = _FD_PATH.match(name)
    if match:
        fd_number = int(match.group(1))
    if fd_number is not None:
        _write_descriptor(name, fd_number, data)
        return
    try:
        st = os.stat(name)  # follows symlinks: the final target
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise WriteError(name, _reason(exc), exc.errno) from None
    if st is None:
        _write_new(name, data)
        return
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise WriteError(name, "is a directory")
    if stat.S_ISSOCK(mode):
        raise WriteError(name, "is a socket; refusing to write into it")
    if stat.S_ISBLK(mode):
        raise WriteError(name, "is a block device; refusing to write a scenario onto a disk")
    if stat.S_ISFIFO(mode):
        _write_fifo(name, data)
        return
    if stat.S_ISCHR(mode):
        _write_in_place(name, data, truncate=False)
        return
    if not mode & 0o222:
        raise WriteError(name, f"the file is read-only (mode {stat.S_IMODE(mode):04o}); make it writable "
                         "first (chmod u+w) or choose another path", errno.EACCES)
    if not os.access(name, os.W_OK):
        raise WriteError(name, "permission denied", errno.EACCES)
    if st.st_nlink > 1:
        _write_in_place(name, data, truncate=True)  # keep the hard links joined
        return
    _replace_atomically(os.path.realpath(name), data, st, name)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _write_stream(name: str, stream, text: str) -> None:
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise WriteError("standard output" if name == "-" else name, _reason(exc), exc.errno) from None


def _write_descriptor(name: str, fd_number: int, data: bytes) -> None:
    """An already-open descriptor (what /dev/stdout names): write through it, after Python's own buffer."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None and stream.fileno() == fd_number:
                stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    try:
        _write_all(fd_number, data)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise WriteError(name, _reason(exc), exc.errno) from None


def _write_in_place(name: str, data: bytes, truncate: bool) -> None:
    flags = os.O_WRONLY | (os.O_TRUNC if truncate else 0)
    try:
        fd = os.open(name, flags)
    except OSError as exc:
        raise WriteError(name, _reason(exc), exc.errno) from None
    try:
        _write_all(fd, data)
        if truncate:
            os.fsync(fd)
    except OSError as exc:
        raise WriteError(name, _reason(exc), exc.errno) from None
    finally:
        os.close(fd)


def _write_fifo(name: str, data: bytes) -> None:
    """A FIFO is written only when a reader is waiting: opening it blocking would hang until one comes."""
    try:
        fd = os.open(name, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise WriteError(name, "is a FIFO with no process reading it; start the reader first",
                             exc.errno) from None
        raise WriteError(name, _reason(exc), exc.errno) from None
    try:
        os.set_blocking(fd, True)
        _write_all(fd, data)
    except OSError as exc:
        raise WriteError(name, _reason(exc), exc.errno) from None
    finally:
        os.close(fd)


def _temp_beside(target: str, mode: int) -> tuple[int, str]:
    directory = os.path.dirname(target) or "."
    base = os.path.basename(target)
    for _ in range(100):
        tmp = os.path.join(directory, f".{base}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "could not pick a temporary file name")


def _fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _commit(target: str, data: bytes, st: os.stat_result | None, shown: str) -> None:
    # created 0666 minus the umask (O_CREAT honours it); an existing file's mode is restored below
    try:
        fd, tmp = _temp_beside(target, 0o666)
    except OSError as exc:
        raise WriteError(shown, _reason(exc), exc.errno) from None
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
            if st is not None:
                os.fchmod(fd, stat.S_IMODE(st.st_mode))
                try:
                    os.fchown(fd, st.st_uid, st.st_gid)
                except PermissionError:
                    pass  # not root: the file becomes ours, as with any editor
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise WriteError(shown, _reason(exc), exc.errno) from None
    _fsync_dir(os.path.dirname(target))


def _replace_atomically(target: str, data: bytes, st: os.stat_result, shown: str) -> None:
    try:
        _commit(target, data, st, shown)
    except WriteError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and os.access(target, os.W_OK) \
                and not os.access(os.path.dirname(target) or ".", os.W_OK):
            # the file is writable but its directory is not: no temporary file possible, write in place
            _write_in_place(target, data, truncate=True)
            return
        raise


def _write_new(name: str, data: bytes) -> None:
    target = os.path.realpath(name)  # a dangling symlink: create what it points to
    directory = os.path.dirname(target) or "."
    if not os.path.isdir(directory):
        raise WriteError(name, f"the directory {os.path.dirname(name) or '.'} does not exist", errno.ENOENT)
    _commit(target, data, None, name)
