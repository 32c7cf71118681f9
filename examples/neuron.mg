# The classic neuron from the video: o = tanh(x1*w1 + x2*w2 + b)
# b is chosen so that n = 0.8814 and o = tanh(n) = 0.7071.
x1 = 2.0; x2 = 0.0
w1 = -3.0; w2 = 1.0
b = 6.8813735870195432
x1w1 = x1*w1
x2w2 = x2*w2
x1w1x2w2 = x1w1 + x2w2
n = x1w1x2w2 + b
o = tanh(n)
