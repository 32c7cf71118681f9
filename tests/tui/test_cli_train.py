"""``micrograd-tui train``: the run printed a line per step, its CSV log, ctrl+c, and one-line
errors for bad options."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_runner import run  # tests/tui/cli_runner.py

import tui.cli.train
import tui.train_app
from micrograd.fmt import fmt_rate
from micrograd.train import CSV_HEADER, TrainConfig, Trainer, to_csv_row
from tui import cli

REPO = Path(__file__).resolve().parent.parent.parent
SMALL = ["--sizes", "2,4,1", "--samples", "20"]
STEP_LINE = re.compile(
    r"step +(\d+)  loss (\d+\.\d{4})  accuracy (\d+\.\d)%  → +(\d+)/(\d+)  lr (\d\.\d{3})  "
    r"(\d+\.\d) ms"
)




def test_no_ui_prints_a_line_per_step_and_a_summary(capsys) -> None:
    status, out, err = run(["train", "--no-ui", "--steps", "12", *SMALL], capsys)
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("training MLP 2,4,1 (relu, 17 parameters) on 20 moons points: "
                               "max-margin loss + 0.0001 L2, lr 1, falling to 0.1")
    steps = [STEP_LINE.fullmatch(line) for line in lines[1:-1]]
    assert all(steps) and len(steps) == 12
    assert [int(m[4]) for m in steps] == list(range(1, 13))
    assert [int(m[1]) for m in steps] == list(range(0, 12))  # the step each update starts from
    assert lines[1].startswith("step  0  loss ") and "  →  1/12  lr " in lines[1]
    assert re.fullmatch(r"after 12 steps: loss \d+\.\d{4}  accuracy \d+\.\d%  \(\d+\.\d s.*\)",
                        lines[-1])
    trainer = Trainer(TrainConfig(sizes=(2, 4, 1), samples=20, steps=12))
    for match in steps:
        record = trainer.train_step()
        assert match[2] == f"{record.loss:.4f}" and match[6] == f"{record.lr:.3f}"
        assert match[3] == f"{record.accuracy * 100:.1f}"


def test_every_k_steps_and_the_first_and_last(capsys) -> None:
    status, out, _ = run(["train", "--no-ui", "--steps", "25", "--every", "10", *SMALL], capsys)
    assert status == 0
    assert [int(m[4]) for m in map(STEP_LINE.match, out.splitlines()) if m] == [1, 10, 20, 25]


def test_a_long_run_prints_about_a_hundred_lines(capsys) -> None:
    status, out, _ = run(["train", "--no-ui", "--steps", "250", "--sizes", "2,1",
                          "--samples", "4"], capsys)
    printed = [int(m[4]) for m in map(STEP_LINE.match, out.splitlines()) if m]
    assert status == 0
    assert printed[:3] == [1, 3, 6] and printed[-1] == 250 and len(printed) == 85


def test_piped_output_is_plain_text() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "train", "--no-ui", "--steps", "3", *SMALL],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0 and result.stderr == ""
    assert "\x1b" not in result.stdout and "\r" not in result.stdout
    assert len(result.stdout.splitlines()) == 5


def test_the_log_is_a_csv_row_per_step(tmp_path: Path, capsys) -> None:
    log = tmp_path / "run.csv"
    status, _, err = run(["train", "--no-ui", "--steps", "7", "--log", str(log), *SMALL], capsys)
    assert status == 0 and err == f"wrote 7 steps to {log}\n"
    header, *rows = log.read_text().splitlines()
    assert header == CSV_HEADER == "step,loss_before,accuracy_before,lr,seconds"
    trainer = Trainer(TrainConfig(sizes=(2, 4, 1), samples=20, steps=7))
    for number, row in enumerate(rows, start=1):
        step, loss, accuracy, lr, seconds = row.split(",")
        record = trainer.train_step()
        assert int(step) == number == record.step
        assert (float(loss), float(accuracy)) == (record.loss, record.accuracy)
        assert lr == fmt_rate(record.lr) and abs(float(lr) - record.lr) < 1e-12
        assert float(seconds) > 0
    assert len(rows) == 7


@pytest.mark.slow
def test_one_step_numbering_on_the_screen_the_lines_the_log_and_the_lessons() -> None:
    """Step k is the network after k updates. The defaults reach 100% at step 44 (lesson 9
    says so, and the screen shows it at step 44); --no-ui's line for update 45 starts from
    step 44 at 100%, the CSV's row 45 has accuracy_before 1.0, the summary says step 44."""
    trainer = Trainer(TrainConfig())
    for _ in range(44):
        trainer.train_step()
    assert trainer.step == 44 and trainer.loss_and_accuracy()[1] == 1.0  # the screen's "now"
    record = trainer.train_step()
    assert record.step == 45 and record.accuracy == 1.0
    assert all(r.accuracy < 1.0 for r in trainer.history[:44])
    assert tui.cli.train._step_line(record, 100, 3).startswith("step  44  loss ")
    assert "accuracy 100.0%  →  45/100  lr " in tui.cli.train._step_line(record, 100, 3)
    assert to_csv_row(record).startswith("45,") and to_csv_row(record).split(",")[2] == "1.0"
    assert "100% first at step 44)" in tui.cli.train._train_summary(trainer, 1.0)
    lesson = (REPO / "tui" / "lessons" / "09-training.toml").read_text()
    assert "At step 44 the accuracy reached 100%" in lesson
    readme = (REPO / "README.md").read_text()
    assert "100% accuracy at step 44" in readme and "Step k is the network after k" in readme


