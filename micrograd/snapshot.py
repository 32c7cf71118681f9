"""A copy of a graph: its numbers at one moment, rebuilt as separate nodes.

Screens that need the graph in another state (the export screen, the gradient check) work
on a copy, so that only the Stepper moves the live graph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from micrograd.formulas import node_names
from micrograd.value import CONSTANT, Value, backward, topological_order


@dataclass(frozen=True)
class GraphSnapshot:
    """The graph's numbers at one moment, and a way to rebuild it as a separate copy.

    Taking one is a single pass over the nodes (cheap enough for the UI thread, so it
    records exactly what is on screen); building the copy is the slow part and can run in a
    worker, while the Stepper goes on moving the live graph.
    """

    order: list[Value]
    data: list[float]
    grads: list[float]
    labels: list[str]

    @classmethod
    def take(cls, root: Value, order: list[Value] | None = None) -> GraphSnapshot:
        """Record data, grad and label of every node ``root`` depends on."""
        if order is None:
            order = topological_order(root)
        return cls(
            order,
            [node.data for node in order],
            [node.grad for node in order],
            [node.label for node in order],
        )

    def build(self) -> Value:
        """A new graph with the same ops, kinds and recorded numbers; returns its output."""
        return self.build_nodes()[-1]

    def build_nodes(self, *, keep_names: bool = False) -> list[Value]:
        """The copy's nodes, position for position with ``order`` (the output is last).

        Nodes are made in the recorded topological order, so the copy's order (and every
        export of it) is the same as the original's. An unlabeled node is called ``#<id>``
        and the copy's ids are new; ``keep_names`` labels such nodes with the original's
        name, so messages about the copy name the nodes the learner sees (exports number
        unlabeled nodes by position instead, so they leave it off).
        """
        names = node_names(self.order) if keep_names else {}
        copies: dict[Value, Value] = {}
        for node, data, grad, label in zip(
            self.order, self.data, self.grads, self.labels, strict=True
        ):
            parents = tuple(copies[parent] for parent in node._prev)
            if keep_names and not label and node.kind != CONSTANT:
                label = names[node]
            copy = Value(data, parents, node._op, label, kind=node.kind)
            copy.grad = grad
            if node.has_custom_backward:
                copy._backward = copied_backward(node, copy)
            copies[node] = copy
        return list(copies.values())


def copy_graph(root: Value) -> Value:
    """A separate copy of ``root``'s graph, with its current data and grads."""
    return GraphSnapshot.take(root).build()


def full_gradients(root: Value) -> None:
    """Replace every grad by the result of one ``backward()`` from zero."""
    for node in topological_order(root):
        node.grad = 0.0
    backward(root)


def copied_backward(original: Value, copy: Value) -> Callable[[], None]:
    """A ``_backward`` for ``copy``, a copy of a custom-op node ``original``: the original's
    own function, run on the copy's numbers.

    A custom op's function is a closure over the original nodes (``x.grad += ... *
    out.grad``), so it cannot simply be given to the copy. This one lends the copy's data and
    grads to the original and its operands, runs the original's function, takes the
    operands' new grads back to the copy's, and puts the originals back as they were.
    """
    function = original._backward

    def _backward() -> None:
        pairs = [(original, copy), *zip(original._prev, copy._prev, strict=True)]
        saved = [(node.data, node.grad) for node, _ in pairs]
        try:
            for node, twin in pairs:
                node.data, node.grad = twin.data, twin.grad
            function()
            for node, twin in pairs[1:]:
                twin.grad = node.grad
        finally:
            for (node, _), (data, grad) in zip(pairs, saved, strict=True):
                node.data, node.grad = data, grad

    return _backward
