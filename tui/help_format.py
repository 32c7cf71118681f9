"""``--help`` text that fits the terminal: argparse wraps the options' help to the width but
keeps a description and an epilog as written (``RawDescriptionHelpFormatter``), which made
lines of 142 and 231 characters. Here a paragraph is wrapped to the width, and an indented
line (an example, a format and what it is for) keeps its command whole, its explanation
wrapped under itself or, when there is no room, on the lines below."""

from __future__ import annotations

import argparse
import re
import textwrap

#: An indented line: its indent, its command, the gap, its explanation.
_EXAMPLE = re.compile(r"^(\s+)(\S.*?)(\s{2,})(\S.*)$")


def wrap_help_text(text: str, width: int) -> str:
    """``text`` (a description or an epilog) fit into ``width`` columns.

        >>> print(wrap_help_text("one two three four", 10))
        one two
        three four
        >>> print(wrap_help_text("  cmd --flag   what it does", 20))
          cmd --flag
              what it does
    """
    lines: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            lines.extend(textwrap.wrap(" ".join(paragraph), width, break_on_hyphens=False,
                                       break_long_words=False) or [""])
            paragraph.clear()

    for line in text.splitlines():
        if not line.strip():
            flush()
            lines.append("")
        elif not line[0].isspace() and not line.rstrip().endswith(":"):
            paragraph.append(line.strip())
        else:
            flush()
            lines.extend(_wrap_indented(line.rstrip(), width))
    flush()
    return "\n".join(lines)


def _wrap_indented(line: str, width: int) -> list[str]:
    if len(line) <= width:
        return [line]
    example = _EXAMPLE.match(line)
    if example is None:
        indent = re.match(r"\s*", line)[0]
        return textwrap.wrap(line.strip(), width, initial_indent=indent,
                             subsequent_indent=indent + "    ", break_on_hyphens=False,
                             break_long_words=False)
    indent, command, gap, explanation = example.groups()
    column = len(indent) + len(command) + len(gap)
    if width - column >= 20:  # room beside the command: wrap under the explanation
        return textwrap.wrap(explanation, width, initial_indent=line[:column],
                             subsequent_indent=" " * column, break_on_hyphens=False,
                             break_long_words=False)
    below = indent + "    "
    return [indent + command] + textwrap.wrap(explanation, width, initial_indent=below,
                                              subsequent_indent=below,
                                              break_on_hyphens=False, break_long_words=False)


class WrappedHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter with descriptions and epilogs wrapped as ``wrap_help_text``
    does (its width is the terminal's, less two columns, as argparse chooses)."""

    # ``_fill_text`` is argparse's own hook for descriptions and epilogs, the one that
    # ``RawDescriptionHelpFormatter`` itself overrides; tests/tui/test_cli_fit.py measures
    # every help text at four widths, so a change in argparse shows there.
    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return textwrap.indent(wrap_help_text(text, max(width, 40)), indent)
