"""``examples/playground.ipynb`` runs from top to bottom, as Jupyter would run it: each code
cell in one namespace, the value of a cell's last expression shown (here: its SVG parsed)."""

from __future__ import annotations

import ast
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from micrograd.export import load_json

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "playground.ipynb"


def code_cells() -> list[str]:
    notebook = json.loads(NOTEBOOK.read_text())
    assert notebook["nbformat"] == 4
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]


def run_cell(source: str, namespace: dict) -> object:
    """Run a cell; return the value of its last line if that is an expression, as Jupyter
    shows it."""
    tree = ast.parse(source)
    last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    if last is not None:
        tree.body.pop()
    exec(compile(tree, "playground cell", "exec"), namespace)  # trusted: our own notebook
    if last is None:
        return None
    return eval(compile(ast.Expression(last.value), "playground cell", "eval"), namespace)


def test_the_notebook_runs_and_shows_its_drawings(tmp_path, monkeypatch, capsys) -> None:
    import tempfile

    here = tmp_path / "here"  # where the notebook runs: it must leave nothing there
    here.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    namespace: dict = {}
    shown = [run_cell(source, namespace) for source in code_cells()]
    drawings = [value for value in shown if hasattr(value, "_repr_svg_")]
    assert len(drawings) == 4
    for drawing in drawings:
        bundle = drawing._repr_mimebundle_()
        ET.fromstring(bundle["image/svg+xml"])
        assert bundle["text/plain"]
    # the nudged slope, and the video's numbers
    assert shown[1] == pytest.approx(14.0, abs=1e-3)
    assert namespace["a"].grad == 6.0 and namespace["f"].grad == 4.0  # b is the bias by now
    assert namespace["x1"].grad == pytest.approx(-1.5)
    assert namespace["w1"].grad == pytest.approx(1.0)
    assert namespace["n2"].grad == pytest.approx(namespace["n"].grad)
    # the last cell saved the graph for the terminal, and explore said it needs one
    assert load_json((tmp_path / "neuron.json").read_text()).label == "o"
    assert list(here.iterdir()) == []  # the issue: examples/neuron.json was left behind
    out, err = capsys.readouterr()
    assert f"uv run micrograd-tui {tmp_path / 'neuron.json'}" in out
    assert "x1.grad = -1.5000, w1.grad = 1.0000" in out
    assert "needs a terminal" in err


def test_the_notebook_has_no_stored_outputs() -> None:
    """Outputs would go stale as the drawing changes: the notebook is kept clean."""
    notebook = json.loads(NOTEBOOK.read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
