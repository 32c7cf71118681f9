"""The ``micrograd-tui`` command: open the explorer, ``export`` a graph as text, ``serve`` the
explorer to browsers, or ``train`` a small network and watch it learn.

Exit status: 0 on success, 2 on bad input or arguments (one line on stderr, no traceback),
1 on an unexpected failure.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import re
import signal
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, NoReturn, TextIO

from micrograd.draw import DrawingTooLargeError
from micrograd.errors import MathError
from micrograd.export import FORMATS, iter_export, load_json
from micrograd.expr import MAX_SOURCE_BYTES, ExprError, Program, evaluate
from micrograd.files import (
    OutputPathError,
    check_output_path,
    open_for_rows,
    same_file,
    write_atomic,
)
from micrograd.fmt import visible, visible_label
from micrograd.graph import GraphFormatError
from micrograd.nn import ACTIVATIONS
from micrograd.presets import (
    PRESET_NAMES,
    classic_neuron,
    mlp,
    neuron,
    parse_numbers,
    parse_sizes,
)
from micrograd.train import (
    CSV_HEADER,
    DATASETS,
    LOSSES,
    SUGGESTED_LR,
    StepRecord,
    TrainConfig,
    Trainer,
    to_csv_row,
)
from tui.clash import version_text
from tui.help_format import WrappedHelpFormatter

if TYPE_CHECKING:  # Textual loads only when the app really starts
    from tui.app import ExplorerApp

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

EXPORT_EPILOG = """\
examples:
  micrograd-tui export examples/neuron.mg                 the graph as a text tree
  micrograd-tui export examples/neuron.mg --format dot -o neuron.dot
  micrograd-tui export --expr "x = 3; y = x*x" --format trace
  micrograd-tui export --preset mlp --sizes 2,4,1 --format json -o mlp.json
  cat prog.mg | micrograd-tui export - --format mermaid

