"""A tiny neural-network library on top of ``Value``: Neuron, Layer, MLP, SGD and losses.

The API is Karpathy's micrograd ``nn.py``, so code written for it runs here:

    >>> model = MLP(2, [16, 16, 1], seed=0)
    >>> len(model.parameters())
    337
    >>> score = model([1.0, -0.5])   # one output, so one Value (not a list)

What this version adds is for the explorer: every parameter has kind ``'parameter'``, and
nodes carry labels that say where they belong (``L0.N3.w1`` is weight 1 of neuron 3 of layer
0, ``L0.N3.n`` its weighted sum, ``L0.N3`` its output).

Initial weights come from the ``random`` module, in classic micrograd's order (each neuron:
its weights uniform in (-1, 1), then its bias at 0), so ``random.seed(1337)`` before
``MLP(2, [16, 16, 1])`` gives classic micrograd's own starting weights. ``seed=`` (or
``rng=``) instead draws from a ``random.Random`` of the model's own, leaving the module's
state alone.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Protocol

from micrograd.value import CONSTANT, PARAMETER, Value

#: Each activation by name; 'linear' means none: the output is the weighted sum itself.
ACTIVATIONS: dict[str, Callable[[Value], Value] | None] = {
    "tanh": Value.tanh,
    "relu": Value.relu,
    "sigmoid": Value.sigmoid,
    "linear": None,
}



class Uniform(Protocol):
    """Where initial weights come from: the ``random`` module or a ``random.Random``."""

    def uniform(self, a: float, b: float) -> float: ...


def _source(seed: int | None, rng: Uniform | None) -> Uniform:
    """``rng`` if given; else a ``random.Random(seed)`` for a seed; else the ``random``
    module itself, so that ``random.seed(...)`` decides, as in classic micrograd."""
    if rng is not None:
        return rng
    if seed is not None:
        return random.Random(seed)
    return random


# How __repr__ names a neuron with each activation, as classic micrograd does ("ReLUNeuron").
_REPR_NAMES = {"tanh": "Tanh", "relu": "ReLU", "sigmoid": "Sigmoid", "linear": "Linear"}


class Module:
    """Anything with parameters: a neuron, a layer, a whole network."""

    def zero_grad(self) -> None:
        """Forget old gradients before the next backward(), which adds into them."""
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        return []


class Neuron(Module):
    """One neuron: ``activation(w0*x0 + w1*x1 + ... + b)``.

    ``nonlin`` is classic micrograd's switch (ReLU or nothing); ``activation`` picks one by
    name and wins when both are given. Weights start uniform in (-1, 1) and the bias at 0,
    as in classic micrograd, drawn from ``rng`` if given, else from ``random.Random(seed)``
    for a seed, else from the ``random`` module.
    """

    def __init__(
        self,
        nin: int,
        nonlin: bool = True,
        *,
        activation: str | None = None,
        seed: int | None = None,
        rng: Uniform | None = None,
        name: str = "",
    ) -> None:
        if nin < 1:
            raise ValueError(f"a neuron needs at least 1 input, got nin={nin}")
        if activation is None:
            activation = "relu" if nonlin else "linear"
        check_activation(activation)
        rng = _source(seed, rng)
        self.activation = activation
        self.name = name
        # 'L0.N3.' for a named neuron, so its nodes read L0.N3.w0, L0.N3.b, L0.N3.n.
        prefix = f"{name}." if name else ""
        self.w = [
            Value(rng.uniform(-1, 1), label=f"{prefix}w{i}", kind=PARAMETER) for i in range(nin)
        ]
        self.b = Value(0.0, label=f"{prefix}b", kind=PARAMETER)
        self._sum_label = f"{prefix}n"
        self._out_label = name or "out"

    @property
    def nonlin(self) -> bool:
        """Whether there is an activation at all (classic micrograd's attribute)."""
        return self.activation != "linear"

    def __call__(self, x: Sequence[Value | float] | Value | float) -> Value:
        x = _as_inputs(x)
        if len(x) != len(self.w):
            raise ValueError(f"{self._what()} takes {len(self.w)} inputs, got {len(x)}")
        return self._forward(x)

    def _forward(self, x: list[Value]) -> Value:
        """The neuron on inputs already checked (a layer checks them once for all)."""
        # w0*x0 + w1*x1 + ... + b, added from the first product on (not from 0, as sum()
        # would), which keeps the graph free of a stray constant 0.
        w = self.w
        n = w[0] * x[0]
        for i in range(1, len(w)):
            n = n + w[i] * x[i]
        n = n + self.b
        n.label = self._sum_label
        act = ACTIVATIONS[self.activation]
        out = n if act is None else act(n)
        out.label = self._out_label  # a linear neuron's output is its sum: named as output
        return out

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def _what(self) -> str:
        return f"neuron {self.name}" if self.name else repr(self)

    def __repr__(self) -> str:
        return f"{_REPR_NAMES[self.activation]}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons that all read the same inputs.

    Neurons are named ``f'{name}.N{j}'`` (``L0.N3``), or ``N{j}`` in a layer without a name.
    One random generator serves all of them, so they start with different weights. Extra
    keyword arguments (``nonlin``, ``activation``) go to every neuron.
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        *,
        name: str = "",
        seed: int | None = None,
        rng: Uniform | None = None,
        **kwargs: object,
    ) -> None:
        if nout < 1:
            raise ValueError(f"a layer needs at least 1 neuron, got nout={nout}")
        rng = _source(seed, rng)
        self.name = name
        prefix = f"{name}." if name else ""
        self.neurons = [
            Neuron(nin, rng=rng, name=f"{prefix}N{j}", **kwargs)  # type: ignore[arg-type]
            for j in range(nout)
        ]

    def forward(self, x: Sequence[Value | float] | Value | float) -> list[Value]:
        """Every neuron's output, always as a list."""
        x = _as_inputs(x)
        nin = len(self.neurons[0].w)
        if len(x) != nin:
            what = f"layer {self.name}" if self.name else "this layer"
            raise ValueError(f"{what} takes {nin} inputs, got {len(x)}")
        return [n._forward(x) for n in self.neurons]

    def __call__(self, x: Sequence[Value | float] | Value | float) -> Value | list[Value]:
        """The outputs; a single Value for a one-neuron layer (classic micrograd)."""
        out = self.forward(x)
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: layers ``L0``, ``L1``, ...; the last one is linear.

    ``MLP(2, [16, 16, 1])`` reads 2 inputs, has two hidden layers of 16 neurons with
    ``activation`` and one linear output neuron. Every layer draws from one source: the
    ``random`` module (``random.seed`` decides, as in classic micrograd), or with ``seed=``
    a ``random.Random(seed)`` of its own, so the same seed gives the same network.
    """

    def __init__(
        self, nin: int, nouts: Sequence[int], *, activation: str = "relu", seed: int | None = None
    ) -> None:
        if not nouts:
            raise ValueError("an MLP needs at least one layer: nouts is empty")
        check_activation(activation)
        rng = _source(seed, None)
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.activation = activation
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                name=f"L{i}",
                rng=rng,
                activation="linear" if i == last else activation,
            )
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Value | float] | Value | float) -> Value | list[Value]:
        """The network's outputs; a single Value when the last layer has one neuron."""
        for layer in self.layers:
            x = layer.forward(x)
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


