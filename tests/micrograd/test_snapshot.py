"""micrograd.snapshot: a copy of a graph is exact, separate, and of its moment."""

from __future__ import annotations

import math

from micrograd.export import FORMATS, export
from micrograd.graph import from_networkx, to_networkx
from micrograd.presets import classic_neuron
from micrograd.snapshot import GraphSnapshot, copy_graph, full_gradients


def test_the_copy_exports_exactly_like_the_original_and_is_separate() -> None:
    program = classic_neuron()
    program.output.backward()
    copy = copy_graph(program.output)
    via_networkx = from_networkx(to_networkx(program.output), grads=True)
    for fmt in FORMATS:
        assert export(copy, fmt) == export(program.output, fmt) == export(via_networkx, fmt)
    copy.data = 99.0
    full_gradients(copy)
    assert program.output.data != 99.0


def test_a_snapshot_keeps_the_numbers_of_its_moment() -> None:
    program = classic_neuron()
    snapshot = GraphSnapshot.take(program.output)
    program.output.backward()
    copy = snapshot.build()
    assert "grad 1.0" not in export(copy, "tree")
    assert export(copy, "tree") == export(classic_neuron().output, "tree")


def test_a_copy_keeps_a_custom_op() -> None:
    from micrograd.value import Value

    x = Value(0.8814, label="n")
    t = math.tanh(x.data)
    out = Value(t, (x,), "tanh2")
    out.label = "o"

    def _backward() -> None:
        x.grad += (1 - t**2) * out.grad

    out._backward = _backward
    copy = copy_graph(out)
    copy.backward()
    assert copy._prev[0].grad == 1 - t**2
    assert x.grad == 0.0 and out.grad == 0.0