formats:
""" + "".join(f"  {fmt.name:<9} {fmt.description.replace('`', '')}\n" for fmt in FORMATS.values())


class UsageError(Exception):
    """Bad input or arguments: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors as the one ``error:`` line every other error is, instead of
    a usage block and ``prog: error:``; help wrapped to the terminal with the examples lined
    up (``tui.help_format``), no abbreviated options, and a ``--version`` unless
    ``version=False``."""

    def __init__(self, *args, version: bool = True, **kwargs) -> None:
        kwargs.setdefault("formatter_class", WrappedHelpFormatter)
        # '--po 1' must not be taken for '--port': serve passes what is not its own on to
        # every tab, and an abbreviation of its own option would reach them too.
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)
        if version:
            self.add_argument("--version", action="version",
                              version=version_text("%(prog)s").replace("%", "%%")
                              .replace("%%(prog)s", "%(prog)s"))

    def error(self, message: str) -> NoReturn:
        option = re.match(r"argument (--[\w-]+)(/[\w-]+)?: expected one argument", message)
        if option:  # '--sizes -1,1' reads -1,1 as an option of its own
            message += f" (a value that starts with '-' is written {option[1]}=-1,...)"
        raise UsageError(f"{message} (see {self.prog} --help)")


def _add_source_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_argument_group("what to open (one of; default: the classic neuron)")
    source.add_argument(
        "file", nargs="?", metavar="FILE",
        help="a program in the expression language, or - to read standard input",
    )
    source.add_argument(
        "--expr", metavar="TEXT",
        help='a program given inline, e.g. --expr "a = 2; b = a*a"',
    )
    source.add_argument(
        "--preset", choices=PRESET_NAMES,
        help="a ready-made graph: 'neuron' (the classic neuron from the video) or 'mlp'",
    )
    preset = parser.add_argument_group("preset options (with --preset)")
    preset.add_argument(
        "--inputs", metavar="N", type=int,
        help="neuron: number of inputs (default 2); for random weights give --seed",
    )
    preset.add_argument(
        "--sizes", metavar="LIST",
        help="mlp: inputs then layer sizes, e.g. 2,4,1 (default 2,3,1)",
    )
    preset.add_argument("--seed", type=int, default=None, help="seed for random weights")
    preset.add_argument(
        "--activation", choices=tuple(ACTIVATIONS), default=None,
        help="neuron or hidden-layer activation (default tanh)",
    )
    preset.add_argument(
        "--values", metavar="LIST", help="input values, e.g. 1.0,-2.0 (default: from the seed)",
    )
    preset.add_argument(
        "--target", metavar="LIST",
        help="mlp: target output(s); the graph's output becomes the loss",
    )


def _theme_name(text: str) -> str:
    """``--theme``'s value: one of Textual's themes (argparse says which, if not)."""
    from tui.settings import check_theme

    try:
        return check_theme(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("--theme: ")) from None


def add_theme_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--theme", metavar="NAME", type=_theme_name,
        help="a Textual theme (textual-dark, textual-light, nord, gruvbox, ...); default: "
        "$TEXTUAL_THEME, else the one last chosen with ctrl+p > Change theme",
    )


#: The words after ``micrograd-tui`` that name a command rather than a file.
SUBCOMMANDS = ("learn", "train", "export", "serve")

APP_USAGE = """micrograd-tui [options] [FILE]
       micrograd-tui learn|train|export|serve [options]"""


def build_app_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="micrograd-tui",
        usage=APP_USAGE,
        description="Explore backpropagation: see a computation graph and step through its "
        "forward and backward pass node by node. Press ? in the app for the keys.",
        epilog=APP_EPILOG,
    )
    _add_source_arguments(parser)
    add_theme_argument(parser)
    return parser


def build_export_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="micrograd-tui export",
        description="Write a computation graph as text: to read in a terminal (text, tree), to "
        "render with Graphviz (dot), to paste into Markdown (mermaid), to load into NetworkX "
        "(json, graphml), as a picture (svg), or as a step-by-step lesson (trace).",
        epilog=EXPORT_EPILOG,
    )
    _add_source_arguments(parser)
    parser.add_argument(
        "-f", "--format", default="text", metavar="FORMAT",
        help=f"one of: {', '.join(FORMATS)} (default: text)",
    )
    parser.add_argument(
        "--no-backward", action="store_true",
        help="export the graph as built, with every grad 0 (default: run backward first)",
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT",
        help="write to OUT instead of stdout: a file is replaced atomically (a temporary file, "
        "then renamed), a link's target is written and the link kept, a device or FIFO "
        "(/dev/null, /dev/stdout) is written in place as > would",
    )
    parser.add_argument(
        "--force", action="store_true",
        help="allow OUT to be the input program itself (refused otherwise: it would be lost)",
    )
    return parser


def _floats(text: str | None, option: str) -> list[float] | None:
    if text is None:
        return None
    try:
        return parse_numbers(text, option)
    except ValueError as error:
        raise UsageError(str(error)) from None


#: JSON exports are read up to this size: a 100,000-node graph's export is about 30 MB.
MAX_JSON_BYTES = 100_000_000

#: Program text longer than this is built inside the app, which shows its progress: a
#: million-node program takes seconds to build, and the screen must not stay blank.
BUILD_IN_APP_ABOVE = 200_000


def load_program(args: argparse.Namespace, source: str | None = None) -> Program:
    """The program the arguments name, or a ``UsageError``/``ExprError`` saying what is wrong.
    ``source`` is the program's text when it has been read already."""
    _check_choice(args)
    if args.expr is not None:
        return evaluate(args.expr, filename="<expr>")
    if args.file is not None:
        text = source if source is not None else _read_source(args.file)
        return build_program(text, args.file)
    if args.preset is None:
        return classic_neuron()
    try:
        return _build_preset(args)
    except (ValueError, MathError) as error:
        raise UsageError(f"--preset {args.preset}: {error}") from None


def _check_choice(args: argparse.Namespace) -> None:
    """One source at most, and preset options only with a preset."""
    chosen = [name for name, given in
              (("FILE", args.file is not None), ("--expr", args.expr is not None),
               ("--preset", args.preset is not None)) if given]
    if len(chosen) > 1:
        raise UsageError(f"give only one of {' and '.join(chosen)}")
    preset_options = [flag for flag, value in
                      (("--inputs", args.inputs), ("--sizes", args.sizes), ("--seed", args.seed),
                       ("--activation", args.activation), ("--values", args.values),
                       ("--target", args.target)) if value is not None]
    if preset_options and args.preset is None:
        raise UsageError(f"{preset_options[0]} only applies with --preset")


