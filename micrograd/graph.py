"""The graph as NetworkX data: conversion both ways, layers, and analyses.

A micrograd graph becomes a ``networkx.MultiDiGraph``: one node per Value, keyed by its id,
and one edge per operand, from the operand to the node that uses it, keyed by the operand's
position (0 for ``a``, 1 for ``b``). A multigraph because ``x * x`` uses ``x`` twice and
both uses matter: each carries a share of the gradient.

Nothing here recurses on the graph's size: every walk uses an explicit stack or queue.

    >>> from micrograd import Value
    >>> x = Value(3.0, label='x')
    >>> y = x * x; y.label = 'y'
    >>> G = to_networkx(y)
    >>> sorted(G.edges(keys=True)) == [(x.id, y.id, 0), (x.id, y.id, 1)]
    True
    >>> analyze(G).reused == (x.id,)
    True
"""

from __future__ import annotations

import gc
import heapq
import re
from collections import deque
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import networkx as nx

from micrograd.errors import MathError
from micrograd.formulas import node_names
from micrograd.ops import OPS
from micrograd.value import (
    INPUT,
    KINDS,
    OPERATION,
    PARAMETER,
    Value,
    node_name,
    topological_order,
)

__all__ = [
    "GraphAnalysis",
    "GraphFormatError",
    "analyze",
    "from_networkx",
    "layers",
    "natural_key",
    "neuron_groups",
    "node_name",
    "paused_gc",
    "to_networkx",
]


class GraphFormatError(ValueError):
    """A NetworkX graph (or a file read into one) is not a valid micrograd graph.

    The message names what is wrong and at which node, as in
    ``node 7: op '*' takes 2 operands, got 1 (missing position 1)``.
    """


# --- Value -> NetworkX -------------------------------------------------------------------


def to_networkx(root: Value, *, renumber: bool = False,
                order: list[Value] | None = None) -> nx.MultiDiGraph:
    """The graph ``root`` depends on, as a NetworkX ``MultiDiGraph``.

    Nodes are keyed by ``Value.id`` and added in topological order (operands first). Each
    node has the attributes ``id``, ``name``, ``label``, ``op`` (``''`` for a leaf),
    ``kind``, ``data`` and ``grad``. Each operand gives one edge ``operand -> node`` keyed
    by its position, so ``x * x`` has the two edges ``(x, y, 0)`` and ``(x, y, 1)``. The
    graph attribute ``root`` is the output's key.

    With ``renumber=True`` the keys (and ``id``, and the ``#n`` names of unlabeled nodes) are
    topological positions ``0..n-1`` instead of ids: ids count every Value made in the
    process, so two identical graphs built one after the other have different ids but the
    same positions. The exporters use this. ``order``: ``root``'s topological order, if the
    caller has it already (so the graph is sorted once).

    >>> from micrograd import Value
    >>> a = Value(2.0, label='a'); b = a.tanh(); b.label = 'b'
    >>> G = to_networkx(b, renumber=True)
    >>> list(G.nodes(data='op')), list(G.edges(keys=True)), G.graph['root']
    ([(0, ''), (1, 'tanh')], [(0, 1, 0)], 1)
    """
    if order is None:
        order = topological_order(root)
    if renumber:
        keys = {node: i for i, node in enumerate(order)}
        names = node_names(order)
    else:
        keys = {node: node._id for node in order}
        names = {node: node_name(node, node._id) for node in order}
    graph = nx.MultiDiGraph()
    graph.graph["root"] = keys[root]
    nodes = (
        (
            keys[node],
            {
                "id": keys[node],
                "name": names[node],
                "label": node.label,
                "op": node._op,
                "kind": node.kind,
                "data": node.data,
                "grad": node.grad,
            },
        )
        for node in order
    )
    edges = (
        (keys[parent], keys[node], position)
        for node in order
        for position, parent in enumerate(node._prev)
    )
    with paused_gc():
        if _FAST_BUILD:
            _fill_multidigraph(graph, nodes, edges)
        else:  # pragma: no cover - only if NetworkX changes its internals
            graph.add_nodes_from(nodes)
            graph.add_edges_from((u, v, key, {}) for u, v, key in edges)
    return graph


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small containers.

    Building 100,000 nodes allocates some 400,000 dicts, and every few hundred of them
    Python's collector walks the young objects; its full passes walk the whole graph. Nothing
    built here forms a reference cycle, so pausing it halves the time. The previous state is
    restored, so nesting is safe.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# ``MultiDiGraph.add_edge`` costs some 4 microseconds an edge in checks and cache clearing; a
