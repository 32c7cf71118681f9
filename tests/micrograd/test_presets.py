"""Presets: the classic neuron, neurons of any size written as editable source, and MLPs."""

from __future__ import annotations

import math

import pytest

from micrograd.expr import Program, evaluate
from micrograd.nn import MLP
from micrograd.presets import (
    CLASSIC_NEURON_SOURCE,
    PRESET_NAMES,
    PRESETS,
    classic_neuron,
    mlp,
    neuron,
    parse_sizes,
)
from micrograd.value import CONSTANT, INPUT, PARAMETER, Value, topological_order


def test_classic_neuron() -> None:
    program = classic_neuron()
    assert isinstance(program, Program)
    assert program.title == "classic neuron"
    assert program.source == CLASSIC_NEURON_SOURCE
    assert program.output.label == "o"
    assert program.output.data == pytest.approx(0.7071067811865476)
    program.output.backward()
    grads = {name: v.grad for name, v in program.names.items()}
    for name, grad in {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}.items():
        assert grads[name] == pytest.approx(grad, abs=1e-12)


def test_classic_neuron_is_fresh_each_time() -> None:
    first, second = classic_neuron(), classic_neuron()
    first.output.backward()
    assert second.names["x1"].grad == 0.0
    assert first.output is not second.output


def test_neuron_source_is_editable_text_that_rebuilds_the_same_graph() -> None:
    program = neuron(3, seed=4)
    assert program.title == "neuron (3 inputs, tanh, seed 4)"
    assert program.source.startswith("# neuron (3 inputs, tanh, seed 4)\n")
    assert list(program.names) == ["x1", "x2", "x3", "w1", "w2", "w3", "b", "n", "o"]
    assert all(program.names[n].kind == INPUT for n in ("x1", "w3", "b"))
    again = evaluate(program.source)
    assert again.output.data == program.output.data
    assert again.title == program.title


def test_neuron_computes_activation_of_the_weighted_sum() -> None:
    xs, ws, b = [1.0, -2.0, 0.5], [0.25, 0.5, -1.0], 0.125
    total = sum(x * w for x, w in zip(xs, ws, strict=True)) + b
    for activation, expected in [
        ("tanh", math.tanh(total)),
        ("relu", max(total, 0.0)),
        ("sigmoid", 1 / (1 + math.exp(-total))),
        ("linear", total),
    ]:
        program = neuron(3, activation, inputs=xs, weights=ws, bias=b)
        assert program.output.data == pytest.approx(expected), activation
        assert program.output.label == "o"
        assert program.title == f"neuron (3 inputs, {activation})"
    linear = neuron(3, "linear", inputs=xs, weights=ws, bias=b)
    assert "n" not in linear.names and linear.output._op == "+"


def test_neuron_random_values_follow_the_seed() -> None:
    a, b, c = neuron(4, seed=1), neuron(4, seed=1), neuron(4, seed=2)
    values = lambda p: [v.data for v in p.names.values()]  # noqa: E731
    assert values(a) == values(b) != values(c)
    for name in ("x1", "x4", "w1", "w4", "b"):
        assert -1 <= a.names[name].data <= 1
        assert a.names[name].data == round(a.names[name].data, 4)
    # Given parts do not shift the random draws of the others.
    given = neuron(4, seed=1, inputs=[1.0, 2.0, 3.0, 4.0])
    assert [given.names[f"w{i}"].data for i in range(1, 5)] == [
        a.names[f"w{i}"].data for i in range(1, 5)
    ]


