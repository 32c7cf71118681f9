"""The command line's other doors: the video's Python files and JSON exports, read (never
run) and opened like any program; hostile files are one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import run  # tests/tui/cli_runner.py

from micrograd.check import check_gradients
from micrograd.export import to_json
from micrograd.expr import PYTHON_HINT
from micrograd.presets import classic_neuron
from tui import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"



VIDEO = {
    "video_expression.py": {"a": 6.0, "b": -4.0, "c": -2.0, "f": 4.0, "L": 1.0},
    "video_neuron.py": {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5, "o": 1.0},
    "video_neuron_exp.py": {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5, "o": 1.0},
}


def grads_of_export(text: str) -> dict[str, float]:
    graph = json.loads(text)
    return {node["label"]: node["grad"] for node in graph["nodes"] if node["label"]}


@pytest.mark.parametrize("name", sorted(VIDEO))
def test_each_video_file_exports_the_videos_grads(name: str, capsys) -> None:
    path = EXAMPLES / name
    status, out, err = run(["export", "-f", "json", str(path)], capsys)
    assert status == 0
    # The import and the prints are read, not run, and each one says so.
    notes = err.splitlines()
    line = path.read_text().splitlines().index("from micrograd.engine import Value") + 1
    assert notes[0] == (f"note: {path}:{line}:1: skipped from micrograd.engine import Value "
                        "(Value and its ops are built in)")
    assert all(note.startswith(f"note: {path}:") for note in notes)
    grads = grads_of_export(out)
    for label, grad in VIDEO[name].items():
        assert grads[label] == pytest.approx(grad), label
    # and the graph read back agrees with central differences
    program = cli.build_program((EXAMPLES / name).read_text(), str(EXAMPLES / name))
    assert check_gradients(program.output).ok(tol=1e-6)


def test_every_skipped_line_is_a_note_before_the_unused_warning(tmp_path: Path, capsys) -> None:
    script = tmp_path / "cells.py"
    script.write_text("import math\n%matplotlib inline\na = Value(2.0); a.grad = 1.0\n"
                      "b = a * 3\n1 - b.data**2\na = Value(5.0)\nc = a + 1\nc\n")
    status, out, err = run(["export", str(script), "-f", "tree"], capsys)
    assert status == 0 and out.startswith("c = 6.0")
    where = f"note: {script}"
    assert err.splitlines() == [
        f"{where}:1:1: skipped import math (a notebook's boilerplate; nothing in the file is run)",
        f"{where}:2:1: skipped %matplotlib inline (a notebook command, not Python)",
        f"{where}:3:17: skipped a.grad = 1.0 (the explorer computes every grad itself)",
        f"{where}:5:1: skipped 1 - b.data**2 (a display line: its value is not used)",
        f"{where}:8:1: skipped c (a display line: its value is not used)",
        "warning: a@3, b are not used by the output c (only the last statement's graph is shown)",
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("import os\nos.system('touch {marker}')\n", "only imports of micrograd"),
        ("from subprocess import run\n", "only imports of micrograd"),
        ("a = Value(1.0)\n__import__('os').system('touch {marker}')\n",
         "__import__(...) is not run here"),
        ("a = Value(1.0)\nb = a.__class__.__bases__\n", "unknown method '__class__'"),
        ("a = Value(1.0)\nexec(\"open('{marker}', 'w')\")\n", "'exec' is not understood"),
        ("a = Value(1.0)\nf = lambda: open('{marker}', 'w')\n", "'lambda' is not understood"),
        ("a = Value(1.0)\nb = a * 'x'\n", "a string can only be a label"),
        ("a = Value(1.0, label=open('{marker}'))\n", "label is a string"),
        ("a = Value(1.0)\nwith open('{marker}', 'w'):\n", "'with' is not understood"),
    ],
)
def test_hostile_python_files_are_refused_and_run_nothing(
    tmp_path: Path, capsys, source: str, message: str
) -> None:
    marker = tmp_path / "ran"
    script = tmp_path / "hostile.py"
    script.write_text(source.format(marker=marker))
    for argv in (["export", str(script)], [str(script)]):
        status, out, err = run(argv, capsys)
        assert status == 2 and out == ""
        assert err.startswith(f"error: {script}:") and err.count("\n") == 1
        assert message in err
        assert PYTHON_HINT in err
    assert not marker.exists()


def test_a_json_export_opens_again(tmp_path: Path, capsys) -> None:
    program = classic_neuron()
    saved = tmp_path / "neuron.json"
    saved.write_text(to_json(program.output))
    status, out, err = run(["export", "-f", "trace", str(saved)], capsys)
    assert (status, err) == (0, "")
    assert "x1.grad += " in out and "(x1.grad: 0.0 → -1.5)" in out
    opened = cli.build_program(saved.read_text(), str(saved))
    assert opened.title == "neuron" and opened.output.label == "o"
    assert {"x1", "w1", "n", "o"} <= set(opened.names)


def test_json_is_known_by_its_first_character_too(tmp_path: Path, capsys, monkeypatch) -> None:
    text = to_json(classic_neuron().output)
    odd_name = tmp_path / "graph.txt"
    odd_name.write_text("\n  " + text)
    status, out, _ = run(["export", "-f", "tree", str(odd_name)], capsys)
    assert status == 0 and "o = 0.7071" in out
    status, out, _ = run(["export", "-f", "tree", "-"], capsys, stdin=text, monkeypatch=monkeypatch)
    assert status == 0 and "o = 0.7071" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{bad", "bad.json: not valid JSON: line 1, col 2"),
        ('{"a": 1}', "bad.json: not a micrograd graph"),
        ("[1, 2]", "bad.json: not a micrograd graph"),
        ("", "bad.json: not valid JSON"),
    ],
)
def test_a_bad_json_file_is_one_line_and_status_2(
    tmp_path: Path, capsys, content: str, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    for argv in (["export", str(bad)], [str(bad)]):
        status, out, err = run(argv, capsys)
        assert status == 2 and out == ""
        assert message in err and err.count("\n") == 1, err


def test_an_svg_too_large_to_look_at_is_one_line_and_status_2(monkeypatch, capsys) -> None:
    from micrograd import draw

    monkeypatch.setattr(draw, "MAX_NODES", 3)
    status, out, err = run(["export", "-f", "svg", "--expr", "a = 2; b = a * 3 + 1"], capsys)
    assert status == 2 and out == ""
    assert err == "error: -f svg: a drawing of 5 nodes is too large to look at (at most 3): " \
        "export json or dot instead\n"
    status, out, err = run(
        ["export", "-f", "svg", "--expr", "a = 2; b = a * 3 + 1", "-o", "/dev/null"], capsys
    )
    assert status == 2 and "too large to look at" in err and err.count("\n") == 1