# fresh graph can be filled through the dicts NetworkX documents as its data structure
# (``_node``, ``_succ``, ``_pred``, the key dicts shared between them). A test checks the
# result equals the one the public methods build.
_FAST_BUILD = all(hasattr(nx.MultiDiGraph(), name) for name in ("_node", "_succ", "_pred"))


def _fill_multidigraph(
    graph: nx.MultiDiGraph,
    nodes: Iterable[tuple[Hashable, dict]],
    edges: Iterable[tuple[Hashable, Hashable, int]],
) -> None:
    """Add nodes, then keyed edges between them, to an empty MultiDiGraph, fast."""
    node_attrs, succ, pred = graph._node, graph._succ, graph._pred
    for key, attrs in nodes:
        node_attrs[key] = attrs
        succ[key] = {}
        pred[key] = {}
    for u, v, key in edges:
        keydict = pred[v].get(u)
        if keydict is None:
            keydict = pred[v][u] = succ[u][v] = {}
        keydict[key] = {}
    clear_cache = getattr(nx, "_clear_cache", None)  # NetworkX >= 3.3 caches some results
    if clear_cache is not None:
        clear_cache(graph)


# --- layers and analyses -----------------------------------------------------------------


def _positions(graph: nx.DiGraph) -> dict[Hashable, int]:
    """Each node's place in the graph's node order, the tie-break that keeps output stable.

    For a graph from ``to_networkx`` this is the order of ids, so sorting by it is sorting
    by id; it also works for keys that cannot be compared with each other.
    """
    return {node: i for i, node in enumerate(graph)}


def layers(graph: nx.DiGraph) -> list[list[Hashable]]:
    """The graph's topological generations: leaves first, each layer sorted by node order.

    A node's layer is the length of the longest path from a leaf to it, so every edge points
    to a later layer. Built on ``networkx.topological_generations``; each layer is sorted by
    the graph's node order (ids, for a graph from ``to_networkx``) so the result is the same
    on every run.

    >>> from micrograd import Value
    >>> a = Value(1.0); b = Value(2.0); c = a * b; d = c + a
    >>> layers(to_networkx(d)) == [[a.id, b.id], [c.id], [d.id]]
    True
    """
    position = _positions(graph)
    return [sorted(layer, key=position.__getitem__) for layer in nx.topological_generations(graph)]


@dataclass(frozen=True)
class GraphAnalysis:
    """What a graph is made of and where its gradients meet.

    ``depth`` counts edges on the longest path from a leaf to the output (a lone leaf has
    depth 0, ``tanh(a * b)`` has depth 2); ``layer_count`` is ``depth + 1``. ``reused`` are
    the nodes used more than once: more than one outgoing edge, so ``x`` in ``x * x``
    counts. ``accumulates`` are the nodes whose gradient is a sum of more than one
    contribution: the reused nodes (constants too: they get gradients like any leaf). Node
    lists are
    in the graph's node order (ids, for a graph from ``to_networkx``).
    """

    nodes: int
    edges: int
    by_op: dict[str, int]  # op nodes per op, in op-table order
    by_kind: dict[str, int]  # nodes per kind, in the order input, parameter, constant, operation
    depth: int
    layer_count: int
    widest_layer: int  # index of the first widest layer
    width: int  # its size
    reused: tuple[Hashable, ...]
    uses: dict[Hashable, int]  # for each reused node, how many times it is used
    accumulates: tuple[Hashable, ...]
    leaves: tuple[Hashable, ...]
    output: Hashable | None  # the single node nothing uses; None if there is not exactly one


