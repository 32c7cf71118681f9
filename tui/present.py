"""What the terminal shows of the timeline, as plain text: a wrong grad beside the true one
(a bug on), the start hint, and how a formula wraps on a narrow panel.

What a node shows at a moment (``?``, ``·``, the grad's sign) is the engine's
(``micrograd.moment``): the SVG drawing of a step and the notebook widget show it too.
"""

from __future__ import annotations

import re

from micrograd.bugs import BuggyStepper
from micrograd.fmt import fmt_number
from micrograd.moment import (  # the engine's: the notebook and the SVG drawing read them too
    NO_GRAD,
    NOT_COMPUTED,
    NodeView,
    grad_state,
    node_view,
    plural,
    position_text,
)
from micrograd.stepper import Stepper
from micrograd.value import Value

__all__ = ["NOT_COMPUTED", "NO_GRAD", "NodeView", "grad_state", "grad_text", "node_view",
           "plural", "position_text", "start_hint", "wrap_formula"]


def grad_text(stepper: Stepper, node: Value, view: NodeView) -> str:
    """The node table's grad: with a bug on (``B``), at the end of the timeline, the right
    grad beside a wrong one: ``3.0 (true -3.0)``."""
    if isinstance(stepper, BuggyStepper):
        true = stepper.true_grad(node)
        if true is not None:
            return f"{view.grad} (true {fmt_number(true)})"
    return view.grad


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
