"""micrograd.export: golden files, escaping, round trips, determinism and large graphs.

The golden files hold every format for the classic neuron. To write them again after a
deliberate change, run ``UPDATE_GOLDEN=1 uv run pytest tests/micrograd/test_export.py`` and read
the diff before committing it.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import sys
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd.export import (
    FORMATS,
    MAX_INDENT,
    UnknownFormatError,
    export,
    iter_export,
    load_json,
    to_dot,
    to_graphml,
    to_json,
    to_mermaid,
    to_text,
    to_trace,
    to_tree,
)
from micrograd.fmt import fmt_number
from micrograd.graph import GraphFormatError, analyze, from_networkx, to_networkx
from micrograd.value import Value, constant, topological_order

GOLDEN = Path(__file__).parent / "golden"

HOSTILE_LABELS = [
    'a"b',
    "}{|<>",
    "line\nbreak",
    "cr\r\nlf\rx",
    "</script>",
    "back\\slash\\",
    "\\N\\G\\l",
    "tab\there",
    "nul\x00bell\x07",
    "#quot; #35; %% $$x$$",
    "[x](y){z}",
    "é σ 漢字 🙂",
    "\u2028\u202e\x85",
    "  spaced  ",
    "--> ;",
]


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
    o.backward()
    return o


def square() -> tuple[Value, Value]:
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    y.backward()
    return x, y


def mixed(n: int = 3) -> Value:
    """Unlabeled nodes, constants, shared nodes, every kind of op: for determinism."""
    a = Value(0.5)
    b = Value(-1.5, kind="parameter")
    out = a
    for k in range(n):
        out = (out * b + k).tanh() - a / 2.0 + (a**2).exp().log() + out.sigmoid().relu()
    out = out.sin() * out.cos() + (-out)
    out.backward()
    return out


# --- golden files -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_golden_classic_neuron(fmt: str) -> None:
    path = GOLDEN / f"neuron.{fmt}"
    text = export(classic_neuron(), fmt)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1"
    assert text == path.read_bytes().decode("utf-8")


def test_classic_neuron_numbers_in_exports() -> None:
    o = classic_neuron()
    assert "x1 = 2.0 (grad -1.5) [input]" in to_tree(o)
    assert "w1 = -3.0 (grad 1.0) [input]" in to_text(o)
    assert '{ o | data 0.7071 | grad 1.0 }' in to_dot(o)
    trace = to_trace(o)
    assert ("x1.grad += d#5/dx1 * #5.grad = w1 * #5.grad = -3.0 * 0.5 = -1.5"
            "   (x1.grad: 0.0 → -1.5)") in trace
    assert re.search(r"^x1\s+input\s+2.0\s+-1.5$", trace, re.M)


# --- every format ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_deterministic_and_free_of_ids(fmt: str) -> None:
    first, second = mixed(), mixed()
    assert first.id != second.id
    text = export(first, fmt)
    assert text == export(first, fmt)
    assert text == export(second, fmt)  # ids differ, the export does not
    assert f"#{first.id}" not in text


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_iter_export_gives_the_same_text(fmt: str) -> None:
    o = classic_neuron()
    assert "".join(iter_export(o, fmt)) == export(o, fmt)


def test_unknown_format() -> None:
    with pytest.raises(UnknownFormatError, match=r"unknown export format 'png' \(formats: text, "
                       r"tree, dot, mermaid, json, graphml, trace, svg, pytorch\)"):
        export(Value(1.0), "png")
    with pytest.raises(ValueError):
        iter_export(Value(1.0), "pdf")


def test_x_times_x_keeps_two_edges_in_every_format() -> None:
    _, y = square()
    assert "[x * x]" in to_text(y)
    assert to_tree(y) == "y = 9.0 (grad 1.0) [x * x]\n  x = 3.0 (grad 6.0) [input]\n  ↑ see x\n"
    dot = to_dot(y)
    assert dot.count("n0 -> op1") == 2
    assert dot.count('n0 -> op1 [label="dy/dx = x = 3.0"];') == 2
    mermaid = to_mermaid(y)
    assert mermaid.count('n0 -->|"dy/dx = x = 3.0"| op1') == 2
    edges = json.loads(to_json(y))["edges"]
    assert [(e["source"], e["target"], e["key"]) for e in edges] == [(0, 1, 0), (0, 1, 1)]
    assert to_graphml(y).count('<edge source="0" target="1"') == 2
    trace = to_trace(y)
    # Both uses pass their share, and the running total shows the += adding up.
    assert ("x.grad += dy/dx * y.grad = x * y.grad = 3.0 * 1.0 = 3.0"
            "   (x.grad: 0.0 → 3.0; use 1 of 2 in x * x)") in trace
    assert ("x.grad += dy/dx * y.grad = x * y.grad = 3.0 * 1.0 = 3.0"
            "   (x.grad: 3.0 → 6.0; use 2 of 2 in x * x)") in trace


def test_shared_nodes_are_referenced_not_repeated() -> None:
    x = Value(3.0, label="x")
    c = Value(2.0, label="c")
    y = x * x + c * x
    y.label = "y"
    text = to_text(y)
    assert text.count("x = 3.0") == 1
    assert "x = 3.0 (grad 0.0) [input] ╾ #3\n" in text  # the back reference names the user
    assert "└─╼  ..." in text
    tree = to_tree(y)
    assert tree.count("x = 3.0") == 1 and tree.count("↑ see x") == 2


# --- dot ----------------------------------------------------------------------------------

DOT_NODE = re.compile(r'^  (n\d+|op\d+) \[(shape=record, )?label="((?:[^"\\\n]|\\.)*)"\];$')
DOT_EDGE = re.compile(r'^  (n\d+|op\d+) -> (n\d+|op\d+)( \[label="(?:[^"\\\n]|\\.)*"\])?;$')
DOT_UNESCAPE = {"n": "\n", "\\": "\\", '"': '"', "{": "{", "}": "}", "|": "|", "<": "<", ">": ">"}


def parse_record(label: str) -> list[str]:
    """The fields of a DOT record label, unescaped; fails on any unescaped special."""
    assert label.startswith("{ ") and label.endswith(" }"), label
    fields, current = [], []
    body = label[1:-1]
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            nxt = body[i + 1]
            assert nxt in DOT_UNESCAPE, f"unexpected escape \\{nxt} in {label!r}"
            current.append(DOT_UNESCAPE[nxt])
            i += 2
            continue
        assert ch not in '{}<>"', f"unescaped {ch!r} in {label!r}"
        if ch == "|":
            fields.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    fields.append("".join(current))
    return [field.strip(" ") for field in fields]


def dot_lines_are_well_formed(dot: str) -> list[list[str]]:
    lines = dot.split("\n")
    assert lines[:3] == ["digraph micrograd {", "  graph [rankdir=LR];",
                         '  node [fontname="monospace"];']
    assert lines[-2:] == ["}", ""]
    records = []
    for line in lines[3:-2]:
        node = DOT_NODE.match(line)
        if node:
            if node[2]:
                records.append(parse_record(node[3]))
            continue
        assert DOT_EDGE.match(line), f"not a node or edge statement: {line!r}"
    return records


def shown(label: str) -> str:
    """How a label should read in a drawing: line breaks kept, other unprintables escaped."""
    label = label.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch if ch.isprintable() or ch == "\n" else repr(ch)[1:-1] for ch in label)


def hostile_graph() -> tuple[Value, list[Value]]:
    leaves = [Value(float(k), label=label) for k, label in enumerate(HOSTILE_LABELS)]
    total = leaves[0]
    for leaf in leaves[1:]:
        total = total + leaf
        total.label = leaf.label[::-1]
    return total, leaves


def test_dot_escapes_hostile_labels() -> None:
    root, _ = hostile_graph()
    records = dot_lines_are_well_formed(to_dot(root))
    names = [shown(node.label) for node in topological_order(root)]
    assert [fields[0] for fields in records] == [name.strip(" ") for name in names]
    assert all(len(fields) == 3 for fields in records)


def test_dot_escaping_precisely() -> None:
    a = Value(1.0, label='a"b\\c{d}|<e>\nf')
    dot = to_dot(a)
    assert 'label="{ a\\"b\\\\c\\{d\\}\\|\\<e\\>\\nf | data 1.0 | grad 0.0 }"' in dot
    nul = to_dot(Value(1.0, label="x\x00"))
    assert "{ x\\\\x00 |" in nul


# --- mermaid ------------------------------------------------------------------------------

MERMAID_NODE = re.compile(r'^  n(\d+)\["([^"\n]*)"\]$')
MERMAID_OP = re.compile(r'^  op(\d+)\(\("([^"\n]*)"\)\)$')
MERMAID_EDGE = re.compile(r'^  (n|op)\d+ -->(\|"([^"\n]*)"\|)? (n|op)\d+$')
ENTITY = re.compile(r"#(quot|lt|gt|amp|\d+);")
NAMED = {"quot": '"', "lt": "<", "gt": ">", "amp": "&"}


def decode_mermaid(text: str) -> str:
    rest = ENTITY.sub("", text)
    for bad in "\"<>[](){}|%$#;&`\n\r":
        assert bad not in rest, f"raw {bad!r} in mermaid text {text!r}"
    assert all(ch.isprintable() for ch in rest)
    return ENTITY.sub(lambda m: NAMED.get(m[1]) or chr(int(m[1])), text)


def test_mermaid_escapes_hostile_labels() -> None:
    root, _ = hostile_graph()
    mermaid = to_mermaid(root)
    lines = mermaid.split("\n")
    assert lines[0] == "flowchart LR" and lines[-1] == ""
    order = topological_order(root)
    for line in lines[1:-1]:
        if node := MERMAID_NODE.match(line):
            name, data, grad = node[2].split("<br>")
            assert decode_mermaid(name) == order[int(node[1])].label
            assert decode_mermaid(data).startswith("data ")
        elif op := MERMAID_OP.match(line):
            assert decode_mermaid(op[2]) == "+"
        else:
            edge = MERMAID_EDGE.match(line)
            assert edge, f"not a mermaid statement: {line!r}"
            if edge[3] is not None:
                assert decode_mermaid(edge[3]).endswith(" = 1")  # d(a+b)/da, in their names
    assert "</script>" not in mermaid and "#lt;/script#gt;" in mermaid


def test_mermaid_ids_are_generated_not_from_labels() -> None:
    a = Value(1.0, label="n0")
    b = a.exp()
    b.label = "op1"
    mermaid = to_mermaid(b)
    assert mermaid.splitlines()[1:3] == ['  n0["n0<br>data 1.0<br>grad 0.0"]',
                                         '  n1["op1<br>data 2.718<br>grad 0.0"]']


# --- json ---------------------------------------------------------------------------------


def assert_same_graph(old_root: Value, new_root: Value) -> None:
    old, new = topological_order(old_root), topological_order(new_root)
    assert [(n._op, n.label, n.kind) for n in old] == [(n._op, n.label, n.kind) for n in new]
    for a, b in zip(old, new, strict=True):
        assert a.data == b.data or (math.isnan(a.data) and math.isnan(b.data))
        assert [old.index(p) for p in a._prev] == [new.index(p) for p in b._prev]


@pytest.mark.parametrize("build", [classic_neuron, lambda: square()[1], mixed])
def test_json_round_trip(build) -> None:
    root = build()
    text = to_json(root)
    data = json.loads(text)
    assert (data["format"], data["version"]) == ("micrograd-graph", 1)
    loaded = load_json(text)
    assert_same_graph(root, loaded)
    assert all(n.grad == 0.0 for n in topological_order(loaded))
    loaded.backward()
    assert [n.grad for n in topological_order(root)] == [n.grad for n in topological_order(loaded)]
    assert to_json(loaded) == text  # grads after one backward: the same export


def test_json_hostile_labels_round_trip() -> None:
    root, _ = hostile_graph()
    text = to_json(root)
    assert text.isascii()
    loaded = load_json(text)
    assert [n.label for n in topological_order(loaded)] == [
        n.label for n in topological_order(root)
    ]


def test_json_non_finite_numbers_are_strings() -> None:
    a = Value(math.inf, label="a")
    b = Value(-math.inf, label="b")
    c = a + b  # nan
    c.label = "c"
    c.backward()
    text = to_json(c)

    def reject(token: str) -> None:
        raise AssertionError(f"invalid JSON token {token}")

    data = json.loads(text, parse_constant=reject)  # strict JSON: no NaN or Infinity
    assert [node["data"] for node in data["nodes"]] == ["inf", "-inf", "nan"]
    loaded = load_json(text)
    assert [n.data for n in topological_order(loaded)][:2] == [math.inf, -math.inf]
    assert math.isnan(loaded.data)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", r"not valid JSON: line 1, col 2"),
        ("[]", r'not a micrograd graph: no "format": "micrograd-graph" marker'),
        ('{"format": "micrograd-graph", "version": 2}', r"unsupported version 2"),
        ('{"format": "micrograd-graph", "version": 1}', r'needs "nodes" and "edges" lists'),
        ('{"format": "micrograd-graph", "version": 1, "nodes": [{"x": 1}], "edges": []}',
         r'nodes\[0\]: a node is an object with an "id"'),
        ('{"format": "micrograd-graph", "version": 1, "nodes": [{"id": 0}, {"id": 0}], '
         '"edges": []}', r"nodes\[1\]: node 0 appears twice"),
        ('{"format": "micrograd-graph", "version": 1, "nodes": [{"id": 0}], '
         '"edges": [{"source": 0, "target": 1}]}', r'edges\[0\]: an edge is an object with'),
        ('{"format": "micrograd-graph", "version": 1, "nodes": [{"id": 0}], '
         '"edges": [{"source": 0, "target": 1, "key": 0}]}', r"edges\[0\]: target 1 is not a"),
        ('{"format": "micrograd-graph", "version": 1, "nodes": [{"id": 0, "data": 1.0, '
         '"op": "sqrt"}], "edges": []}', r"node 0: unknown op 'sqrt'"),
    ],
)
def test_load_json_errors(text: str, message: str) -> None:
    with pytest.raises(GraphFormatError, match=message):
        load_json(text)


# --- graphml ------------------------------------------------------------------------------


def read_graphml(text: str) -> nx.Graph:
    return nx.read_graphml(io.BytesIO(text.encode("utf-8")))


def test_graphml_reads_back_with_networkx() -> None:
    o = classic_neuron()
    G = read_graphml(to_graphml(o))
    ref = to_networkx(o, renumber=True)
    assert G.number_of_nodes() == ref.number_of_nodes() == 10
    assert G.number_of_edges() == ref.number_of_edges() == 9
    for i, attrs in ref.nodes(data=True):
        assert G.nodes[str(i)] == attrs
    assert G.graph["root"] == 9
    assert_same_graph(o, from_networkx(G))


def test_graphml_keeps_duplicate_edges_and_round_trips() -> None:
    x, y = square()
    G = read_graphml(to_graphml(y))
    assert G.is_multigraph()
    assert sorted(G.edges(keys=True, data="position")) == [("0", "1", 0, 0), ("0", "1", 1, 1)]
    copy = from_networkx(G)
    copy.backward()
    assert copy._prev[0] is copy._prev[1] and copy._prev[0].grad == x.grad == 6.0


def test_graphml_hostile_labels() -> None:
    root, _ = hostile_graph()
    G = read_graphml(to_graphml(root))
    xml_safe = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    expected = [xml_safe.sub("\ufffd", n.label) for n in topological_order(root)]
    assert [G.nodes[str(i)]["label"] for i in range(len(expected))] == expected


@pytest.mark.parametrize("build", [classic_neuron, lambda: square()[1], mixed,
                                   lambda: hostile_graph()[0]])
def test_graphml_is_what_networkx_writes(build) -> None:
    root = build()
    G = to_networkx(root, renumber=True)
    G.graph.update(format="micrograd-graph", version=1)
    xml_safe = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    for _, attrs in G.nodes(data=True):
        attrs["label"] = xml_safe.sub("\ufffd", attrs["label"])
        attrs["name"] = xml_safe.sub("\ufffd", attrs["name"])
    for _, _, key, attrs in G.edges(keys=True, data=True):
        attrs["position"] = key
    buffer = io.BytesIO()
    nx.write_graphml(G, buffer, encoding="utf-8")
    assert to_graphml(root).encode("utf-8") == buffer.getvalue().replace(b"\r", b"&#13;")


# --- text, tree and trace -----------------------------------------------------------------


def test_text_formats_keep_one_node_a_line_with_hostile_labels() -> None:
    root, leaves = hostile_graph()
    n = len(topological_order(root))
    for text in (to_text(root), to_tree(root)):
        assert text.count("\n") == n
        assert text.count("(grad ") == n
    assert "line\\nbreak = 2.0" in to_tree(root)


def sum_of_products(n: int) -> Value:
    total = Value(0.0, label="s")
    for k in range((n - 1) // 4):
        total = total + Value(float(k)) * Value(0.5)
    return total


def test_deep_graphs_continue_in_sections() -> None:
    root = sum_of_products(400)  # depth 100: more than MAX_INDENT
    n = len(topological_order(root))
    tree = to_tree(root)
    assert tree.count("(grad ") == n
    assert "↓ see" in tree
    assert max(len(line) - len(line.lstrip(" ")) for line in tree.splitlines()) <= 2 * (
        MAX_INDENT + 1
    )
    text = to_text(root)
    assert text.count("(grad ") == n
    assert "→ see" in text
    assert max(len(line) for line in text.splitlines()) < 4 * (MAX_INDENT + 2) + 60


def test_trace_uses_the_stepper_and_leaves_the_graph_alone() -> None:
    x = Value(2.0, label="x")
    y = (x * 3.0 + x).tanh()
    y.backward()
    y.backward()  # leaves accumulate: x.grad is now twice one backward
    before = [(n.data, n.grad) for n in topological_order(y)]
    trace = to_trace(y)
    assert [(n.data, n.grad) for n in topological_order(y)] == before
    lines = trace.splitlines()
    assert lines[0] == "trace of #4 = tanh(#3)"
    assert lines[1] == "5 nodes (2 leaves, 3 ops), 7 steps: 3 forward, 1 seed, 3 backward"
    assert "step 1/7  forward   #2 = x * 3.0 = 2.0 * 3.0 = 6.0" in lines
    assert "step 4/7  backward  #4.grad = d#4/d#4 = 1.0   (#4.grad: 0.0 → 1.0)" in lines
    assert any("(3.0).grad += d#2/d(3.0) * #2.grad = x * #2.grad" in line for line in lines)
    once = Value(2.0, label="x")
    (once * 3.0 + once).tanh().backward()
    assert x.grad == 2 * once.grad
    table = lines[lines.index("gradients (every node, in topological order)"):]
    assert re.search(rf"^x +input +2\.0 +{re.escape(fmt_number(once.grad))}$", "\n".join(table),
                     re.M)
    assert any(re.match(r"3\.0 +constant +3\.0 +\S", line) for line in table)


def test_trace_of_a_leaf() -> None:
    trace = to_trace(Value(1.0, label="a"))
    assert trace.startswith("trace of a\n1 node (1 leaf, 0 ops), 1 step:")
    assert "step 1/1  backward  a.grad = da/da = 1.0   (a.grad: 0.0 → 1.0)" in trace


# --- large graphs -------------------------------------------------------------------------


def long_chain(n: int) -> Value:
    x = Value(0.5, label="x")
    for _ in range(n - 1):
        x = x.tanh()
    return x


#: Three times deeper than Python's stack may go: 3,000 levels at the default limit.
DEEP = 3 * sys.getrecursionlimit()


def deep_graphs() -> tuple[Value, Value]:
    """A chain, and a sum whose every term is a product, each DEEP operations deep."""
    return long_chain(DEEP + 1), sum_of_products(4 * DEEP + 1)


def test_the_deep_graphs_are_as_deep_as_they_say() -> None:
    for root in deep_graphs():
        assert analyze(to_networkx(root)).depth >= DEEP


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_large_graphs_export_without_recursion(fmt: str) -> None:
    """Graphs deeper than Python's stack may go: an export that recursed node by node would
    raise RecursionError."""
    for root in deep_graphs():
        text = export(root, fmt)
        assert text.endswith("\n")
        assert len(text) > DEEP


def test_large_json_round_trip() -> None:
    root = sum_of_products(20_000)
    loaded = load_json(to_json(root))
    assert loaded.data == root.data
    assert len(topological_order(loaded)) == len(topological_order(root))


def test_constants_get_their_value_as_name() -> None:
    c = constant(2.5)
    y = Value(1.0, label="a") * c
    assert "[a * 2.5]" in to_tree(y)


# --- load_json refuses what is malformed or impossible, always as GraphFormatError ----------


def _square_json() -> dict:
    a = Value(2.0, label="a")
    b = a * a
    b.label = "b"
    return json.loads(to_json(b))


def _two_leaves(op: str, x: float, y: float) -> str:
    return json.dumps({
        "format": "micrograd-graph", "version": 1, "graph": {"root": 2},
        "nodes": [{"id": 0, "data": x}, {"id": 1, "data": y},
                  {"id": 2, "op": op, "kind": "operation", "data": 1.0}],
        "edges": [{"source": 0, "target": 2, "key": 0}, {"source": 1, "target": 2, "key": 1}],
    })


def _changed(change) -> str:
    data = _square_json()
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_changed(lambda d: d.__setitem__("graph", None)), '"graph" must be an object'),
        (_changed(lambda d: d["edges"][0].__setitem__("source", [1])), "source must be a node"),
        (_changed(lambda d: d["edges"][0].__setitem__("key", "x")), "key"),
        (_changed(lambda d: d["nodes"][0].__setitem__("data", 10**400)), "too large for a float"),
        ('{"format": "micrograd-graph", "version": 1, "nodes": [{"id": 0, "data": '
         + "9" * 5000 + "}], \"edges\": []}", "too many digits"),
        ("[" * 100_000, "nested too deeply"),
        (_two_leaves("**", -8.0, 0.5), "negative base"),
        (_two_leaves("/", 1.0, 0.0), "division by zero"),
        (_two_leaves("log", 1.0, 0.0), "takes 1 operand"),
    ],
)
def test_load_json_refuses_with_a_graph_format_error(text: str, message: str) -> None:
    with pytest.raises(GraphFormatError, match=re.escape(message)):
        load_json(text)


def test_load_json_recomputes_op_values_from_the_op_table() -> None:
    data = _square_json()
    data["nodes"][1]["data"] = 123.0  # a stale or edited value of b = a * a
    b = load_json(json.dumps(data))
    assert b.data == 4.0


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=8,
)


@settings(max_examples=150)
@given(data=st.data())
def test_load_json_never_fails_with_anything_but_a_graph_format_error(data) -> None:
    """Any one field of a valid export replaced by any JSON value: loaded or refused cleanly."""
    document = _square_json()
    section = data.draw(st.sampled_from(["top", "graph", "nodes", "edges"]))
    value = data.draw(_JSON_VALUES)
    if section == "top":
        key = data.draw(st.sampled_from(["format", "version", "nodes", "edges", "graph"]))
        document[key] = value
    elif section == "graph":
        document["graph"]["root"] = value
    else:
        item = data.draw(st.sampled_from(document[section]))
        item[data.draw(st.sampled_from(sorted(item)))] = value
    try:
        root = load_json(json.dumps(document))
    except GraphFormatError:
        return
    assert isinstance(root, Value)


@pytest.mark.parametrize("build", [classic_neuron, lambda: square()[1], mixed,
                                   lambda: hostile_graph()[0], lambda: Value(1.0, label="a")])
def test_json_is_networkx_node_link_data(build) -> None:
    """``iter_json`` writes the node-link data itself, streamed; it must be exactly what
    ``nx.node_link_data`` of ``to_networkx(renumber=True)`` gives."""
    root = build()
    root.backward()
    data = nx.node_link_data(to_networkx(root, renumber=True), edges="edges")
    for node in data["nodes"]:
        for field in ("data", "grad"):
            if not math.isfinite(node[field]):
                node[field] = repr(node[field])
    expected = {"format": "micrograd-graph", "version": 1, **data}
    assert json.loads(to_json(root)) == expected
    assert list(json.loads(to_json(root))) == list(expected)


def _text_by_networkx(root: Value) -> str:
    """The text export as it was first written: through ``nx.generate_network_text``."""
    from micrograd.export import MAX_INDENT
    from micrograd.numbered import NumberedGraph

    graph = NumberedGraph(root)
    display = nx.DiGraph()
    for i in range(len(graph)):
        display.add_node(i, label=f"\0{i}\0")
    level = [0] * len(graph)
    for i in range(len(graph) - 1, -1, -1):
        for p in graph.parents(i):
            level[p] = max(level[p], level[i] + 1)
    sections: set[int] = set()
    stubs = 0
    for i in range(len(graph) - 1, -1, -1):
        block = level[i] // MAX_INDENT
        for p in graph.parents(i):
            if level[p] // MAX_INDENT == block:
                display.add_edge(i, p)
            else:
                stub = ("see", stubs)
                stubs += 1
                display.add_node(stub, label=f"→ see {graph.names[p]}")
                display.add_edge(i, stub)
                sections.add(p)
    sources = [graph.index[root], *sorted(sections, key=lambda p: (level[p], p))]
    out = []
    for line in nx.generate_network_text(display, with_labels=True, sources=sources):
        if "\0" in line:
            parts = line.split("\0")
            parts[1] = graph.summary(int(parts[1]))
            for k in range(3, len(parts), 2):
                parts[k] = graph.names[int(parts[k])]
            line = "".join(parts)
        out.append(line + "\n")
    return "".join(out)


@settings(max_examples=80)
@given(data=st.data())
def test_text_is_what_networkx_draws(data) -> None:
    """Random graphs with shared nodes and long chains: our drawing equals NetworkX's."""
    leaves = [Value(float(k), label=f"x{k}") for k in range(data.draw(st.integers(1, 4)))]
    nodes = list(leaves)
    for _ in range(data.draw(st.integers(0, 90))):
        a = data.draw(st.sampled_from(nodes))
        if data.draw(st.booleans()):
            nodes.append(a.tanh())
        else:
            nodes.append(a + data.draw(st.sampled_from(nodes)))
    root = nodes[-1]
    assert to_text(root) == _text_by_networkx(root)


