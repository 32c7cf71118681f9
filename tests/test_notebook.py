"""``examples/playground.ipynb`` runs from top to bottom, as Jupyter would run it: each code
cell in one namespace, the value of a cell's last expression shown (here: its SVG parsed);
and, with the notebook extra, in a real kernel (nbclient), where ``explore(o)`` is the widget
and the outputs stored in the file are the ones it makes."""

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
    assert len(drawings) == 5  # four draw_dot, then the widget's picture of a step
    assert "backward · step 7 of" in drawings[-1].svg
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


def executed(nbclient, where: Path) -> str:
    """The notebook run in a fresh kernel in the folder ``where``, as text with its outputs."""
    import nbformat

    notebook = nbformat.reads(NOTEBOOK.read_text(), as_version=4)
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(where)}}).execute()
    return nbformat.writes(notebook) + "\n"


def svg_outputs(notebook: dict) -> list[str]:
    return ["".join(output["data"]["image/svg+xml"])
            for cell in notebook["cells"] if cell["cell_type"] == "code"
            for output in cell["outputs"] if "image/svg+xml" in output.get("data", {})]


def test_the_stored_outputs_are_what_the_notebook_makes_in_a_kernel(tmp_path) -> None:
    """The file keeps its outputs so a forge's viewer shows the drawings; they must be what
    running it gives today (a drawing that changed makes this fail: run
    ``uv run python tests/test_notebook.py`` to store them again)."""
    pytest.importorskip("anywidget", reason="the notebook extra is not installed "
                        "(uv sync --extra notebook)")
    nbclient = pytest.importorskip("nbclient", reason="nbclient (the dev group) is not installed")
    pytest.importorskip("ipykernel", reason="ipykernel (the dev group) is not installed")
    stored = json.loads(NOTEBOOK.read_text())
    ran = json.loads(executed(nbclient, tmp_path))
    assert svg_outputs(ran) == svg_outputs(stored) and len(svg_outputs(ran)) == 5
    # explore(o) in the kernel is the widget, shown as one
    last_outputs = [cell["outputs"] for cell in ran["cells"] if cell["cell_type"] == "code"]
    widget_views = [output for outputs in last_outputs for output in outputs
                    if "application/vnd.jupyter.widget-view+json" in output.get("data", {})]
    assert len(widget_views) == 1
    assert list(tmp_path.iterdir()) == []  # the notebook left nothing where it ran


if __name__ == "__main__":
    # Store the outputs again: `uv run python tests/test_notebook.py` (after a drawing changed).
    import tempfile

    import nbclient

    from micrograd.files import write_atomic

    with tempfile.TemporaryDirectory() as folder:
        write_atomic(NOTEBOOK, executed(nbclient, Path(folder)))
    print(f"stored the outputs of {NOTEBOOK}")
