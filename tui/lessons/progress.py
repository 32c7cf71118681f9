"""Where a learner is in the lessons, remembered between runs.

A small JSON file in the user's config folder (``tui.settings.config_folder``:
``$XDG_CONFIG_HOME/micrograd-tui/``, else ``~/.config/micrograd-tui/`` on Linux), written
atomically. A missing, unreadable or malformed file is a fresh start, never an error:
progress is a convenience.

The file is the app's own: it is read only if it is a regular file (a link, a device or a
FIFO there is never followed nor read, and at most ``MAX_BYTES`` are read), and written by
replacing whatever has its name. Two apps (two terminals, every ``serve`` tab) share it, so
a save merges: under a lock, it reads the file, adds what this app knows (lessons
finished, the furthest page of each) and writes the union. No finished lesson is lost.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from micrograd.files import read_capped, write_atomic
from tui.settings import config_folder

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: saves are not locked there
    fcntl = None  # type: ignore[assignment]

FILE_NAME = "lessons.json"
#: A progress file larger than this is not read (it is a few hundred bytes).
MAX_BYTES = 100_000


@dataclass
class LessonProgress:
    """For each lesson (by its key), the furthest page read and whether it was finished;
    and the lesson opened last."""

    pages: dict[str, int] = field(default_factory=dict)
    finished: set[str] = field(default_factory=set)
    last: str = ""
    path: Path | None = None
    #: ``forget`` was called: the next save replaces the file instead of merging with it.
    forgotten: bool = False

    @classmethod
    def load(cls, path: Path | None = None) -> LessonProgress:
        """The progress in ``path`` (default: the config folder's), or a fresh one."""
        path = config_folder() / FILE_NAME if path is None else path
        progress = cls(path=path)
        progress._add(_read(path))
        return progress

    def _add(self, other: LessonProgress) -> None:
        """What ``other`` knows, added to ours (a page read or a lesson finished is kept)."""
        for key, page in other.pages.items():
            self.pages[key] = max(page, self.pages.get(key, 0))
        self.finished |= other.finished
        self.last = self.last or other.last

    def save(self) -> str:
        """Merge with the file and write it (its folder made if need be); '' or why it
        could not be written."""
        if self.path is None:
            return ""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with _locked(self.path):
                if not self.forgotten:
                    self._add(_read(self.path))
                data = {"version": 1, "pages": self.pages, "finished": sorted(self.finished),
                        "last": self.last}
                write_atomic(self.path, json.dumps(data, indent=1) + "\n", follow_links=False)
            self.forgotten = False
        except OSError as error:
            return f"lesson progress not saved ({self.path}): {error.strerror or error}"
        return ""

    def reached(self, key: str, page: int) -> None:
        """Page ``page`` (0 for the first) of lesson ``key`` is open."""
        self.pages[key] = max(page, self.pages.get(key, 0))
        self.last = key

    def finish(self, key: str) -> None:
        self.finished.add(key)
        self.last = key

    def forget(self) -> None:
        """Start over: no lesson begun or finished (the next save does not merge)."""
        self.pages.clear()
        self.finished.clear()
        self.last = ""
        self.forgotten = True


def _read(path: Path) -> LessonProgress:
    """The progress a file holds; a fresh one if it is missing, not a regular file, too
    large or malformed."""
    fresh = LessonProgress()
    try:
        data = json.loads(read_capped(path, MAX_BYTES, follow_links=False).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return fresh  # ValueError: bad JSON, too large, not a file; RecursionError: deep JSON
    if not isinstance(data, dict):
        return fresh
    pages = data.get("pages", {})
    finished = data.get("finished", [])
    last = data.get("last", "")
    if not isinstance(pages, dict) or not isinstance(finished, list):
        return fresh
    return LessonProgress(
        pages={k: v for k, v in pages.items()
               if isinstance(k, str) and type(v) is int and v >= 0},
        finished={k for k in finished if isinstance(k, str)},
        last=last if isinstance(last, str) else "",
    )


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path``'s lock file (beside it, never a link) while the
    file is read, merged and written."""
    if fcntl is None:
        yield
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    lock = path.with_name(path.name + ".lock")
    fd = os.open(lock, flags | os.O_NONBLOCK, 0o600)  # NONBLOCK: a FIFO there must not hang
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{lock} is not a regular file")
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)

