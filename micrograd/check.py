"""Numerical gradient check: do backward()'s gradients match central differences?

For a leaf ``x`` the slope of the output ``f`` is close to ``(f(x + s) - f(x - s)) / 2s``,
with an error that shrinks like ``s**2``. ``check_gradients`` computes that for every leaf by
nudging its data and re-evaluating the graph (``recompute``), and sets it beside the
gradient backward() gives. The graph is left exactly as it was: data and grads.

The step ``s`` is ``h`` scaled to the leaf, ``h * max(1, |x|)``: a fixed ``1e-6`` is lost in
rounding next to ``1e11`` (``1e11 + 1e-6 == 1e11``), while a relative step keeps the same
number of significant digits in the difference at every size.

    >>> from micrograd import Value
    >>> x = Value(3.0, label='x')
    >>> y = x * x + x
    >>> result = check_gradients(y)
    >>> result.rows[0].analytic, result.ok()
    (7.0, True)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from micrograd.errors import MathError
from micrograd.stepper import recompute
from micrograd.value import CONSTANT, Value, backward, topological_order

#: Gradients smaller than this are compared by absolute error (divided by ``SMALL``) instead
#: of relative error. Near zero a relative error means nothing: the numerical estimate carries
#: rounding noise of about ``1e-16 * |f| / h`` (1e-10 for h = 1e-6), and a true gradient of 0
#: against a noisy 1e-11 would be "100% wrong".
SMALL = 1e-3


@dataclass(frozen=True)
class GradRow:
    """One leaf: its gradient by backward() and by central differences, and how they differ.

    ``rel_error`` is ``|analytic - numerical| / max(|analytic|, |numerical|, SMALL)``: the
    relative error for gradients of size ``SMALL`` or more, a scaled absolute error below.
    When the graph cannot be evaluated at ``x + h`` or ``x - h`` (``log`` of a number that
    became negative), ``error`` holds the ``MathError`` and the numbers are nan.
    """

    leaf: Value
    analytic: float
    numerical: float
    abs_error: float
    rel_error: float
    error: MathError | None = None
    #: The step this leaf was nudged by: ``h * max(1, |x|)``.
    step: float = math.nan

    def ok(self, tol: float = 1e-4) -> bool:
        """Whether the two gradients agree within ``tol`` (never for nan or an error)."""
        return self.rel_error <= tol


@dataclass(frozen=True)
class GradCheck:
    """The result of ``check_gradients``: one row per leaf, in the order checked."""

    rows: list[GradRow]
    h: float

    @property
    def worst(self) -> GradRow | None:
        """The row with the largest relative error (nan counts as largest); None if no rows."""
        if not self.rows:
            return None
        return max(self.rows, key=lambda row: _nan_as_inf(row.rel_error))

    @property
    def failed(self) -> list[GradRow]:
        """The rows whose numerical gradient could not be computed."""
        return [row for row in self.rows if row.error is not None]

    def ok(self, tol: float = 1e-4) -> bool:
        """Whether every row agrees within ``tol``.

        1e-4 is loose enough for long chains of ops and strict enough to catch a wrong rule.
        A kink can fail honestly: at ``relu(0)`` the two sides' slopes differ.
        """
        return all(row.ok(tol) for row in self.rows)


def check_gradients(
    root: Value, leaves: Sequence[Value] | None = None, h: float = 1e-6,
    backward: Callable[[Value], None] = backward,
) -> GradCheck:
    """Compare backward()'s gradient of ``root`` with central differences, leaf by leaf.

    ``leaves`` defaults to every leaf of the graph that is not a constant (the variables),
    in topological order; a constant may be given too, as it has a gradient like any leaf.
    The data and grads of every node are restored afterwards, even when an op fails at a
    nudged point (that leaf's row then records the error). ``backward`` is the pass being
    checked: one of ``micrograd.bugs``' fails the check where its bug bites.
    """
    if not (h > 0 and math.isfinite(h)):
        raise ValueError(f"h must be a positive number, got {h}")
    order = topological_order(root)
    if leaves is None:
        leaves = [node for node in order if not node._prev and node.kind != CONSTANT]
    else:
        _check_leaves(leaves, order)

    saved = [(node, node.data, node.grad) for node in order]
    try:
        # A fresh backward: zero every grad first, since backward() adds into the leaves.
        for node in order:
            node.grad = 0.0
        backward(root)
        analytic = [leaf.grad for leaf in leaves]
        rows = [_row(root, order, leaf, a, h) for leaf, a in zip(leaves, analytic, strict=True)]
    finally:
        for node, data, grad in saved:
            node.data = data
            node.grad = grad
    return GradCheck(rows, h)


def step_for(x: float, h: float) -> float:
    """The step a leaf of value ``x`` is nudged by: ``h`` scaled to its size.

    >>> step_for(0.5, 1e-6), step_for(3.0, 1e-6), step_for(1e11, 1e-6)
    (1e-06, 3e-06, 100000.0)
    """
    return h * max(1.0, abs(x)) if math.isfinite(x) else math.nan


def _row(root: Value, order: list[Value], leaf: Value, analytic: float, h: float) -> GradRow:
    """Nudge ``leaf`` both ways, re-evaluate, and compare the slope with ``analytic``."""
    x = leaf.data
    step = step_for(x, h)
    nan = math.nan
    # Divide by the step actually taken: (x + s) - (x - s) is 2s only up to rounding.
    taken = (x + step) - (x - step)
    if not (taken > 0 and math.isfinite(taken)):
        error = MathError("check", (x,), f"{leaf.name} = {x} cannot be nudged by a finite step")
        return GradRow(leaf, analytic, nan, nan, nan, error, step)
    try:
        leaf.data = x + step
        recompute(root, order)
        f_plus = root.data
        leaf.data = x - step
        recompute(root, order)
        f_minus = root.data
    except MathError as error:
        return GradRow(leaf, analytic, nan, nan, nan, error, step)
    finally:
        leaf.data = x
    numerical = (f_plus - f_minus) / taken
    abs_error = abs(analytic - numerical)
    rel_error = abs_error / max(abs(analytic), abs(numerical), SMALL)
    return GradRow(leaf, analytic, numerical, abs_error, rel_error, step=step)


def _check_leaves(leaves: Sequence[Value], order: list[Value]) -> None:
    in_graph = set(order)
    for leaf in leaves:
        if leaf not in in_graph:
            raise ValueError(f"{leaf.name} is not part of the graph being checked")
        if leaf._prev:
            raise ValueError(
                f"{leaf.name} is made by an op ({leaf._op}); only leaves can be nudged"
            )


def _nan_as_inf(x: float) -> float:
    return math.inf if math.isnan(x) else x
