"""micrograd.graph: to_networkx, layers, analyze, neuron_groups, from_networkx and its errors."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from micrograd.graph import (
    GraphFormatError,
    _fill_multidigraph,
    analyze,
    from_networkx,
    layers,
    natural_key,
    neuron_groups,
    to_networkx,
)
from micrograd.value import Value, constant, topological_order


def classic_neuron() -> Value:
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def by_label(root: Value) -> dict[str, Value]:
    return {node.label: node for node in topological_order(root) if node.label}


# --- to_networkx --------------------------------------------------------------------------


def test_to_networkx_nodes_attributes_and_keyed_edges() -> None:
    o = classic_neuron()
    o.backward()
    G = to_networkx(o)
    order = topological_order(o)
    assert isinstance(G, nx.MultiDiGraph)
    assert list(G) == [node.id for node in order]  # added in topological order
    assert G.graph["root"] == o.id
    for node in order:
        attrs = G.nodes[node.id]
        assert attrs == {
            "id": node.id,
            "name": node.name,
            "label": node.label,
            "op": node._op,
            "kind": node.kind,
            "data": node.data,
            "grad": node.grad,
        }
        parents = [(u, key) for u, _, key in G.in_edges(node.id, keys=True)]
        assert sorted(parents, key=lambda e: e[1]) == [
            (parent.id, k) for k, parent in enumerate(node._prev)
        ]
    assert G.number_of_edges() == sum(len(node._prev) for node in order)


def test_x_times_x_keeps_two_edges() -> None:
    x = Value(3.0, label="x")
    y = x * x
    G = to_networkx(y)
    assert sorted(G.edges(keys=True)) == [(x.id, y.id, 0), (x.id, y.id, 1)]
    assert G.out_degree(x.id) == 2


def test_renumber_uses_topological_positions() -> None:
    a = Value(1.0)
    b = a + 2.0
    G = to_networkx(b, renumber=True)
    assert list(G) == [0, 1, 2]
    assert [G.nodes[i]["id"] for i in G] == [0, 1, 2]
    assert [G.nodes[i]["name"] for i in G] == ["#0", "2.0", "#2"]
    assert sorted(G.edges(keys=True)) == [(0, 2, 0), (1, 2, 1)]
    assert G.graph["root"] == 2


def test_fast_build_equals_the_public_api() -> None:
    x = Value(3.0, label="x")
    y = (x * x - x / 2.0).tanh() + x
    fast = to_networkx(y)
    slow = nx.MultiDiGraph(root=y.id)
    slow.add_nodes_from(fast.nodes(data=True))
    slow.add_edges_from(
        (parent.id, node.id, k, {})
        for node in topological_order(y)
        for k, parent in enumerate(node._prev)
    )
    assert nx.utils.graphs_equal(fast, slow)
    assert list(fast.edges(keys=True, data=True)) == list(slow.edges(keys=True, data=True))
    assert list(fast.pred[y.id]) == list(slow.pred[y.id])
    # And the helper alone, on an empty graph.
    other = nx.MultiDiGraph()
    _fill_multidigraph(other, [(1, {"a": 1}), (2, {})], [(1, 2, 0), (1, 2, 1)])
    assert list(other.edges(keys=True)) == [(1, 2, 0), (1, 2, 1)]
    assert other.in_degree(2) == 2 and other.nodes[1] == {"a": 1}


def chain(n: int) -> Value:
    x = Value(0.5, label="x")
    for _ in range(n - 1):
        x = x.tanh()
    return x


def test_long_chain_without_recursion() -> None:
    root = chain(20_000)
    G = to_networkx(root)
    assert G.number_of_nodes() == 20_000
    info = analyze(G)
    assert info.depth == 19_999 and info.width == 1
    assert len(layers(G)) == 20_000
    rebuilt = from_networkx(G)
    assert rebuilt.data == root.data
    rebuilt.backward()


# --- layers and analyze -------------------------------------------------------------------


def test_layers_are_topological_generations_sorted_by_id() -> None:
    o = classic_neuron()
    v = by_label(o)
    G = to_networkx(o)
    generations = layers(G)
    ids = [node.id for node in topological_order(o)]
    # x1, x2, w1, w2, b are leaves; then the two products; their sum; n; o.
    assert generations[0] == [v[name].id for name in ("x1", "x2", "w1", "w2", "b")]
    assert generations[1] == ids[5:7]
    assert generations[2:] == [[ids[7]], [v["n"].id], [v["o"].id]]
    for layer in generations:
        assert layer == sorted(layer)


def test_analyze_classic_neuron() -> None:
    o = classic_neuron()
    v = by_label(o)
    info = analyze(to_networkx(o))
    assert info.nodes == 10 and info.edges == 9
    assert info.by_op == {"+": 2, "*": 2, "tanh": 1}
    assert info.by_kind == {"input": 5, "operation": 5}
    assert info.depth == 4 and info.layer_count == 5
    assert (info.widest_layer, info.width) == (0, 5)
    assert info.reused == () and info.accumulates == () and info.uses == {}
    assert info.leaves == tuple(v[name].id for name in ("x1", "x2", "w1", "w2", "b"))
    assert info.output == o.id


def test_analyze_reuse_and_accumulation() -> None:
    x = Value(3.0, label="x")
    c = constant(2.0)
    y = x * x + c * x + c
    info = analyze(to_networkx(y))
    assert info.reused == (x.id, c.id)
    assert info.uses == {x.id: 3, c.id: 2}
    assert info.accumulates == (x.id, c.id)  # a constant's gradient adds up too
    assert info.by_kind == {"input": 1, "constant": 1, "operation": 4}


def test_analyze_single_leaf_and_graph_without_root_attribute() -> None:
    info = analyze(to_networkx(Value(1.0)))
    assert (info.nodes, info.edges, info.depth, info.width, info.layer_count) == (1, 0, 0, 1, 1)
    G = nx.MultiDiGraph()
    G.add_edge("a", "c")
    G.add_edge("b", "c")
    assert analyze(G).output == "c"
    G.add_node("d")
    assert analyze(G).output is None


# --- neuron groups ------------------------------------------------------------------------


def neuron(inputs: list[Value], name: str, act: str = "tanh") -> tuple[Value, list[Value]]:
    """A neuron labeled as micrograd.nn labels one."""
    prefix = f"{name}." if name else ""
    ws = [Value(0.1 * (k + 1), label=f"{prefix}w{k}", kind="parameter") for k in range(len(inputs))]
    b = Value(0.5, label=f"{prefix}b", kind="parameter")
    total: Value = ws[0] * inputs[0]
    made = [total]
    for w, x in zip(ws[1:], inputs[1:], strict=True):
        product = w * x
        total = total + product
        made += [product, total]
    total = total + b
    total.label = f"{prefix}n"
    made.append(total)
    out = getattr(total, act)() if act else total
    if act:
        out.label = name or "out"
        made.append(out)
    return out, [*ws, b, *made]


def test_neuron_groups_for_a_small_mlp() -> None:
    xs = [Value(1.0, label="x0"), Value(-2.0, label="x1")]
    hidden = [neuron(xs, f"L0.N{k}") for k in (0, 1, 2, 10)]
    outs = [h[0] for h in hidden]
    final, final_nodes = neuron(outs, "L1.N0")
    loss = (final - 1.0) ** 2
    G = to_networkx(loss)
    groups = neuron_groups(G)
    assert list(groups) == ["L0.N0", "L0.N1", "L0.N2", "L0.N10", "L1.N0"]
    for (_, nodes), name in zip(hidden, ["L0.N0", "L0.N1", "L0.N2", "L0.N10"], strict=True):
        assert groups[name] == sorted(node.id for node in nodes)
    assert groups["L1.N0"] == sorted(node.id for node in final_nodes)
    # Inputs belong to no group; the loss nodes neither.
    grouped = {i for members in groups.values() for i in members}
    assert not grouped & {x.id for x in xs}
    assert loss.id not in grouped


def test_neuron_groups_unnamed_and_linear() -> None:
    xs = [Value(1.0, label="x0")]
    out, nodes = neuron(xs, "")
    assert neuron_groups(to_networkx(out)) == {"out": sorted(node.id for node in nodes)}
    # A linear neuron has no activation: its sum is its output.
    lin, lin_nodes = neuron(xs, "L0.N0", act="")
    assert neuron_groups(to_networkx(lin)) == {"L0.N0": sorted(node.id for node in lin_nodes)}


def test_neuron_groups_empty_without_such_labels() -> None:
    # A b alone, or a w and b that make no o, out or n, are just names in an expression.
    a = Value(1.0, label="a")
    b = Value(2.0, label="b")
    c = a * b
    c.label = "c"
    assert neuron_groups(to_networkx(c)) == {}
    w0 = Value(1.0, label="w0")
    y = w0 * b
    y.label = "y"
    assert neuron_groups(to_networkx(y)) == {}


def test_the_videos_neuron_is_a_group_though_its_weights_are_inputs() -> None:
    graph = to_networkx(classic_neuron())
    groups = neuron_groups(graph)
    assert list(groups) == ["o"]
    labels = [graph.nodes[node]["label"] for node in groups["o"]]
    # The weights, the bias, the three unlabeled sums and products, n and o; not the inputs.
    assert labels == ["w1", "w2", "b", "", "", "", "n", "o"]


def test_natural_key() -> None:
    names = ["L0.N10", "L1.N0", "L0.N2", "out", "L0.N1"]
    assert sorted(names, key=natural_key) == ["L0.N1", "L0.N2", "L0.N10", "L1.N0", "out"]


# --- from_networkx ------------------------------------------------------------------------


def test_from_networkx_round_trip_gives_same_gradients() -> None:
    o = classic_neuron()
    o.backward()
    copy = from_networkx(to_networkx(o))
    copy.backward()
    old, new = topological_order(o), topological_order(copy)
    assert [(n._op, n.label, n.kind, n.data) for n in old] == [
        (n._op, n.label, n.kind, n.data) for n in new
    ]
    assert [n.grad for n in old] == [n.grad for n in new]
    for a, b in zip(old, new, strict=True):
        assert [old.index(p) for p in a._prev] == [new.index(p) for p in b._prev]


def test_from_networkx_keeps_duplicate_operands_and_grads_option() -> None:
    x = Value(3.0, label="x")
    y = x * x
    y.backward()
    copy = from_networkx(to_networkx(y))
    assert copy._prev[0] is copy._prev[1]
    assert copy.grad == 0.0  # a fresh graph
    copy.backward()
    assert copy._prev[0].grad == 6.0
    restored = from_networkx(to_networkx(y), grads=True)
    assert (restored.grad, restored._prev[0].grad) == (1.0, 6.0)


def test_from_networkx_digraph_with_position_attributes() -> None:
    G = nx.DiGraph()
    G.add_node("a", op="", data=5.0, label="a")
    G.add_node("b", op="", data=2.0, label="b")
    G.add_node("d", op="-", data=3.0, label="d")
    G.add_edge("b", "d", position=1)
    G.add_edge("a", "d", position=0)
    d = from_networkx(G)
    assert [p.label for p in d._prev] == ["a", "b"]
    assert d.kind == "operation" and d._prev[0].kind == "input"


def valid_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node(0, op="", data=2.0, label="a", kind="input")
    G.add_node(1, op="", data=3.0, label="b", kind="parameter")
    G.add_node(2, op="*", data=6.0, label="c", kind="operation")
    G.add_edge(0, 2, key=0)
    G.add_edge(1, 2, key=1)
    return G


def test_valid_graph_is_accepted() -> None:
    c = from_networkx(valid_graph())
    assert (c.label, c.data, c._prev[1].kind) == ("c", 6.0, "parameter")


def break_unknown_op(G: nx.MultiDiGraph) -> None:
    G.nodes[2]["op"] = "tanhh"


def break_missing_position(G: nx.MultiDiGraph) -> None:
    G.remove_edge(1, 2, key=1)


def break_duplicate_position(G: nx.MultiDiGraph) -> None:
    G.remove_edge(1, 2, key=1)
    G.add_edge(1, 2, key=0)


def break_extra_position(G: nx.MultiDiGraph) -> None:
    G.add_node(3, op="", data=1.0)
    G.add_edge(3, 2, key=2)


def break_leaf_with_operand(G: nx.MultiDiGraph) -> None:
    G.add_node(3, op="", data=1.0)
    G.add_edge(3, 0, key=0)


def break_two_outputs(G: nx.MultiDiGraph) -> None:
    G.add_node(3, op="", data=1.0, label="stray")


def break_cycle_with_output(G: nx.MultiDiGraph) -> None:
    G.add_node(3, op="neg", data=1.0)
    G.add_node(4, op="neg", data=1.0)
    G.add_edge(3, 4, key=0)
    G.add_edge(4, 3, key=0)
    G.add_node(5, op="+", data=0.0)
    G.add_edge(2, 5, key=0)
    G.add_edge(4, 5, key=1)


def break_cycle_everywhere(G: nx.MultiDiGraph) -> None:
    G.clear()
    G.add_node(0, op="neg", data=1.0)
    G.add_node(1, op="neg", data=1.0)
    G.add_edge(0, 1, key=0)
    G.add_edge(1, 0, key=0)


def break_data(G: nx.MultiDiGraph) -> None:
    G.nodes[0]["data"] = "2.0"


def break_missing_data(G: nx.MultiDiGraph) -> None:
    del G.nodes[1]["data"]


def break_kind(G: nx.MultiDiGraph) -> None:
    G.nodes[0]["kind"] = "weight"


def break_op_kind(G: nx.MultiDiGraph) -> None:
    G.nodes[2]["kind"] = "input"


def break_leaf_kind(G: nx.MultiDiGraph) -> None:
    G.nodes[0]["kind"] = "operation"


def break_label(G: nx.MultiDiGraph) -> None:
    G.nodes[0]["label"] = 7


def break_root(G: nx.MultiDiGraph) -> None:
    G.graph["root"] = 0


def break_position_type(G: nx.MultiDiGraph) -> None:
    G.remove_edge(1, 2, key=1)
    G.add_edge(1, 2, key="1")


@pytest.mark.parametrize(
    ("breaker", "message"),
    [
        (break_unknown_op, r"node 2 \('c'\): unknown op 'tanhh' \(ops: \+, -, \*"),
        (break_missing_position, r"node 2 \('c'\): op '\*' takes 2 operands, got 1 \(missing "
         r"position 1\)"),
        (break_duplicate_position, r"node 2 \('c'\): two operands at position 0 \(from 0 and 1\)"),
        (break_extra_position, r"node 2 \('c'\): .*unexpected position 2"),
        (break_leaf_with_operand, r"node 0 \('a'\): a leaf \(no op\) takes no operands, got 1"),
        (break_two_outputs, r"2 outputs \(nodes nothing uses: 2, 3\)"),
        (break_cycle_with_output, r"cycle through node [34]"),
        (break_cycle_everywhere, r"the graph has a cycle through node [01]"),
        (break_data, r"node 0 \('a'\): data must be a number, got '2.0'"),
        (break_missing_data, r"node 1 \('b'\): no 'data' attribute"),
        (break_kind, r"node 0 \('a'\): unknown kind 'weight'"),
        (break_op_kind, r"node 2 \('c'\): an op node must have kind 'operation', not 'input'"),
        (break_leaf_kind, r"node 0 \('a'\): a leaf \(no op\) cannot have kind 'operation'"),
        (break_label, r"node 0 \(7\): label must be a string, got 7"),
        (break_root, r"root is 0, but its output is node 2"),
        (break_position_type, r"operand position '1'; positions are 0 or 1"),
    ],
)
def test_from_networkx_rejects_invalid_graphs(breaker, message) -> None:
    G = valid_graph()
    breaker(G)
    with pytest.raises(GraphFormatError, match=message):
        from_networkx(G)


def test_from_networkx_rejects_other_graph_types() -> None:
    with pytest.raises(GraphFormatError, match="empty"):
        from_networkx(nx.MultiDiGraph())
    with pytest.raises(GraphFormatError, match="directed"):
        from_networkx(nx.Graph([(0, 1)]))
    G = nx.DiGraph()
    G.add_node(0, data=1.0)
    G.add_node(1, data=1.0, op="neg")
    G.add_edge(0, 1)
    with pytest.raises(GraphFormatError, match=r"edge 0 -> 1 has no 'position' attribute"):
        from_networkx(G)
    assert issubclass(GraphFormatError, ValueError)


def test_from_networkx_accepts_non_finite_numbers() -> None:
    G = valid_graph()
    G.nodes[0]["data"] = math.inf
    G.nodes[2]["data"] = math.inf
    assert from_networkx(G).data == math.inf
