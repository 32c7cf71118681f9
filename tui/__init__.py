"""The micrograd-tui explorer: ``micrograd-tui`` on the command line, ``explore(L)`` from
Python."""

from tui.from_python import explore

__all__ = ["explore"]
