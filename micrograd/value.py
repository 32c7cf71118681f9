"""``Value``: one scalar in a computation graph, with its gradient, and ``backward()``.

This file is the engine, as Karpathy's ``engine.py`` is: a Value remembers the op that made
it (``_op``) and its one or two operands (``_prev``, an ordered tuple that keeps duplicates:
``x * x`` has parents ``(x, x)``), and ``backward()`` walks the graph from the output back to
the inputs, applying the chain rule at every node. How each op computes and differentiates
lives in the op table (``micrograd.ops``), so a node holds no closure of its own: a graph has
no reference cycles and is freed the moment it is dropped.

    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> d = a * b
    >>> d.backward()
    >>> a.grad, b.grad
    (-3.0, 2.0)

The video's way of adding an op works too: make the node, then assign its ``_backward``.

    >>> import math
    >>> x = Value(0.5, label='x')
    >>> t = math.tanh(x.data)
    >>> out = Value(t, (x,), 'tanh2')
    >>> def _backward():
    ...     x.grad += (1 - t**2) * out.grad
    >>> out._backward = _backward
    >>> out.backward()
    >>> round(x.grad, 4)
    0.7864
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from micrograd.errors import MathError
from micrograd.fmt import fmt_number
from micrograd.ops import OPS, Op

# Every Value gets the next number: ids follow creation order, so a node's operands always
# have smaller ids than the node, and sorting by id is a topological order.
_next_id = itertools.count().__next__
_by_id = attrgetter("_id")

#: The kinds of node. A leaf is an input (made by the user), a parameter (a weight or bias
#: of ``micrograd.nn``: a ``Parameter``) or a constant (a plain number an operator wrapped,
#: as in ``a + 1``: a ``Constant``). Constants get gradients like any leaf, as in the video's
#: drawings; the kind is for display.
INPUT, PARAMETER, CONSTANT, OPERATION = "input", "parameter", "constant", "operation"
KINDS = (INPUT, PARAMETER, CONSTANT, OPERATION)

#: Whether ``backward()`` applies the rules of ``+ - * relu tanh`` inline, without a call per
#: node (about twice as fast; a test checks they equal the op table's). A test that puts a
#: wrong rule into the op table turns this off, so that the op table is used for every node.
INLINE_RULES = True


@dataclass(frozen=True)
class CustomOp:
    """The op of a node whose ``_backward`` was assigned (the video's way of adding an op):
    its name, and the function that passes the node's gradient on."""

    name: str
    backward: Callable[[], None]


class Value:
    """A scalar with a gradient, and the op and operands that produced it.

    ``Value(data, _children, _op)`` is classic micrograd's constructor; ``label=`` (or
    ``_label=``) names the node. ``kind='parameter'`` or ``kind='constant'`` makes a
    ``Parameter`` or a ``Constant``, the two kinds of leaf that are classes of their own.
    """

    # Seven slots and no more: a node is 104 bytes with its id and its two floats. The
    # operands live in two slots, not a tuple (``_prev`` gives the tuple): one object per
    # node instead of two, which keeps a training step's graph small for the cycle
    # collector. ``_operator`` is the op's name, or a ``CustomOp`` once ``_backward`` is
    # assigned; the kind of a leaf is its class.
    __slots__ = ("data", "grad", "label", "_a", "_b", "_operator", "_id")

    #: What a leaf of this class is; a node with operands is an operation whatever its class.
    _leaf_kind = INPUT

    def __new__(cls, *args: Any, kind: str | None = None, **kwargs: Any) -> Value:
        # Value(2.0, kind='parameter') is a Parameter, as Parameter(2.0) is.
        if cls is Value and kind in _LEAF_CLASSES:
            cls = _LEAF_CLASSES[kind]
        return object.__new__(cls)

    def __init__(
        self,
        data: float,
        _children: Iterable[Value] = (),
        _op: str = "",
        label: str = "",
        _label: str | None = None,
        kind: str | None = None,
    ) -> None:
        if type(data) is not float:
            data = _as_float(data)
        parents = tuple(_children)
        if len(parents) > 2:
            raise ValueError(f"a Value has at most two operands (an op takes one or two), "
                             f"got {len(parents)}")
        for parent in parents:
            if not isinstance(parent, Value):
                raise TypeError(f"the operands of a Value must be Values, got "
                                f"{type(parent).__name__} {parent!r:.40}")
        self.data = data
        self.grad = 0.0
        self.label = label if _label is None else _label
        self._a = parents[0] if parents else None
        self._b = parents[1] if len(parents) == 2 else None
        self._operator: str | CustomOp = _op
        self._id = _next_id()
        if kind is not None and kind != self.kind:
            if kind not in KINDS:
                raise ValueError(f"unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
            what = "an operation" if parents else "a leaf"
            raise ValueError(f"a node with {len(parents)} operands is {what}: "
                             f"it cannot have kind {kind!r}")

    # --- identity ------------------------------------------------------------------------

    @property
    def id(self) -> int:
        """A stable number in creation order, unique in this process."""
        return self._id

    @property
    def kind(self) -> str:
        """``'input'``, ``'parameter'``, ``'constant'`` or ``'operation'``."""
        return OPERATION if self._a is not None else self._leaf_kind

    @property
    def _op(self) -> str:
        """The name of the op that made this node (``'*'``, ``'tanh'``); ``''`` for a leaf."""
        op = self._operator
        return op if type(op) is str else op.name

    @_op.setter
    def _op(self, name: str) -> None:
        op = self._operator
        self._operator = name if type(op) is str else CustomOp(name, op.backward)

    @property
    def _prev(self) -> tuple[Value, ...]:
        """The operands, in order: ``()`` for a leaf, ``(x, x)`` for ``x * x``."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._a,)
        return (self._a, self._b)

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
    # + - * build their node directly: they are most of every graph. The others go through
    # the op table, whose forward functions raise a clear MathError where there is no result.

    def __add__(self, other: Value | float) -> Value:
        if type(other) is not Value:
            other = _operand(other)
            if other is NotImplemented:
                return NotImplemented
        return _new(self.data + other.data, self, other, "+")

    def __radd__(self, other: float) -> Value:
        other = _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return _new(other.data + self.data, other, self, "+")

    def __sub__(self, other: Value | float) -> Value:
        if type(other) is not Value:
            other = _operand(other)
            if other is NotImplemented:
                return NotImplemented
        return _new(self.data - other.data, self, other, "-")

    def __rsub__(self, other: float) -> Value:
        other = _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return _new(other.data - self.data, other, self, "-")

    def __mul__(self, other: Value | float) -> Value:
        if type(other) is not Value:
            other = _operand(other)
            if other is NotImplemented:
                return NotImplemented
        return _new(self.data * other.data, self, other, "*")

    def __rmul__(self, other: float) -> Value:
        other = _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return _new(other.data * self.data, other, self, "*")

    def __truediv__(self, other: Value | float) -> Value:
        return _binary(OPS["/"], self, other)

    def __rtruediv__(self, other: float) -> Value:
        return _binary(OPS["/"], other, self)

    def __pow__(self, other: Value | float) -> Value:
        return _binary(OPS["**"], self, other)

    def __rpow__(self, other: float) -> Value:
        return _binary(OPS["**"], other, self)

    def __neg__(self) -> Value:
        return _new(-self.data, self, None, "neg")

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
        data = self.data
        return _new(data if data > 0 else 0.0, self, None, "relu")

    def sigmoid(self) -> Value:
        return _unary(OPS["sigmoid"], self)

    def sin(self) -> Value:
        return _unary(OPS["sin"], self)

    def cos(self) -> Value:
        return _unary(OPS["cos"], self)

    # --- gradients -------------------------------------------------------------------------

    @property
    def _backward(self) -> Callable[[], None]:
        """This node's chain-rule step, as a function of no arguments (classic micrograd's
        name): it adds this node's share of ``self.grad`` to each operand's grad.

        Assign a function to it to give a node an op of your own, as the video does; then
        ``backward()``, the Stepper and the exports use that function for this node.
        """
        op = self._operator
        return self._chain_rule if type(op) is str else op.backward

    @_backward.setter
    def _backward(self, function: Callable[[], None]) -> None:
        if not callable(function):
            raise TypeError(f"_backward must be a function of no arguments, got "
                            f"{type(function).__name__}")
        self._operator = CustomOp(self._op, function)

    @property
    def has_custom_backward(self) -> bool:
        """Whether this node's ``_backward`` was assigned (a custom op, the video's way)."""
        return type(self._operator) is CustomOp

    def _chain_rule(self) -> None:
        """``a.grad += d(self)/da * self.grad`` for each operand, from the op table (or, for
        a custom op, by its own function)."""
        a = self._a
        if a is None:
            return  # a leaf passes nothing on
        if type(self._operator) is CustomOp:
            self._operator.backward()
            return
        try:
            op = OPS[self._op]
        except KeyError:
            raise ValueError(
                f"node {self.name} has op {self._op!r}, which is not in the op table; "
                f"assign its _backward to say how it passes its gradient on"
            ) from None
        grad = self.grad
        b = self._b
        if b is None:
            (da,) = op.local(a.data, self.data)
            a.grad += da * grad
        else:
            da, db = op.local(a.data, b.data, self.data)
            a.grad += da * grad
            b.grad += db * grad

    def backward(self) -> None:
        """Compute d(self)/d(node) for every node, adding into the leaves' ``grad``.

        It follows PyTorch's ``retain_graph=True``: calling it twice adds the gradients into
        the leaves again (every op node's grad starts from 0 each time). Call ``zero_grad()``
        between runs to start over.
        """
        nodes = _op_nodes_newest_first(self)
        # d(self)/d(self) = 1. A leaf keeps what earlier calls added, as every leaf does.
        if self._a is None:
            self.grad += 1.0
        else:
            self.grad = 1.0
        pass_back(nodes)

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 on every node of this Value's graph."""
        for node in topological_order(self):
            node.grad = 0.0


def pass_back(nodes: list[Value]) -> None:
    """Apply each node's chain-rule step, in the order given (``backward()`` gives reverse
    topological order, so a node's grad is complete before it is passed on)."""
    if not INLINE_RULES:
        for node in nodes:
            node._backward()
        return
    # The five ops of every MLP apply their rules here, without a call; each line is its op
    # table entry's rule (tests/micrograd/test_classic.py checks they agree on any floats).
    # A custom op's ``_operator`` is a CustomOp, equal to no name here: the last line runs it.
    for node in nodes:
        op = node._operator
        grad = node.grad
        a = node._a
        if op == "*":
            b = node._b
            a.grad += b.data * grad
            b.grad += a.data * grad
        elif op == "+":
            a.grad += grad
            node._b.grad += grad
        elif op == "relu":
            a.grad += (1.0 if a.data > 0 else 0.0) * grad
        elif op == "tanh":
            data = node.data
            a.grad += (1.0 - data * data) * grad
        elif op == "-":
            a.grad += grad
            node._b.grad += -1.0 * grad
        else:
            node._chain_rule()


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, each operand before the nodes that use it.

    Ids follow creation order and a node's operands exist before it does, so sorting the
    reachable nodes by id is a topological order, and the same one on every run. Nothing here
    recurses: a chain of a million nodes works.
    """
    seen = {root}
    stack = [root]
    nodes: list[Value] = []
    while stack:
        node = stack.pop()
        nodes.append(node)
        a = node._a
        if a is not None:
            if a not in seen:
                seen.add(a)
                stack.append(a)
            b = node._b
            if b is not None and b not in seen:
                seen.add(b)
                stack.append(b)
    nodes.sort(key=_by_id)
    return nodes


def backward(root: Value) -> None:
    """``root.backward()``, as a function."""
    root.backward()


def zero_grad(root: Value) -> None:
    """``root.zero_grad()``, as a function."""
    root.zero_grad()


def _op_nodes_newest_first(root: Value) -> list[Value]:
    """The op nodes ``root`` depends on (itself included), newest first, each with its grad
    reset to 0 as the walk reaches it. Leaves are not visited: backward only adds to them."""
    if root._a is None:
        return []
    root.grad = 0.0
    seen = {root}
    stack = [root]
    nodes = [root]
    while stack:
        node = stack.pop()
        a = node._a
        if a._a is not None and a not in seen:
            a.grad = 0.0
            seen.add(a)
            stack.append(a)
            nodes.append(a)
        b = node._b
        if b is not None and b._a is not None and b not in seen:
            b.grad = 0.0
            seen.add(b)
            stack.append(b)
            nodes.append(b)
    nodes.sort(key=_by_id, reverse=True)
    return nodes


class Parameter(Value):
    """A weight or a bias: a leaf that training moves (``torch.nn.Parameter`` is likewise a
    kind of tensor). ``micrograd.nn`` makes every weight and bias one."""

    __slots__ = ()
    _leaf_kind = PARAMETER


class Constant(Value):
    """A plain number in a graph: the ``1`` in ``a + 1``, wrapped by the operator. Shown
    dimmer and named by its value; it gets its gradient like any leaf, as in the video."""

    __slots__ = ()
    _leaf_kind = CONSTANT


_LEAF_CLASSES: dict[str, type[Value]] = {PARAMETER: Parameter, CONSTANT: Constant}


def node_name(node: Value, number: int) -> str:
    """A node's name: its label, a constant's value (``2.0``), or ``#number``."""
    if node.label:
        return node.label
    if type(node) is Constant:
        return fmt_number(node.data)
    return f"#{number}"


def constant(data: float) -> Value:
    """A plain number as a leaf of kind ``'constant'``: the ``1`` in ``a + 1``."""
    return Constant(data)


def _as_float(data: Any) -> float:
    if isinstance(data, Value):
        raise TypeError("Value(...) needs a number, got a Value; use the Value itself")
    if not isinstance(data, numbers.Real):
        raise TypeError(f"Value(...) needs a real number, got {type(data).__name__} {data!r:.40}")
    return float(data)


def _operand(x: object) -> Value:
    """An operator's other operand as a Value: a plain number becomes a constant leaf.
    Anything else gives ``NotImplemented``, so that Python tries the other side's operator."""
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int or isinstance(x, numbers.Real):
        node = _allocate(Constant)
        node.data = float(x)
        node.grad = 0.0
        node.label = ""
        node._a = node._b = None
        node._operator = ""
        node._id = _next_id()
        return node
    return NotImplemented


def _binary(op: Op, a: Value | float, b: Value | float) -> Value:
    """Apply a binary op from the op table, wrapping a plain number operand as a constant."""
    a = _operand(a)
    b = _operand(b)
    if a is NotImplemented or b is NotImplemented:
        return NotImplemented
    try:
        data = op.forward(a.data, b.data)
    except MathError as error:
        raise type(error)(op.name, (a, b), error.reason) from None
    return _new(data, a, b, op.name)


def _unary(op: Op, a: Value) -> Value:
    """Apply a unary op from the op table."""
    try:
        data = op.forward(a.data)
    except MathError as error:
        raise type(error)(op.name, (a,), error.reason) from None
    return _new(data, a, None, op.name)


# --- the fast path --------------------------------------------------------------------------
# Every op makes one node, so making it is the engine's hottest line. ``Value(...)`` checks what
# a user hands it; the operators already hold a float and their operands, so they fill the
# slots directly. Same object, a third less time (docs/DESIGN.md, bench/RESULTS.md).

_allocate = object.__new__


def _new(data: float, a: Value, b: Value | None, op: str) -> Value:
    """A new op node, as ``Value(data, (a, b), op)`` would make it, without the checks."""
    node = _allocate(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    node._a = a
    node._b = b
    node._operator = op
    node._id = _next_id()
    return node
