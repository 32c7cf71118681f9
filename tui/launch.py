"""The ``micrograd-tui`` command's first step: make sure the ``micrograd`` Python imports is
ours (``tui.clash``) before anything that needs it is imported, then hand over to
``tui.cli``. ``--version`` says where both packages were loaded from, clash or not."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from tui.clash import problem, version_text


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    line = problem()
    if line:
        if "--version" in argv:
            print(version_text())
            return 0
        print(line, file=sys.stderr)
        return 2
    from tui.cli import main as cli_main

    return cli_main(argv)
