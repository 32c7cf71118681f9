"""``micrograd-tui ARGV`` run in-process for the command-line tests: its exit status,
standard output and standard error."""

from __future__ import annotations

import io
import sys

from tui import cli


def run(
    argv: list[str], capsys, stdin: str | None = None, monkeypatch=None
) -> tuple[int, str, str]:
    """Run the command line; ``stdin`` (with ``monkeypatch``) is what standard input holds."""
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        status = cli.main(argv)
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err
