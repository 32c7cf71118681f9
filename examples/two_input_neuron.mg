# The README's second example: a neuron with inputs 1 and 2 and bias 6.88137
x1 = 1.0; x2 = 2.0
w1 = -3.0; w2 = 1.0
b = 6.88137
z = x1*w1 + x2*w2 + b
o = tanh(z)
