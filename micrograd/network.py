"""An MLP the way a person thinks of it: layers of neurons, and a weight matrix between two.

The detailed graph of ``MLP(2, [16, 16, 1])`` has hundreds of nodes; a learner thinks of it
as 2 inputs, two layers of 16 neurons, one output, and three weight matrices. ``find_network``
reads that shape off a graph whose neurons are labeled the way ``micrograd.nn`` labels them
(``L1.N4`` for neuron 4 of layer 1, ``L1.N4.w0`` its first weight, ``L1.N4.b`` its bias);
``picture`` says, at one moment of a Stepper's timeline, what each neuron and each weight
looks like (its number, or None before it is computed or reached, and whether the current
step is at it or just changed it). ``model_network`` does the same for a model being
trained (every weight's grad of the last backward). The UI only paints these.

    >>> from micrograd.presets import mlp
    >>> from micrograd.graph import to_networkx, neuron_groups
    >>> graph = to_networkx(mlp([2, 3, 1], target=1.0).output)
    >>> net = find_network(graph, neuron_groups(graph))
    >>> len(net.inputs), [len(layer) for layer in net.layers], net.loss is not None
    (2, [3, 1], True)
    >>> [len(n.weights) for n in net.layers[1]], net.layers[0][2].name
    ([3], 'L0.N2')
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from micrograd.graph import natural_key
from micrograd.stepper import BackwardStep, Stepper
from micrograd.value import Value

__all__ = ["Cell", "Network", "NetworkPicture", "Neuron", "find_network", "model_network",
           "picture", "update"]

_NEURON = re.compile(r"^L(\d+)\.N(\d+)$")
_WEIGHT = re.compile(r"\.w(\d+)$")


@dataclass(frozen=True)
class Neuron:
    """One neuron's nodes: its output, its weights in input order, its bias, all its nodes."""

    name: str
    output: Hashable
    weights: tuple[Hashable, ...]
    bias: Hashable | None
    members: frozenset[Hashable]


@dataclass(frozen=True)
class Network:
    """The shape of an MLP's graph: the inputs, the layers of neurons, and the node after
    the last layer (the loss), if the graph goes on past the network's output."""

    inputs: tuple[Hashable, ...]
    layers: tuple[tuple[Neuron, ...], ...]
    loss: Hashable | None

    @cached_property
    def places(self) -> dict[Hashable, tuple[int, ...]]:
        """Where each node shows: ``(layer, j)`` for a neuron's nodes (its cell), ``(layer,
        j, k)`` for weight ``k`` (its own cell too), ``(-1, i)`` for input ``i``: a step
        repaints the cells of the nodes it touched, not the whole picture."""
        places: dict[Hashable, tuple[int, ...]] = {}
        for i, layer in enumerate(self.layers):
            for j, neuron in enumerate(layer):
                for member in neuron.members:
                    places[member] = (i, j)
        for i, node in enumerate(self.inputs):
            places[node] = (-1, i)
        return places

    @property
    def neuron_count(self) -> int:
        return sum(len(layer) for layer in self.layers)

    def neuron_of(self, node: Hashable) -> tuple[int, int] | None:
        """``(layer, index)`` of the neuron ``node`` belongs to, or None."""
        for i, layer in enumerate(self.layers):
            for j, neuron in enumerate(layer):
                if node in neuron.members:
                    return i, j
        return None


def find_network(graph: nx.MultiDiGraph, groups: dict[str, list[Hashable]]) -> Network | None:
    """The layers of neurons in ``graph`` (``groups`` from ``graph.neuron_groups``), or None
    when it has no neurons named ``L<layer>.N<index>`` (an expression, one bare neuron).

    Each layer's neurons are in index order; a neuron's weights by their number (``w0``
    first). The inputs are what the first layer's weights multiply, in the first neuron's
    weight order; the loss is the graph's root if it is no neuron's output.
    """
    by_layer: dict[int, list[tuple[int, Neuron]]] = {}
    for name in sorted(groups, key=natural_key):
        match = _NEURON.match(name)
        if match is None:
            continue
        members = groups[name]
        weights: list[tuple[int, Hashable]] = []
        bias = None
        output = None
        for node in members:
            label = graph.nodes[node].get("label") or ""
            if label == name:
                output = node
            elif label == f"{name}.b":
                bias = node
            elif label.startswith(name + ".") and (w := _WEIGHT.search(label)):
                weights.append((int(w[1]), node))
        if output is None:
            output = next((n for n in members if graph.nodes[n].get("label") == f"{name}.n"),
                          members[-1])
        neuron = Neuron(name, output, tuple(node for _k, node in sorted(weights, key=_first)),
                        bias, frozenset(members))
        by_layer.setdefault(int(match[1]), []).append((int(match[2]), neuron))
    if not by_layer:
        return None
    layers = tuple(tuple(neuron for _j, neuron in sorted(by_layer[i], key=_first))
                   for i in sorted(by_layer))
    inputs: list[Hashable] = []
    first = layers[0][0]
    for weight in first.weights:
        for product in graph.successors(weight):
            for operand in graph.predecessors(product):
                if operand != weight and operand not in first.members and operand not in inputs:
                    inputs.append(operand)
    root = graph.graph.get("root")
    outputs = {neuron.output for layer in layers for neuron in layer}
    loss = root if root is not None and root not in outputs else None
    return Network(tuple(inputs), layers, loss)


