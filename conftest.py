"""pytest's settings for the whole repository (tests/, and the modules' doctests).

``tui/notebook/widget.py`` imports anywidget, which only the ``notebook`` extra installs:
without it, its doctest collection is skipped rather than failing (the widget's tests skip
with a reason of their own, in ``tests/tui/test_notebook_widget.py``)."""

from __future__ import annotations

import importlib.util

collect_ignore = [] if importlib.util.find_spec("anywidget") else ["tui/notebook/widget.py"]
