"""Opening a program: the graph is sorted once, and every part reads that one order."""

from __future__ import annotations

import micrograd.graph
import micrograd.stepper
from micrograd.presets import mlp
from micrograd.value import topological_order
from tui.loading import open_program


def test_opening_a_program_sorts_its_graph_once(monkeypatch) -> None:
    sorts = []

    def counted(root):
        sorts.append(root)
        return topological_order(root)

    for module in (micrograd.stepper, micrograd.graph):
        monkeypatch.setattr(module, "topological_order", counted)
    program = mlp((2, 3, 1))
    opened = open_program(program)
    assert len(sorts) == 1
    order = opened.stepper.order
    assert list(opened.nx_graph.nodes) == [node._id for node in order]
    assert opened.row_of == {node: row for row, node in enumerate(order)}
