"""pytest's settings for the whole repository (tests/, and the modules' doctests).

``tui/notebook/widget.py`` imports anywidget, which only the ``notebook`` extra installs:
without it, its doctest collection is skipped rather than failing (the widget's tests skip
with a reason of their own, in ``tests/tui/test_notebook_widget.py``)."""

from __future__ import annotations

import importlib.util
import os

import pytest

collect_ignore = [] if importlib.util.find_spec("anywidget") else ["tui/notebook/widget.py"]


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto`` (the default, in pyproject.toml): a worker a core and one more, eight at
    most. Much of an app test's time is Textual waiting for its screen to settle (a run in
    one process keeps a core about 60% busy), which the extra worker fills. On the idle
    2-core machine the everyday run took 4 min 9 s on two workers, 3 min 17 s on three and
    3 min 24 s on four: past one extra, the workers only slow each other down (and each
    imports and collects everything, 9-17 s of CPU)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min((cores or 1) + 1, 8)


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    """Say what the everyday run left out (pytest-xdist's summary does not count it)."""
    if config.getoption("markexpr") == "not slow":
        terminalreporter.write_line(
            "tests marked slow were left out: `uv run pytest -m slow` runs them (CI does)")
