"""Ready-made graphs to open: the classic neuron, a neuron of any size, a small MLP.

Each preset is a plain function that returns a ``Program`` (see ``micrograd.expr``).
Neurons are written as expression-language text and then evaluated, so the app can show
their ``source`` and the learner can edit it. An MLP is built with ``micrograd.nn``; its
labels (``L0.N3.w0``) are not names the language accepts, so its ``source`` is ``''``.

    >>> classic_neuron().output.data
    0.7071067811865477
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Callable, Sequence
from dataclasses import replace

from micrograd.expr import Program, evaluate
from micrograd.nn import MLP, Module, add_up, check_activation, parameter_count
from micrograd.snapshot import copy_graph
from micrograd.value import CONSTANT, Value

#: The neuron from Karpathy's micrograd video: o = tanh(0.8814) = 0.7071.
CLASSIC_NEURON_SOURCE = """\
# the classic neuron: o = tanh(x1*w1 + x2*w2 + b), labeled as in the video
x1 = 2.0; x2 = 0.0
w1 = -3.0; w2 = 1.0
b = 6.8813735870195432
x1w1 = x1*w1; x2w2 = x2*w2
x1w1x2w2 = x1w1 + x2w2
n = x1w1x2w2 + b
o = tanh(n)
"""

#: Bounds that keep a preset small enough to look at and quick to build.
MAX_NEURON_INPUTS = 1000
MAX_MLP_PARAMETERS = 100_000

#: The losses ``mlp`` can end in.
LOSSES = ("mse", "sse")


def classic_neuron() -> Program:
    """The classic neuron, from its source text (so the app can show and edit it)."""
    return replace(evaluate(CLASSIC_NEURON_SOURCE), title="classic neuron")


def neuron(
    n_inputs: int = 2,
    activation: str = "tanh",
    *,
    inputs: Sequence[float] | None = None,
    weights: Sequence[float] | None = None,
    bias: float | None = None,
    seed: int = 0,
) -> Program:
    """One neuron, ``o = activation(x1*w1 + ... + xn*wn + b)``, written as program text.

    What is not given is drawn from ``random.Random(seed)``, uniform in (-1, 1) and rounded
    to 4 decimals so the source stays readable: first the weights, then the bias, then the
    inputs, always all of them, so a seed gives the same numbers whatever else is given.
    With ``activation='linear'`` the output is the sum itself: ``o = x1*w1 + ... + b``
    (``o = n`` would make no new node, which the language does not allow).

        >>> program = neuron(2, inputs=[1.0, 2.0], weights=[0.5, -0.5], bias=0.0)
        >>> program.output.label, program.output.data
        ('o', -0.46211715726000974)
    """
    _check_count(n_inputs, "n_inputs", MAX_NEURON_INPUTS)
    check_activation(activation)
    rng = random.Random(seed)
    drawn_weights = [_draw(rng) for _ in range(n_inputs)]
    drawn_bias = _draw(rng)
    drawn_inputs = [_draw(rng) for _ in range(n_inputs)]
    xs = drawn_inputs if inputs is None else _numbers(inputs, n_inputs, "inputs")
    ws = drawn_weights if weights is None else _numbers(weights, n_inputs, "weights")
    b = drawn_bias if bias is None else _number(bias, "bias")

    random_parts = inputs is None or weights is None or bias is None
    seeded = f", seed {seed}" if random_parts else ""
    title = f"neuron ({n_inputs} inputs, {activation}{seeded})"
    total = " + ".join(f"x{i}*w{i}" for i in range(1, n_inputs + 1)) + " + b"
    lines = [f"# {title}"]
    lines += _assignments("x", xs)
    lines += _assignments("w", ws)
    lines.append(f"b = {b!r}")
    if activation == "linear":
        lines.append(f"o = {total}")
    else:
        lines += [f"n = {total}", f"o = {activation}(n)"]
    return evaluate("\n".join(lines) + "\n")


def mlp(
    sizes: Sequence[int] = (2, 3, 1),
    *,
    seed: int = 0,
    inputs: Sequence[float] | None = None,
    target: float | Sequence[float] | None = None,
    loss: str = "mse",
    activation: str = "tanh",
) -> Program:
    """A multi-layer perceptron from ``micrograd.nn``, applied to one input.

    ``sizes`` is the number of inputs and then each layer's size: ``[2, 4, 1]`` has 2 inputs,
    a hidden layer of 4 neurons (``activation``) and one linear output neuron. The inputs are
    leaves ``x1..xn`` of kind ``'input'``; unless given they are drawn (rounded to 4
    decimals) from a generator seeded by ``seed`` but separate from the weights'.

    The output node is:

    - with a ``target`` (one number per network output): the loss, labeled ``'loss'``:
      ``'mse'`` is the mean of the squared differences (for one output, just
      ``(y - target)**2``), ``'sse'`` their sum. Targets are constants labeled ``target``
      (or ``target1``, ``target2``, ... for several outputs);
    - without one: the network's output; several outputs are added up into one node
      labeled ``'out'``, so that there is a single node to backpropagate from.

    ``source`` is ``''``: the graph was built in Python, not from text.

        >>> program = mlp([2, 4, 1], target=1.0)
        >>> program.output.label, program.title
        ('loss', 'MLP 2-4-1 (seed 0), mse loss')
    """
    sizes = _sizes(sizes)
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r} (losses: {', '.join(LOSSES)})")
    check_activation(activation)
    nin, nouts = sizes[0], sizes[1:]
    if inputs is None:
        rng = random.Random(f"inputs {seed}")
        values = [_draw(rng) for _ in range(nin)]
    else:
        values = _numbers(inputs, nin, "inputs")
    targets = None if target is None else _targets(target, nouts[-1])

    xs = [Value(x, label=f"x{i}") for i, x in enumerate(values, start=1)]  # first in names
    model = MLP(nin, nouts, activation=activation, seed=seed)
    title = f"MLP {'-'.join(map(str, sizes))} (seed {seed})"
    if targets is not None:
        title += f", {loss} loss"
    return model_program(model, xs, targets, loss, title=title)


def model_program(
    model: Module,
    inputs: Sequence[float | Value],
    target: float | Sequence[float] | None = None,
    loss: str = "mse",
    *,
    title: str = "",
) -> Program:
    """The graph of ``model`` (an ``nn`` Module) applied to ``inputs``: its loss against
    ``target`` if one is given (as ``mlp`` describes), else its output (several outputs added
    up into ``'out'``). Numbers in ``inputs`` become leaves ``x1..xn`` of kind ``'input'``.

        >>> from micrograd.nn import Neuron
        >>> model_program(Neuron(2, seed=1), [1.0, -1.0], target=0.5).output.label
        'loss'
    """
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r} (losses: {', '.join(LOSSES)})")
    if isinstance(inputs, str) or not isinstance(inputs, Sequence):
        raise ValueError(f"inputs must be a list of numbers, got {inputs!r}")
    xs = [
        x if isinstance(x, Value) else Value(_number(x, f"inputs[{i - 1}]"), label=f"x{i}")
        for i, x in enumerate(inputs, start=1)
    ]
    result = model(xs)
    outputs = result if isinstance(result, list) else [result]
    if target is not None:
        output = _loss(outputs, _targets(target, len(outputs)), loss)
    elif len(outputs) == 1:
        output = outputs[0]
    else:
        output = add_up(outputs)
        output.label = "out"
    if not title:
        title = f"{type(model).__name__}" + (f", {loss} loss" if target is not None else "")
    return Program.of_graph(output, title)


#: Presets by the name the command line uses: ``micrograd-tui --preset neuron|mlp``.
PRESETS: dict[str, Callable[..., Program]] = {"neuron": classic_neuron, "mlp": mlp}
PRESET_NAMES: tuple[str, ...] = tuple(PRESETS)


# --- helpers -----------------------------------------------------------------------------


def _draw(rng: random.Random) -> float:
    return round(rng.uniform(-1, 1), 4)


def _assignments(prefix: str, values: list[float]) -> list[str]:
    """``x1 = 0.5; x2 = -1.0``, four to a line."""
    parts = [f"{prefix}{i} = {v!r}" for i, v in enumerate(values, start=1)]
    return ["; ".join(parts[i : i + 4]) for i in range(0, len(parts), 4)]


def _loss(outputs: list[Value], targets: list[float], loss: str) -> Value:
    """``(y - target)**2`` per output, added up; divided by the count for ``'mse'``."""
    several = len(targets) > 1
    squares = []
    for i, (y, t) in enumerate(zip(outputs, targets, strict=True), start=1):
        wanted = Value(t, label=f"target{i}" if several else "target", kind=CONSTANT)
        squares.append((y - wanted) ** 2)
    total = add_up(squares)
    if loss == "mse" and several:
        total = total / len(squares)
    total.label = "loss"
    return total


def _check_count(n: object, what: str, limit: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValueError(f"{what} must be a whole number, got {n!r}")
    if not 1 <= n <= limit:
        raise ValueError(f"{what} must be between 1 and {limit}, got {n}")


def _number(x: object, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise ValueError(f"{what} must be a number, got {x!r}")
    value = float(x)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return value


def _numbers(xs: Sequence[float], count: int, what: str) -> list[float]:
    if isinstance(xs, str) or not isinstance(xs, Sequence):
        raise ValueError(f"{what} must be a list of numbers, got {xs!r}")
    if len(xs) != count:
        plural = "s" if count != 1 else ""
        raise ValueError(f"{what}: expected {count} number{plural}, got {len(xs)}")
    return [_number(x, f"{what}[{i}]") for i, x in enumerate(xs)]


def _targets(target: float | Sequence[float], n_outputs: int) -> list[float]:
    if isinstance(target, numbers.Real) and not isinstance(target, bool):
        if n_outputs != 1:
            raise ValueError(
                f"the network has {n_outputs} outputs: give {n_outputs} targets, not one"
            )
        return [_number(target, "target")]
    return _numbers(target, n_outputs, "target")  # type: ignore[arg-type]


def _sizes(sizes: Sequence[int]) -> list[int]:
    if isinstance(sizes, str) or not isinstance(sizes, Sequence):
        raise ValueError(f"sizes must be a list of whole numbers like [2, 4, 1], got {sizes!r}")
    if len(sizes) < 2:
        raise ValueError(
            "sizes needs the number of inputs and at least one layer, like [2, 4, 1];"
            f" got {list(sizes)}"
        )
    for i, size in enumerate(sizes):
        _check_count(size, f"sizes[{i}]", MAX_MLP_PARAMETERS)
    parameters = parameter_count(sizes)
    if parameters > MAX_MLP_PARAMETERS:
        raise ValueError(
            f"an MLP {'-'.join(map(str, sizes))} has {parameters:,} parameters;"
            f" the limit is {MAX_MLP_PARAMETERS:,}"
        )
    return list(sizes)


# --- sizes as text -------------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    """An MLP's sizes written as text, ``'2,4,1'``: the inputs, then each layer's size.

    The one reader of this text, for the command line (``--sizes``) and the builder's
    field, so both accept and refuse the same lists with the same one-line message.
    Spaces around an entry are fine; an empty entry (``2,,1``) is refused, not skipped.

        >>> parse_sizes("2, 4, 1")
        [2, 4, 1]
        >>> parse_sizes("2,,1")
        Traceback (most recent call last):
        ...
        ValueError: sizes: empty entry at position 2 in '2,,1'
    """
    if not text.strip():
        raise ValueError("sizes: empty; write the inputs, then each layer's size, like 2,4,1")
    sizes = []
    for position, part in enumerate(text.split(","), start=1):
        entry = part.strip()
        if not entry:
            raise ValueError(f"sizes: empty entry at position {position} in {text!r}")
        digits = entry[1:] if entry[0] in "+-" else entry
        if not (digits.isascii() and digits.isdigit()):  # int() takes '1_000', other scripts
            raise ValueError(f"sizes: {entry!r} is not a whole number")
        # Long numbers are out of range anyway, and int() refuses more than 4,300 digits.
        size = int(entry) if len(digits.lstrip("0")) <= 9 else None
        if size is None or not 1 <= size <= MAX_MLP_PARAMETERS:
            raise ValueError(
                f"sizes: {entry} at position {position} is not between 1 and"
                f" {MAX_MLP_PARAMETERS:,}"
            )
        sizes.append(size)
    if len(sizes) < 2:
        raise ValueError(f"sizes: give the inputs and at least one layer, like 2,1; got {text!r}")
    try:
        return _sizes(sizes)
    except ValueError as error:  # what is left to check: the parameter count
        raise ValueError(f"sizes: {error}") from None


def parse_numbers(text: str, what: str) -> list[float]:
    """Numbers written as text, ``'1.0, -2.5'``, for ``what`` (``--values``, ``inputs``).

    The one reader of such a list, for the command line (``--values``, ``--target``) and the
    builder's fields, with the rules of ``parse_sizes``: spaces around an entry are fine, an
    empty entry is refused, not skipped, and so is a number that is not finite (no preset
    takes nan or inf).

        >>> parse_numbers(" 1, -2.5 ,3e2", "values")
        [1.0, -2.5, 300.0]
        >>> parse_numbers("1,x", "--target")
        Traceback (most recent call last):
        ...
        ValueError: --target: 'x' is not a number
    """
    numbers = []
    for position, part in enumerate(text.split(","), start=1):
        entry = part.strip()
        if not entry:
            raise ValueError(f"{what}: empty entry at position {position} in {text!r}")
        try:
            number = float(entry)
        except ValueError:
            raise ValueError(f"{what}: {entry!r} is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"{what}: {entry!r} is not a finite number")
        numbers.append(number)
    return numbers


def copied_program(
    graph: Value | Module,
    x: Sequence[float | Value] | None,
    target: float | Sequence[float] | None,
    loss: str,
    title: str,
) -> Program:
    """The program ``explore`` opens (in a terminal or a notebook): a separate copy of the
    graph, so that stepping and nudging in the explorer never touch the learner's Values.
    ``graph`` is a graph's output Value, or an nn Module with an input ``x`` (and a
    ``target``: its loss graph on that sample, ``loss`` 'mse' or 'sse')."""
    if isinstance(graph, Module):
        if x is None:
            raise TypeError(
                f"explore({type(graph).__name__}) needs an input: explore(model, x=[2.0, 3.0])"
            )
        built = model_program(graph, x, target, loss)
        output = copy_graph(built.output)
        return Program.of_graph(output, title or built.title)
    if not isinstance(graph, Value):
        raise TypeError(
            "explore() takes a Value (the output of a graph, as in explore(L)) or an nn "
            f"Module with an input, not {type(graph).__name__}"
        )
    if x is not None or target is not None:
        raise TypeError("x and target apply to a model: explore(model, x, target)")
    output = copy_graph(graph)
    return Program.of_graph(output, title or graph.label or "graph from Python")
