"""The classic micrograd import path: ``from micrograd.engine import Value``."""

from micrograd.value import Value

__all__ = ["Value"]
