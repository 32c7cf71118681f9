"""``explore(L)`` in a Jupyter kernel without the notebook extra: the line that installs it,
not a traceback (runs everywhere: it hides the extra when it is installed)."""

from __future__ import annotations

import sys
import types

import tui
from micrograd.expr import evaluate
from tui.notebook import INSTALL


def video_L():
    return evaluate("a = 2.0; b = -3.0; c = 10.0; e = a*b; d = e + c; f = -2.0; L = d*f").output


def fake_kernel(monkeypatch) -> None:
    """Make ``explore`` believe it runs in an IPython kernel."""
    shell = types.SimpleNamespace(kernel=object())
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)


def test_explore_in_a_kernel_without_the_extra_says_how_to_install_it(monkeypatch,
                                                                      capsys) -> None:
    fake_kernel(monkeypatch)
    monkeypatch.setitem(sys.modules, "anywidget", None)  # as if not installed
    assert tui.explore(video_L()) is None
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and INSTALL in err
    assert "pip install 'micrograd-tui[notebook]'" in err
    assert "uv add 'micrograd-tui[notebook]'" in err


def test_the_notebook_explorer_loads_no_textual_and_the_engine_no_widget() -> None:
    """The widget runs in a kernel, where Textual has no screen: it must not load it; and
    the engine (and the terminal app's start) must not need the extra."""
    import subprocess

    code = (
        "import sys, importlib.util\n"
        "import micrograd, micrograd.draw, tui\n"
        "assert 'anywidget' not in sys.modules and 'ipywidgets' not in sys.modules\n"
        "import tui.notebook.timeline\n"
        "if importlib.util.find_spec('anywidget'):\n"
        "    from tui.notebook import Explorer\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[]\n"
