"""The ``micrograd-tui`` command: open the explorer, ``export`` a graph as text, ``serve`` the
explorer to browsers, ``train`` a small network and watch it learn, or ``learn`` with the
lessons.

A module per subcommand (``explore``, ``export``, ``serve``, ``train``, ``learn``), each
with its argparse parser and its ``run_*``, and ``common`` for what they share; ``main``
here picks the subcommand. (Posting's ``__main__.py`` is the model, with argparse kept.)

Exit status: 0 on success, 2 on bad input or arguments (one line on stderr, no traceback),
1 on an unexpected failure.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from tui.cli.common import UsageError, build_program, fail, load_program, say
from tui.cli.explore import build_app_parser, run_app
from tui.cli.export import build_export_parser, run_export
from tui.cli.serve import build_serve_parser, run_serve
from tui.cli.train import build_train_parser, run_train, train_config

__all__ = [
    "UsageError",
    "build_app_parser",
    "build_export_parser",
    "build_program",
    "build_serve_parser",
    "build_train_parser",
    "load_program",
    "main",
    "run_app",
    "run_export",
    "run_serve",
    "run_train",
    "train_config",
]


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["export"]:
            return run_export(argv[1:])
        if argv[:1] == ["serve"]:
            return run_serve(argv[1:])
        if argv[:1] == ["train"]:
            return run_train(argv[1:])
        if argv[:1] == ["learn"]:
            from tui.cli.learn import run_learn

            return run_learn(argv[1:])
        return run_app(argv)
    except UsageError as error:  # from the argument parser
        fail(str(error))
    except KeyboardInterrupt:
        return 130
    except SystemExit:
        raise
    except Exception as error:  # a bug, not bad input: say so briefly, exit 1
        say(f"micrograd-tui: unexpected error: {type(error).__name__}: {error}")
        return 1