def _first(pair: tuple[int, object]) -> int:
    return pair[0]


@dataclass(frozen=True)
class Cell:
    """What one neuron, input or weight shows: a number (the grad once reached, else the
    value once computed, else None), ``grad`` whether it is a grad, and ``mark``: ``'step'``
    (the current step is at it), ``'changed'`` (the step just changed it) or ``''``."""

    number: float | None
    grad: bool = False
    mark: str = ""


@dataclass
class NetworkPicture:
    """The network at one moment: a cell per input, per neuron (by layer), per weight
    (``weights[i][j][k]``: weight ``k`` of neuron ``j`` of layer ``i``), and the loss.
    Lists, so that ``update`` changes the cells a step touched in place."""

    inputs: list[Cell]
    neurons: list[list[Cell]]
    weights: list[list[list[Cell]]]
    loss: Cell | None


class _Looker:
    """Reads a node's cell at the Stepper's position (the step's marks worked out once)."""

    def __init__(self, stepper: Stepper, nodes: dict[Hashable, Value]) -> None:
        step = stepper.current
        self.stepper = stepper
        self.nodes = nodes
        self.at = step.node if step is not None else None
        self.changed = ({term.parent for term in step.terms}
                        if isinstance(step, BackwardStep) else set())

    def cell(self, node_id: Hashable, members: frozenset[Hashable] | None = None, *,
             grad_only: bool = False) -> Cell:
        node = self.nodes.get(node_id)
        if node is None:
            return Cell(None)
        at, stepper = self.at, self.stepper
        mark = ""
        if at is not None and (at is node or (members is not None and at.id in members)):
            mark = "step"
        elif node in self.changed:
            mark = "changed"
        if stepper.grad_touched(node):
            return Cell(node.grad, True, mark)
        if grad_only:
            return Cell(None, False, mark)
        return Cell(node.data if stepper.is_computed(node) else None, False, mark)


def picture(network: Network, stepper: Stepper, nodes: dict[Hashable, Value]) -> NetworkPicture:
    """The network at the Stepper's position: a neuron shows its output's grad once the
    backward pass reached it (else its value, once computed), a weight its grad (None
    before: a weight's value is not what the picture is about); the current step's neuron
    and the nodes it just changed are marked."""
    look = _Looker(stepper, nodes)
    return NetworkPicture(
        inputs=[look.cell(i) for i in network.inputs],
        neurons=[[look.cell(n.output, n.members) for n in layer] for layer in network.layers],
        weights=[[[look.cell(w, grad_only=True) for w in n.weights] for n in layer]
                 for layer in network.layers],
        loss=look.cell(network.loss) if network.loss is not None else None,
    )


def update(shown: NetworkPicture, network: Network, stepper: Stepper,
           nodes: dict[Hashable, Value], touched: Iterable[Hashable]) -> None:
    """Bring the cells of the ``touched`` nodes (those a move changed, and the steps'
    before and after it) up to the Stepper's position, in place: what ``picture`` would
    give for them, at the cost of the nodes touched, not of the network."""
    look = _Looker(stepper, nodes)
    places = network.places
    for node_id in touched:
        place = places.get(node_id)
        if place is None:
            if node_id == network.loss:
                shown.loss = look.cell(node_id)
            continue
        if place[0] < 0:
            shown.inputs[place[1]] = look.cell(node_id)
            continue
        layer, j = place
        neuron = network.layers[layer][j]
        shown.neurons[layer][j] = look.cell(neuron.output, neuron.members)
        if node_id in neuron.weights:
            k = neuron.weights.index(node_id)
            shown.weights[layer][j][k] = look.cell(node_id, grad_only=True)


def model_network(layer_weights: Sequence[Sequence[Sequence[Value]]],
                  biases: Sequence[Sequence[Value]], changed: bool = False) -> NetworkPicture:
    """A model's network between training steps: each weight's grad from the last backward
    (``layer_weights[i][j][k]``), each neuron filled with its bias's grad; with ``changed``
    every cell is marked as just changed (an update was just made)."""
    mark = "changed" if changed else ""
    nin = len(layer_weights[0][0]) if layer_weights and layer_weights[0] else 0
    return NetworkPicture(
        inputs=[Cell(None) for _ in range(nin)],
        neurons=[[Cell(b.grad, True, mark) for b in layer] for layer in biases],
        weights=[[[Cell(w.grad, True, mark) for w in neuron] for neuron in layer]
                 for layer in layer_weights],
        loss=None,
    )