def analyze(graph: nx.DiGraph) -> GraphAnalysis:
    """Count a graph's nodes and ops, measure its depth and width, find its shared nodes.

    The explorer does not call it: it is the library's answer, for a learner at a notebook
    or a script, to "how big and how deep is my graph" (the README lists it), kept on purpose.

    >>> from micrograd import Value
    >>> x = Value(3.0, label='x')
    >>> y = x * x + 1
    >>> info = analyze(to_networkx(y))
    >>> info.nodes, info.edges, info.by_op, info.depth, info.reused == (x.id,)
    (4, 4, {'+': 1, '*': 1}, 2, True)
    """
    generations = layers(graph)
    ops: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for _, attrs in graph.nodes(data=True):
        op = attrs.get("op", "")
        kind = attrs.get("kind") or (OPERATION if op else INPUT)
        if op:
            ops[op] = ops.get(op, 0) + 1
        kinds[kind] = kinds.get(kind, 0) + 1
    table = list(OPS)
    by_op = {op: ops[op] for op in table if op in ops}
    by_op.update((op, ops[op]) for op in sorted(set(ops) - set(table)))
    by_kind = {kind: kinds[kind] for kind in KINDS if kind in kinds}
    by_kind.update((kind, kinds[kind]) for kind in sorted(set(kinds) - set(KINDS)))

    out_degree = graph.out_degree()
    uses = {node: out_degree[node] for node in graph if out_degree[node] > 1}
    reused = tuple(uses)
    accumulates = reused
    leaves = tuple(node for node in graph if graph.in_degree(node) == 0)
    sinks = [node for node in graph if out_degree[node] == 0]
    output = graph.graph.get("root")
    if output not in graph:
        output = sinks[0] if len(sinks) == 1 else None

    widths = [len(layer) for layer in generations]
    width = max(widths, default=0)
    return GraphAnalysis(
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        by_op=by_op,
        by_kind=by_kind,
        depth=max(len(generations) - 1, 0),
        layer_count=len(generations),
        widest_layer=widths.index(width) if widths else 0,
        width=width,
        reused=reused,
        uses=uses,
        accumulates=accumulates,
        leaves=leaves,
        output=output,
    )


# --- neuron groups -----------------------------------------------------------------------

_DIGITS = re.compile(r"(\d+)")
# 'L0.N3.w12' -> prefix 'L0.N3', 'w12'; a bare 'w0' or 'b' has no prefix.
_PARAMETER_LABEL = re.compile(r"^(?:(?P<prefix>.+)\.)?(?:w\d+|b)$")


def natural_key(text: str) -> tuple[object, ...]:
    """Sort key that reads numbers as numbers: ``'L0.N2'`` before ``'L0.N10'``.

    >>> sorted(['L0.N10', 'L1.N0', 'L0.N2'], key=natural_key)
    ['L0.N2', 'L0.N10', 'L1.N0']
    """
    parts = _DIGITS.split(text)
    # re.split with a group alternates text and digits, always starting with text, so the
    # tuples compare str with str and int with int.
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))


def neuron_groups(graph: nx.DiGraph) -> dict[str, list[Hashable]]:
    """The nodes of each neuron, keyed by the neuron's output label, for collapsing into a box.

    ``micrograd.nn`` labels a neuron ``'L0.N3'``: its parameters ``'L0.N3.w0'``,
    ``'L0.N3.w1'``, ..., ``'L0.N3.b'``, its weighted sum ``'L0.N3.n'`` and its output
    ``'L0.N3'``. A neuron without a name uses ``w0``, ..., ``b``, ``n`` and ``out`` (or ``o``,
    as the video's neuron does); these bare names are common in expressions, so they count
    on nodes of kind ``'parameter'``, or on inputs when there are both a ``b`` and a ``w<k>``
    (the video's ``o = tanh(x1*w1 + x2*w2 + b)``, whose weights are inputs).
    A group is the parameters plus every node on a path from them to the output (the
    products ``w*x``, the partial sums, the activation): not the inputs, which belong to
    the layer before. The output is the node labeled with the neuron's name (``out`` when
    unnamed), or its sum ``<name>.n`` when there is no such node (a linear neuron).
    Groups are keyed by natural order (``L0.N2`` before ``L0.N10``), nodes listed in the
    graph's node order. A graph without such labels gives ``{}``.

    >>> from micrograd import Value
    >>> x = Value(1.0, label='x')
    >>> w = Value(0.5, label='N.w0', kind='parameter')
    >>> b = Value(0.1, label='N.b', kind='parameter')
    >>> n = w * x + b; n.label = 'N.n'
    >>> out = n.tanh(); out.label = 'N'
    >>> groups = neuron_groups(to_networkx(out))
    >>> list(groups), len(groups['N'])
    (['N'], 5)
    """
    position = _positions(graph)
    by_label: dict[str, list[Hashable]] = {}
    parameters: dict[str, list[Hashable]] = {}
    bare: list[Hashable] = []  # w1, b, ... that are inputs: a neuron only if both kinds occur
    for node, attrs in graph.nodes(data=True):
        label = attrs.get("label") or ""
        if not label:
            continue
        by_label.setdefault(label, []).append(node)
        match = _PARAMETER_LABEL.match(label)
        if match is None:
            continue
        prefix = match["prefix"]
        if prefix is None and attrs.get("kind") != PARAMETER:
            bare.append(node)
            continue
        parameters.setdefault(prefix if prefix is not None else "", []).append(node)
    bare_labels = {graph.nodes[node]["label"] for node in bare}
    if "b" in bare_labels and len(bare_labels) > 1:
        parameters.setdefault("", []).extend(bare)

    groups: dict[str, list[Hashable]] = {}
    for prefix, params in parameters.items():
        name = prefix or ("o" if "o" in by_label and "out" not in by_label else "out")
        candidates = by_label.get(name) or by_label.get(f"{prefix}.n" if prefix else "n", [])
        for candidate in sorted(candidates, key=position.__getitem__):
            members = _between(graph, params, candidate, position)
            if members:
                groups[name] = sorted(members, key=position.__getitem__)
                break
    return {name: groups[name] for name in sorted(groups, key=natural_key)}


