"""``micrograd-tui [FILE]``: open the explorer on a program."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from micrograd.expr import ExprError, Program
from tui.cli.common import (
    BUILD_IN_APP_ABOVE,
    NEEDS_A_TERMINAL,
    Parser,
    UsageError,
    add_source_arguments,
    add_theme_argument,
    build_program,
    check_choice,
    describe,
    fail,
    is_terminal,
    keys_from_the_terminal,
    load_program,
    read_source,
    report_reading,
    run_explorer,
    title_of,
)

APP_EPILOG = """\
examples:
  micrograd-tui                          the classic neuron, ready to step through
  micrograd-tui learn                    lessons in the video's order, beside the graph
  micrograd-tui examples/reuse.mg        a program from a file
  micrograd-tui --expr "a = 2; b = -3; c = a*b + a; d = tanh(c)"
  micrograd-tui --preset mlp --sizes 2,3,1 --seed 1
  micrograd-tui export --help            write the graph as text, DOT, Mermaid, JSON ...
  micrograd-tui serve --help             the explorer in a web browser, a tab per learner
  micrograd-tui train --help             train a network on toy data and watch it learn
"""



APP_USAGE = """micrograd-tui [options] [FILE]
       micrograd-tui learn|train|export|serve [options]"""



def build_app_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="micrograd-tui",
        usage=APP_USAGE,
        description="Explore backpropagation: see a computation graph and step through its "
        "forward and backward pass node by node. Press ? in the app for the keys.",
        epilog=APP_EPILOG,
    )
    add_source_arguments(parser)
    add_theme_argument(parser)
    return parser



def run_app(argv: Sequence[str]) -> int:
    args = build_app_parser().parse_args(argv)
    program: Program | None = None
    source = ""
    try:
        check_choice(args)
        if args.expr is not None or args.file is not None:
            source = args.expr if args.expr is not None else read_source(args.file)
        if len(source) <= BUILD_IN_APP_ABOVE:
            program = load_program(args, source)  # errors here exit before the screen opens
    except (ExprError, UsageError) as error:
        fail(describe(error))
    # Under ``serve`` the app draws for a browser tab through Textual's web driver, over
    # pipes: no terminal there, and none needed.
    in_a_browser = os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")
    if not in_a_browser and not is_terminal(sys.stdout):
        fail(NEEDS_A_TERMINAL)  # drawing into a pipe would never end
    if program is not None and not in_a_browser:
        report_reading(program, args.file)  # also in the app; still there after quitting
    if not in_a_browser and not is_terminal(sys.stdin):
        keys_from_the_terminal(args.file == "-")
    from tui.app import ExplorerApp  # Textual loads only when the app really starts

    if program is not None:
        app = ExplorerApp(program)
    else:
        filename = "<expr>" if args.expr is not None else args.file
        app = ExplorerApp(loader=lambda progress: build_program(source, filename),
                          title=title_of(filename))
    # Under serve, a tab's theme is its own: one learner's pick is not the next one's.
    return run_explorer(app, args.theme, remember=not in_a_browser)
