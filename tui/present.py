"""What a node looks like at the current position of the timeline, as plain text.

The canvas, the node table and the tests all read these functions, so "not computed yet",
"no gradient yet" and the sign of a gradient are decided in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from micrograd.bugs import BuggyStepper
from micrograd.fmt import fmt_number
from micrograd.stepper import Stepper
from micrograd.value import CONSTANT, Value

NOT_COMPUTED = "?"
NO_GRAD = "·"


@dataclass(frozen=True)
class NodeView:
    """The words and the category of one node's data and grad right now."""

    name: str
    op: str  # '' for a leaf, 'const' for a constant
    kind: str
    data: str
    grad: str
    computed: bool
    grad_state: str  # 'none' (not reached yet), 'zero', 'positive', 'negative'


def grad_state(stepper: Stepper, node: Value) -> str:
    if not stepper.grad_touched(node):
        return "none"
    if node.grad > 0:
        return "positive"
    if node.grad < 0:
        return "negative"
    return "zero"


def node_view(stepper: Stepper, node: Value) -> NodeView:
    computed = stepper.is_computed(node)
    state = grad_state(stepper, node)
    if state == "none":
        grad = NO_GRAD
    else:
        grad = fmt_number(node.grad)
    return NodeView(
        name=stepper.names[node],
        op=node._op or ("const" if node.kind == CONSTANT else ""),
        kind=node.kind,
        data=fmt_number(node.data) if computed else NOT_COMPUTED,
        grad=grad,
        computed=computed,
        grad_state=state,
    )


def grad_text(stepper: Stepper, node: Value, view: NodeView) -> str:
    """The node table's grad: with a bug on (``B``), at the end of the timeline, the right
    grad beside a wrong one: ``3.0 (true -3.0)``."""
    if isinstance(stepper, BuggyStepper):
        true = stepper.true_grad(node)
        if true is not None:
            return f"{view.grad} (true {fmt_number(true)})"
    return view.grad


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 node``, ``2 nodes``, ``1,000 nodes``."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def position_text(stepper: Stepper) -> str:
    """``forward · step 3 of 11`` or ``start · 11 steps``."""
    if stepper.at_start:
        return f"start · {plural(len(stepper), 'step')}"
    return f"{stepper.phase} · step {stepper.position} of {len(stepper)}"


def start_hint(stepper: Stepper) -> list[str]:
    """What the step log says before the first step: short enough for 80x24."""
    return [
        f"Nothing computed yet; the output is {stepper.names[stepper.root]}.",
        "space: compute each value in turn (forward), then pass the grads back "
        "(backward). ? lists every key.",
    ]


# A formula breaks before each " = " and before its running total "   (a.grad: ...)".
_BREAK = re.compile(r"( )(?== )|(   )(?=\()")


def wrap_formula(line: str, width: int, indent: str = "  ") -> list[str]:
    """``line`` in rows of at most ``width`` cells, broken where a reader would break it:
    before an ``=`` or the running total, continuation rows indented. A part too long for
    a row breaks at spaces, and a word longer than a row is cut.

        >>> wrap_formula("a.grad += de/da * e.grad = b * e.grad = -3.0 * -2.0 = 6.0", 30)
        ['a.grad += de/da * e.grad', '  = b * e.grad = -3.0 * -2.0', '  = 6.0']
    """
    width = max(width, len(indent) + 4)
    if len(line) <= width:
        return [line]
    # (separator, text) tokens: the separator is kept when the token stays on the row.
    tokens: list[tuple[str, str]] = []
    parts = _BREAK.split(line)
    pieces = [(" ", parts[0])] + [
        (parts[k] or parts[k + 1], parts[k + 2]) for k in range(1, len(parts), 3)
    ]
    for separator, piece in pieces:
        if len(piece) + len(indent) <= width:
            tokens.append((separator, piece))
        else:
            words = piece.split(" ")
            tokens.append((separator, words[0]))
            tokens.extend((" ", word) for word in words[1:])
    rows: list[str] = []
    current = ""
    for separator, token in tokens:
        if not current:
            current = token if not rows else indent + token
        elif len(current) + len(separator) + len(token) <= width:
            current += separator + token
        else:
            rows.append(current)
            current = indent + token
        while len(current) > width:  # one word longer than a row: cut it
            rows.append(current[:width])
            current = indent + current[width:]
    if current.strip():
        rows.append(current)
    return rows
