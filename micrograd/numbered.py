"""A graph numbered by topological position: what the exports and the SVG drawing read.

One sort of the graph, and every node's number, name and summary from it, so that the text
formats, DOT, JSON, GraphML and the picture all call a node the same. Nodes are numbered
``0..n-1`` by position, never by ``Value.id`` (a counter over the whole process), so an
export of the same graph is the same text, also when the graph is built again.

    >>> from micrograd import Value
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> e = a * b
    >>> graph = NumberedGraph(e)
    >>> graph.names, graph.parents(2), graph.summary(2)
    (['a', 'b', '#2'], [0, 1], '#2 = -6.0 (grad 0.0) [a * b]')
"""

from __future__ import annotations

import re

from micrograd.fmt import fmt_number
from micrograd.formulas import local_rule, node_names
from micrograd.ops import table_op
from micrograd.value import Value, topological_order

__all__ = ["NumberedGraph", "printable", "xml_text"]


class NumberedGraph:
    """A graph in topological order, with nodes numbered by position: what every export reads.

    ``names`` are for text formats: the node's name with unprintable characters escaped
    (a label with a newline must not break a line).
    """

    def __init__(self, root: Value) -> None:
        self.root = root
        self.order = topological_order(root)
        self.index = {node: i for i, node in enumerate(self.order)}
        self.raw_names = list(node_names(self.order).values())
        self.names = [printable(name) for name in self.raw_names]

    def __len__(self) -> int:
        return len(self.order)

    def parents(self, i: int) -> list[int]:
        index = self.index
        return [index[parent] for parent in self.order[i]._prev]

    def summary_formula(self, i: int) -> str:
        """``#7 + b``: how node ``i`` is made from its operands ('' for a leaf)."""
        node = self.order[i]
        if not node._op:
            return ""
        operands = [self.names[p] for p in self.parents(i)]
        op = table_op(node._op, len(operands))
        return op.format(*operands) if op else f"{node._op}({', '.join(operands)})"

    def summary(self, i: int) -> str:
        """``n = 0.8814 (grad 0.5) [#7 + b]``: a node, its value, and how it was made."""
        node = self.order[i]
        how = self.summary_formula(i) or node.kind
        return f"{self.names[i]} = {fmt_number(node.data)} (grad {fmt_number(node.grad)}) [{how}]"

    def edge_label(self, i: int, position: int) -> str:
        """The local derivative an edge carries, in the graph's names and numbers:
        ``de/da = b = -3.0`` on the edge from ``a`` into ``e = a * b``. It says which edge
        is which where the order matters (``a - b``) or both are one node (``x * x``)."""
        node = self.order[i]
        op = table_op(node._op, len(node._prev))
        if op is None or node.has_custom_backward:
            return "custom _backward"  # an op of the user's own: its rule is code
        names = self.raw_names
        operands = [names[p] for p in self.parents(i)]
        inputs = [parent.data for parent in node._prev]
        try:
            value = op.local(*inputs, node.data)[position]
        except ArithmeticError:  # no derivative at this point: show the rule alone
            return local_rule(op, position, names[i], operands)
        return local_rule(op, position, names[i], operands, inputs, node.data, value)


def printable(text: str) -> str:
    """``text`` with characters that are not printable written as escapes: ``a\\nb``."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


# Characters XML 1.0 cannot hold at all, not even as &#...; references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` as XML character data, exactly as ElementTree escapes it, plus ``&#13;``.

    ElementTree writes a carriage return raw, and XML readers turn it into a newline, so
    it becomes a character reference. Characters XML cannot hold become U+FFFD.
    """
    text = _NOT_XML.sub("\ufffd", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text
