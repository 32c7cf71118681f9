"""What the app remembers between runs besides the lessons: the theme.

Both live in the user's config folder, found by platformdirs (which Textual already
installs): ``$XDG_CONFIG_HOME/micrograd-tui/`` or ``~/.config/micrograd-tui/`` on Linux,
``~/Library/Application Support/micrograd-tui/`` on macOS, ``%APPDATA%\\micrograd-tui`` on
Windows. The theme is in ``settings.json``, written atomically; a missing or damaged file is
the default theme, never an error.

Which theme opens: ``--theme NAME``, else ``$TEXTUAL_THEME`` (Textual's own variable), else
the one last chosen in the command palette, else Textual's default (``textual-dark``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_config_path

from micrograd.files import write_atomic

if TYPE_CHECKING:
    from textual.app import App

APP_NAME = "micrograd-tui"
FILE_NAME = "settings.json"
#: A settings file larger than this is not read (it is a few dozen bytes).
MAX_BYTES = 10_000


def config_folder() -> Path:
    """The app's folder in the user's config directory (not created here)."""
    folder = user_config_path(APP_NAME, appauthor=False, roaming=True)
    if not folder.is_absolute():  # a relative $XDG_CONFIG_HOME: the XDG spec says ignore it
        folder = Path.home() / ".config" / APP_NAME
    return folder


def _read() -> dict[str, object]:
    path = config_folder() / FILE_NAME
    try:
        if path.stat().st_size > MAX_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered_theme() -> str:
    """The theme chosen last time, or '' if none was (or the file is damaged)."""
    theme = _read().get("theme", "")
    return theme if isinstance(theme, str) else ""


def remember_theme(name: str) -> str:
    """Keep ``name`` as the theme for next time; '' or why it could not be written."""
    data = _read()
    if data.get("theme") == name:
        return ""
    data["theme"] = name
    path = config_folder() / FILE_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(data, indent=1) + "\n")
    except OSError as error:
        return f"theme not remembered ({path}): {error.strerror or error}"
    return ""


def theme_names() -> list[str]:
    """The themes ``--theme`` takes: Textual's built-in ones."""
    from textual.theme import BUILTIN_THEMES

    return sorted(BUILTIN_THEMES)


def check_theme(name: str) -> str:
    """``name`` if it is a theme; else ValueError with a one-line message naming them."""
    names = theme_names()
    if name not in names:
        raise ValueError(f"--theme: unknown theme {name!r} (themes: {', '.join(names)})")
    return name


def starting_theme(asked: str | None) -> str:
    """The theme to open with, or '' to leave Textual's choice (``$TEXTUAL_THEME`` or its
    default): ``asked`` (``--theme``) first, then the remembered one, if it still exists."""
    if asked:
        return asked
    if os.environ.get("TEXTUAL_THEME"):
        return ""
    theme = remembered_theme()
    return theme if theme in theme_names() else ""


def follow_theme(app: App) -> None:
    """Remember every theme ``app`` changes to from now on (the palette's "Change theme").
    Called from the running app's ``on_mount``."""

    def changed(theme) -> None:
        problem = remember_theme(theme.name)
        if problem:
            app.notify(problem, severity="warning", markup=False)

    app.theme_changed_signal.subscribe(app, changed)
