# Division and powers, with a Value as exponent too
x = 3.0
y = 2.0
q = x / y
p = x**2 + y**x
r = p / (q + 1)
s = r**0.5 - exp(-q)