def leaf_roles(root: Value) -> dict[Value, str]:
    """What each leaf of ``root``'s graph is to a learner: its kind (``input``,
    ``parameter``, ``constant``), except that a leaf inside a neuron group is a
    ``parameter`` even when built as an input: the video's ``w1``, ``w2`` and ``b``.

    >>> from micrograd import Value
    >>> x1 = Value(2.0, label='x1'); w1 = Value(-3.0, label='w1'); b = Value(1.0, label='b')
    >>> o = (x1 * w1 + b).tanh(); o.label = 'o'
    >>> sorted((leaf.label, role) for leaf, role in leaf_roles(o).items())
    [('b', 'parameter'), ('w1', 'parameter'), ('x1', 'input')]
    """
    order = topological_order(root)
    roles = {node: node.kind for node in order if not node._prev}
    members = {key for group in neuron_groups(to_networkx(root)).values() for key in group}
    for node in roles:
        if node._id in members:
            roles[node] = PARAMETER
    return roles


def expression_groups(graph: nx.DiGraph) -> dict[str, list[Hashable]]:
    """The unnamed op nodes that make up each named node, for collapsing into one box.

    In ``n = x1*w1 + x2*w2 + b`` the products and the partial sum have no names of their
    own: they exist only to make ``n``. The group of a labeled op node is the node plus the
    unlabeled op nodes that feed it and nothing else. Leaves never join a group. Named
    nodes with no such helpers are left out, and so is the whole graph's worth of nodes
    when one name covers everything but the leaves (collapsing it would hide the lesson).
    Keys are the labels in topological order.

    >>> from micrograd import Value
    >>> x = Value(2.0, label='x'); w = Value(3.0, label='w')
    >>> n = x * w + 1; n.label = 'n'
    >>> o = n.tanh(); o.label = 'o'
    >>> groups = expression_groups(to_networkx(o))
    >>> list(groups), len(groups['n'])
    (['n'], 2)
    """
    position = _positions(graph)
    order = list(graph.nodes)  # the positions' own order: no need to sort by them
    attrs = graph.nodes
    owner: dict[Hashable, Hashable] = {}  # an unlabeled op node -> the named node it makes
    groups: dict[Hashable, list[Hashable]] = {}
    for node in reversed(order):  # users before operands: each node's users are decided
        if not attrs[node].get("op"):
            continue
        if attrs[node].get("label"):
            owner[node] = node
            groups[node] = [node]
            continue
        owners = {owner.get(child) for child in graph.successors(node)}
        if len(owners) == 1 and None not in owners:
            (named,) = owners
            owner[node] = named
            groups[named].append(node)
    op_count = sum(1 for node in order if attrs[node].get("op"))
    result = {}
    for named in sorted(groups, key=position.__getitem__):
        members = groups[named]
        if 1 < len(members) < op_count:
            result[attrs[named]["label"]] = sorted(members, key=position.__getitem__)
    return result


