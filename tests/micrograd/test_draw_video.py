"""``draw_dot(root, style="video")``: the lecture's drawing style (a record per value with
label, data and grad to 4 decimals; each op a node of its own)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from micrograd.draw import draw_dot
from micrograd.expr import evaluate
from micrograd.value import topological_order

SVG = "{http://www.w3.org/2000/svg}"
NEURON = ("x1 = 2.0; x2 = 0.0; w1 = -3.0; w2 = 1.0; b = 6.8813735870195432; "
          "x1w1 = x1*w1; x2w2 = x2*w2; s = x1w1 + x2w2; n = s + b; o = tanh(n)")


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_each_value_is_a_record_and_each_op_an_oval(rankdir: str) -> None:
    o = evaluate(NEURON).output
    o.backward()
    drawing = draw_dot(o, rankdir, style="video")
    root = ET.fromstring(drawing.svg)
    order = topological_order(o)
    groups = [g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}title") is not None]
    assert len(groups) == len(order)
    for node, group in zip(order, groups, strict=True):
        texts = ["".join(t.itertext()) for t in group.iter(f"{SVG}text")]
        fields = [node.label] if node.label else []
        assert texts == [*fields, f"data {node.data:.4f}", f"grad {node.grad:.4f}"]
        assert len(group.findall(f"{SVG}line")) == 2  # three fields side by side
    ovals = [g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}ellipse") is not None]
    assert sorted("".join(g.find(f"{SVG}text").itertext()) for g in ovals) == sorted(
        str(node._op) for node in order if node._prev)
    # an edge from each operand into its op, and one from each op to its value
    edges = root.findall(f"{SVG}g/{SVG}path")
    assert len(edges) == sum(len(node._prev) + 1 for node in order if node._prev)
    assert drawing.text == draw_dot(o).text


def test_an_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError, match="style must be 'canvas' or 'video', not 'graphviz'"):
        draw_dot(evaluate("a = 1.0; b = a*a").output, style="graphviz")
