# A node used twice gets the sum of both gradients: dc/da = 4
a = 3.0
b = a + a
c = b + b
