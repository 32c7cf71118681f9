"""``Value``: one scalar in a computation graph, with its gradient.

A Value remembers the op that made it (``_op``) and its operands (``_prev``, an ordered
tuple that keeps duplicates: ``x * x`` has parents ``(x, x)``). How an op computes and
differentiates lives in the op table (``micrograd.ops``); a Value holds no closure, so a graph
has no reference cycles and is freed the moment it is dropped.

    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> d = a * b
    >>> d.backward()
    >>> a.grad, b.grad
    (-3.0, 2.0)
"""

from __future__ import annotations

import itertools
import numbers
from typing import Any

from micrograd.errors import MathError
from micrograd.fmt import fmt_number
from micrograd.ops import OPS, Op

# Every Value gets the next number: ids follow creation order, so a node's operands always
# have smaller ids than the node, and sorting by id is a topological order.
_next_id = itertools.count().__next__

#: The kinds of node. A leaf is an input (made by the user), a parameter (a weight or bias
#: of ``micrograd.nn``) or a constant (a plain number an operator wrapped, as in ``a + 1``).
INPUT, PARAMETER, CONSTANT, OPERATION = "input", "parameter", "constant", "operation"
KINDS = (INPUT, PARAMETER, CONSTANT, OPERATION)


class Value:
    """A scalar with a gradient, and the op and operands that produced it."""

    __slots__ = ("data", "grad", "label", "_prev", "_op", "_id", "_kind")

    def __init__(
        self,
        data: float,
        _children: tuple[Value, ...] = (),
        _op: str = "",
        label: str = "",
        _label: str | None = None,
        kind: str | None = None,
    ) -> None:
        if type(data) is not float:
            data = _as_float(data)
        if type(_children) is not tuple:
            _children = tuple(_children)
        self.data = data
        self.grad = 0.0
        self.label = label if _label is None else _label
        self._prev = _children
        self._op = _op
        self._id = _next_id()
        if kind is None:
            kind = OPERATION if _op else INPUT
        elif kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
        self._kind = kind

    # --- identity ------------------------------------------------------------------------

    @property
    def id(self) -> int:
        """A stable number in creation order, unique in this process."""
        return self._id

    @property
    def kind(self) -> str:
        """``'input'``, ``'parameter'``, ``'constant'`` or ``'operation'``."""
        return self._kind

    @property
    def name(self) -> str:
        """How formulas refer to this node: its label, a constant's value, or ``#id``.

        The Stepper and the exports number unlabeled nodes by their place in their own graph
        instead (``node_name``), so that the names do not depend on what else was built.
        """
        return node_name(self, self._id)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # --- arithmetic ------------------------------------------------------------------------

    def __add__(self, other: Value | float) -> Value:
        return _binary(OPS["+"], self, other)

    def __radd__(self, other: float) -> Value:
        return _binary(OPS["+"], other, self)

    def __sub__(self, other: Value | float) -> Value:
        return _binary(OPS["-"], self, other)

    def __rsub__(self, other: float) -> Value:
        return _binary(OPS["-"], other, self)

    def __mul__(self, other: Value | float) -> Value:
        return _binary(OPS["*"], self, other)

    def __rmul__(self, other: float) -> Value:
        return _binary(OPS["*"], other, self)

    def __truediv__(self, other: Value | float) -> Value:
        return _binary(OPS["/"], self, other)

    def __rtruediv__(self, other: float) -> Value:
        return _binary(OPS["/"], other, self)

    def __pow__(self, other: Value | float) -> Value:
        return _binary(OPS["**"], self, other)

    def __rpow__(self, other: float) -> Value:
        return _binary(OPS["**"], other, self)

    def __neg__(self) -> Value:
        return _unary(OPS["neg"], self)

    def __pos__(self) -> Value:
        return self

    # --- functions -------------------------------------------------------------------------

    def tanh(self) -> Value:
        return _unary(OPS["tanh"], self)

    def exp(self) -> Value:
        return _unary(OPS["exp"], self)

    def log(self) -> Value:
        return _unary(OPS["log"], self)

    def relu(self) -> Value:
        return _unary(OPS["relu"], self)

    def sigmoid(self) -> Value:
        return _unary(OPS["sigmoid"], self)

    def sin(self) -> Value:
        return _unary(OPS["sin"], self)

    def cos(self) -> Value:
        return _unary(OPS["cos"], self)

    # --- gradients -------------------------------------------------------------------------

    def _backward(self) -> None:
        """Apply this node's chain-rule step: add its share of ``self.grad`` to each parent."""
        from micrograd.backprop import chain_rule

        chain_rule(self)

    def backward(self) -> None:
        """Fill in ``grad`` on every node this Value depends on (see ``backprop.backward``)."""
        from micrograd.backprop import backward

        backward(self)

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 on every node of this Value's graph."""
        from micrograd.backprop import zero_grad

        zero_grad(self)


def node_name(node: Value, number: int) -> str:
    """A node's name: its label, a constant's value (``2.0``), or ``#number``."""
    if node.label:
        return node.label
    if node._kind == CONSTANT:
        return fmt_number(node.data)
    return f"#{number}"


def constant(data: float) -> Value:
    """A plain number as a leaf of kind ``'constant'``: the ``1`` in ``a + 1``."""
    return Value(data, kind=CONSTANT)


def _is_number(x: object) -> bool:
    return type(x) is float or type(x) is int or isinstance(x, numbers.Real)


def _as_float(data: Any) -> float:
    if isinstance(data, Value):
        raise TypeError("Value(...) needs a number, got a Value; use the Value itself")
    if not isinstance(data, numbers.Real):
        raise TypeError(f"Value(...) needs a real number, got {type(data).__name__} {data!r:.40}")
    return float(data)


def _binary(op: Op, a: Value | float, b: Value | float) -> Value:
    """Apply a binary op, wrapping a plain number operand as a constant."""
    if not isinstance(a, Value):
        if not _is_number(a):
            return NotImplemented
        a = _new(float(a), (), "", CONSTANT)
    if not isinstance(b, Value):
        if not _is_number(b):
            return NotImplemented
        b = _new(float(b), (), "", CONSTANT)
    try:
        data = op.forward(a.data, b.data)
    except MathError as error:
        raise type(error)(op.name, (a, b), error.reason) from None
    return _new(data, (a, b), op.name, OPERATION)


def _unary(op: Op, a: Value) -> Value:
    try:
        data = op.forward(a.data)
    except MathError as error:
        raise type(error)(op.name, (a,), error.reason) from None
    return _new(data, (a,), op.name, OPERATION)


# --- the fast path --------------------------------------------------------------------------
# Every op makes one node, so making it is the engine's hottest line. ``Value(...)`` checks what
# a user hands it; the operators already hold a float and a tuple, so they fill the slots
# directly. Same object, a third less time (docs/DESIGN.md, bench/RESULTS.md).

_allocate = object.__new__


def _new(data: float, parents: tuple[Value, ...], op: str, kind: str) -> Value:
    """A new node, as ``Value(data, parents, op)`` would make it, without the checks."""
    node = _allocate(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    node._prev = parents
    node._op = op
    node._id = _next_id()
    node._kind = kind
    return node