class SGD:
    """Plain gradient descent: move every parameter a step ``lr`` against its gradient."""

    def __init__(self, parameters: Sequence[Value], lr: float = 0.01) -> None:
        if not lr > 0:  # also rejects nan
            raise ValueError(f"the learning rate must be > 0, got lr={lr}")
        self.parameters = list(parameters)
        self.lr = lr

    def step(self) -> None:
        for p in self.parameters:
            p.data -= self.lr * p.grad

    def zero_grad(self) -> None:
        for p in self.parameters:
            p.grad = 0.0


# --- losses ------------------------------------------------------------------------------


def mse(predictions: Sequence[Value], targets: Sequence[Value | float]) -> Value:
    """Mean squared error: the mean of ``(prediction - target)**2``."""
    _check_pairs(predictions, targets, "predictions", "targets")
    # d * d rather than d ** 2: the same value, without a constant exponent node per term.
    squares = [d * d for d in (p - t for p, t in zip(predictions, targets, strict=True))]
    return add_up(squares) / len(squares)


def max_margin_loss(scores: Sequence[Value], labels: Sequence[int]) -> Value:
    """The SVM max-margin loss: the mean of ``relu(1 - y * score)``, for labels y of -1 or +1.

    A point costs nothing once its score has the right sign with a margin of at least 1.
    """
    _check_pairs(scores, labels, "scores", "labels")
    _check_labels(labels)
    margins = [(1 - y * score).relu() for score, y in zip(scores, labels, strict=True)]
    return add_up(margins) / len(margins)


def l2(parameters: Sequence[Value], alpha: float = 1e-4) -> Value:
    """L2 regularisation, ``alpha * sum(p * p)``: a pull of every weight towards 0."""
    if not parameters:
        raise ValueError("l2 needs at least one parameter")
    if alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    return alpha * add_up([p * p for p in parameters])


def accuracy(scores: Sequence[Value | float], labels: Sequence[int]) -> float:
    """The fraction of points whose score has the label's sign (a score of 0 counts as -1)."""
    _check_pairs(scores, labels, "scores", "labels")
    _check_labels(labels)
    right = 0
    for score, y in zip(scores, labels, strict=True):
        s = score.data if isinstance(score, Value) else score
        right += (s > 0) == (y > 0)
    return right / len(scores)


# --- helpers -----------------------------------------------------------------------------


def add_up(values: Sequence[Value]) -> Value:
    """Add Values left to right, starting from the first rather than from a constant 0 (as
    ``sum()`` would), which keeps the graph free of a stray constant."""
    total = values[0]
    for v in values[1:]:
        total = total + v
    return total


def _as_inputs(x: Sequence[Value | float] | Value | float) -> list[Value]:
    """The inputs as Values; a plain number becomes a constant labeled ``x0``, ``x1``, ...

    Wrapping once means every neuron of a layer reads the same input node, as in a drawing of
    the network. A single number or Value counts as one input.
    """
    if isinstance(x, Value | int | float):
        x = [x]
    return [
        xi if isinstance(xi, Value) else Value(xi, label=f"x{i}", kind=CONSTANT)
        for i, xi in enumerate(x)
    ]


def parameter_count(sizes: Sequence[int]) -> int:
    """How many parameters ``MLP(sizes[0], sizes[1:])`` has: each neuron's weights and bias.

    >>> parameter_count([2, 16, 16, 1])
    337
    """
    return sum((nin + 1) * nout for nin, nout in zip(sizes, sizes[1:], strict=False))


def check_activation(activation: str) -> None:
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r} (activations: {', '.join(ACTIVATIONS)})"
        )


def _check_pairs(a: Sequence[object], b: Sequence[object], a_name: str, b_name: str) -> None:
    if len(a) == 0:
        raise ValueError(f"{a_name} is empty")
    if len(a) != len(b):
        raise ValueError(f"{len(a)} {a_name} but {len(b)} {b_name}: they must pair up")


def _check_labels(labels: Sequence[int]) -> None:
    for i, y in enumerate(labels):
        if y not in (-1, 1):
            raise ValueError(f"labels must be -1 or +1, got {y!r} at index {i}")
