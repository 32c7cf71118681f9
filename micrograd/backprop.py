"""An older home of the engine's backward pass and the Stepper, kept so that code importing
from it still works. ``backward()``, ``zero_grad()`` and ``topological_order()`` now live
with ``Value`` in ``micrograd.value``; the Stepper in ``micrograd.stepper``."""

from micrograd.stepper import (
    BACKWARD,
    FORWARD,
    BackwardStep,
    ForwardStep,
    GradTerm,
    Step,
    Stepper,
    recompute,
)
from micrograd.value import backward, topological_order, zero_grad

__all__ = [
    "BACKWARD",
    "FORWARD",
    "BackwardStep",
    "ForwardStep",
    "GradTerm",
    "Step",
    "Stepper",
    "backward",
    "recompute",
    "topological_order",
    "zero_grad",
]
