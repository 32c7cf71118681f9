"""Every file the project writes, written the way a user means it, never half-written.

The one home of writing files: exports (``-o``, the export screen), ``Drawing.save()``,
screenshots, the training log and the lessons' progress all come here.

- A regular file (or a new one) is replaced atomically: the text goes into a temporary file
  beside it, which is then renamed over it. Readers see the old file or the new one.
- A symbolic link is followed: its target is replaced atomically (beside the target), and
  the link stays a link.
- A device, a FIFO, a socket, or anything under ``/dev`` or ``/proc`` (``/dev/null``,
  ``/dev/stdout``) is written in place, as the shell's ``>`` would: renaming a file over
  ``/dev/null`` would replace the device, and over ``/dev/stdout`` would cut the file the
  shell opened away from its name.
- A file of the app's own (the lessons' progress: ``follow_links=False``) is replaced where
  it is named, whatever is there: a link there is replaced, never followed.

The temporary file is created with mode 0o666 and the kernel applies the umask: the
process's umask is never changed (reading it means setting it, and the app is threaded).
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from micrograd.fmt import visible

#: Paths written in place: they name devices and open files, never a file to replace.
IN_PLACE_PREFIXES = ("/dev/", "/proc/")


class OutputPathError(OSError):
    """The output path cannot be written; the message says why in one line."""


def writes_in_place(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is written in place (a device, FIFO, ``/dev/stdout``) rather than
    replaced atomically.

        >>> writes_in_place("/dev/null"), writes_in_place("/tmp/graph.dot")
        (True, False)
    """
    target = Path(path).expanduser()
    if str(target.absolute()).startswith(IN_PLACE_PREFIXES):
        return True
    try:
        mode = os.stat(target).st_mode  # follows links: what the link points at
    except OSError:
        return False  # not there (yet): a new file
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """The file that will really be written (a link's target), or an ``OutputPathError``
    saying in one line why it cannot be."""
    shown = visible(str(path))
    if not str(path).strip():
        raise OutputPathError("the output path is empty")
    target = Path(path).expanduser()
    if writes_in_place(target):
        return target
    real = Path(os.path.realpath(target))  # a symbolic link, dangling or not: its target
    if real.is_dir():
        raise OutputPathError(f"{shown}: is a directory; give a file name")
    parent = real.parent
    if not parent.exists():
        raise OutputPathError(f"{shown}: the folder {visible(str(parent))} does not exist")
    if not parent.is_dir():
        raise OutputPathError(f"{shown}: {visible(str(parent))} is not a folder")
    if not os.access(parent, os.W_OK):
        raise OutputPathError(f"{shown}: the folder {visible(str(parent))} is not writable")
    if real.exists() and not os.access(real, os.W_OK):
        raise OutputPathError(f"{shown}: the file is not writable")
    return real


def write_atomic(path: str | os.PathLike[str], text: str | Iterable[str], *,
                 follow_links: bool = True) -> Path:
    """Write ``text`` (a string, or its pieces) to ``path`` (see the module's docstring for
    links and devices) and return the path really written. On any failure a regular file is
    left untouched and the temporary file is removed."""
    pieces = [text] if isinstance(text, str) else text
    if follow_links:
        target = check_output_path(path)
        if writes_in_place(target):
            with open(target, "w", encoding="utf-8", newline="") as handle:
                handle.writelines(pieces)
            return target
    else:
        target = Path(path).expanduser()
    fd, temporary = _temporary_beside(target)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(pieces)
            handle.flush()
            try:
                mode = os.stat(target, follow_symlinks=False).st_mode
                if stat.S_ISREG(mode):  # keep a replaced file's permissions
                    os.fchmod(handle.fileno(), mode & 0o7777)
            except FileNotFoundError:
                pass
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    return target


def _temporary_beside(target: Path) -> tuple[int, str]:
    """A new file beside ``target`` (same file system, so renaming it over is atomic), with
    the mode a new file gets from the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) \
        | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        name = os.path.join(target.parent, f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(name, flags, 0o666), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")


def open_for_rows(path: str | os.PathLike[str]) -> tuple[TextIO, Path]:
    """A file opened to be written row by row (the training log, which ``tail -f`` watches
    as it grows), by the rules of ``write_atomic`` for links and devices; a regular file is
    written where it is, from the start. The handle and the path really written."""
    target = check_output_path(path)
    return open(target, "w", encoding="utf-8", newline=""), target


class TooLargeError(ValueError):
    """A file read with ``read_capped`` is larger than its limit."""


class NotAFileError(ValueError):
    """``read_capped`` was given a device, a FIFO, a folder (or a link, when told not to
    follow one)."""


def read_capped(path: str | os.PathLike[str], limit: int, *,
                follow_links: bool = True) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. Never blocks on a FIFO and
    never reads a device (``/dev/zero`` has no end): the file is opened without waiting and
    checked before a byte is read; the size is counted as read, not taken from ``st_size``
    (a file may grow, and ``/proc`` files say 0)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if not follow_links and os.path.islink(path):
            raise NotAFileError(f"{visible(str(path))}: is a symbolic link") from None
        raise error
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a device, " \
                "a FIFO or a socket)"
            raise NotAFileError(f"{visible(str(path))}: is {kind}")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLargeError(f"{visible(str(path))}: is larger than {limit:,} bytes")
    return data


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one existing file (through links too)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