def _title_of(filename: str) -> str:
    """What a program is called while it is being built: its file's name."""
    if filename in ("-", "<expr>"):
        return "expression"
    return visible_label(os.path.basename(filename))


def _build_preset(args: argparse.Namespace) -> Program:
    values = _floats(args.values, "--values")
    if args.preset == "neuron":
        if args.sizes is not None or args.target is not None:
            raise UsageError("--sizes and --target apply to --preset mlp, not neuron")
        if args.inputs is None and args.seed is None and values is None and args.activation is None:
            return classic_neuron()
        n_inputs = args.inputs if args.inputs is not None else (len(values) if values else 2)
        return neuron(n_inputs, args.activation or "tanh", inputs=values, seed=args.seed or 0)
    if args.inputs is not None:
        raise UsageError("--inputs applies to --preset neuron; for mlp give --sizes")
    # A bad list raises ValueError, reported as '--preset mlp: sizes: ...' like the builder's.
    sizes = parse_sizes(args.sizes) if args.sizes is not None else [2, 3, 1]
    target = _floats(args.target, "--target")
    return mlp(sizes, seed=args.seed or 0, inputs=values,
               target=(target[0] if target and len(target) == 1 else target),
               activation=args.activation or "tanh")


def is_json(text: str, filename: str) -> bool:
    """Whether a file holds a JSON export rather than a program: by its name or, for
    standard input and other names, by its first character (a program never starts with
    ``{``)."""
    return filename.lower().endswith(".json") or text.lstrip("\ufeff \t\r\n").startswith("{")


def build_program(text: str, filename: str) -> Program:
    """The program in a file's text: a JSON export (``micrograd-tui export -f json``) read
    back into a live graph, or program text (the expression language or the video's Python)
    read and never run. Raises ``ExprError`` or ``UsageError``."""
    if not is_json(text, filename):
        return evaluate(text, filename=filename)
    try:
        root = load_json(text)
    except GraphFormatError as error:
        raise UsageError(f"{_shown_name(filename)}: {error}") from None
    title = "graph" if filename == "-" else PurePath(filename).stem or filename
    return Program.of_graph(root, visible_label(title))


def _did_you_mean(word: str) -> str:
    """`` (did you mean 'learn'?)`` for a word near a command (``lern``), else ''. Only a
    bare word: ``lern.mg`` or ``dir/lern`` is a file name, not a mistyped command."""
    import difflib

    if any(c in word for c in "./\\") or word.startswith("-"):
        return ""
    near = difflib.get_close_matches(word.lower(), SUBCOMMANDS, n=1, cutoff=0.6)
    return f" (did you mean '{near[0]}'?)" if near else ""


def _shown_name(path: str) -> str:
    return "standard input" if path == "-" else path


