# A 2-2-1 network written out by hand, with a squared-error loss against target 1.0
x1 = 0.5; x2 = -1.5
w11 = 0.3; w12 = -0.8; b1 = 0.1
w21 = -0.6; w22 = 0.4; b2 = -0.2
v1 = 0.9; v2 = -0.7; c = 0.05
h1 = tanh(x1*w11 + x2*w12 + b1)
h2 = tanh(x1*w21 + x2*w22 + b2)
out = h1*v1 + h2*v2 + c
loss = (out - 1.0)**2
