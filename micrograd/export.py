"""Exports: a graph as text, an outline, DOT, Mermaid, JSON, GraphML, a lesson, SVG, or a
PyTorch script that checks its grads.

Every format is a ``Format`` in ``FORMATS``: its generator of text pieces, its file extension
and a line on what it is for. ``export(root, fmt)`` gives the whole text, ``iter_export``
the same text in pieces, so a large graph never needs one giant string.

All exports are deterministic: the same graph gives byte-identical output, also when built
again. They never show ``Value.id`` (a counter over the whole process): nodes are numbered
by topological position ``0..n-1``, and an unlabeled node is named ``#<position>`` (a
constant by its value). Every operand is an edge, so ``x * x`` shows two. Nothing
recurses on the graph's size.

    >>> from micrograd import Value
    >>> x = Value(3.0, label='x')
    >>> y = x * x; y.label = 'y'
    >>> print(export(y, 'tree'), end='')
    y = 9.0 (grad 0.0) [x * x]
      x = 3.0 (grad 0.0) [input]
      ↑ see x
"""

from __future__ import annotations

import json
import string
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import networkx as nx

from micrograd.draw import iter_svg as draw_svg
from micrograd.fmt import fmt_number
from micrograd.graph import GraphFormatError, from_networkx, paused_gc
from micrograd.json_pieces import loads_in_pieces
from micrograd.numbered import NumberedGraph, xml_text
from micrograd.pytorch_script import UnsupportedGraphError, iter_pytorch
from micrograd.stepper import Stepper
from micrograd.value import Value

__all__ = [
    "FORMATS",
    "Format",
    "JSON_FORMAT",
    "JSON_VERSION",
    "MAX_INDENT",
    "UnknownFormatError",
    "UnsupportedGraphError",
    "export",
    "iter_dot",
    "iter_export",
    "iter_graphml",
    "iter_json",
    "iter_mermaid",
    "iter_pytorch",
    "iter_svg",
    "iter_text",
    "iter_trace",
    "iter_tree",
    "load_json",
    "to_dot",
    "to_graphml",
    "to_json",
    "to_mermaid",
    "to_text",
    "to_trace",
    "to_tree",
]

#: The ``format`` and ``version`` markers of a JSON export.
JSON_FORMAT = "micrograd-graph"
JSON_VERSION = 1

#: How deep an outline goes before the rest of a branch continues in a section of its own.
#: Each level indents a line, so without a limit a chain of n nodes would take n**2 spaces.
MAX_INDENT = 32


class UnknownFormatError(ValueError):
    """``export`` was asked for a format it does not have."""


# --- text: NetworkX's network text ------------------------------------------------------


def iter_text(root: Value) -> Iterator[str]:
    """Lines of ``networkx.write_network_text``, from the output down to the leaves.

    Each node is shown once as ``name = data (grad g) [how]``, where ``how`` is the op with
    its operands (``x1 * w1``: both uses of ``x`` in ``x * x`` are named) or a leaf's kind.
    A node reached again is a ``...`` under the later user, and its own line ends with
    ``╾ <names of its other users>``, as NetworkX draws shared nodes. The drawing is of the
    reversed graph (node -> operands), from the output. A branch longer than
    ``MAX_INDENT`` levels continues as a tree of its own, pointed to by ``→ see <name>``,
    so deep graphs stay linear in size.

    The lines are made here by NetworkX's own algorithm (``_network_text``) rather than by
    ``nx.generate_network_text`` on a copy of the graph, which needs some 1.4 GB and 20 s for
    a million nodes; a test checks that the two agree line for line.
    """
    graph = NumberedGraph(root)
    n = len(graph)
    # Levels: the longest distance from the output. An edge crossing a block of MAX_INDENT
    # levels is cut: the operand becomes a tree of its own, and the edge a "see" stub.
    level = [0] * n
    for i in range(n - 1, -1, -1):
        for p in graph.parents(i):
            level[p] = max(level[p], level[i] + 1)
    children: list[list[int]] = [[] for _ in range(n)]  # operands, once each; stubs >= n
    users: list[list[int]] = [[] for _ in range(n)]  # in the order NetworkX keeps them
    stubs: list[int] = []  # the operand each stub points to
    sections: set[int] = set()
    for i in range(n - 1, -1, -1):
        block = level[i] // MAX_INDENT
        for p in graph.parents(i):
            if level[p] // MAX_INDENT == block:
                if p not in children[i]:
                    children[i].append(p)
                    users[p].append(i)
            else:
                children[i].append(n + len(stubs))
                stubs.append(p)
                sections.add(p)
    sources = [graph.index[root], *sorted(sections, key=lambda p: (level[p], p))]

    def label(node: int) -> str:
        return graph.summary(node) if node < n else f"→ see {graph.names[stubs[node - n]]}"

    def other_users(node: int, parent: int | None) -> list[str]:
        if node >= n:
            return []
        return [graph.names[user] for user in users[node] if user != parent]

    for line in _network_text(sources, children, label, other_users):
        yield line + "\n"


