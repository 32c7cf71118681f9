"""The network view's model: an MLP's layers read off its graph, and its picture over time."""

from __future__ import annotations

from micrograd.expr import evaluate
from micrograd.graph import neuron_groups, to_networkx
from micrograd.network import Cell, find_network, model_network, picture, update
from micrograd.nn import MLP
from micrograd.presets import classic_neuron, mlp
from micrograd.stepper import Stepper


def network_of(program):
    graph = to_networkx(program.output)
    return find_network(graph, neuron_groups(graph)), graph


def test_an_mlp_reads_as_its_layers() -> None:
    net, graph = network_of(mlp([3, 4, 4, 1], target=1.0))
    assert [len(layer) for layer in net.layers] == [4, 4, 1]
    assert [graph.nodes[i]["label"] for i in net.inputs] == ["x1", "x2", "x3"]
    assert graph.nodes[net.loss]["label"] == "loss"
    neuron = net.layers[1][2]
    assert neuron.name == "L1.N2"
    assert [graph.nodes[w]["label"] for w in neuron.weights] == [
        f"L1.N2.w{k}" for k in range(4)]
    assert graph.nodes[neuron.bias]["label"] == "L1.N2.b"
    assert graph.nodes[neuron.output]["label"] == "L1.N2"
    assert net.neuron_of(neuron.weights[0]) == (1, 2)
    assert net.neuron_count == 9


def test_weights_sort_by_number_not_text() -> None:
    net, graph = network_of(mlp([12, 1]))
    labels = [graph.nodes[w]["label"] for w in net.layers[0][0].weights]
    assert labels[:3] == ["L0.N0.w0", "L0.N0.w1", "L0.N0.w2"] and labels[-1] == "L0.N0.w11"
    assert net.loss is None  # no target: the network's own output is the root


def test_graphs_without_layers_have_no_network() -> None:
    assert network_of(classic_neuron())[0] is None
    assert network_of(evaluate("a = 2; b = a * 3"))[0] is None


def test_the_picture_fills_in_right_to_left_as_backward_runs() -> None:
    program = mlp([2, 3, 1], target=1.0)
    net, _graph = network_of(program)
    stepper = Stepper(program.output)
    nodes = {node.id: node for node in stepper.order}

    def weights_reached(pic) -> list[int]:
        return [sum(c.number is not None for n in layer for c in n) for layer in pic.weights]

    start = picture(net, stepper, nodes)
    assert all(c.number is None for c in start.neurons[0])  # nothing computed
    assert weights_reached(start) == [0, 0]
    stepper.seek(stepper.forward_steps)
    forward = picture(net, stepper, nodes)
    assert all(c.number is not None and not c.grad for c in forward.neurons[0])
    assert weights_reached(forward) == [0, 0]  # a weight shows its grad, not its value
    seen = []
    while not stepper.at_end:
        stepper.step()
        seen.append(weights_reached(picture(net, stepper, nodes)))
    assert seen[-1] == [6, 3]
    first_full = {layer: next(i for i, s in enumerate(seen) if s[layer] == [6, 3][layer])
                  for layer in (0, 1)}
    assert first_full[1] < first_full[0]  # the last layer's weights first
    end = picture(net, stepper, nodes)
    for layer, neurons in zip(net.layers, end.weights, strict=True):
        for neuron, cells in zip(layer, neurons, strict=True):
            assert [c.number for c in cells] == [nodes[w].grad for w in neuron.weights]


def test_the_current_step_marks_its_neuron_and_what_it_changed() -> None:
    program = mlp([2, 3, 1], target=1.0)
    net, _graph = network_of(program)
    stepper = Stepper(program.output)
    nodes = {node.id: node for node in stepper.order}
    stepper.seek(stepper.forward_steps)
    while not stepper.at_end:
        step = stepper.step()
        pic = picture(net, stepper, nodes)
        where = net.neuron_of(step.node.id)
        if where is not None:
            layer, j = where
            assert pic.neurons[layer][j].mark == "step"
        changed = {t.parent.id for t in step.terms}
        for layer, neurons in zip(net.layers, pic.weights, strict=True):
            for neuron, cells in zip(layer, neurons, strict=True):
                for w, cell in zip(neuron.weights, cells, strict=True):
                    if w in changed:
                        assert cell.mark == "changed"


def test_updating_the_touched_cells_gives_the_picture_made_anew() -> None:
    program = mlp([2, 3, 2, 1], target=1.0)
    net, _graph = network_of(program)
    stepper = Stepper(program.output)
    nodes = {node.id: node for node in stepper.order}
    shown = picture(net, stepper, nodes)

    def touched_by(step) -> list[int]:
        if step is None:
            return []
        return [step.node.id, *(p.id for p in step.node._prev)]

    moves = [stepper.step] * len(stepper) + [stepper.back] * 7 + [stepper.step] * 3
    for move in moves:
        before = touched_by(stepper.current)
        move()
        update(shown, net, stepper, nodes, before + touched_by(stepper.current))
        assert shown == picture(net, stepper, nodes)


def test_a_model_being_trained_shows_its_grads() -> None:
    model = MLP(2, [3, 1], seed=1)
    loss = (model([1.0, -2.0]) - 1.0) ** 2
    loss.backward()
    pic = model_network([[n.w for n in layer.neurons] for layer in model.layers],
                        [[n.b for n in layer.neurons] for layer in model.layers])
    assert pic.weights[0][1][0] == Cell(model.layers[0].neurons[1].w[0].grad, True)
    assert pic.neurons[1][0].number == model.layers[1].neurons[0].b.grad
    assert len(pic.inputs) == 2 and pic.loss is None
