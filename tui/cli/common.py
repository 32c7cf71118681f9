"""What the subcommands share: the errors and the argument parser, reading a program
(a file, ``--expr``, ``--preset``, a JSON export), the one-line messages, and running the
explorer in a terminal."""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import tempfile
from pathlib import PurePath
from typing import TYPE_CHECKING, NoReturn

from micrograd.errors import MathError
from micrograd.export import load_json
from micrograd.expr import MAX_SOURCE_BYTES, ExprError, Program, evaluate
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
from tui.clash import version_text
from tui.help_format import WrappedHelpFormatter

if TYPE_CHECKING:  # Textual loads only when the app really starts
    from tui.app import ExplorerApp



class UsageError(Exception):
    """Bad input or arguments: reported as one line, exit status 2."""



class Parser(argparse.ArgumentParser):
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



def add_source_arguments(parser: argparse.ArgumentParser) -> None:
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
    check_choice(args)
    if args.expr is not None:
        return evaluate(args.expr, filename="<expr>")
    if args.file is not None:
        text = source if source is not None else read_source(args.file)
        return build_program(text, args.file)
    if args.preset is None:
        return classic_neuron()
    try:
        return _build_preset(args)
    except (ValueError, MathError) as error:
        raise UsageError(f"--preset {args.preset}: {error}") from None



def check_choice(args: argparse.Namespace) -> None:
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



def title_of(filename: str) -> str:
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



def read_source(path: str) -> str:
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



def say(line: str) -> None:
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



def fail(message: str) -> NoReturn:
    say(f"error: {message}")
    raise SystemExit(2)



def report_reading(program: Program, filename: str | None = None) -> None:
    """A note for each line read and not run (``import math``, ``print(...)``), so nothing is
    silently ignored; then a warning, not an error, for names the output does not use (a
    typo, often)."""
    where = "<stdin>" if filename == "-" else filename or "<expr>"
    for skipped in program.skipped:
        say(f"note: {where}:{skipped.line}:{skipped.col}: skipped {skipped.text} "
             f"({skipped.why})")
    warning = program.unused_warning()
    if warning:
        say(f"warning: {warning}")



def describe(error: ExprError | UsageError) -> str:
    return error.located() if isinstance(error, ExprError) else str(error)



NEEDS_A_TERMINAL = ("micrograd-tui needs a terminal (use 'micrograd-tui export' to write the "
                    "graph as text)")



def run_explorer(app: ExplorerApp, theme: str | None = None, remember: bool = True) -> int:
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
        fail(app.load_error)
    if app.return_code:
        where = _save_crash(crash_log.getvalue())
        error = app.crash
        what = f"{type(error).__name__}: {error}" if error is not None else "the app failed"
        say(f"micrograd-tui: unexpected error: {what}"
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



def is_terminal(stream: object) -> bool:
    try:
        return stream is not None and stream.isatty()  # type: ignore[attr-defined]
    except (OSError, ValueError):
        return False



def keys_from_the_terminal(program_on_stdin: bool) -> None:
    """Standard input is not the terminal (the program came through a pipe, or input is
    redirected): the keys must come from the terminal, so standard input becomes it."""
    try:
        terminal = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        if program_on_stdin:
            fail("the program came from standard input and there is no terminal to read "
                  "keys from; give a FILE, or use `micrograd-tui export -`")
        fail(NEEDS_A_TERMINAL)
    os.dup2(terminal, 0)
    os.close(terminal)
