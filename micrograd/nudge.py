"""What a gradient means: nudge a leaf by h and compare the output's change with grad * h.

    >>> from micrograd import Value
    >>> x = Value(3.0, label='x')
    >>> y = x * x; y.label = 'y'
    >>> result = nudge(y, x, 0.01)
    >>> result.text()
    'Δy = 0.0601, grad * h = 0.06 (x: 3.0 → 3.01) · Δy/h = 6.01, grad 6.0'

The video's table, one row an h: the slope by nudging comes closer to the grad as h
shrinks (the leaf and the graph are left as they were):

    >>> x.data = 3.0
    >>> for row in slope_table(y, x, (0.1, 0.01, 0.001)):
    ...     print(row)
    h = 0.1:  (y(x+h) - y(x))/h = 6.1  error 0.1
    h = 0.01:  (y(x+h) - y(x))/h = 6.01  error 0.01
    h = 0.001:  (y(x+h) - y(x))/h = 6.001  error 0.001
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
        """``Δo = 0.0101, grad * h = 0.01 (x1: 2.0 → 2.01) · Δo/h = 1.01, grad 1.0``;
        ``names`` as the Stepper's. Δ and grad * h get the digits that tell them apart
        (``digits_apart``), so a smaller h is seen to come closer."""
        names = names or {}
        output = names.get(self.output) or self.output.name
        leaf = names.get(self.leaf) or self.leaf.name
        digits = digits_apart(self.measured, self.predicted)
        return (
            f"Δ{output} = {fmt_number(self.measured, digits)}, "
            f"grad * h = {fmt_number(self.predicted, digits)} "
            f"({leaf}: {fmt_number(self.leaf_before)} → {fmt_number(self.leaf.data)}) · "
            f"Δ{output}/h = {fmt_number(self.measured / self.h, digits)}, "
            f"grad {fmt_number(self.grad, digits)}"
        )


def digits_apart(a: float, b: float, digits: int = 4) -> int:
    """The fewest significant digits (``digits`` or more, at most 12) at which ``a`` and
    ``b`` are written differently, or 12 if they never are.

    >>> digits_apart(0.1403, 0.14), digits_apart(0.014003, 0.014), digits_apart(2.0, 2.0)
    (4, 5, 12)
    """
    for more in range(digits, 13):
        if fmt_number(a, more) != fmt_number(b, more):
            return more
    return 12


def slope_table(root: Value, leaf: Value, hs: tuple[float, ...] = (0.1, 0.01, 0.001, 0.0001),
                order: list[Value] | None = None) -> list[str]:
    """For each ``h``: ``(f(x+h) - f(x))/h`` and its distance from the grad, as the video's
    table; the graph is computed again at each point and left as it was (its data; grads
    are not touched). A point outside an op's domain is said in its row."""
    if order is None:
        order = topological_order(root)
    if leaf._prev:
        raise ValueError(f"{leaf.name} is not a leaf")
    saved = [node.data for node in order]
    grads = [node.grad for node in order]
    recompute(root, order)  # the point itself, whatever state the graph was left in
    zero_grad(root)
    backward(root)
    grad, start, x0 = leaf.grad, root.data, leaf.data
    out, x = root.name, leaf.name
    rows = []
    try:
        for h in hs:
            leaf.data = x0 + h
            try:
                recompute(root, order)
            except ArithmeticError as error:
                rows.append(f"h = {fmt_number(h)}:  {error}")
                continue
            slope = (root.data - start) / h
            rows.append(f"h = {fmt_number(h)}:  ({out}({x}+h) - {out}({x}))/h = "
                        f"{fmt_number(slope, digits_apart(slope, grad))}  "
                        f"error {fmt_number(abs(slope - grad), 2)}")
    finally:
        for node, data, g in zip(order, saved, grads, strict=True):
            node.data, node.grad = data, g
    return rows


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
