"""What a gradient means: nudge a leaf by h and compare the output's change with grad * h.

    >>> from micrograd import Value
    >>> x = Value(3.0, label='x')
    >>> y = x * x; y.label = 'y'
    >>> result = nudge(y, x, 0.01)
    >>> result.text()
    'Δy = 0.0601, grad * h = 0.06 (x: 3.0 → 3.01)'
"""

from __future__ import annotations

from dataclasses import dataclass

from micrograd.fmt import fmt_number
from micrograd.stepper import recompute
from micrograd.value import Value, backward, topological_order, zero_grad


@dataclass(frozen=True)
class Nudge:
    """One nudge: the leaf moved by ``h``, and the output moved by ``measured``."""

    leaf: Value
    output: Value
    h: float
    leaf_before: float
    output_before: float
    output_after: float
    grad: float  # d(output)/d(leaf) before the nudge

    @property
    def measured(self) -> float:
        return self.output_after - self.output_before

    @property
    def predicted(self) -> float:
        """The first-order prediction from the gradient: grad * h."""
        return self.grad * self.h

    def text(self, names: dict[Value, str] | None = None) -> str:
        """``Δo = 0.0101, grad * h = 0.01 (x1: 2.0 → 2.01)``; ``names`` as the Stepper's."""
        names = names or {}
        output = names.get(self.output) or self.output.name
        leaf = names.get(self.leaf) or self.leaf.name
        return (
            f"Δ{output} = {fmt_number(self.measured, 3)}, "
            f"grad * h = {fmt_number(self.predicted, 3)} "
            f"({leaf}: {fmt_number(self.leaf_before)} → {fmt_number(self.leaf.data)})"
        )


def nudge(root: Value, leaf: Value, h: float, order: list[Value] | None = None) -> Nudge:
    """Move ``leaf.data`` by ``h``, recompute the graph forward, and leave the gradients of
    the new point in every ``grad``.

    Raises ``ValueError`` for a node that is not a leaf, and ``MathError`` when the
    new point is outside an op's domain; the graph is then left as it was.
    """
    if leaf._prev:
        raise ValueError(f"{leaf.name} is not a leaf: nudge an input, a parameter or a constant")
    if order is None:
        order = topological_order(root)
    if leaf not in set(order):
        raise ValueError(f"{leaf.name} is not in the graph of {root.name}")
    grads_before = [node.grad for node in order]
    zero_grad(root)
    backward(root)
    grad = leaf.grad
    leaf_before, output_before = leaf.data, root.data
    leaf.data = leaf_before + h
    try:
        recompute(root, order)
    except ArithmeticError:
        leaf.data = leaf_before
        for node, before in zip(order, grads_before, strict=True):
            node.grad = before
        raise
    result = Nudge(leaf, root, h, leaf_before, output_before, root.data, grad)
    zero_grad(root)
    backward(root)
    return result