def _between(
    graph: nx.DiGraph, sources: list[Hashable], target: Hashable, position: dict[Hashable, int]
) -> set[Hashable]:
    """``sources`` plus every node on a path from one of them to ``target``; empty if none.

    Two walks: forward from the sources, then back from the target through what the forward
    walk reached. In a graph from ``to_networkx`` the node order is topological, so the
    forward walk need not go past the target's position: a neuron costs its own size, not
    the size of everything downstream of it. If that misses the target (some other node
    order), the walk is repeated without the bound.
    """
    reached = _reach(graph, sources, position, position[target])
    if target not in reached:
        reached = _reach(graph, sources, position, len(position))
        if target not in reached:
            return set()
    members = {target}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        for parent in graph.predecessors(node):
            if parent in reached and parent not in members:
                members.add(parent)
                queue.append(parent)
    # A parameter no path connects (an unused one) still belongs to its neuron.
    return members | set(sources)


def _reach(
    graph: nx.DiGraph, sources: list[Hashable], position: dict[Hashable, int], limit: int
) -> set[Hashable]:
    """Nodes reachable from ``sources`` without passing a node later than ``limit``."""
    reached = set(sources)
    queue = deque(sources)
    while queue:
        node = queue.popleft()
        for child in graph.successors(node):
            if child not in reached and position[child] <= limit:
                reached.add(child)
                queue.append(child)
    return reached


# --- NetworkX -> Value -------------------------------------------------------------------


def _describe(node: Hashable, attrs: dict) -> str:
    label = attrs.get("label")
    return f"node {node!r} ({label!r})" if label else f"node {node!r}"


