"""micrograd.nn: Neuron, Layer, MLP, SGD and the losses, down to labels and seeds."""

from __future__ import annotations

import math
import random

import pytest

from micrograd.data import make_moons
from micrograd.nn import (
    MLP,
    SGD,
    Layer,
    Module,
    Neuron,
    accuracy,
    l2,
    max_margin_loss,
    mse,
)
from micrograd.value import CONSTANT, OPERATION, PARAMETER, Value, topological_order


def hand_neuron(activation: str) -> Neuron:
    """A neuron with weights (2, -1) and bias 0.5: on (1, 3) its sum is 2 - 3 + 0.5 = -0.5."""
    n = Neuron(2, activation=activation, seed=0)
    n.w[0].data, n.w[1].data, n.b.data = 2.0, -1.0, 0.5
    return n


# --- structure -----------------------------------------------------------------------------


def test_parameter_counts() -> None:
    assert len(Neuron(3).parameters()) == 4
    assert len(Layer(3, 4).parameters()) == 16
    assert len(MLP(2, [16, 16, 1], seed=0).parameters()) == 337  # 48 + 272 + 17
    assert len(MLP(3, [4, 4, 1], seed=0).parameters()) == 41  # the classic README's example
    assert Module().parameters() == []


def test_every_parameter_is_a_parameter_leaf() -> None:
    params = MLP(2, [3, 1], seed=0).parameters()
    assert all(p.kind == PARAMETER and not p._prev for p in params)
    assert len({p.id for p in params}) == len(params)


def test_bias_starts_at_zero_and_weights_in_range() -> None:
    model = MLP(2, [16, 16, 1], seed=3)
    for layer in model.layers:
        for neuron in layer.neurons:
            assert neuron.b.data == 0.0
            assert all(-1 <= w.data <= 1 for w in neuron.w)


def test_reprs_match_classic_micrograd() -> None:
    assert repr(Neuron(2)) == "ReLUNeuron(2)"
    assert repr(Neuron(2, nonlin=False)) == "LinearNeuron(2)"
    assert repr(Neuron(2, activation="tanh")) == "TanhNeuron(2)"
    assert repr(Neuron(2, activation="sigmoid")) == "SigmoidNeuron(2)"
    assert repr(Layer(2, 2)) == "Layer of [ReLUNeuron(2), ReLUNeuron(2)]"
    assert repr(MLP(2, [2, 1], seed=0)) == (
        "MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(2)]]"
    )


def test_mlp_last_layer_is_linear_the_others_use_the_activation() -> None:
    model = MLP(2, [3, 3, 2], activation="tanh", seed=0)
    kinds = [{n.activation for n in layer.neurons} for layer in model.layers]
    assert kinds == [{"tanh"}, {"tanh"}, {"linear"}]
    assert [n.nonlin for n in model.layers[-1].neurons] == [False, False]


# --- labels --------------------------------------------------------------------------------


def test_named_neuron_labels() -> None:
    n = Neuron(3, activation="tanh", name="L0.N3", seed=0)
    assert [w.label for w in n.w] == ["L0.N3.w0", "L0.N3.w1", "L0.N3.w2"]
    assert n.b.label == "L0.N3.b"
    out = n([1.0, 2.0, 3.0])
    assert out.label == "L0.N3"
    assert out._op == "tanh"
    (total,) = out._prev
    assert total.label == "L0.N3.n"
    assert total._prev[1] is n.b


def test_named_linear_neuron_output_is_its_sum() -> None:
    n = Neuron(2, nonlin=False, name="L1.N0", seed=0)
    out = n([1.0, 2.0])
    assert out.label == "L1.N0"
    assert out._op == "+" and out._prev[1] is n.b


def test_unnamed_neuron_labels() -> None:
    n = Neuron(2, seed=0)
    assert [p.label for p in n.parameters()] == ["w0", "w1", "b"]
    out = n([1.0, 2.0])
    assert out.label == "out"
    assert out._prev[0].label == "n"
    assert Neuron(2, nonlin=False, seed=0)([1.0, 2.0]).label == "out"


def test_mlp_labels() -> None:
    model = MLP(2, [2, 1], seed=0)
    labels = [p.label for p in model.parameters()]
    assert labels == [
        "L0.N0.w0", "L0.N0.w1", "L0.N0.b",
        "L0.N1.w0", "L0.N1.w1", "L0.N1.b",
        "L1.N0.w0", "L1.N0.w1", "L1.N0.b",
    ]  # fmt: skip
    out = model([0.5, -0.5])
    assert isinstance(out, Value) and out.label == "L1.N0"
    named = {node.label for node in topological_order(out)}
    assert {"L0.N0", "L0.N0.n", "L0.N1", "L0.N1.n", "L1.N0", "x0", "x1"} <= named
    assert "L1.N0.n" not in named  # the linear output neuron's sum is its output


