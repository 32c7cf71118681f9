"""What a node looks like at the current position of the timeline, as plain text.

The canvas, the node table and the tests all read these functions, so "not computed yet",
"no gradient yet" and the sign of a gradient are decided in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from micrograd.backprop import Stepper
from micrograd.fmt import fmt_number
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
    if node.kind == CONSTANT or not stepper.grad_touched(node):
        return "none"
    if node.grad > 0:
        return "positive"
    if node.grad < 0:
        return "negative"
    return "zero"


def node_view(stepper: Stepper, node: Value) -> NodeView:
    computed = stepper.is_computed(node)
    state = grad_state(stepper, node)
    if node.kind == CONSTANT:
        grad = "—"
    elif state == "none":
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


def position_text(stepper: Stepper) -> str:
    """``forward · step 3 of 11`` or ``start · 11 steps``."""
    if stepper.at_start:
        return f"start · {len(stepper)} steps (forward {stepper.forward_steps}, "\
               f"backward {len(stepper) - stepper.forward_steps})"
    return f"{stepper.phase} · step {stepper.position} of {len(stepper)}"


def step_lines(stepper: Stepper) -> list[str]:
    """The current step's arithmetic, one line per parent, or a hint at the start."""
    step = stepper.current
    if step is None:
        root = stepper.root
        return [
            f"Nothing computed yet. The output is {stepper.names[root]}.",
            "Press space to compute the values one node at a time (the forward pass),",
            "then keep going to pass gradients back from the output (the backward pass).",
        ]
    lines = list(step.lines)
    if stepper.at_end:
        lines.append("Done: every gradient is in. Press home to start over.")
    return lines