def test_two_runs_print_the_same_numbers(tmp_path: Path, capsys) -> None:
    outputs, logs = [], []
    for name in ("a.csv", "b.csv"):
        argv = ["train", "--no-ui", "--steps", "6", "--batch", "5", "--log",
                str(tmp_path / name), *SMALL]
        status, out, _ = run(argv, capsys)
        assert status == 0
        outputs.append(re.sub(r"\d+\.\d ms|\(\d+\.\d s", "", out))  # the times differ
        logs.append([row.rsplit(",", 1)[0] for row in (tmp_path / name).read_text().splitlines()])
    assert outputs[0] == outputs[1] and logs[0] == logs[1]


def test_ctrl_c_stops_keeps_the_log_and_exits_130(tmp_path: Path, capsys, monkeypatch) -> None:
    step = Trainer.train_step
    calls = []

    def interrupted(self: Trainer):
        calls.append(1)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return step(self)

    monkeypatch.setattr(Trainer, "train_step", interrupted)
    log = tmp_path / "run.csv"
    status, out, err = run(["train", "--no-ui", "--steps", "10", "--log", str(log), *SMALL],
                           capsys)
    assert status == 130
    assert err == f"stopped at step 3 of 10 (ctrl+c); wrote 3 steps to {log}\n"
    assert len(out.splitlines()) == 4  # the heading and three steps, no summary
    assert len(log.read_text().splitlines()) == 4


def test_a_signal_while_a_row_is_written_keeps_each_row_once(tmp_path: Path, capsys,
                                                             monkeypatch) -> None:
    """The window the signal test above met once on a busy machine: ctrl+c right after the
    third row was written, before it was counted. The row was written again (4 rows, 3 steps)."""
    log_row = tui.cli.train._log_row
    rows = []

    def then_ctrl_c(handle, path, row) -> None:
        log_row(handle, path, row)
        rows.append(row)
        if len(rows) == 4:  # the header and three steps
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(tui.cli.train, "_log_row", then_ctrl_c)
    log = tmp_path / "run.csv"
    status, _, err = run(["train", "--no-ui", "--steps", "10", "--log", str(log), *SMALL],
                         capsys)
    assert status == 130
    assert err == f"stopped at step 3 of 10 (ctrl+c); wrote 3 steps to {log}\n"
    assert [row.split(",")[0] for row in log.read_text().splitlines()[1:]] == ["1", "2", "3"]


def test_options_reach_the_config(capsys) -> None:
    args = cli.build_train_parser().parse_args(
        ["--data", "xor", "--samples", "50", "--sizes", "2,8,1", "--activation", "tanh",
         "--loss", "bce", "--lr", "0.3", "--no-decay", "--l2", "0", "--batch", "10",
         "--steps", "40", "--seed", "7", "--no-zero-grad"])
    assert cli.train_config(args) == TrainConfig(
        data="xor", samples=50, sizes=(2, 8, 1), activation="tanh", loss="bce", lr=0.3,
        decay=False, l2=0.0, batch=10, steps=40, seed=7, zero_grad=False)
    assert cli.train_config(cli.build_train_parser().parse_args([])) == TrainConfig()
    mse = cli.train_config(cli.build_train_parser().parse_args(["--loss", "mse"]))
    assert mse.lr == 0.05  # 1.0 blows mse up on moons


def test_help_lists_every_option_with_its_default(capsys) -> None:
    status, out, _ = run(["train", "--help"], capsys)
    assert status == 0
    for option in ("--data", "--samples", "--sizes", "--activation", "--loss", "--lr",
                   "--no-decay", "--l2", "--batch", "--steps", "--seed", "--no-zero-grad",
                   "--no-ui", "--every", "--log", "examples:"):
        assert option in out
    assert "(default: 2,16,16,1)" in out and "(default: 1337)" in out
    status, out, _ = run(["--help"], capsys)
    assert "micrograd-tui train --help" in out


def test_the_screen_needs_a_terminal(capsys) -> None:
    status, out, err = run(["train"], capsys)
    assert status == 2 and out == ""
    assert err == ("error: the training screen needs a terminal (give --no-ui to print a line "
                   "per step instead)\n")