def test_neuron_gradients_match_the_chain_rule() -> None:
    program = neuron(2, inputs=[2.0, 0.0], weights=[-3.0, 1.0], bias=6.8813735870195432)
    program.output.backward()
    assert program.names["x1"].grad == pytest.approx(-1.5)
    assert program.names["w1"].grad == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_inputs": 0}, "n_inputs must be between 1 and 1000, got 0"),
        ({"n_inputs": 2.0}, "n_inputs must be a whole number, got 2.0"),
        ({"n_inputs": True}, "n_inputs must be a whole number"),
        ({"activation": "tanhh"}, "unknown activation 'tanhh'"),
        ({"inputs": [1.0]}, "inputs: expected 2 numbers, got 1"),
        ({"weights": [1.0, "x"]}, "weights[1] must be a number, got 'x'"),
        ({"weights": "12"}, "weights must be a list of numbers"),
        ({"bias": math.nan}, "bias must be finite, got nan"),
        ({"inputs": [math.inf, 1.0]}, "inputs[0] must be finite, got inf"),
    ],
)
def test_neuron_rejects_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError) as info:
        neuron(**kwargs)
    assert message in str(info.value)


# --- mlp -------------------------------------------------------------------------------------


def test_mlp_without_a_target_outputs_the_network() -> None:
    program = mlp([2, 4, 1], seed=3, inputs=[0.5, -1.0])
    assert program.title == "MLP 2-4-1 (seed 3)"
    assert program.source == ""
    xs = [program.names["x1"], program.names["x2"]]
    assert [(x.kind, x.data) for x in xs] == [(INPUT, 0.5), (INPUT, -1.0)]
    # The same network, built by hand from nn, gives the same output.
    model = MLP(2, [4, 1], activation="tanh", seed=3)
    expected = model([Value(0.5), Value(-1.0)])
    assert isinstance(expected, Value)
    assert program.output.data == expected.data
    assert program.output.label == "L1.N0"
    assert "L0.N3.w1" in program.names and program.names["L0.N3.w1"].kind == PARAMETER
    assert list(program.names)[:2] == ["x1", "x2"]


def test_mlp_names_cover_every_labeled_node_in_order() -> None:
    program = mlp([3, 2, 2, 1])
    labeled = [v for v in topological_order(program.output) if v.label]
    assert list(program.names.values()) == labeled
    parameters = [v for v in program.names.values() if v.kind == PARAMETER]
    assert len(parameters) == (3 + 1) * 2 + (2 + 1) * 2 + (2 + 1) * 1


def test_mlp_with_a_target_outputs_the_loss() -> None:
    program = mlp([2, 3, 1], inputs=[1.0, 2.0], target=0.5)
    assert program.title == "MLP 2-3-1 (seed 0), mse loss"
    loss = program.output
    assert loss.label == "loss" and loss._op == "**"
    y = program.names["L1.N0"]
    target = program.names["target"]
    assert target.kind == CONSTANT and target.data == 0.5
    assert loss.data == pytest.approx((y.data - 0.5) ** 2)
    loss.backward()
    assert any(v.grad != 0 for v in program.names.values() if v.kind == PARAMETER)
    assert target.grad == pytest.approx(-2 * (y.data - 0.5))  # constants get gradients


def test_mlp_losses_with_several_outputs() -> None:
    targets = [1.0, 0.0, -1.0]
    mse = mlp([2, 3], target=targets)
    sse = mlp([2, 3], target=targets, loss="sse")
    outputs = [mse.names[f"L0.N{j}"].data for j in range(3)]
    squares = [(y - t) ** 2 for y, t in zip(outputs, targets, strict=True)]
    assert sse.output.data == pytest.approx(sum(squares))
    assert mse.output.data == pytest.approx(sum(squares) / 3)
    assert [mse.names[f"target{i}"].data for i in (1, 2, 3)] == targets
    assert mse.output.label == sse.output.label == "loss"


def test_mlp_with_several_outputs_and_no_target_sums_them() -> None:
    program = mlp([2, 2])
    assert program.output.label == "out"
    outputs = [program.names["L0.N0"].data, program.names["L0.N1"].data]
    assert program.output.data == pytest.approx(sum(outputs))