def _read_source(path: str) -> str:
    """The program text of a file or of standard input (``-``), read no further than a
    size limit, so that ``/dev/zero`` cannot hang us: the expression language's, or for a
    ``.json`` file the larger one of JSON exports."""
    # Standard input may hold a JSON export too (it starts with '{'): read it as far as the
    # JSON limit, then hold anything else to the program limit.
    json_too = path == "-" or path.lower().endswith(".json")
    limit = MAX_JSON_BYTES if json_too else MAX_SOURCE_BYTES
    name = _shown_name(path)
    try:
        if path == "-":
            stream = getattr(sys.stdin, "buffer", None)
            if stream is None:  # a text stream (tests): its text is already decoded
                text = sys.stdin.read(limit + 1)
                raw = text.encode("utf-8", "surrogatepass")
            else:
                raw = stream.read(limit + 1)
        else:
            with open(path, "rb") as handle:
                raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file{_did_you_mean(path)}") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, not a program file") from None
    except OSError as error:
        raise UsageError(f"{name}: cannot read it ({error.strerror or error})") from None
    if path == "-" and len(raw) > MAX_SOURCE_BYTES \
            and not raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        limit = MAX_SOURCE_BYTES
    if len(raw) > limit:
        raise UsageError(
            f"{name}: the program is too large (more than {limit:,} bytes; the limit is "
            f"{limit:,})"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{name}: not UTF-8 text (byte {error.start})") from None


def _say(line: str) -> None:
    """A line on standard error, with control characters made visible (it quotes file names
    and programs). Nothing if standard error is closed: never on standard output instead."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(visible(line) + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass  # closed or broken: the exit status still says what happened


def _fail(message: str) -> NoReturn:
    _say(f"error: {message}")
    raise SystemExit(2)


def _report_reading(program: Program, filename: str | None = None) -> None:
    """A note for each line read and not run (``import math``, ``print(...)``), so nothing is
    silently ignored; then a warning, not an error, for names the output does not use (a
    typo, often)."""
    where = "<stdin>" if filename == "-" else filename or "<expr>"
    for skipped in program.skipped:
        _say(f"note: {where}:{skipped.line}:{skipped.col}: skipped {skipped.text} "
             f"({skipped.why})")
    warning = program.unused_warning()
    if warning:
        _say(f"warning: {warning}")


def _describe(error: ExprError | UsageError) -> str:
    return error.located() if isinstance(error, ExprError) else str(error)


def run_export(argv: Sequence[str]) -> int:
    args = build_export_parser().parse_args(argv)
    if args.format not in FORMATS:
        _fail(f"unknown format {args.format!r} (formats: {', '.join(FORMATS)})")
    if args.output is None and sys.stdout is None:
        _fail("standard output is closed; give -o FILE to write the export to a file")
    if (args.output is not None and not args.force
            and (same_file(args.output, args.file) if args.file not in (None, "-")
                 else args.file == "-" and _is_stdin_file(args.output))):
        _fail(f"{args.output} is the input program: writing the export there would replace it "
              "(give --force to do it anyway)")
    try:
        program = load_program(args)
        _report_reading(program, args.file)
        # The graph lives until the process ends and has no reference cycles: out of the
        # cycle collector's scans it stays, which saves seconds at a million nodes.
        gc.freeze()
        if not args.no_backward:
            program.output.backward()
        pieces = iter_export(program.output, args.format)
        if args.output is None:
            _write_stdout(pieces)
            return 0
        written = write_atomic(args.output, pieces)
    except (ExprError, UsageError) as error:
        _fail(_describe(error))
    except ArithmeticError as error:
        _fail(f"backward: {error}")
    except DrawingTooLargeError as error:
        _fail(f"-f {args.format}: {error}")
    except OutputPathError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"{args.output}: cannot write it ({error.strerror or error})")
    where = args.output if str(written) == args.output else f"{args.output} ({written})"
    _say(f"wrote {args.format} to {where}")
    return 0


def _is_stdin_file(path: str) -> bool:
    """Whether ``path`` is the file standard input reads (``- < prog.mg``, ``-o /dev/stdin``).
    Only a regular file: a terminal or a pipe is no program to lose."""
    try:
        held = os.fstat(sys.stdin.fileno())
        target = os.stat(path)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return False
    return stat.S_ISREG(held.st_mode) and (held.st_dev, held.st_ino) == (target.st_dev,
                                                                         target.st_ino)


def _write_stdout(pieces: Iterable[str]) -> None:
    """The export on standard output, a piece at a time (a big graph never becomes one giant
    string). A reader that stops early (``| head``) ends it quietly."""
    try:
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would complain at exit while flushing into the closed pipe: point standard
        # output at nothing first.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except DrawingTooLargeError:
        raise  # the export's own error, not the stream's
    except (OSError, ValueError) as error:
        _fail(f"cannot write to standard output ({getattr(error, 'strerror', None) or error})")


NEEDS_A_TERMINAL = ("micrograd-tui needs a terminal (use 'micrograd-tui export' to write the "
                    "graph as text)")


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
    parser = _Parser(
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
    _add_source_arguments(parser)
    return parser


def run_serve(argv: Sequence[str]) -> int:
    args = build_serve_parser().parse_args(argv)
    if args.file == "-":
        _fail("serve cannot read the program from standard input: give a file or --expr")
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
        _check_choice(args)
        load_program(args)  # a bad program is one line now, not an error in every tab
    except (ExprError, UsageError) as error:
        _fail(_describe(error))
    # textual-serve brings aiohttp, a third of a second to import: only serve needs it.
    from tui.serve import ServeError, serve

    try:
        serve(app_args, args.host, args.port, args.public_url, args.max_tabs)
    except ServeError as error:
        _fail(str(error))
    return 0


TRAIN_EPILOG = """\
examples:
  micrograd-tui train                              the training screen, classic micrograd's demo
  micrograd-tui train --no-ui                      the same run, a line per step
  micrograd-tui train --no-ui --data circles --sizes 2,8,8,1 --steps 200 --log run.csv
  micrograd-tui train --no-ui --loss bce --batch 20
  micrograd-tui train --no-ui --no-zero-grad       the classic bug: gradients pile up

The defaults are classic micrograd's demo.ipynb: MLP 2,16,16,1 with the weights
random.seed(1337) gives, max-margin loss plus 1e-4 L2, every sample in every step, and a
learning rate falling from 1.0 to 0.1 (on this package's own moons points).
"""

#: How many step lines ``--no-ui`` prints by default, about.
TRAIN_LINES = 100


def build_train_parser() -> argparse.ArgumentParser:
    defaults = TrainConfig()
    parser = _Parser(
        prog="micrograd-tui train",
        description="Train a small network (an MLP) on a toy two-class data set by gradient "
        "descent,\na step at a time: forward, loss, zero_grad, backward, update.",
        epilog=TRAIN_EPILOG,
    )
    run = parser.add_argument_group("the run")
    run.add_argument("--data", choices=tuple(DATASETS), default=defaults.data,
                     help=f"the points to separate (default: {defaults.data})")
    run.add_argument("--samples", metavar="N", type=int, default=defaults.samples,
                     help=f"how many points (default: {defaults.samples})")
    run.add_argument("--sizes", metavar="LIST", default=",".join(map(str, defaults.sizes)),
                     help="inputs, hidden layers, output: starts with 2 and ends with 1 "
                     f"(default: {','.join(map(str, defaults.sizes))})")
    run.add_argument("--activation", choices=tuple(ACTIVATIONS), default=defaults.activation,
                     help=f"of the hidden layers; the output is linear "
                     f"(default: {defaults.activation})")
    run.add_argument("--loss", choices=LOSSES, default=defaults.loss,
                     help=f"max-margin (the demo's), mse or bce (logistic) "
                     f"(default: {defaults.loss})")
    run.add_argument("--lr", metavar="RATE", type=float, default=None,
                     help="the learning rate (default: "
                     + ", ".join(f"{rate} with {loss}" for loss, rate in SUGGESTED_LR.items())
                     + ")")
    run.add_argument("--no-decay", action="store_true",
                     help="keep the learning rate fixed (default: it falls linearly to a tenth "
                     "over the steps)")
    run.add_argument("--l2", metavar="ALPHA", type=float, default=defaults.l2,
                     help=f"weight of the L2 term alpha * sum(p*p); 0 for none "
                     f"(default: {defaults.l2})")
    run.add_argument("--batch", metavar="N", type=int, default=None,
                     help="samples per step, drawn at random (default: all of them)")
    run.add_argument("--steps", metavar="N", type=int, default=defaults.steps,
                     help=f"how many steps (default: {defaults.steps})")
    run.add_argument("--seed", metavar="N", type=int, default=defaults.seed,
                     help=f"decides the points, the starting weights and the batches "
                     f"(default: {defaults.seed})")
    run.add_argument("--no-zero-grad", action="store_true",
                     help="skip zero_grad() before backward(): the classic bug, gradients "
                     "piling up from step to step (default: zero them)")
    output = parser.add_argument_group("without the screen")
    output.add_argument("--no-ui", action="store_true",
                        help="print a line per step instead of opening the training screen")
    output.add_argument("--every", metavar="K", type=int, default=None,
                        help=f"print every K-th step, and the first and the last (default: "
                        f"every step up to {TRAIN_LINES} steps, else about {TRAIN_LINES} lines)")
    output.add_argument("--log", metavar="FILE.csv",
                        help="write every step to a CSV file (step,loss,accuracy,lr,seconds), "
                        "a row as each step ends (tail -f shows them)")
    add_theme_argument(parser)
    return parser


def train_config(args: argparse.Namespace) -> TrainConfig:
    """The run the arguments describe, or a ``UsageError`` saying what is wrong."""
    try:
        sizes = tuple(parse_sizes(args.sizes))
    except ValueError as error:
        raise UsageError(str(error)) from None  # 'sizes: ...', as the builder says it
    config = TrainConfig(
        data=args.data, samples=args.samples, sizes=sizes, activation=args.activation,
        loss=args.loss, lr=SUGGESTED_LR[args.loss] if args.lr is None else args.lr,
        decay=not args.no_decay, l2=args.l2, batch=args.batch, steps=args.steps,
        seed=args.seed, zero_grad=not args.no_zero_grad,
    )
    try:
        config.check()
    except ValueError as error:
        raise UsageError(str(error)) from None
    return config


NEEDS_A_TERMINAL_TO_TRAIN = ("the training screen needs a terminal (give --no-ui to print a "
                             "line per step instead)")


def run_train(argv: Sequence[str]) -> int:
    args = build_train_parser().parse_args(argv)
    try:
        config = train_config(args)
        if args.every is not None and args.every < 1:
            raise UsageError(f"--every must be a whole number >= 1, got {args.every}")
        if not args.no_ui:
            given = [flag for flag, value in (("--every", args.every), ("--log", args.log))
                     if value is not None]
            if given:
                raise UsageError(f"{given[0]} only applies with --no-ui")
        if args.log is not None:
            check_output_path(args.log)  # a bad path fails now, not after the run
    except UsageError as error:
        _fail(str(error))
    except OutputPathError as error:
        _fail(f"--log: {error}")
    if args.no_ui:
        return _train_headless(config, args.every, args.log)
    if not _is_terminal(sys.stdout):
        _fail(NEEDS_A_TERMINAL_TO_TRAIN)
    if not _is_terminal(sys.stdin):
        _keys_from_the_terminal(program_on_stdin=False)
    from tui.train_app import train_app  # Textual loads only when the screen starts

    return _run(train_app(config), args.theme)


def _train_headless(config: TrainConfig, every: int | None, log: str | None) -> int:
    """Train, printing a line per ``every``-th step (and the first and last); with a
    progress bar above the lines when standard output is a terminal. The log gets a row per
    step as it goes (``tail -f`` shows them). ctrl+c or SIGTERM, once or many times, stops
    after the step under way is undone, keeps the rows so far, says one line and exits 130
    (143 for SIGTERM)."""
    trainer = Trainer(config)
    if every is None:
        every = max(1, -(-config.steps // TRAIN_LINES))  # ceil: at most TRAIN_LINES lines
    width = len(str(config.steps))
    rows, written = _open_log(log) if log is not None else (None, None)
    _print_line(_train_heading(trainer))
    stop = _StopRequest()
    logged = 0  # rows in the log: a signal may come between a step and its row
    start = time.perf_counter()
    with stop.installed():
        try:
            with _progress(config.steps) as show:
                stop.running = True
                while trainer.step < config.steps:
                    record = trainer.train_step()
                    if rows is not None:
                        _log_row(rows, log, to_csv_row(record))
                        logged += 1
                    if record.step % every == 0 or record.step in (1, config.steps):
                        show(_step_line(record, config.steps, width))
                    else:
                        show(None)
                stop.running = False
        except KeyboardInterrupt:
            stop.running = False
            stop.signum = stop.signum or signal.SIGINT  # raised without a signal (a test)
        seconds = time.perf_counter() - start
        where = ""
        if rows is not None:
            for record in trainer.history[logged:]:
                _log_row(rows, log, to_csv_row(record))
            with contextlib.suppress(OSError):
                rows.close()
            shown = log if str(written) == log else f"{log} ({written})"
            where = f"wrote {len(trainer.history)} steps to {shown}"
        if trainer.step < config.steps:
            why = "ctrl+c" if stop.signum == signal.SIGINT else "SIGTERM"
            _say(f"stopped at step {trainer.step} of {config.steps} ({why})"
                 + (f"; {where}" if where else ""))
        else:
            _print_line(_train_summary(trainer, seconds))
            if where:
                _say(where)
    return 0 if stop.signum is None else 128 + stop.signum


class _StopRequest:
    """SIGINT and SIGTERM during a run: the first stops the step under way (as ctrl+c's
    KeyboardInterrupt does); any later one is noted and ignored, so a second ctrl+c cannot
    cut the ending short (it lost the log before)."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.running = False

    def __call__(self, signum: int, frame: object) -> None:
        first = self.signum is None
        if first:
            self.signum = signum
        if first and self.running:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        try:
            previous = {sig: signal.signal(sig, self) for sig in (signal.SIGINT, signal.SIGTERM)}
        except ValueError:  # not the main thread: leave the handlers alone
            previous = {}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def _open_log(log: str) -> tuple[TextIO, Path]:
    """The log opened before the run (a bad path fails now), its header written."""
    try:
        rows, written = open_for_rows(log)
        _log_row(rows, log, CSV_HEADER)
    except OutputPathError as error:
        _fail(f"--log: {error}")
    except OSError as error:
        _fail(f"--log: {log}: cannot write it ({error.strerror or error})")
    return rows, written


def _log_row(rows: TextIO, log: str | None, row: str) -> None:
    try:
        rows.write(row + "\n")
        rows.flush()
    except OSError as error:
        _fail(f"--log: {log}: cannot write it ({error.strerror or error})")


def _train_heading(trainer: Trainer) -> str:
    config = trainer.config
    decay = f", falling to {config.lr / 10:g}" if config.decay else ""
    batch = "all samples" if config.batch is None else f"batches of {config.batch}"
    return (f"training MLP {','.join(map(str, config.sizes))} ({config.activation}, "
            f"{len(trainer.parameters):,} parameters) on {config.samples} {config.data} points: "
            f"{config.loss} loss + {config.l2:g} L2, lr {config.lr:g}{decay}, {batch}, "
            f"seed {config.seed}" + ("" if config.zero_grad else ", no zero_grad"))


def _step_line(record: StepRecord, steps: int, width: int) -> str:
    """``step  12/100  loss 0.4321  accuracy 87.0%  lr 0.892  12.3 ms``"""
    return (f"step {record.step:>{width}}/{steps}  loss {_loss_text(record.loss)}  "
            f"accuracy {record.accuracy:.1%}  lr {_rate_text(record.lr)}  "
            f"{record.seconds * 1000:.1f} ms")


def _train_summary(trainer: Trainer, seconds: float) -> str:
    loss, accuracy = trainer.loss_and_accuracy()
    perfect = next((r.step for r in trainer.history if r.accuracy == 1.0), None)
    first = f"; 100% first at step {perfect}" if perfect is not None else ""
    return (f"after {trainer.step} steps: loss {_loss_text(loss)}  accuracy {accuracy:.1%}  "
            f"({seconds:.1f} s{first})")


def _loss_text(loss: float) -> str:
    return f"{loss:.4f}" if abs(loss) < 1e5 else f"{loss:.3e}"  # a diverging run: 4.8e+18


def _rate_text(rate: float) -> str:
    return f"{rate:.3f}" if 0.001 <= rate < 1000 else f"{rate:.2e}"


def _print_line(line: str) -> None:
    try:
        print(line, flush=True)
    except BrokenPipeError:  # | head: the reader has gone; the run goes on, quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[str | None], None]]:
    """A function to call once a step, with the step's line or None. On a terminal, a Rich
    progress bar stays below the lines; into a pipe, the lines alone, no escape codes."""
    if not _is_terminal(sys.stdout):
        yield lambda line: None if line is None else _print_line(line)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    from rich.text import Text

    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(file=sys.stdout), transient=True) as progress:
        task = progress.add_task("training", total=total)

        def show(line: str | None) -> None:
            if line is not None:
                progress.console.print(Text(line), soft_wrap=True)
            progress.advance(task)

        yield show


def run_app(argv: Sequence[str]) -> int:
    args = build_app_parser().parse_args(argv)
    program: Program | None = None
    source = ""
    try:
        _check_choice(args)
        if args.expr is not None or args.file is not None:
            source = args.expr if args.expr is not None else _read_source(args.file)
        if len(source) <= BUILD_IN_APP_ABOVE:
            program = load_program(args, source)  # errors here exit before the screen opens
    except (ExprError, UsageError) as error:
        _fail(_describe(error))
    # Under ``serve`` the app draws for a browser tab through Textual's web driver, over
    # pipes: no terminal there, and none needed.
    in_a_browser = os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")
    if not in_a_browser and not _is_terminal(sys.stdout):
        _fail(NEEDS_A_TERMINAL)  # drawing into a pipe would never end
    if program is not None and not in_a_browser:
        _report_reading(program, args.file)  # also in the app; still there after quitting
    if not in_a_browser and not _is_terminal(sys.stdin):
        _keys_from_the_terminal(args.file == "-")
    from tui.app import ExplorerApp  # Textual loads only when the app really starts

    if program is not None:
        app = ExplorerApp(program)
    else:
        filename = "<expr>" if args.expr is not None else args.file
        app = ExplorerApp(loader=lambda progress: build_program(source, filename),
                          title=_title_of(filename))
    # Under serve, a tab's theme is its own: one learner's pick is not the next one's.
    return _run(app, args.theme, remember=not in_a_browser)


def _run(app: ExplorerApp, theme: str | None = None, remember: bool = True) -> int:
    """Run the app (in ``theme``, else the remembered one: ``tui.settings``); its exit
    status, with one line on an unexpected failure."""
    from rich.console import Console

    from tui.settings import starting_theme

    chosen = starting_theme(theme) if remember else theme
    if chosen:
        app.theme = chosen
    app.remember_theme = remember

    crash_log = io.StringIO()
    # Textual prints an unexpected error as a long traceback; keep it for a file and say
    # one line instead.
    app.error_console = Console(file=crash_log, width=120, color_system=None)
    app.run()
    if app.load_error:
        _fail(app.load_error)
    if app.return_code:
        where = _save_crash(crash_log.getvalue())
        error = app.crash
        what = f"{type(error).__name__}: {error}" if error is not None else "the app failed"
        _say(f"micrograd-tui: unexpected error: {what}"
             + (f" (details in {where})" if where else ""))
        return 1
    return 0


def _save_crash(text: str) -> str:
    """The traceback of a crash in a file of its own; its path, or '' if it cannot be."""
    if not text.strip():
        return ""
    try:
        fd, path = tempfile.mkstemp(prefix="micrograd-tui-crash-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError:
        return ""
    return path


def _is_terminal(stream: object) -> bool:
    try:
        return stream is not None and stream.isatty()  # type: ignore[attr-defined]
    except (OSError, ValueError):
        return False


def _keys_from_the_terminal(program_on_stdin: bool) -> None:
    """Standard input is not the terminal (the program came through a pipe, or input is
    redirected): the keys must come from the terminal, so standard input becomes it."""
    try:
        terminal = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        if program_on_stdin:
            _fail("the program came from standard input and there is no terminal to read "
                  "keys from; give a FILE, or use `micrograd-tui export -`")
        _fail(NEEDS_A_TERMINAL)
    os.dup2(terminal, 0)
    os.close(terminal)


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
            from tui.learn import run_learn

            return run_learn(argv[1:])
        return run_app(argv)
    except UsageError as error:  # from the argument parser
        _fail(str(error))
    except KeyboardInterrupt:
        return 130
    except SystemExit:
        raise
    except Exception as error:  # a bug, not bad input: say so briefly, exit 1
        _say(f"micrograd-tui: unexpected error: {type(error).__name__}: {error}")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