def test_the_screen_gets_the_config(capsys, monkeypatch) -> None:
    monkeypatch.setattr(tui.cli.train, "is_terminal", lambda stream: True)
    given = []
    monkeypatch.setattr(tui.train_app, "train_app", lambda config: given.append(config) or "app")
    monkeypatch.setattr(tui.cli.train, "run_explorer",
                        lambda app, theme=None: 0 if app == "app" else 1)
    status, _, _ = run(["train", "--steps", "9", *SMALL], capsys)
    assert status == 0 and given == [TrainConfig(sizes=(2, 4, 1), samples=20, steps=9)]


def test_the_app_opens_on_the_training_screen() -> None:
    app = tui.train_app.train_app(TrainConfig(sizes=(2, 4, 1), samples=20, steps=9))
    assert app._train_first is not None and app._train_first.config.steps == 9
    title = app.explorer.program.title
    assert title.startswith("sample 0 (y = ") and title.endswith("step 0")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--sizes", "3,4,1"], "sizes must start with 2 (a point has two coordinates), got 3,4,1"),
        (["--sizes", "2,4,2"], "sizes must end with 1 (one score a point), got 2,4,2"),
        (["--sizes", "2,,1"], "sizes: empty entry at position 2 in '2,,1'"),
        (["--sizes", "2,x,1"], "sizes: 'x' is not a whole number"),
        (["--lr", "-1"], "lr must be a number > 0, got -1.0"),
        (["--lr", "nan"], "lr must be a number > 0, got nan"),
        (["--lr", "fast"], "argument --lr: invalid float value: 'fast'"),
        (["--l2", "-0.5"], "l2 must be a number >= 0, got -0.5"),
        (["--data", "spirals"], "argument --data: invalid choice: 'spirals'"),
        (["--loss", "hinge"], "argument --loss: invalid choice: 'hinge'"),
        (["--activation", "gelu"], "argument --activation: invalid choice: 'gelu'"),
        (["--batch", "200"], "batch must be a whole number from 1 to samples (100), got 200"),
        (["--batch", "0"], "batch must be a whole number from 1 to samples (100), got 0"),
        (["--samples", "1"], "samples must be a whole number from 2 to 10,000, got 1"),
        (["--samples", "x"], "argument --samples: invalid int value: 'x'"),
        (["--steps", "0"], "steps must be a whole number from 1 to 100,000, got 0"),
        (["--every", "0"], "--every must be a whole number >= 1, got 0"),
        (["--log", "/no/such/folder/run.csv"], "--log: /no/such/folder/run.csv: the folder"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_options_are_one_line_and_status_2(argv: list[str], message: str, capsys) -> None:
    status, out, err = run(["train", "--no-ui", *argv], capsys)
    assert status == 2 and out == ""
    assert err.startswith(f"error: {message}")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_directory_is_no_log(tmp_path: Path, capsys) -> None:
    status, out, err = run(["train", "--no-ui", "--log", str(tmp_path), *SMALL], capsys)
    assert status == 2 and out == ""
    assert err == f"error: --log: {tmp_path}: is a directory; give a file name\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("option", [["--every", "5"], ["--log", "run.csv"]])
def test_print_options_need_no_ui(option: list[str], capsys) -> None:
    status, _, err = run(["train", *option], capsys)
    assert status == 2 and err == f"error: {option[0]} only applies with --no-ui\n"


# --- signals and the log as it grows (issues 25.6, 27.11) ------------------------------------


def _rows(log: Path) -> list[str]:
    return log.read_text().splitlines()[1:] if log.exists() else []


@pytest.mark.parametrize(
    ("signals", "status", "why"),
    [
        ([signal.SIGINT, signal.SIGINT], 130, "ctrl+c"),  # two ctrl+c at once
        ([signal.SIGTERM], 143, "SIGTERM"),  # timeout, kill, a closed ssh session
        # pending signals arrive lowest number first: whichever is first decides
        ([signal.SIGTERM] + [signal.SIGINT] * 5 + [signal.SIGTERM] * 5, None, None),
    ],
)
def test_signals_keep_the_rows_and_end_with_one_line(tmp_path: Path, signals, status,
                                                     why) -> None:
    log = tmp_path / "run.csv"
    run_ = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "train", "--no-ui", "--steps", "100000", "--log",
         str(log), *SMALL],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        for _ in range(600):  # rows appear while the run goes (what tail -f shows)
            if len(_rows(log)) >= 3:
                break
            time.sleep(0.05)
        assert len(_rows(log)) >= 3, "no rows written during the run"
        for sig in signals:
            run_.send_signal(sig)
        _, err = run_.communicate(timeout=60)
    finally:
        if run_.poll() is None:
            run_.kill()
    if status is None:
        status, why = (130, "ctrl+c") if run_.returncode == 130 else (143, "SIGTERM")
    assert run_.returncode == status
    (line,) = err.splitlines()
    steps = len(_rows(log))
    assert line == f"stopped at step {steps} of 100000 ({why}); wrote {steps} steps to {log}"
    assert [row.split(",")[0] for row in _rows(log)] == [str(k) for k in range(1, steps + 1)]