def test_text_of_a_deep_chain_is_what_networkx_draws() -> None:
    x = Value(0.5, label="x")
    y = x
    for _ in range(200):
        y = y * x + 1.0
    assert to_text(y) == _text_by_networkx(y)


def test_dot_escapes_ampersands_so_graphviz_decodes_no_entity() -> None:
    dot = to_dot(Value(1.0, label="a&lt;b&#x1b;c&"))
    assert "{ a&amp;lt;b&amp;#x1b;c&amp; |" in dot


HOSTILE_DOT_LABELS = ["a&lt;b", "e&#x1b;[31mred", "&amp;", "q\"<>{}|\\", "t\tab\u2028ls",
                      "nl\nx", "\x1b]0;title\x07"]


@pytest.mark.skipif(not __import__("shutil").which("dot"), reason="Graphviz (dot) not installed")
def test_hostile_labels_through_graphviz_stay_text() -> None:
    """Rendered by Graphviz itself: the SVG parses, holds no control character, and shows
    each label's entity text as written (issue 27.13)."""
    import subprocess
    import xml.etree.ElementTree as ET

    total = Value(0.0, label="sum")
    for k, label in enumerate(HOSTILE_DOT_LABELS):
        leaf = Value(float(k), label=label)
        total = total + leaf
    svg = subprocess.run(["dot", "-Tsvg"], input=to_dot(total), capture_output=True,
                         text=True, timeout=60, check=True).stdout
    assert not any(ch in svg for ch in "\x1b\x07\x00")
    texts = "".join(t.text or "" for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"))
    assert "a&lt;b" in texts and "e&#x1b;[31mred" in texts and "&amp;" in texts
