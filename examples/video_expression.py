# The video's first expression: L = (a*b + c) * f, labeled as in the video.
# This file is Python: `python examples/video_expression.py` runs it, and
# `micrograd-tui examples/video_expression.py` reads it (without running it) and opens the graph.
from micrograd.engine import Value

a = Value(2.0, label='a')
b = Value(-3.0, label='b')
c = Value(10.0, label='c')
e = a*b; e.label = 'e'
d = e + c; d.label = 'd'
f = Value(-2.0, label='f')
L = d * f; L.label = 'L'

L.backward()
# By hand in the video: L.grad = 1, d.grad = f = -2, f.grad = d = 4,
# c.grad = e.grad = -2, a.grad = b * e.grad = 6, b.grad = a * e.grad = -4.
print(f"L = {L.data}, a.grad = {a.grad}, b.grad = {b.grad}")
