"""Writing files so that a crash or a bad path never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class OutputPathError(OSError):
    """The output path cannot be written; the message says why in one line."""


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """The path as a ``Path``, or an ``OutputPathError`` saying why it cannot be written."""
    target = Path(path).expanduser()
    if not str(path).strip():
        raise OutputPathError("the output path is empty")
    if target.is_dir():
        raise OutputPathError(f"{path}: is a directory; give a file name")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.exists():
        raise OutputPathError(f"{path}: the folder {parent} does not exist")
    if not parent.is_dir():
        raise OutputPathError(f"{path}: {parent} is not a folder")
    if not os.access(parent, os.W_OK):
        raise OutputPathError(f"{path}: the folder {parent} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputPathError(f"{path}: the file is not writable")
    return target


def write_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` all at once: into a temporary file, then renamed over it.

    Readers see the old file or the new one, never a mix; on any failure the temporary file
    is removed and the old file is untouched.
    """
    target = check_output_path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o777)
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
