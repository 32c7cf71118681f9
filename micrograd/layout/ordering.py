"""The order within each layer: few crossings, and an expression tree drawn with none.

A depth-first walk from the output gives the starting order, then barycenter sweeps improve
it; only the order is decided here, not the rows.
"""

from __future__ import annotations

import bisect

from micrograd.layout.layers import Items

__all__ = ["initial_order", "reduce_crossings"]


def initial_order(n: int, it: Items, n_layers: int, root: int) -> list[list[int]]:
    """Each layer's items in the order a depth-first walk from the outputs meets them.

    The walk takes the arguments in order, so argument 0's sub-graph lies above argument
    1's and a tree has no crossings. The root goes first, then other outputs by id.
    """
    m = len(it.layer)
    used = bytearray(m)
    for items in it.left:
        for a in items:
            used[a] = 1
    sinks = [i for i in range(n) if not used[i] and i != root]
    if 0 <= root < n and not used[root]:
        sinks.insert(0, root)
    layer_items: list[list[int]] = [[] for _ in range(n_layers)]
    seen = bytearray(m)
    stack = sinks[::-1]
    while stack:
        i = stack.pop()
        if seen[i]:
            continue
        seen[i] = 1
        layer_items[it.layer[i]].append(i)
        for a in reversed(it.left[i]):
            if not seen[a]:
                stack.append(a)
    return layer_items


def reduce_crossings(
    layer_items: list[list[int]], left: list[list[int]], right: list[list[int]], rounds: int
) -> None:
    """Barycenter sweeps in both directions; keep the order with the fewest crossings.

    An item with no neighbour on the side looked at keeps its relative place; ties keep
    the current order. Each sweep costs O(items + segments), each count O(E log E).
    """
    pos = [0] * len(left)
    for items in layer_items:
        for j, i in enumerate(items):
            pos[i] = j
    n_layers = len(layer_items)

    def crossings() -> int:
        return sum(_crossings(layer_items[i], pos, right) for i in range(n_layers - 1))

    best = crossings()
    best_order = [list(items) for items in layer_items]
    for _ in range(rounds):
        if best == 0:
            break
        improved = False
        for down in (True, False):
            nbrs = left if down else right
            for i in range(1, n_layers) if down else range(n_layers - 2, -1, -1):
                items = layer_items[i]
                ref = len(layer_items[i - 1 if down else i + 1])
                size = len(items)
                keyed = []
                for j, item in enumerate(items):
                    ns = nbrs[item]
                    if ns:
                        total = 0
                        for a in ns:
                            total += pos[a]
                        keyed.append(((total / len(ns) + 0.5) / ref, j, item))
                    else:
                        keyed.append(((j + 0.5) / size, j, item))
                keyed.sort()
                for j, (_bary, _j, item) in enumerate(keyed):
                    items[j] = item
                    pos[item] = j
            count = crossings()
            if count < best:
                best = count
                best_order = [list(items) for items in layer_items]
                improved = True
        if not improved:
            break
    for i, items in enumerate(best_order):
        layer_items[i][:] = items


def _crossings(items: list[int], pos: list[int], right: list[list[int]]) -> int:
    """Crossings between a layer and the next: inversions among the edges' lower ends."""
    seq: list[int] = []
    for i in items:
        ends = right[i]
        if len(ends) == 1:
            seq.append(pos[ends[0]])
        elif ends:
            seq.extend(sorted(pos[b] for b in ends))
    if len(seq) < 2:
        return 0
    count = 0
    if len(seq) <= 4000:  # insertion into a sorted list: memmove beats a Fenwick tree here
        seen: list[int] = []
        for j, p in enumerate(seq):
            count += j - bisect.bisect_right(seen, p)
            bisect.insort(seen, p)
        return count
    size = max(seq) + 2
    tree = [0] * (size + 1)
    for j, p in enumerate(seq):
        i = p + 1
        below = 0
        while i > 0:
            below += tree[i]
            i -= i & -i
        count += j - below
        i = p + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return count
