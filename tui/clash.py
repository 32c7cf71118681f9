"""Is the ``micrograd`` Python imports ours? One clear line when it is not.

Our engine's package is called ``micrograd``, as the design asks, and so is classic
micrograd's (``pip install micrograd``), and so is the folder a learner of the video writes
(``micrograd/engine.py``). Installed over ours, classic micrograd replaces our
``__init__.py``, ``engine.py`` and ``nn.py`` (and uninstalling it deletes them); run from a
folder that holds a learner's own, Python finds theirs first. Either way the app would die on
an ``ImportError`` naming a module of ours, which says nothing of why. ``problem()`` says
which file was found, why it clashes and what to do, before anything of ours is imported.

Nothing here imports Textual or anything of ``micrograd`` beyond its ``__init__``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from importlib import metadata
from pathlib import Path

#: The value of ``micrograd.__distribution__`` in our package.
OURS = "micrograd-tui"


def _ours_beside_tui() -> Path:
    """Where our ``micrograd`` folder is: beside ``tui`` (one wheel, or one clone)."""
    return Path(__file__).resolve().parent.parent / "micrograd"


def _found() -> Path | None:
    """The folder of the ``micrograd`` Python would import (without importing it)."""
    module = sys.modules.get("micrograd")
    try:
        spec = module.__spec__ if module is not None else importlib.util.find_spec("micrograd")
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.origin and spec.origin not in ("namespace", "built-in", "frozen"):
        return Path(spec.origin).resolve().parent
    locations = list(spec.submodule_search_locations or [])
    return Path(locations[0]).resolve() if locations else None


def _other_distribution() -> str:
    """'micrograd 0.1.0' if a distribution of that name is installed, else ''."""
    try:
        return f"micrograd {metadata.version('micrograd')}"
    except metadata.PackageNotFoundError:
        return ""


def problem() -> str:
    """'' when the ``micrograd`` Python imports is ours; else one line saying which file
    was found, why it clashes and what to do."""
    found = _found()
    if found is None:
        return ("micrograd-tui: no 'micrograd' package can be imported (ours is missing): "
                "reinstall micrograd-tui (pip install --force-reinstall micrograd-tui)")
    try:
        module = importlib.import_module("micrograd")
        ours = getattr(module, "__distribution__", None) == OURS
        failure = ""
    except Exception as error:  # a learner's package may fail in any way
        ours = False
        failure = f" (importing it fails: {type(error).__name__}: {error})"
    if ours:
        return ""
    if found == _ours_beside_tui():
        other = _other_distribution() or "another package named micrograd (classic micrograd?)"
        return (f"micrograd-tui: {found} holds files of {other}, installed over "
                f"micrograd-tui's{failure}: pip uninstall micrograd micrograd-tui (uninstalling "
                "one deletes files the other needs), then pip install micrograd-tui")
    return (f"micrograd-tui: Python finds the 'micrograd' in {found} first (a folder like the "
            f"one the video has you write), not micrograd-tui's{failure}: run from another "
            "folder, or rename that one")


def check() -> None:
    """Raise ``ImportError`` with ``problem()``'s line if there is one (for ``explore``)."""
    line = problem()
    if line:
        raise ImportError(line)


def version_text(prog: str = "micrograd-tui") -> str:
    """``--version``: our version, and where ``micrograd`` and ``tui`` were loaded from."""
    try:
        version = metadata.version(OURS)
    except metadata.PackageNotFoundError:
        version = "(not installed)"
    found = _found()
    verdict = "" if problem() == "" else "  <- not ours: see the line micrograd-tui says at start"
    lines = [
        f"{prog} {version}",
        f"  micrograd  {found if found is not None else '(not found)'}{verdict}",
        f"  tui        {Path(__file__).resolve().parent}",
    ]
    return "\n".join(lines)
