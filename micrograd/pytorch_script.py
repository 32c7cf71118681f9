"""The video's cross-check: a graph written as a PyTorch script that checks our gradients.

Karpathy checks micrograd by building the same neuron in PyTorch (``double()`` leaves with
``requires_grad = True``), calling ``backward()`` and comparing the grads. ``iter_pytorch``
writes that script for any graph: every leaf (inputs, parameters and constants, which get a
grad here as in the video) as a one-element float64 tensor (made float64 at once, not
through float32 as ``torch.Tensor([...]).double()`` is, so the numbers are exactly ours),
every op as PyTorch's own, then ``backward()`` and a table of each leaf's grad from PyTorch
beside ours, with the difference.

The script imports nothing but ``torch`` and ``math``; this project does not depend on torch.
Node names are written only in comments and string literals (``repr``), so any label is safe;
the variables are ``v0 ... vN`` by topological position.

    >>> from micrograd import Value
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> d = a * b; d.label = 'd'
    >>> script = ''.join(iter_pytorch(d))
    >>> print([line for line in script.splitlines() if line.startswith('v')][2])
    v2 = v0 * v1  # d = a * b
    >>> 'import torch' in script and "('a', v0, -3.0)" in script
    True
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from micrograd.formulas import node_names
from micrograd.ops import table_op
from micrograd.value import Value, backward, topological_order

__all__ = ["TORCH_OPS", "UnsupportedGraphError", "iter_pytorch"]


class UnsupportedGraphError(Exception):
    """The graph has a node the format cannot write (an op of the user's own)."""


#: Each op of the table as PyTorch code over the operands' variables.
TORCH_OPS: dict[str, str] = {
    "+": "{0} + {1}",
    "-": "{0} - {1}",
    "*": "{0} * {1}",
    "/": "{0} / {1}",
    "**": "{0} ** {1}",
    "neg": "-{0}",
    "tanh": "{0}.tanh()",
    "exp": "{0}.exp()",
    "log": "{0}.log()",
    "relu": "{0}.relu()",
    "sigmoid": "{0}.sigmoid()",
    "sin": "{0}.sin()",
    "cos": "{0}.cos()",
}


def _literal(number: float) -> str:
    """A float as Python source that reads back exactly (``math.inf`` for ``inf``)."""
    if math.isnan(number):
        return "math.nan"
    if math.isinf(number):
        return "math.inf" if number > 0 else "-math.inf"
    return repr(float(number))


def _comment(text: str) -> str:
    """``text`` fit for a one-line comment: characters that are not printable escaped."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _our_grads(order: list[Value]) -> list[float]:
    """Every node's grad after one ``backward()`` from zero (whatever the graph held, so
    ``export --no-backward`` compares the same numbers); the graph is put back as it was."""
    saved = [(node.data, node.grad) for node in order]
    try:
        for node in order:
            node.grad = 0.0
        backward(order[-1])
        return [node.grad for node in order]
    finally:
        for node, (data, grad) in zip(order, saved, strict=True):
            node.data = data
            node.grad = grad


_TABLE = '''
# Each leaf's grad: PyTorch's, micrograd's, and the difference (0 where both agree, nan too).
print(f"{'leaf':<16} {'pytorch':>24} {'micrograd':>24} {'difference':>10}")
largest = 0.0
for name, leaf, ours in MICROGRAD:
    theirs = leaf.grad.item()
    same = theirs == ours or (math.isnan(theirs) and math.isnan(ours))
    difference = 0.0 if same else abs(theirs - ours)
    if not difference <= largest:
        largest = difference
    print(f"{name:<16} {theirs!r:>24} {ours!r:>24} {difference:>10.2g}")
print(f"largest difference: {largest:.2g}")
'''


def iter_pytorch(root: Value) -> Iterator[str]:
    """Lines of a Python script that builds ``root``'s graph with PyTorch, runs
    ``backward()`` and prints each leaf's grad beside micrograd's (see the module's text).

    Raises ``UnsupportedGraphError`` for a node with an op of the user's own (its backward is
    Python code the script cannot repeat)."""
    order = topological_order(root)
    for node in order:
        if node._prev and (node.has_custom_backward or table_op(node._op, len(node._prev))
                           is None or node._op not in TORCH_OPS):
            raise UnsupportedGraphError(
                f"node {node.label or node._op!r} has an op of its own ({node._op!r}, a custom "
                "_backward): PyTorch cannot repeat it")
    names = [_comment(name) for name in node_names(order).values()]
    raw = list(node_names(order).values())
    index = {node: i for i, node in enumerate(order)}
    grads = _our_grads(order)
    out = len(order) - 1
    yield (f"# {names[out]}, built again with PyTorch: the video's cross-check of micrograd.\n"
           "# Written by `micrograd-tui export -f pytorch`; run it where torch is installed\n"
           "# (pip install torch). Each leaf is a float64 tensor with requires_grad = True,\n"
           "# each op is PyTorch's own; backward() then gives the grads to compare.\n")
    yield "import math\n\nimport torch\n\n"
    yield ("# The leaves: inputs, parameters and constants (a constant gets a grad too).\n"
           "# float64 from the start: the video's torch.Tensor([...]).double() passes through\n"
           "# float32 first (b = 6.8813735870195432 becomes 6.881373405456543), which is why its\n"
           "# o is 0.7071066904050358 and not 0.7071067811865476.\n")
    for i, node in enumerate(order):
        if not node._prev:
            yield (f"v{i} = torch.tensor([{_literal(node.data)}], dtype=torch.float64, "
                   f"requires_grad=True)  # {names[i]}\n")
    yield "\n# The ops, in topological order.\n"
    for i, node in enumerate(order):
        if node._prev:
            operands = [f"v{index[parent]}" for parent in node._prev]
            op = table_op(node._op, len(operands))
            formula = op.format(*(names[index[p]] for p in node._prev)) if op else node._op
            yield f"v{i} = {TORCH_OPS[node._op].format(*operands)}  # {names[i]} = {formula}\n"
    yield f"v{out}.backward()\n\n"
    yield f"OUTPUT = ({raw[out]!r}, v{out}, {_literal(root.data)})\n"
    yield ('print(f"output {OUTPUT[0]}: pytorch {OUTPUT[1].item()!r}, '
           'micrograd {OUTPUT[2]!r}")\n')
    yield "\n# (name, the leaf's tensor, micrograd's grad)\nMICROGRAD = [\n"
    for i, node in enumerate(order):
        if not node._prev:
            yield f"    ({raw[i]!r}, v{i}, {_literal(grads[i])}),\n"
    yield "]\n"
    yield _TABLE
