"""The engine knows nothing of the UI: importing every micrograd module loads no UI code."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import micrograd

FORBIDDEN = ("textual", "rich", "tui")


def test_micrograd_never_imports_the_ui() -> None:
    modules = [info.name for info in pkgutil.walk_packages(micrograd.__path__, "micrograd.")]
    assert "micrograd.value" in modules
    assert "micrograd.layout.compute" in modules  # sub-packages are walked too
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"micrograd imported UI modules: {result.stdout}"
