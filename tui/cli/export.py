"""``micrograd-tui export``: a graph as text, in any of the export formats."""

from __future__ import annotations

import argparse
import gc
import io
import os
import stat
import sys
from collections.abc import Iterable, Sequence

from micrograd.draw import DrawingTooLargeError, draw_step
from micrograd.export import FORMATS, iter_export
from micrograd.expr import ExprError
from micrograd.files import (
    OutputPathError,
    same_file,
    write_atomic,
)
from micrograd.stepper import Stepper
from micrograd.value import Value
from tui.cli.common import (
    Parser,
    UsageError,
    add_source_arguments,
    describe,
    fail,
    load_program,
    report_reading,
    say,
)

EXPORT_EPILOG = """\
examples:
  micrograd-tui export examples/neuron.mg                 the graph as a text tree
  micrograd-tui export examples/neuron.mg --format dot -o neuron.dot
  micrograd-tui export --expr "x = 3; y = x*x" --format trace
  micrograd-tui export --preset mlp --sizes 2,4,1 --format json -o mlp.json
  micrograd-tui export examples/neuron.mg -f svg --step 7 -o step7.svg
  cat prog.mg | micrograd-tui export - --format mermaid

formats:
""" + "".join(f"  {fmt.name:<9} {fmt.description.replace('`', '')}\n" for fmt in FORMATS.values())



def build_export_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="micrograd-tui export",
        description="Write a computation graph as text: to read in a terminal (text, tree), to "
        "render with Graphviz (dot), to paste into Markdown (mermaid), to load into NetworkX "
        "(json, graphml), as a picture (svg), or as a step-by-step lesson (trace).",
        epilog=EXPORT_EPILOG,
    )
    add_source_arguments(parser)
    parser.add_argument(
        "-f", "--format", default="text", metavar="FORMAT",
        help=f"one of: {', '.join(FORMATS)} (default: text)",
    )
    parser.add_argument(
        "--no-backward", action="store_true",
        help="export the graph as built, with every grad 0 (default: run backward first)",
    )
    parser.add_argument(
        "--step", type=int, metavar="K",
        help="with -f svg: the graph at step K of the explorer's timeline (0 is the start), "
        "with its legend: the step's node, what it changed, ? not computed, · no grad yet",
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



def run_export(argv: Sequence[str]) -> int:
    args = build_export_parser().parse_args(argv)
    if args.format not in FORMATS:
        fail(f"unknown format {args.format!r} (formats: {', '.join(FORMATS)})")
    if args.step is not None and args.format != "svg":
        fail(f"--step draws a step of the timeline: it needs -f svg, not -f {args.format}")
    if args.step is not None and args.no_backward:
        fail("--step and --no-backward: the step says which grads are known; give one of them")
    if args.output is None and sys.stdout is None:
        fail("standard output is closed; give -o FILE to write the export to a file")
    if (args.output is not None and not args.force
            and (same_file(args.output, args.file) if args.file not in (None, "-")
                 else args.file == "-" and _is_stdin_file(args.output))):
        fail(f"{args.output} is the input program: writing the export there would replace it "
              "(give --force to do it anyway)")
    try:
        program = load_program(args)
        report_reading(program, args.file)
        # The graph lives until the process ends and has no reference cycles: out of the
        # cycle collector's scans it stays, which saves seconds at a million nodes.
        gc.freeze()
        if args.step is not None:
            pieces = [_step_svg(program.output, args.step)]
        else:
            if not args.no_backward:
                program.output.backward()
            pieces = iter_export(program.output, args.format)
        if args.output is None:
            _write_stdout(pieces)
            return 0
        written = write_atomic(args.output, pieces)
    except (ExprError, UsageError) as error:
        fail(describe(error))
    except ArithmeticError as error:
        fail(f"backward: {error}")
    except DrawingTooLargeError as error:
        fail(f"-f {args.format}: {error}")
    except OutputPathError as error:
        fail(str(error))
    except OSError as error:
        fail(f"{args.output}: cannot write it ({error.strerror or error})")
    where = args.output if str(written) == args.output else f"{args.output} ({written})"
    say(f"wrote {args.format} to {where}")
    return 0



def _step_svg(output: Value, step: int) -> str:
    """The drawing of step ``step`` of the graph's timeline (``micrograd.draw.draw_step``,
    the notebook widget's picture too)."""
    stepper = Stepper(output)
    if not 0 <= step <= len(stepper):
        raise UsageError(f"--step {step} is out of range: this graph's timeline has steps "
                         f"0 to {len(stepper)} (0 is the start)")
    stepper.seek(step)
    return draw_step(stepper).svg


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
        fail(f"cannot write to standard output ({getattr(error, 'strerror', None) or error})")
