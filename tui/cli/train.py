"""``micrograd-tui train``: train a small network, on its screen or a line per step."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from micrograd.files import (
    OutputPathError,
    check_output_path,
    open_for_rows,
)
from micrograd.nn import ACTIVATIONS
from micrograd.presets import (
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
from tui.cli.common import (
    Parser,
    UsageError,
    add_theme_argument,
    fail,
    is_terminal,
    keys_from_the_terminal,
    run_explorer,
    say,
)

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
    parser = Parser(
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
                        help=f"write every step to a CSV file ({CSV_HEADER}: row k is "
                        "update k, with the loss and accuracy it started from), a row as each "
                        "step ends (tail -f shows them)")
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
        fail(str(error))
    except OutputPathError as error:
        fail(f"--log: {error}")
    if args.no_ui:
        return _train_headless(config, args.every, args.log)
    if not is_terminal(sys.stdout):
        fail(NEEDS_A_TERMINAL_TO_TRAIN)
    if not is_terminal(sys.stdin):
        keys_from_the_terminal(program_on_stdin=False)
    from tui.train_app import train_app  # Textual loads only when the screen starts

    return run_explorer(train_app(config), args.theme)



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
                    # A signal from here on is noted, not raised, until the step's row is
                    # written and counted: raised between the two, the row was written twice.
                    stop.running = False
                    if rows is not None:
                        _log_row(rows, log, to_csv_row(record))
                        logged += 1
                    if record.step % every == 0 or record.step in (1, config.steps):
                        show(_step_line(record, config.steps, width))
                    else:
                        show(None)
                    stop.running = True
                    if stop.signum is not None:  # it came while the row was written
                        raise KeyboardInterrupt
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
            say(f"stopped at step {trainer.step} of {config.steps} ({why})"
                 + (f"; {where}" if where else ""))
        else:
            _print_line(_train_summary(trainer, seconds))
            if where:
                say(where)
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
        fail(f"--log: {error}")
    except OSError as error:
        fail(f"--log: {log}: cannot write it ({error.strerror or error})")
    return rows, written



def _log_row(rows: TextIO, log: str | None, row: str) -> None:
    try:
        rows.write(row + "\n")
        rows.flush()
    except OSError as error:
        fail(f"--log: {log}: cannot write it ({error.strerror or error})")



def _train_heading(trainer: Trainer) -> str:
    config = trainer.config
    decay = f", falling to {config.lr / 10:g}" if config.decay else ""
    batch = "all samples" if config.batch is None else f"batches of {config.batch}"
    return (f"training MLP {','.join(map(str, config.sizes))} ({config.activation}, "
            f"{len(trainer.parameters):,} parameters) on {config.samples} {config.data} points: "
            f"{config.loss} loss + {config.l2:g} L2, lr {config.lr:g}{decay}, {batch}, "
            f"seed {config.seed}" + ("" if config.zero_grad else ", no zero_grad"))



def _step_line(record: StepRecord, steps: int, width: int) -> str:
    """``step  11  loss 0.4321  accuracy 87.0%  → 12/100  lr 0.892  12.3 ms``: the loss and
    accuracy of step k-1 (the network after k-1 updates), then update k (README: step k is
    the network after k updates)."""
    return (f"step {record.step - 1:>{width}}  loss {_loss_text(record.loss)}  "
            f"accuracy {record.accuracy:.1%}  → {record.step:>{width}}/{steps}  "
            f"lr {_rate_text(record.lr)}  {record.seconds * 1000:.1f} ms")



def _train_summary(trainer: Trainer, seconds: float) -> str:
    loss, accuracy = trainer.loss_and_accuracy()
    # A record's accuracy is before its update: 100% in record k is step k-1's.
    perfect = next((r.step - 1 for r in trainer.history if r.accuracy == 1.0), None)
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
    if not is_terminal(sys.stdout):
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