def test_neuron_graph_is_clean() -> None:
    """No stray constant 0 from sum(): the only constants are the inputs themselves."""
    n = Neuron(3, seed=0)
    x = [Value(1.0, label="a"), Value(2.0, label="b"), Value(3.0, label="c")]
    nodes = topological_order(n(x))
    assert not [v for v in nodes if v.kind == CONSTANT]
    # 3 products, 3 additions (w0x0 + w1x1, + w2x2, + b), 1 relu.
    assert sum(v.kind == OPERATION for v in nodes) == 7


def test_a_layer_shares_its_input_nodes() -> None:
    out = Layer(2, 3, seed=0).forward([1.0, 2.0])
    inputs = {v for o in out for v in topological_order(o) if v.kind == CONSTANT}
    assert sorted(v.label for v in inputs) == ["x0", "x1"]


# --- seeds -------------------------------------------------------------------------------


def weights(model: MLP) -> list[float]:
    return [p.data for p in model.parameters()]


def test_same_seed_same_weights_different_seed_different() -> None:
    assert weights(MLP(2, [4, 4, 1], seed=7)) == weights(MLP(2, [4, 4, 1], seed=7))
    assert weights(MLP(2, [4, 4, 1], seed=7)) != weights(MLP(2, [4, 4, 1], seed=8))


def test_neurons_of_a_model_start_different() -> None:
    layer = MLP(2, [4, 1], seed=0).layers[0]
    assert len({tuple(w.data for w in n.w) for n in layer.neurons}) == 4


def test_neuron_seed_and_rng() -> None:
    assert [p.data for p in Neuron(3, seed=1).parameters()] == [
        p.data for p in Neuron(3, rng=random.Random(1)).parameters()
    ]


# --- activations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("activation", "expected"),
    [
        ("linear", -0.5),
        ("relu", 0.0),
        ("tanh", math.tanh(-0.5)),
        ("sigmoid", 1 / (1 + math.exp(0.5))),
    ],
)
def test_activations_on_a_hand_built_case(activation: str, expected: float) -> None:
    out = hand_neuron(activation)([1.0, 3.0])
    assert out.data == pytest.approx(expected, rel=1e-12)


def test_relu_passes_positive_sums() -> None:
    assert hand_neuron("relu")([3.0, 1.0]).data == pytest.approx(5.5)


def test_neuron_gradients() -> None:
    n = hand_neuron("tanh")
    x = [Value(1.0), Value(3.0)]
    n(x).backward()
    slope = 1 - math.tanh(-0.5) ** 2
    assert [w.grad for w in n.w] == pytest.approx([1.0 * slope, 3.0 * slope])
    assert n.b.grad == pytest.approx(slope)
    assert [xi.grad for xi in x] == pytest.approx([2.0 * slope, -1.0 * slope])


def test_one_input_may_be_a_bare_number() -> None:
    assert Neuron(1, nonlin=False, seed=0)(2.0).data == Neuron(1, nonlin=False, seed=0)([2.0]).data


def test_layer_call_is_classic() -> None:
    assert isinstance(Layer(2, 1, seed=0)([1.0, 2.0]), Value)
    assert len(Layer(2, 3, seed=0)([1.0, 2.0])) == 3
    out = MLP(2, [3, 2], seed=0)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 2


def test_a_one_neuron_hidden_layer_works() -> None:
    """Classic micrograd breaks here (the hidden layer returns a bare Value): we do not."""
    assert isinstance(MLP(2, [1, 1], seed=0)([1.0, 2.0]), Value)


# --- errors ------------------------------------------------------------------------------


def test_wrong_input_length() -> None:
    with pytest.raises(ValueError, match="neuron L0.N0 takes 2 inputs, got 3"):
        Neuron(2, name="L0.N0")([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"ReLUNeuron\(2\) takes 2 inputs, got 1"):
        Neuron(2)([1.0])
    with pytest.raises(ValueError, match="layer L0 takes 2 inputs, got 1"):
        MLP(2, [3, 1], seed=0)([1.0])


def test_bad_activation_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="'swish'.*tanh, relu, sigmoid, linear"):
        Neuron(2, activation="swish")
    with pytest.raises(ValueError, match="'swish'"):
        MLP(2, [1], activation="swish")


def test_bad_sizes() -> None:
    with pytest.raises(ValueError, match="at least 1 input"):
        Neuron(0)
    with pytest.raises(ValueError, match="at least 1 neuron"):
        Layer(2, 0)
    with pytest.raises(ValueError, match="nouts is empty"):
        MLP(2, [])