def _number(value: object, what: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GraphFormatError(f"{where}: {what} must be a number, got {value!r:.60}")
    try:
        return float(value)
    except OverflowError:  # an int like 10**400: no float holds it
        raise GraphFormatError(f"{where}: {what} is too large for a float") from None


def from_networkx(graph: nx.DiGraph, *, grads: bool = False) -> Value:
    """Rebuild a live graph from NetworkX data and return its output.

    Reads each node's ``op``, ``data``, ``label`` and ``kind`` (``op`` missing means a leaf,
    ``kind`` missing means ``'input'`` or ``'operation'``), and takes operand positions
    from the edge keys of a multigraph, or from each edge's ``position`` attribute in a
    plain ``DiGraph`` (which cannot hold ``x * x``: one edge per pair). Values are built
    in a topological order that follows the graph's node order, so a graph from
    ``to_networkx`` comes back with its nodes in the same order.
    ``data`` is taken as stored (not recomputed); ``grad`` starts at 0, like any new
    Value, so ``backward()`` gives the same gradients as on the original, unless
    ``grads=True`` restores the stored ones.

    Raises ``GraphFormatError`` naming the node for an unknown op or kind, a wrong number
    of operands, missing or repeated operand positions, a cycle, or a graph without exactly
    one output.

    >>> from micrograd import Value
    >>> a = Value(2.0, label='a'); b = a * a; b.label = 'b'
    >>> c = from_networkx(to_networkx(b))
    >>> c.backward(); c.label, c._prev[0].label, c._prev[0].grad
    ('b', 'a', 4.0)
    """
    with paused_gc():
        return _from_networkx(graph, grads)


def _from_networkx(graph: nx.DiGraph, grads: bool) -> Value:
    if not graph.is_directed():
        raise GraphFormatError("the graph must be directed (operand -> node)")
    if graph.number_of_nodes() == 0:
        raise GraphFormatError("the graph is empty: there is no output")
    multigraph = graph.is_multigraph()

    # Operands of each node, by position.
    operands: dict[Hashable, dict[int, Hashable]] = {node: {} for node in graph}
    edges: Iterable[tuple] = (
        graph.edges(keys=True, data=True) if multigraph else graph.edges(data=True)
    )
    for edge in edges:
        if multigraph:
            source, target, position, _ = edge
        else:
            source, target, attrs = edge
            if "position" not in attrs:
                raise GraphFormatError(
                    f"edge {source!r} -> {target!r} has no 'position' attribute "
                    "(a DiGraph needs one to know the operand order)"
                )
            position = attrs["position"]
        where = _describe(target, graph.nodes[target])
        if isinstance(position, bool) or not isinstance(position, int):
            raise GraphFormatError(
                f"{where}: edge from {source!r} has operand position {position!r}; "
                "positions are 0 or 1"
            )
        slots = operands[target]
        if position in slots:
            raise GraphFormatError(
                f"{where}: two operands at position {position} "
                f"(from {slots[position]!r} and {source!r})"
            )
        slots[position] = source

    # Check every node before building anything.
    specs: dict[Hashable, tuple[str, float, str, str, float]] = {}
    for node, attrs in graph.nodes(data=True):
        where = _describe(node, attrs)
        op = attrs.get("op", "")
        if op is None:
            op = ""
        if not isinstance(op, str):
            raise GraphFormatError(f"{where}: op must be a string, got {op!r:.60}")
        if op and op not in OPS:
            raise GraphFormatError(f"{where}: unknown op {op!r} (ops: {', '.join(OPS)})")
        arity = OPS[op].arity if op else 0
        slots = operands[node]
        if set(slots) != set(range(arity)):
            count = len(slots)
            wanted = f"op {op!r} takes {arity}" if op else "a leaf (no op) takes no"
            extra = sorted(set(slots) - set(range(arity)))
            missing = sorted(set(range(arity)) - set(slots))
            detail = []
            if missing:
                detail.append(f"missing position {', '.join(map(str, missing))}")
            if extra:
                detail.append(f"unexpected position {', '.join(map(str, extra))}")
            raise GraphFormatError(
                f"{where}: {wanted} operand{'s' if arity != 1 else ''}, got {count} "
                f"({'; '.join(detail)})"
            )
        if "data" not in attrs:
            raise GraphFormatError(f"{where}: no 'data' attribute")
        data = _number(attrs["data"], "data", where)
        label = attrs.get("label", "")
        if label is None:
            label = ""
        if not isinstance(label, str):
            raise GraphFormatError(f"{where}: label must be a string, got {label!r:.60}")
        kind = attrs.get("kind") or (OPERATION if op else INPUT)
        if kind not in KINDS:
            raise GraphFormatError(f"{where}: unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
        if op and kind != OPERATION:
            raise GraphFormatError(f"{where}: an op node must have kind 'operation', not {kind!r}")
        if not op and kind == OPERATION:
            raise GraphFormatError(f"{where}: a leaf (no op) cannot have kind 'operation'")
        grad = _number(attrs.get("grad", 0.0), "grad", where) if grads else 0.0
        specs[node] = (op, data, label, kind, grad)

    sinks = [node for node in graph if graph.out_degree(node) == 0]
    if not sinks:
        cycle = nx.find_cycle(graph)
        raise GraphFormatError(f"the graph has a cycle through node {cycle[0][0]!r}")
    if len(sinks) > 1:
        shown = ", ".join(repr(node) for node in sinks[:5])
        more = f" and {len(sinks) - 5} more" if len(sinks) > 5 else ""
        raise GraphFormatError(
            f"the graph has {len(sinks)} outputs (nodes nothing uses: {shown}{more}); "
            "a micrograd graph has exactly one"
        )
    (output,) = sinks
    root_key = graph.graph.get("root")
    if root_key is not None:
        if root_key not in graph and str(root_key) in graph:
            root_key = str(root_key)  # GraphML keys are strings
        if root_key != output:
            raise GraphFormatError(
                f"the graph says its root is {root_key!r}, but its output is node {output!r}"
            )

    # Kahn's algorithm, always taking the ready node that comes first in the graph's order.
    position = _positions(graph)
    waiting = {node: len(operands[node]) for node in graph}
    ready = [position[node] for node, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    nodes = list(graph)
    values: dict[Hashable, Value] = {}
    while ready:
        node = nodes[heapq.heappop(ready)]
        op, data, label, kind, grad = specs[node]
        slots = operands[node]
        parents = tuple(values[slots[i]] for i in range(len(slots)))
        if op:
            # An op node's value follows from its operands: compute it with the op table,
            # so a graph no engine could have made (log of a negative, a division by 0)
            # is refused here, not when backward() meets it.
            try:
                data = OPS[op].forward(*(parent.data for parent in parents))
            except MathError as error:
                where = _describe(node, graph.nodes[node])
                raise GraphFormatError(f"{where}: {error}") from None
        value = Value(data, parents, op, label, kind=kind)
        value.grad = grad
        values[node] = value
        for child in graph.successors(node):
            # A multigraph edge counts once per key: x * x waits for x twice.
            count = graph.number_of_edges(node, child) if multigraph else 1
            waiting[child] -= count
            if waiting[child] == 0:
                heapq.heappush(ready, position[child])
    if len(values) != len(nodes):
        stuck = next(node for node in nodes if node not in values)
        try:
            cycle = nx.find_cycle(graph, stuck)
            at = cycle[0][0]
        except nx.NetworkXNoCycle:
            at = stuck
        raise GraphFormatError(f"the graph has a cycle through node {at!r}")
    return values[output]

