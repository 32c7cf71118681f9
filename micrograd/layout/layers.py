"""Layers and buses: which column each node takes, and what carries the edges that skip one.

Every node sits one layer before its first user; a node whose edges reach past the next
layer gets a bus, one item per layer it crosses. The later steps work on these items (real
nodes first, then bus items) and on the segments joining items of adjacent layers.
"""

from __future__ import annotations

import networkx as nx

__all__ = ["Items", "assign_layers", "read_graph"]


def read_graph(graph: nx.MultiDiGraph) -> tuple[list[int], list[tuple[int, int, int]]]:
    """Nodes in a topological order that follows the ids, and edges as index triples.

    Edges come sorted by (target, key, source): each node's arguments in order.
    """
    nodes = sorted(graph.nodes)
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[u], index[v], k) for u, v, k in graph.edges(keys=True)]
    if any(u >= v for u, v, _k in edges):
        # Ids that do not follow the edges: take the smallest-id-first topological order.
        try:
            nodes = list(nx.lexicographical_topological_sort(graph))
        except nx.NetworkXUnfeasible:
            raise ValueError("the graph has a cycle; only a DAG can be laid out") from None
        index = {v: i for i, v in enumerate(nodes)}
        edges = [(index[u], index[v], k) for u, v, k in graph.edges(keys=True)]
    edges.sort(key=lambda e: (e[1], e[2], e[0]))
    return nodes, edges


def assign_layers(n: int, edges: list[tuple[int, int, int]]) -> tuple[list[int], int]:
    """Each node's layer, as far right as it goes (see the package docstring), and the depth."""
    to_sink = [0] * n  # longest path to a sink
    for u, v, _k in reversed(edges):  # targets descending: v is final before u is read
        if to_sink[v] >= to_sink[u]:
            to_sink[u] = to_sink[v] + 1
    depth = max(to_sink, default=-1)
    return [depth - d for d in to_sink], depth


class Items:
    """Real nodes ``0 .. n-1`` and the bus items after them, with the segments joining them.

    A segment joins two items in adjacent layers. A node's bus, if any, is one item per
    layer from the next layer to the one before its last user, joined in a line.
    """

    def __init__(
        self, n: int, edges: list[tuple[int, int, int]], layer_of: list[int], heights: list[int]
    ) -> None:
        self.layer = list(layer_of)
        self.h = list(heights)
        self.owner = list(range(n))  # the node whose line an item carries
        self.left: list[list[int]] = [[] for _ in range(n)]  # feeding items, argument order
        self.right: list[list[int]] = [[] for _ in range(n)]
        self.right_seg: list[list[int]] = [[] for _ in range(n)]
        self.seg_a: list[int] = []
        self.seg_b: list[int] = []
        self.seg_in: list[int] = []  # the row of b (from its top) the segment enters
        self.bus_item = [-1] * n  # the first item of each node's bus
        self.bus_len = [0] * n
        self.bus_seg = [-1] * n  # the segment from the node into its bus
        last = [0] * n
        for u, v, _k in edges:
            last[u] = max(last[u], layer_of[v])
        for u in range(n):
            if last[u] - layer_of[u] < 2:
                continue
            self.bus_item[u] = len(self.layer)
            self.bus_len[u] = last[u] - layer_of[u] - 1
            a = u
            for layer in range(layer_of[u] + 1, last[u]):
                b = len(self.layer)
                self.layer.append(layer)
                self.h.append(1)
                self.owner.append(u)
                self.left.append([])
                self.right.append([])
                self.right_seg.append([])
                s = self._link(a, b, 0)
                if a == u:
                    self.bus_seg[u] = s
                a = b
        count = [0] * n
        for _u, v, _k in edges:
            count[v] += 1
        rank = [0] * n
        self.edge_seg: list[int] = []  # the segment entering each edge's target
        for u, v, _k in edges:
            span = layer_of[v] - layer_of[u]
            a = u if span == 1 else self.bus_item[u] + span - 2
            self.edge_seg.append(self._link(a, v, _entry_row(rank[v], count[v], heights[v])))
            rank[v] += 1
        self.exit_off = [(h - 1) // 2 for h in self.h]  # the row edges leave from

    def _link(self, a: int, b: int, entry: int) -> int:
        s = len(self.seg_a)
        self.seg_a.append(a)
        self.seg_b.append(b)
        self.seg_in.append(entry)
        self.right[a].append(b)
        self.left[b].append(a)
        self.right_seg[a].append(s)
        return s


def _entry_row(rank: int, count: int, height: int) -> int:
    """The row (from the box top) where argument number ``rank`` of ``count`` comes in.

    Inside the border, centred, one or two rows apart. A single input uses the middle row,
    where the output leaves; so does every input of a box with under two inner rows. A box
    with fewer inner rows than inputs spreads them evenly, some sharing a row (give a
    collapsed group with k inputs a height of k + 2 to keep them all apart).
    """
    inner = height - 2
    if count <= 1 or inner < 2:
        return (height - 1) // 2
    if inner >= count:
        step = min((inner - 1) // (count - 1), 2)
        return 1 + (inner - 1 - step * (count - 1)) // 2 + step * rank
    return 1 + rank * (inner - 1) // (count - 1)
