"""The micrograd-tui explorer: ``micrograd-tui`` on the command line, ``explore(L)`` from
Python.

``explore`` loads when first asked for, after a check that the ``micrograd`` Python imports
is ours (``tui.clash``): a learner's own ``micrograd/`` folder, or classic micrograd installed
over ours, is one clear ``ImportError`` line instead of a missing module of ours."""

from __future__ import annotations

__all__ = ["explore"]


def __getattr__(name: str):
    if name == "explore":
        from tui.clash import check

        check()
        from tui.from_python import explore

        return explore
    raise AttributeError(f"module 'tui' has no attribute {name!r}")
