"""A closure-per-node engine, for comparison only: the design this project moved away from.

Each node keeps a ``_backward`` closure that refers back to the node, so every graph is a
reference cycle that only the cyclic garbage collector frees, and ``backward()`` sorts the
graph recursively. Written here, in the style of the classic teaching engines, to measure
what those two choices cost on this machine; nothing in ``micrograd`` uses it.
"""

from __future__ import annotations

import math


class ClosureValue:
    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, ClosureValue) else ClosureValue(other)
        out = ClosureValue(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, ClosureValue) else ClosureValue(other)
        out = ClosureValue(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = ClosureValue(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t * t) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        topo, visited = [], set()

        def build(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build(child)
                topo.append(v)

        build(self)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()
