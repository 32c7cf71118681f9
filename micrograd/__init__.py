"""micrograd: an exact scalar autograd engine, small enough to read in one sitting.

    >>> from micrograd import Value
    >>> a = Value(2.0, label='a')
    >>> b = a * a + 1
    >>> b.backward()
    >>> a.grad
    4.0
"""

from micrograd.errors import MathDomainError, MathError, MathOverflowError, MathZeroDivisionError
from micrograd.stepper import Stepper, recompute
from micrograd.value import Value, backward, constant, topological_order, zero_grad

__version__ = "0.1.0"
#: Tells our package from others called micrograd (classic micrograd, a learner's own):
#: ``tui.clash`` reads it.
__distribution__ = "micrograd-tui"

__all__ = [
    "MathDomainError",
    "MathError",
    "MathOverflowError",
    "MathZeroDivisionError",
    "Stepper",
    "Value",
    "backward",
    "constant",
    "recompute",
    "topological_order",
    "zero_grad",
]