_ELLIPSIS = -1


def _network_text(
    sources: list[int],
    children: list[list[int]],
    label: Callable[[int], str],
    other_users: Callable[[int, int | None], list[str]],
) -> Iterator[str]:
    """NetworkX's ``generate_network_text`` for a directed graph (its algorithm, line for
    line: the same glyphs, the same ``...`` for a child seen before, the same ``╾`` list of
    a node's other parents), on lists of ints instead of a NetworkX graph. Nodes past the
    end of ``children`` have no children (the "see" stubs)."""
    last = len(sources) - 1
    # (parent, node, indents, is the last child)
    stack: list[tuple[int | None, int, list[str], bool]] = [
        (None, node, [], k == last) for k, node in enumerate(sources)
    ][::-1]
    skipped: dict[int | None, int] = {}
    seen: set[int] = set()
    n = len(children)
    while stack:
        parent, node, indents, is_last = stack.pop()
        if node != _ELLIPSIS:
            skip = node in seen
            if skip:
                skipped[parent] = skipped.get(parent, 0) + 1
            if is_last and skipped.get(parent) and parent is not None:
                # The last child, after some were skipped: a "..." comes last instead.
                stack.append((node, _ELLIPSIS, indents, True))
                stack.append((parent, node, indents, False))
                continue
            if skip:
                continue
            seen.add(node)
        if not indents:
            this = indents + ["╙── " if is_last else "╟── "]
            below = indents + ["    " if is_last else "╎   "]
        else:
            this = indents + ["└─╼ " if is_last else "├─╼ "]
            below = indents + ["    " if is_last else "│   "]
        if node == _ELLIPSIS:
            yield "".join(this) + " ..."
            continue
        others = other_users(node, parent)
        suffix = f" ╾ {', '.join(others)}" if others else ""
        yield "".join(this) + label(node) + suffix
        kids = children[node] if node < n else []
        for k, child in enumerate(reversed(kids)):
            stack.append((node, child, below, k == 0))


def to_text(root: Value) -> str:
    """The graph as NetworkX network text (see ``iter_text``).

    >>> from micrograd import Value
    >>> a = Value(2.0, label='a'); b = a.tanh(); b.label = 'b'
    >>> print(to_text(b), end='')
    ╙── b = 0.964 (grad 0.0) [tanh(a)]
        └─╼ a = 2.0 (grad 0.0) [input]
    """
    return "".join(iter_text(root))


# --- tree: an indented outline ----------------------------------------------------------


def iter_tree(root: Value) -> Iterator[str]:
    """Lines of an outline from the output down to the leaves, two spaces a level.

    A node is written once; where it is reached again the line is ``↑ see <name>``. Past
    ``MAX_INDENT`` levels a branch is cut with ``↓ see <name>`` and continues, after a blank
    line, as an outline of its own.
    """
    graph = NumberedGraph(root)
    written = [False] * len(graph)
    pending: deque[int] = deque([graph.index[root]])
    first = True
    while pending:
        start = pending.popleft()
        if written[start]:
            continue
        if not first:
            yield "\n"
        first = False
        stack = [(start, 0)]
        while stack:
            i, depth = stack.pop()
            indent = "  " * depth
            if written[i]:
                yield f"{indent}↑ see {graph.names[i]}\n"
                continue
            if depth > MAX_INDENT:
                yield f"{indent}↓ see {graph.names[i]}\n"
                pending.append(i)
                continue
            written[i] = True
            yield f"{indent}{graph.summary(i)}\n"
            stack.extend((p, depth + 1) for p in reversed(graph.parents(i)))