def test_mlp_inputs_follow_the_seed_but_differ_from_the_weights() -> None:
    a, b, c = mlp([3, 2, 1], seed=5), mlp([3, 2, 1], seed=5), mlp([3, 2, 1], seed=6)
    xs = lambda p: [p.names[f"x{i}"].data for i in (1, 2, 3)]  # noqa: E731
    assert xs(a) == xs(b) != xs(c)
    assert round(a.names["L0.N0.w0"].data, 4) != xs(a)[0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sizes": [2]}, "sizes needs the number of inputs and at least one layer"),
        ({"sizes": [2, 0, 1]}, "sizes[1] must be between 1"),
        ({"sizes": "241"}, "sizes must be a list of whole numbers"),
        ({"sizes": [2, 1.5]}, "sizes[1] must be a whole number"),
        ({"sizes": [1000, 1000, 1]}, "has 1,002,001 parameters; the limit is 100,000"),
        ({"sizes": [2, 3], "target": 1.0}, "the network has 3 outputs: give 3 targets, not one"),
        ({"sizes": [2, 1], "target": [1.0, 2.0]}, "target: expected 1 number, got 2"),
        ({"target": math.nan}, "target must be finite"),
        ({"inputs": [1.0, 2.0, 3.0]}, "inputs: expected 2 numbers, got 3"),
        ({"loss": "l1"}, "unknown loss 'l1' (losses: mse, sse)"),
        ({"activation": "exp"}, "unknown activation 'exp'"),
    ],
)
def test_mlp_rejects_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError) as info:
        mlp(**kwargs)
    assert message in str(info.value)


def test_the_preset_table() -> None:
    assert PRESET_NAMES == ("neuron", "mlp") == tuple(PRESETS)
    assert PRESETS["neuron"]().title == "classic neuron"
    default = PRESETS["mlp"]()
    assert default.title == "MLP 2-3-1 (seed 0)"
    default.output.backward()


# --- sizes as text ---------------------------------------------------------------------------


def test_parse_sizes_reads_a_size_list() -> None:
    assert parse_sizes("2,4,1") == [2, 4, 1]
    assert parse_sizes(" 2 , 16,16, 1 ") == [2, 16, 16, 1]
    assert parse_sizes("+3,01") == [3, 1]
    assert mlp(parse_sizes("2,4,1")).title == mlp([2, 4, 1]).title


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2,,1", "sizes: empty entry at position 2 in '2,,1'"),
        ("2,4,", "sizes: empty entry at position 3 in '2,4,'"),
        (",2,1", "sizes: empty entry at position 1 in ',2,1'"),
        (" ", "sizes: empty; write the inputs, then each layer's size, like 2,4,1"),
        ("2,x,1", "sizes: 'x' is not a whole number"),
        ("2,1.5", "sizes: '1.5' is not a whole number"),
        ("2,1_000", "sizes: '1_000' is not a whole number"),
        ("2,\u00b2", "sizes: '\u00b2' is not a whole number"),
        ("2 4,1", "sizes: '2 4' is not a whole number"),
        ("2,-", "sizes: '-' is not a whole number"),
        ("2,0,1", "sizes: 0 at position 2 is not between 1 and 100,000"),
        ("-1,1", "sizes: -1 at position 1 is not between 1 and 100,000"),
        ("2,100001", "sizes: 100001 at position 2 is not between 1 and 100,000"),
        ("3", "sizes: give the inputs and at least one layer, like 2,1; got '3'"),
        ("1000,1000,1",
         "sizes: an MLP 1000-1000-1 has 1,002,001 parameters; the limit is 100,000"),
    ],
)
def test_parse_sizes_refuses_in_one_line_saying_what_and_where(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_sizes(text)
    assert str(info.value) == message


def test_parse_sizes_refuses_a_huge_number_without_converting_it() -> None:
    huge = "9" * 5000  # int() refuses more than 4,300 digits
    with pytest.raises(ValueError, match="at position 2 is not between 1 and 100,000"):
        parse_sizes(f"2,{huge}")
