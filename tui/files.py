"""Writing output files the way a user means it, and never leaving a half-written file.

- A regular file (or a new one) is replaced atomically: the text goes into a temporary file
  beside it, which is then renamed over it. Readers see the old file or the new one.
- A symbolic link is followed: its target is replaced atomically (beside the target), and
  the link stays a link.
- A device, a FIFO, a socket, or anything under ``/dev`` or ``/proc`` (``/dev/null``,
  ``/dev/stdout``) is written in place, as the shell's ``>`` would: renaming a file over
  ``/dev/null`` would replace the device, and over ``/dev/stdout`` would cut the file the
  shell opened away from its name.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

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


def write_atomic(path: str | os.PathLike[str], text: str | Iterable[str]) -> Path:
    """Write ``text`` (a string, or its pieces) to ``path`` (see the module's docstring for
    links and devices) and return the path really written. On any failure a regular file is
    left untouched and the temporary file is removed."""
    target = check_output_path(path)
    pieces = [text] if isinstance(text, str) else text
    if writes_in_place(target):
        with open(target, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(pieces)
        return target
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(pieces)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    return target


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one existing file (through links too)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