# --- SGD -------------------------------------------------------------------------------------


def test_sgd_step_moves_against_the_gradient() -> None:
    a = Value(1.0, kind=PARAMETER)
    b = Value(-2.0, kind=PARAMETER)
    (a * b).backward()  # a.grad = -2, b.grad = 1
    opt = SGD([a, b], lr=0.1)
    opt.step()
    assert a.data == pytest.approx(1.2)
    assert b.data == pytest.approx(-2.1)
    opt.zero_grad()
    assert a.grad == b.grad == 0.0


def test_sgd_lowers_a_loss() -> None:
    n = hand_neuron("tanh")
    opt = SGD(n.parameters(), lr=0.1)
    losses = []
    for _ in range(5):
        loss = mse([n([1.0, 3.0])], [0.8])
        losses.append(loss.data)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert losses == sorted(losses, reverse=True) and losses[-1] < losses[0]


@pytest.mark.parametrize("lr", [0, -0.1, math.nan])
def test_sgd_rejects_bad_learning_rates(lr: float) -> None:
    with pytest.raises(ValueError, match="learning rate"):
        SGD([], lr=lr)


def test_module_zero_grad() -> None:
    model = MLP(2, [2, 1], seed=0)
    out = model([1.0, 1.0])
    assert isinstance(out, Value)
    (out * out + 1).backward()
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


# --- losses ----------------------------------------------------------------------------------


def test_mse_by_hand() -> None:
    p = [Value(1.0), Value(2.0), Value(4.0)]
    loss = mse(p, [0.0, 2.0, 1.0])  # (1 + 0 + 9) / 3
    assert loss.data == pytest.approx(10 / 3)
    loss.backward()  # d/dp = 2 (p - t) / 3
    assert [v.grad for v in p] == pytest.approx([2 / 3, 0.0, 2.0])


def test_max_margin_loss_by_hand() -> None:
    s = [Value(2.0), Value(0.5), Value(-1.0)]
    loss = max_margin_loss(s, [1, 1, 1])  # relu(-1), relu(0.5), relu(2): (0 + 0.5 + 2) / 3
    assert loss.data == pytest.approx(2.5 / 3)
    loss.backward()
    assert [v.grad for v in s] == pytest.approx([0.0, -1 / 3, -1 / 3])
    assert max_margin_loss([Value(-2.0)], [-1]).data == 0.0
    assert max_margin_loss([Value(2.0)], [-1]).data == 3.0


def test_l2_by_hand() -> None:
    p = [Value(1.0), Value(-2.0)]
    reg = l2(p, alpha=0.5)  # 0.5 * (1 + 4)
    assert reg.data == pytest.approx(2.5)
    reg.backward()
    assert [v.grad for v in p] == pytest.approx([1.0, -2.0])
    assert l2(p).data == pytest.approx(5e-4)


def test_accuracy_by_hand() -> None:
    assert accuracy([Value(0.3), Value(-2.0), -0.1, 0.0], [1, -1, 1, 1]) == 0.5


def test_losses_reject_empty_and_mismatched_input() -> None:
    for loss in (mse, max_margin_loss, accuracy):
        with pytest.raises(ValueError, match="empty"):
            loss([], [])
        with pytest.raises(ValueError, match="must pair up"):
            loss([Value(1.0)], [1, 1])
    with pytest.raises(ValueError, match="at least one parameter"):
        l2([])
    with pytest.raises(ValueError, match="alpha"):
        l2([Value(1.0)], alpha=-1)


def test_labels_must_be_plus_or_minus_one() -> None:
    with pytest.raises(ValueError, match="-1 or \\+1, got 0 at index 1"):
        max_margin_loss([Value(1.0), Value(1.0)], [1, 0])
    with pytest.raises(ValueError, match="-1 or \\+1"):
        accuracy([1.0], [2])


# --- learning ------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_mlp_learns_the_moons() -> None:
    """The demo notebook in small: max-margin loss + L2, full-batch SGD on 50 moons."""
    X, y = make_moons(n=50, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], seed=1)
    opt = SGD(model.parameters(), lr=0.5)
    history = []
    for _ in range(25):
        scores = [model(x) for x in X]
        loss = max_margin_loss(scores, y) + l2(model.parameters())
        history.append((loss.data, accuracy(scores, y)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    (loss_start, acc_start), (loss_end, acc_end) = history[0], history[-1]
    assert loss_end < loss_start / 2
    assert acc_end > acc_start
    assert acc_end >= 0.9
