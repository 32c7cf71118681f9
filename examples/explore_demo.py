"""Build the video's neuron in Python and open it in the explorer.

    uv run python examples/explore_demo.py

The explorer opens at the start of the timeline; press space to step, ? for help, q to come
back here. Your Values are left as they were: the explorer works on a copy.
"""

import tui
from micrograd.engine import Value

x1 = Value(2.0, label="x1")
x2 = Value(0.0, label="x2")
w1 = Value(-3.0, label="w1")
w2 = Value(1.0, label="w2")
b = Value(6.8813735870195432, label="b")
x1w1 = x1 * w1; x1w1.label = "x1*w1"  # the video's style
x2w2 = x2 * w2; x2w2.label = "x2*w2"
n = x1w1 + x2w2 + b; n.label = "n"
o = n.tanh(); o.label = "o"

if __name__ == "__main__":
    tui.explore(o)
    o.backward()  # your own graph, untouched by the explorer until now
    print(f"back in Python: o = {o.data:.4f}, x1.grad = {x1.grad}, w1.grad = {w1.grad}")
