# The same neuron with tanh written out from exp, as the video does next:
# tanh(n) = (e**(2n) - 1) / (e**(2n) + 1). More nodes, the same gradients.
# `python examples/video_neuron_exp.py` runs it;
# `micrograd-tui examples/video_neuron_exp.py` opens it.
from micrograd.engine import Value

# inputs x1, x2
x1 = Value(2.0, label='x1')
x2 = Value(0.0, label='x2')
# weights w1, w2
w1 = Value(-3.0, label='w1')
w2 = Value(1.0, label='w2')
# bias of the neuron
b = Value(6.8813735870195432, label='b')
# x1*w1 + x2*w2 + b
x1w1 = x1*w1; x1w1.label = 'x1*w1'
x2w2 = x2*w2; x2w2.label = 'x2*w2'
x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = 'x1*w1 + x2*w2'
n = x1w1x2w2 + b; n.label = 'n'
# ----
e = (2*n).exp(); e.label = 'e'
o = (e - 1) / (e + 1)
# ----
o.label = 'o'

o.backward()
# The same as with n.tanh(): x1.grad = -1.5, w1.grad = 1.0
print(f"o = {o.data:.4f}, x1.grad = {x1.grad:.4f}, w1.grad = {w1.grad:.4f}")
