"""What a node shows at one moment of the timeline, as plain text.

The terminal's canvas and node table, the SVG drawing of a step (``draw.draw_step``) and the
notebook widget all read these functions, so "not computed yet" (``?``), "no gradient yet"
(``·``), the sign of a gradient, the step's node and the nodes it changed are decided in
one place.

    >>> from micrograd import Value
    >>> from micrograd.stepper import Stepper
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> d = a * b; d.label = 'd'
    >>> s = Stepper(d)
    >>> node_view(s, d).data, node_view(s, d).grad, position_text(s)
    ('?', '·', 'start · 3 steps')
    >>> s.seek(3)
    >>> node_view(s, a).grad, node_view(s, a).grad_state, position_text(s)
    ('-3.0', 'negative', 'backward · step 3 of 3')
    >>> sorted(s.names[n] for n in changed_nodes(s))
    ['a', 'b']
"""

from __future__ import annotations

from dataclasses import dataclass

from micrograd.fmt import fmt_number
from micrograd.stepper import BackwardStep, Stepper
from micrograd.value import CONSTANT, Value

__all__ = ["NOT_COMPUTED", "NO_GRAD", "NodeView", "changed_nodes", "current_node",
           "grad_state", "node_view", "plural", "position_text"]

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
    """``'none'`` before any gradient reached ``node``, else the sign of its grad."""
    if not stepper.grad_touched(node):
        return "none"
    if node.grad > 0:
        return "positive"
    if node.grad < 0:
        return "negative"
    return "zero"


def node_view(stepper: Stepper, node: Value) -> NodeView:
    """What ``node`` shows at the stepper's position: a number only once the timeline has
    reached it."""
    computed = stepper.is_computed(node)
    state = grad_state(stepper, node)
    return NodeView(
        name=stepper.names[node],
        op=node._op or ("const" if node.kind == CONSTANT else ""),
        kind=node.kind,
        data=fmt_number(node.data) if computed else NOT_COMPUTED,
        grad=NO_GRAD if state == "none" else fmt_number(node.grad),
        computed=computed,
        grad_state=state,
    )


def current_node(stepper: Stepper) -> Value | None:
    """The node the last step visited (the step's highlight), None at the start."""
    step = stepper.current
    return step.node if step is not None else None


def changed_nodes(stepper: Stepper) -> set[Value]:
    """The nodes the current step wrote to besides its own: a backward step's operands."""
    step = stepper.current
    if isinstance(step, BackwardStep):
        return {term.parent for term in step.terms}
    return set()


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 node``, ``2 nodes``, ``1,000 nodes``."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def position_text(stepper: Stepper) -> str:
    """``forward · step 3 of 11`` or ``start · 11 steps``."""
    if stepper.at_start:
        return f"start · {plural(len(stepper), 'step')}"
    return f"{stepper.phase} · step {stepper.position} of {len(stepper)}"
