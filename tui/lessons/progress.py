"""Where a learner is in the lessons, remembered between runs.

A small JSON file in the user's config folder (``tui.settings.config_folder``:
``$XDG_CONFIG_HOME/micrograd-tui/``, else ``~/.config/micrograd-tui/`` on Linux), written
atomically. A missing, unreadable or malformed file is a fresh start, never an error:
progress is a convenience.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from tui.files import write_atomic
from tui.settings import config_folder

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

    @classmethod
    def load(cls, path: Path | None = None) -> LessonProgress:
        """The progress in ``path`` (default: the config folder's), or a fresh one."""
        path = config_folder() / FILE_NAME if path is None else path
        fresh = cls(path=path)
        try:
            if path.stat().st_size > MAX_BYTES:
                return fresh
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError):
            return fresh  # RecursionError: JSON nested thousands deep
        if not isinstance(data, dict):
            return fresh
        pages = data.get("pages", {})
        finished = data.get("finished", [])
        last = data.get("last", "")
        if not isinstance(pages, dict) or not isinstance(finished, list):
            return fresh
        return cls(
            pages={k: v for k, v in pages.items()
                   if isinstance(k, str) and type(v) is int and v >= 0},
            finished={k for k in finished if isinstance(k, str)},
            last=last if isinstance(last, str) else "",
            path=path,
        )

    def save(self) -> str:
        """Write the file (its folder made if need be); '' or why it could not be written."""
        if self.path is None:
            return ""
        data = {"version": 1, "pages": self.pages, "finished": sorted(self.finished),
                "last": self.last}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(data, indent=1) + "\n")
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
        """Start over: no lesson begun or finished."""
        self.pages.clear()
        self.finished.clear()
        self.last = ""
