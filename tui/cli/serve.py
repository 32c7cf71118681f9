"""``micrograd-tui serve``: the explorer served to browsers."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

from micrograd.expr import ExprError
from tui.cli.common import (
    Parser,
    UsageError,
    add_source_arguments,
    check_choice,
    describe,
    fail,
    load_program,
)

SERVE_EPILOG = """\
examples:
  micrograd-tui serve                              the classic neuron at http://127.0.0.1:8000
  micrograd-tui serve examples/reuse.mg --port 8080
  micrograd-tui serve --preset mlp --sizes 2,4,1
  micrograd-tui serve --host 0.0.0.0 --public-url http://classroom-pc:8000

Every browser tab gets an explorer of its own. ctrl+c stops the server and every tab's app.
"""



#: The options of ``serve`` itself; everything else goes to each tab's app.
_SERVE_OPTIONS = ("--host", "--port", "--public-url", "--max-tabs")



def build_serve_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="micrograd-tui serve",
        description="Serve the explorer to web browsers: each tab that opens the page gets "
        "its own app, with the same graph options as the plain command.",
        epilog=SERVE_EPILOG,
        version=False,
    )
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="the port (default: 8000)")
    parser.add_argument("--public-url", metavar="URL",
                        help="the address browsers use, when it is not http://HOST:PORT "
                        "(behind a proxy, or with --host 0.0.0.0); only pages from it, or "
                        "from http://HOST:PORT, may open a tab")
    parser.add_argument("--max-tabs", metavar="N", type=int, default=None,
                        help="how many tabs may run at once; one more gets a page saying "
                        "the server is full (default: 32)")
    add_source_arguments(parser)
    return parser



def run_serve(argv: Sequence[str]) -> int:
    args = build_serve_parser().parse_args(argv)
    if args.file == "-":
        fail("serve cannot read the program from standard input: give a file or --expr")
    app_args: list[str] = []
    skip = False
    for arg in argv:  # the plain command's arguments, as given, minus serve's own
        if skip:
            skip = False
        elif arg in _SERVE_OPTIONS:
            skip = True
        elif not arg.startswith(tuple(f"{option}=" for option in _SERVE_OPTIONS)):
            app_args.append(arg)
    if args.file is not None:  # each tab's app starts elsewhere: give it the whole path
        app_args[app_args.index(args.file)] = os.path.abspath(args.file)
    try:
        check_choice(args)
        load_program(args)  # a bad program is one line now, not an error in every tab
    except (ExprError, UsageError) as error:
        fail(describe(error))
    # textual-serve brings aiohttp, a third of a second to import: only serve needs it.
    from tui.serve import ServeError, serve

    try:
        serve(app_args, args.host, args.port, args.public_url, args.max_tabs)
    except ServeError as error:
        fail(str(error))
    return 0