def to_tree(root: Value) -> str:
    """The graph as an indented outline (see ``iter_tree``).

    >>> from micrograd import Value
    >>> a = Value(2.0, label='a'); b = a * 3.0; b.label = 'b'
    >>> print(to_tree(b), end='')
    b = 6.0 (grad 0.0) [a * 3.0]
      a = 2.0 (grad 0.0) [input]
      3.0 = 3.0 (grad 0.0) [constant]
    """
    return "".join(iter_tree(root))


# --- dot: Graphviz, in micrograd's drawing style ----------------------------------------

_DOT_RECORD_SPECIAL = frozenset("{}|<>")


def _dot_escape(text: str, record: bool = False) -> str:
    """Text for inside a double-quoted DOT string; ``record`` also escapes ``{ } | < >``.

    Backslashes are doubled (Graphviz reads ``\\N``, ``\\l`` and others as escapes),
    quotes become ``\\"``, a newline becomes Graphviz's line break ``\\n``, ``&`` becomes
    ``&amp;`` (Graphviz decodes entities in labels: ``&#x1b;`` would be a raw ESC in its
    SVG), and other unprintable characters are written as Python escapes (``\\x00``) so
    they show.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "&":
            out.append("&amp;")
        elif record and ch in _DOT_RECORD_SPECIAL:
            out.append("\\" + ch)
        elif not ch.isprintable():
            out.append(repr(ch)[1:-1].replace("\\", "\\\\"))
        else:
            out.append(ch)
    return "".join(out)


def iter_dot(root: Value) -> Iterator[str]:
    """Lines of a Graphviz DOT digraph drawn like micrograd's ``draw_dot``.

    Left to right; each Value a record ``{ name | data 2.0 | grad -1.5 }`` (``n<position>``),
    each op a small node (``op<position>``) between its operands and its result, one edge per
    operand, labeled with the local derivative it carries (``de/da = b = -3.0``).
    """
    graph = NumberedGraph(root)
    yield "digraph micrograd {\n"
    yield "  graph [rankdir=LR];\n"
    yield '  node [fontname="monospace"];\n'
    for i, node in enumerate(graph.order):
        label = (
            f"{{ {_dot_escape(graph.raw_names[i], record=True)}"
            f" | data {fmt_number(node.data)} | grad {fmt_number(node.grad)} }}"
        )
        yield f'  n{i} [shape=record, label="{label}"];\n'
        if node._op:
            parents = graph.parents(i)
            yield f'  op{i} [label="{_dot_escape(node._op)}"];\n'
            yield f"  op{i} -> n{i};\n"
            for position, p in enumerate(parents):
                label = _dot_escape(graph.edge_label(i, position))
                yield f'  n{p} -> op{i} [label="{label}"];\n'
    yield "}\n"


def to_dot(root: Value) -> str:
    """The graph as Graphviz DOT (see ``iter_dot``); render with ``dot -Tsvg``.

    >>> from micrograd import Value
    >>> a = Value(2.0, label='a'); b = a.tanh(); b.label = 'b'
    >>> print(to_dot(b), end='')
    digraph micrograd {
      graph [rankdir=LR];
      node [fontname="monospace"];
      n0 [shape=record, label="{ a | data 2.0 | grad 0.0 }"];
      n1 [shape=record, label="{ b | data 0.964 | grad 0.0 }"];
      op1 [label="tanh"];
      op1 -> n1;
      n0 -> op1 [label="db/da = 1 - b**2 = 1 - 0.96403**2 = 0.07065"];
    }
    """
    return "".join(iter_dot(root))


# --- mermaid ----------------------------------------------------------------------------

_MERMAID_SAFE = frozenset(string.ascii_letters + string.digits + " .,:=+-*/^!?_'")
_MERMAID_NAMED = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "#": "#35;"}


def _mermaid_escape(text: str) -> str:
    """Text for inside a quoted Mermaid label, written with Mermaid's entity codes.

    Only letters, digits and a few harmless marks stay as they are (and printable
    non-ASCII characters); everything else, quotes, brackets, ``#``, ``%``, ``$``, ``|``,
    newlines, becomes ``#quot;`` or ``#<code>;``. So no label can end the string, open a
    shape, start a comment or inject HTML.
    """
    out = []
    for ch in text:
        if ch in _MERMAID_SAFE or (ch > "\x7f" and ch.isprintable()):
            out.append(ch)
        else:
            out.append(_MERMAID_NAMED.get(ch) or f"#{ord(ch)};")
    return "".join(out)


def iter_mermaid(root: Value) -> Iterator[str]:
    """Lines of a Mermaid ``flowchart LR`` (paste inside a ```` ```mermaid ```` block).

    Like the DOT drawing: value boxes ``n<position>`` with name, data and grad, op circles
    ``op<position>``, one edge per operand labeled with its local derivative. Ids are
    generated, never taken from labels.
    """
    graph = NumberedGraph(root)
    yield "flowchart LR\n"
    for i, node in enumerate(graph.order):
        name = _mermaid_escape(graph.raw_names[i])
        data = _mermaid_escape(fmt_number(node.data))
        grad = _mermaid_escape(fmt_number(node.grad))
        text = f"{name}<br>data {data}<br>grad {grad}"
        yield f'  n{i}["{text}"]\n'
        if node._op:
            parents = graph.parents(i)
            yield f'  op{i}(("{_mermaid_escape(node._op)}"))\n'
            yield f"  op{i} --> n{i}\n"
            for position, p in enumerate(parents):
                label = _mermaid_escape(graph.edge_label(i, position))
                yield f'  n{p} -->|"{label}"| op{i}\n'


def to_mermaid(root: Value) -> str:
    """The graph as a Mermaid flowchart (see ``iter_mermaid``).

    >>> from micrograd import Value
    >>> a = Value(2.0, label='a'); b = a.tanh(); b.label = 'b'
    >>> print(to_mermaid(b), end='')
    flowchart LR
      n0["a<br>data 2.0<br>grad 0.0"]
      n1["b<br>data 0.964<br>grad 0.0"]
      op1(("tanh"))
      op1 --> n1
      n0 -->|"db/da = 1 - b**2 = 1 - 0.96403**2 = 0.07065"| op1
    """
    return "".join(iter_mermaid(root))


# --- json: NetworkX node-link data ------------------------------------------------------

_NONFINITE = {"inf": float("inf"), "-inf": float("-inf"), "nan": float("nan")}


def _json_float(x: float) -> float | str:
    # JSON has no inf or nan (json.dumps would write the invalid tokens Infinity and NaN).
    return x if x - x == 0 else repr(x)


def iter_json(root: Value) -> Iterator[str]:
    """Lines of the JSON export: NetworkX node-link data plus a format marker.

    The object is ``networkx.node_link_data(G, edges="edges")`` of
    ``to_networkx(root, renumber=True)`` with ``"format": "micrograd-graph"`` and
    ``"version": 1`` in front: ``directed``, ``multigraph``, ``graph`` (``{"root": n}``),
    ``nodes`` (``id``, ``name``, ``label``, ``op``, ``kind``, ``data``, ``grad``) and
    ``edges`` (``source``, ``target``, ``key`` = the operand's position). One node or edge
    a line. Floats are written exactly (``repr``); ``inf``, ``-inf`` and ``nan``, which JSON
    cannot hold, are written as the strings ``"inf"``, ``"-inf"`` and ``"nan"`` and read
    back as floats by ``load_json``. The output is always valid, strict JSON.
    """
    # Written here, streamed, rather than through ``nx.node_link_data``, which builds every
    # node's dict first: 1.8 GB for a million nodes. A test checks the text is the same.
    graph = NumberedGraph(root)
    dump = json.JSONEncoder(allow_nan=False).encode
    header = {"format": JSON_FORMAT, "version": JSON_VERSION, "directed": True,
              "multigraph": True, "graph": {"root": graph.index[root]}}
    yield dump(header)[:-1] + ",\n"
    yield '"nodes": [\n'
    last = len(graph) - 1
    children: list[list[tuple[int, int]]] = [[] for _ in range(len(graph))]
    for i, node in enumerate(graph.order):
        for position, p in enumerate(graph.parents(i)):
            children[p].append((i, position))
        item = {"id": i, "name": graph.raw_names[i], "label": node.label, "op": node._op,
                "kind": node.kind, "data": _json_float(node.data),
                "grad": _json_float(node.grad)}
        yield dump(item) + (",\n" if i < last else "\n")
    yield "],\n"
    yield '"edges": [\n'
    # NetworkX's edge order: by source, then by target, then by key.
    edges = [(u, v, key) for u, uses in enumerate(children) for v, key in uses]
    for k, (u, v, key) in enumerate(edges):
        end = ",\n" if k < len(edges) - 1 else "\n"
        yield f'{{"source": {u}, "target": {v}, "key": {key}}}{end}'
    yield "]}\n"


def to_json(root: Value) -> str:
    """The graph as JSON node-link data (see ``iter_json``); ``load_json`` reads it back.

    >>> from micrograd import Value
    >>> a = Value(2.0, label='a'); b = a.tanh(); b.label = 'b'
    >>> print(to_json(b), end='')
    {"format": "micrograd-graph", "version": 1, "directed": true, "multigraph": true, "graph": {"root": 1},
    "nodes": [
    {"id": 0, "name": "a", "label": "a", "op": "", "kind": "input", "data": 2.0, "grad": 0.0},
    {"id": 1, "name": "b", "label": "b", "op": "tanh", "kind": "operation", "data": 0.9640275800758169, "grad": 0.0}
    ],
    "edges": [
    {"source": 0, "target": 1, "key": 0}
    ]}
    """  # noqa: E501
    return "".join(iter_json(root))


def load_json(text: str | bytes) -> Value:
    """Read a JSON export back into a live graph and return its output Value.

    Ops, data, labels and kinds come back as they were; grads start at 0, so
    ``backward()`` gives the gradients the original had after one ``backward()``. The
    strings ``"inf"``, ``"-inf"`` and ``"nan"`` in ``data``/``grad`` are read as floats.
    Raises ``GraphFormatError`` saying what is wrong: not JSON, not a micrograd graph, an
    unsupported version, a malformed node or edge, or any problem ``from_networkx`` finds.

    >>> from micrograd import Value
    >>> a = Value(2.0, label='a'); b = a * a; b.label = 'b'
    >>> c = load_json(to_json(b)); c.backward()
    >>> c.label, c.data, c._prev[0].grad
    ('b', 4.0, 4.0)
    """
    try:
        # In pieces: a worker thread reading a big file leaves the screen free to answer.
        data = loads_in_pieces(text) if isinstance(text, str) else json.loads(text)
    except json.JSONDecodeError as error:
        raise GraphFormatError(
            f"not valid JSON: line {error.lineno}, col {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise GraphFormatError("not valid JSON: nested too deeply") from None
    except (TypeError, ValueError) as error:  # not text; a number of too many digits
        if "digits" in str(error):
            raise GraphFormatError("not valid JSON: a number has too many digits") from None
        raise GraphFormatError(f"not valid JSON: {error!s:.200}") from None
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise GraphFormatError(f'not a micrograd graph: no "format": "{JSON_FORMAT}" marker')
    if data.get("version") != JSON_VERSION:
        raise GraphFormatError(
            f"unsupported version {data.get('version')!r:.40} "
            f"(this micrograd reads {JSON_VERSION})"
        )
    nodes, edges = data.get("nodes"), data.get("edges")
    if not isinstance(nodes, list) or not isinstance(edges, list):
        raise GraphFormatError('a micrograd graph needs "nodes" and "edges" lists')
    if not isinstance(data.get("graph", {}), dict):
        raise GraphFormatError('"graph" must be an object, like {"root": 3}')
    seen = set()
    for k, node in enumerate(nodes):
        if not isinstance(node, dict) or "id" not in node:
            raise GraphFormatError(f"nodes[{k}]: a node is an object with an \"id\"")
        key = node["id"]
        if not isinstance(key, int | str) or isinstance(key, bool):
            raise GraphFormatError(f"nodes[{k}]: id must be an integer or a string, got {key!r}")
        if key in seen:
            raise GraphFormatError(f"nodes[{k}]: node {key!r} appears twice")
        seen.add(key)
        for field in ("data", "grad"):
            value = node.get(field)
            if isinstance(value, str) and value in _NONFINITE:
                node[field] = _NONFINITE[value]
    for k, edge in enumerate(edges):
        if not isinstance(edge, dict) or not {"source", "target", "key"} <= edge.keys():
            raise GraphFormatError(
                f'edges[{k}]: an edge is an object with "source", "target" and "key"'
            )
        for end in ("source", "target"):
            if not isinstance(edge[end], int | str) or isinstance(edge[end], bool):
                raise GraphFormatError(
                    f"edges[{k}]: {end} must be a node id, got {edge[end]!r:.40}")
            if edge[end] not in seen:
                raise GraphFormatError(f"edges[{k}]: {end} {edge[end]!r:.40} is not a node")
        if not isinstance(edge["key"], int) or isinstance(edge["key"], bool):
            raise GraphFormatError(
                f"edges[{k}]: key (the operand's position) must be 0 or 1, "
                f"got {edge['key']!r:.40}")
    data["directed"] = True
    data["multigraph"] = True
    try:
        with paused_gc():
            graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except (KeyError, TypeError, ValueError, AttributeError, nx.NetworkXError) as error:
        raise GraphFormatError(f"malformed node-link data: {error!s:.200}") from None
    return from_networkx(graph)


# --- graphml ----------------------------------------------------------------------------

_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
    ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
# (scope, name, type), in the order NetworkX numbers its keys d0, d1, ...
_GRAPHML_KEYS = (
    ("graph", "root", "long"),
    ("graph", "format", "string"),
    ("graph", "version", "long"),
    ("node", "id", "long"),
    ("node", "name", "string"),
    ("node", "label", "string"),
    ("node", "op", "string"),
    ("node", "kind", "string"),
    ("node", "data", "double"),
    ("node", "grad", "double"),
    ("edge", "position", "long"),
)


def _graphml_data(key: int, text: str) -> str:
    if text:
        return f'      <data key="d{key}">{text}</data>\n'
    return f'      <data key="d{key}" />\n'


def iter_graphml(root: Value) -> Iterator[str]:
    """Lines of the GraphML export: see ``to_graphml``."""
    graph = NumberedGraph(root)
    yield _GRAPHML_HEAD
    for k in range(len(_GRAPHML_KEYS) - 1, -1, -1):  # NetworkX lists the last key first
        scope, name, kind = _GRAPHML_KEYS[k]
        yield f'  <key id="d{k}" for="{scope}" attr.name="{name}" attr.type="{kind}" />\n'
    yield '  <graph edgedefault="directed">\n'
    children: list[list[tuple[int, int]]] = [[] for _ in range(len(graph))]
    for i, node in enumerate(graph.order):
        for position, p in enumerate(graph.parents(i)):
            children[p].append((i, position))
        yield (
            f'    <node id="{i}">\n'
            f"{_graphml_data(3, str(i))}"
            f"{_graphml_data(4, xml_text(graph.raw_names[i]))}"
            f"{_graphml_data(5, xml_text(node.label))}"
            f"{_graphml_data(6, xml_text(node._op))}"
            f"{_graphml_data(7, node.kind)}"
            f"{_graphml_data(8, str(node.data))}"
            f"{_graphml_data(9, str(node.grad))}"
            "    </node>\n"
        )
    # NetworkX's edge order: by source, then by target, then by key.
    for u, uses in enumerate(children):
        for v, position in uses:
            yield (
                f'    <edge source="{u}" target="{v}" id="{position}">\n'
                f"{_graphml_data(10, str(position))}"
                "    </edge>\n"
            )
    yield _graphml_data(0, str(graph.index[root]))[2:]
    yield _graphml_data(1, JSON_FORMAT)[2:]
    yield _graphml_data(2, str(JSON_VERSION))[2:]
    yield "  </graph>\n</graphml>\n"


def to_graphml(root: Value) -> str:
    """The graph as GraphML: the document ``networkx.write_graphml`` writes, written faster.

    Nodes are ``"0"..."n-1"`` (topological positions) with the attributes of
    ``to_networkx``; each edge's GraphML ``id`` is its key (the operand's position), and it
    also has a ``position`` attribute, for readers that drop edge ids. The graph has
    ``root``, ``format`` and ``version`` attributes. ``networkx.read_graphml`` reads it back
    (a ``MultiDiGraph`` when an edge repeats, as in ``x * x``) and ``from_networkx`` turns
    that into Values. Characters XML cannot hold (most control characters) are written as
    U+FFFD; all other text, carriage returns included, round-trips.

    The text is byte for byte what ``networkx.write_graphml`` writes for
    ``to_networkx(root, renumber=True)`` with those attributes (a test checks it), but
    streamed: NetworkX builds an ElementTree first, which takes some 8 seconds at 100,000
    nodes.
    """
    return "".join(iter_graphml(root))


# --- trace: the Stepper's timeline as a lesson ------------------------------------------


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def iter_trace(root: Value) -> Iterator[str]:
    """Lines of the whole forward and backward pass, step by step, then the final grads.

    Every line comes from a ``Stepper``'s records (``ForwardStep.formula``,
    ``BackwardStep.lines``): ``step k/N  forward   <formula>``, then ``step k/N  backward``
    with the chain rule for each operand. Then a table of every non-constant node's
    name, kind, data and grad.

    The Stepper walks the graph itself, in the export's names (so no process-global ids
    appear), and every node's data and grad are put back afterwards, also when the reader
    stops early: the graph ends as it was. (Walking the graph, not a copy, lets a node's own
    ``_backward``, the video's custom ops, take its step.) The final grads equal those of
    one ``backward()``.
    """
    graph = NumberedGraph(root)
    order = graph.order
    saved = [(node.data, node.grad) for node in order]
    try:
        yield from _trace_lines(graph)
    finally:
        for node, (data, grad) in zip(order, saved, strict=True):
            node.data = data
            node.grad = grad


def _trace_lines(graph: NumberedGraph) -> Iterator[str]:
    order = graph.order
    stepper = Stepper(order[-1], names=dict(zip(order, graph.names, strict=True)), order=order)
    total = len(stepper)
    ops = stepper.forward_steps
    digits = len(str(total))
    formula = graph.summary_formula(len(order) - 1)
    yield f"trace of {graph.names[-1]}{' = ' if formula else ''}{formula}\n"
    yield (
        f"{_count(len(graph), 'node', 'nodes')} ({_count(len(graph) - ops, 'leaf', 'leaves')}, "
        f"{_count(ops, 'op', 'ops')}), {_count(total, 'step', 'steps')}: {ops} forward, 1 seed, "
        f"{ops} backward\n"
    )
    yield "\n"
    yield "forward pass: each op node computed from its operands, in topological order\n"
    # One pass, records not kept: a million-node trace stays a stream.
    for k, record in enumerate(stepper.replay(), start=1):
        if k == ops + 1:
            yield "\n"
            yield (
                "backward pass: the output's grad is seeded with 1, then each op node passes"
                " its grad to its operands (the chain rule), in reverse topological order\n"
            )
        prefix = f"step {k:>{digits}}/{total}  {record.phase:<8}  "
        pad = " " * len(prefix)
        for j, line in enumerate(record.lines):
            yield (prefix if j == 0 else pad) + line + "\n"
    yield "\n"
    yield "gradients (every node, in topological order)\n"

    def rows() -> Iterator[tuple[str, ...]]:
        for i, node in enumerate(order):
            yield graph.names[i], node.kind, fmt_number(node.data), fmt_number(node.grad)

    yield from _table(("name", "kind", "data", "grad"), rows, right=(False, False, True, True))


def _table(
    header: tuple[str, ...],
    rows: Callable[[], Iterable[tuple[str, ...]]],
    right: tuple[bool, ...],
) -> Iterator[str]:
    """A text table. ``rows`` makes the rows and is called twice, once to measure the columns
    and once to write them, so a million rows are never all in memory."""
    widths = [len(cell) for cell in header]
    for row in rows():
        for k, cell in enumerate(row):
            if len(cell) > widths[k]:
                widths[k] = len(cell)

    def line(cells: Iterable[str]) -> str:
        parts = [
            cell.rjust(width) if r else cell.ljust(width)
            for cell, width, r in zip(cells, widths, right, strict=True)
        ]
        return "  ".join(parts).rstrip() + "\n"

    yield line(header)
    yield line("-" * width for width in widths)
    for row in rows():
        yield line(row)


def to_trace(root: Value) -> str:
    """The Stepper's whole timeline as text (see ``iter_trace``).

    >>> from micrograd import Value
    >>> a = Value(2.0, label='a'); b = a * a; b.label = 'b'
    >>> print(to_trace(b), end='')
    trace of b = a * a
    2 nodes (1 leaf, 1 op), 3 steps: 1 forward, 1 seed, 1 backward
    <BLANKLINE>
    forward pass: each op node computed from its operands, in topological order
    step 1/3  forward   b = a * a = 2.0 * 2.0 = 4.0
    <BLANKLINE>
    backward pass: the output's grad is seeded with 1, then each op node passes its grad to its operands (the chain rule), in reverse topological order
    step 2/3  backward  b.grad = db/db = 1.0   (b.grad: 0.0 → 1.0)
    step 3/3  backward  a.grad += db/da * b.grad = a * b.grad = 2.0 * 1.0 = 2.0   (a.grad: 0.0 → 2.0; use 1 of 2 in a * a)
                        a.grad += db/da * b.grad = a * b.grad = 2.0 * 1.0 = 2.0   (a.grad: 2.0 → 4.0; use 2 of 2 in a * a)
    <BLANKLINE>
    gradients (every node, in topological order)
    name  kind       data  grad
    ----  ---------  ----  ----
    a     input       2.0   4.0
    b     operation   4.0   1.0
    """  # noqa: E501
    return "".join(iter_trace(root))


# --- svg --------------------------------------------------------------------------------


def iter_svg(root: Value) -> Iterator[str]:
    """Pieces of the SVG picture: see ``micrograd.draw.to_svg``."""
    return draw_svg(root)


# --- choosing a format ------------------------------------------------------------------


@dataclass(frozen=True)
class Format:
    """One export format: the generator that writes it in pieces, its usual file extension
    and what it is for. The command line, the export screen and the README's table read
    these records; adding a format is one entry in ``FORMATS`` (plus its function)."""

    name: str
    lines: Callable[[Value], Iterator[str]]
    extension: str
    description: str

    def write(self, root: Value) -> str:
        """The whole export as one string."""
        return "".join(self.lines(root))


#: Every format, by name, in the order they are offered.
FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format("text", iter_text, ".txt",
               "reading in a terminal (NetworkX's network text)"),
        Format("tree", iter_tree, ".txt",
               "an indented outline from the output down to the leaves"),
        Format("dot", iter_dot, ".dot",
               "Graphviz, edges labeled with local derivatives: `dot -Tsvg g.dot > g.svg`"),
        Format("mermaid", iter_mermaid, ".mmd",
               "a `flowchart LR` to paste into Markdown, edges labeled the same way"),
        Format("json", iter_json, ".json",
               "NetworkX node-link data; `micrograd.export.load_json` reads it back"),
        Format("graphml", iter_graphml, ".graphml", "NetworkX, Gephi, yEd"),
        Format("trace", iter_trace, ".txt",
               "the whole lesson: every step's arithmetic and running totals, then the grads"),
        Format("svg", iter_svg, ".svg",
               "a picture like the explorer's, for browsers, notebooks and slides"),
        Format("pytorch", iter_pytorch, ".py",
               "a PyTorch script that builds the same graph, runs `backward()` and prints "
               "each leaf's grad beside ours (the video's cross-check; needs torch)"),
    )
}


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UnknownFormatError(f"unknown export format {fmt!r} (formats: {', '.join(FORMATS)})")


def export(root: Value, fmt: str) -> str:
    """The graph of ``root`` in the format called ``fmt`` (a key of ``FORMATS``).

    >>> from micrograd import Value
    >>> export(Value(1.0, label='a'), 'tree')
    'a = 1.0 (grad 0.0) [input]\\n'
    >>> try:
    ...     export(Value(1.0), 'png')
    ... except UnknownFormatError as error:
    ...     print(error)
    unknown export format 'png' (formats: text, tree, dot, mermaid, json, graphml, trace, svg, pytorch)
    """  # noqa: E501
    _check_format(fmt)
    return FORMATS[fmt].write(root)


def iter_export(root: Value, fmt: str) -> Iterator[str]:
    """The same text as ``export(root, fmt)``, in pieces (lines, mostly)."""
    _check_format(fmt)
    return FORMATS[fmt].lines(root)
