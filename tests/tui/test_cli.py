"""``micrograd-tui`` and ``micrograd-tui export`` from the command line: output, exit status
and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import run  # tests/tui/cli_runner.py

import tui.cli.export
from micrograd.export import FORMATS, export, load_json
from micrograd.expr import evaluate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"




@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_from_a_file(fmt: str, capsys) -> None:
    status, out, err = run(["export", str(EXAMPLES / "neuron.mg"), "--format", fmt], capsys)
    assert status == 0 and err == ""
    program = evaluate((EXAMPLES / "neuron.mg").read_text(), filename="neuron.mg")
    program.output.backward()
    assert out == export(program.output, fmt)


def test_default_format_is_text_and_backward_runs(capsys) -> None:
    status, out, _ = run(["export", "--expr", "x = 3.0; y = x*x"], capsys)
    assert status == 0
    assert "y = 9.0 (grad 1.0)" in out and "x = 3.0 (grad 6.0)" in out


def test_no_backward_leaves_grads_at_zero(capsys) -> None:
    status, out, _ = run(["export", "--expr", "x = 3.0; y = x*x", "--no-backward", "-f", "json"],
                         capsys)
    assert status == 0
    assert all(node["grad"] == 0.0 for node in json.loads(out)["nodes"])


def test_stdin(capsys, monkeypatch) -> None:
    status, out, _ = run(["export", "-", "-f", "tree"], capsys, "a = 2.0\nb = a*a\n", monkeypatch)
    assert status == 0 and "b = 4.0" in out


def test_presets(capsys) -> None:
    status, out, _ = run(["export", "--preset", "neuron", "-f", "json"], capsys)
    assert status == 0 and len(json.loads(out)["nodes"]) == 10
    status, out, _ = run(["export", "--preset", "mlp", "--sizes", "2,3,1", "--seed", "1",
                          "--target", "1.0", "-f", "json"], capsys)
    assert status == 0
    root = load_json(out)
    assert root.label == "loss"


def test_output_file_is_written_atomically(tmp_path: Path, capsys) -> None:
    target = tmp_path / "neuron.dot"
    target.write_text("old contents")
    status, out, err = run(["export", str(EXAMPLES / "neuron.mg"), "-f", "dot", "-o", str(target)],
                           capsys)
    assert status == 0 and out == "" and "wrote dot" in err
    assert target.read_text().startswith("digraph")
    assert [p.name for p in tmp_path.iterdir()] == ["neuron.dot"]  # no temporary file left


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "missing.mg"], "error: missing.mg: no such file"),
        (["export", "--expr", "a = 2\nb = a*w3"], "error: <expr>:2:7: unknown name 'w3'"),
        (["export", "--expr", "a = (2"], "error: <expr>:1:7: unclosed '(' opened at col 5"),
        (["export", "--expr", "a = 2", "-f", "pdf"], "error: unknown format 'pdf'"),
        (["export", "--expr", "a = 2", "-o", "/no/such/folder/x.txt"], "does not exist"),
        (["export", "--expr", "a = 2", "--bogus"], "unrecognized arguments: --bogus"),
        (["export", "--expr", "x = -1; y = log(x)"], "error: <expr>:1:13: cannot compute log(x)"),
        (["export", "--expr", "a = 2", "--preset", "mlp"],
         "give only one of --expr and --preset"),
        (["export", "--preset", "mlp", "--sizes", "2,x"],
         "error: --preset mlp: sizes: 'x' is not a whole number"),
        (["export", "--preset", "mlp", "--sizes", "2,,1"],
         "error: --preset mlp: sizes: empty entry at position 2 in '2,,1'"),
        (["export", "--sizes", "2,3"], "--sizes only applies with --preset"),
        (["export", "--preset", "mlp", "--sizes", "2,1", "--values", "1,,2"],
         "error: --values: empty entry at position 2 in '1,,2'"),
        (["export", "--preset", "mlp", "--sizes", "2,1", "--target", "x"],
         "error: --target: 'x' is not a number"),
        (["export", "--expr", "__import__('os').system('echo hi')"], "error: <expr>:1:"),
        (["missing.mg"], "error: missing.mg: no such file"),
        (["--expr", "o = tanhh(1)"], "did you mean 'tanh'?"),
    ],
)
def test_bad_input_is_one_line_and_status_2(argv, message, capsys) -> None:
    status, out, err = run(argv, capsys)
    assert status == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err
    if not message.startswith("unrecognized"):  # argparse adds its usage line
        assert err.count("\n") == 1


def test_directory_as_output_is_refused(tmp_path: Path, capsys) -> None:
    status, _, err = run(["export", "--expr", "a = 2", "-o", str(tmp_path)], capsys)
    assert status == 2 and "is a directory" in err
    assert list(tmp_path.iterdir()) == []


def test_directory_as_input_is_refused(tmp_path: Path, capsys) -> None:
    status, _, err = run(["export", str(tmp_path)], capsys)
    assert status == 2 and "is a directory" in err


def test_unexpected_failure_is_status_1(monkeypatch, capsys) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(tui.cli.export, "iter_export", broken)
    status, _, err = run(["export", "--expr", "a = 2"], capsys)
    assert status == 1 and "unexpected error: RuntimeError: boom" in err


def test_help_and_version(capsys) -> None:
    status, out, _ = run(["export", "--help"], capsys)
    assert status == 0
    for option in ("--format", "--no-backward", "--output", "--preset", "--expr", "examples:"):
        assert option in out
    status, out, _ = run(["--help"], capsys)
    assert status == 0 and "micrograd-tui export" in out
    status, out, _ = run(["--version"], capsys)
    assert status == 0 and out.startswith("micrograd-tui ")


def test_the_installed_command_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "export", "--expr", "a = 2; b = a*a", "-f", "tree"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0 and "b = 4.0" in result.stdout


def test_an_endless_file_is_refused_at_the_size_limit(capsys) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    status, _, err = run(["export", "/dev/zero"], capsys)
    assert status == 2 and "too large" in err


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.mg"
    bad.write_bytes(b"a = 1\n\xff\xfe")
    status, _, err = run(["export", str(bad)], capsys)
    assert status == 2 and "not UTF-8" in err


def test_an_infinite_derivative_exports(capsys) -> None:
    status, out, _ = run(["export", "--expr", "x = 1e-200; y = x**-1", "-f", "json"], capsys)
    assert status == 0 and '"-inf"' in out


def test_unused_names_are_a_warning_not_an_error(capsys) -> None:
    status, out, err = run(["export", "--expr", "a = 1; b = 2; w3 = 5; c = a*3", "-f", "tree"],
                           capsys)
    assert status == 0 and out.startswith("c = 3.0")
    assert err == ("warning: b, w3 are not used by the output c "
                   "(only the last statement's graph is shown)\n")
    status, _, err = run(["export", "--expr", "a = 1; c = a*3"], capsys)
    assert status == 0 and err == ""


def test_the_trace_reads_like_the_video(capsys) -> None:
    status, out, _ = run(["export", "--expr", "a = 2.0; b = -3.0; c = 10.0; e = a*b; "
                          "d = e + c; f = -2.0; L = d*f", "-f", "trace"], capsys)
    assert status == 0
    assert "a.grad += de/da * e.grad = b * e.grad = -3.0 * -2.0 = 6.0" in out
    assert "d.grad += dL/dd * L.grad = f * L.grad = -2.0 * 1.0 = -2.0" in out
    assert "d(a*b)" not in out
