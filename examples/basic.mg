# The README's first example: f = tanh(a*b + c)
a = 2.0
b = -3.0
c = 10.0
d = a*b
e = d + c
f = tanh(e)
