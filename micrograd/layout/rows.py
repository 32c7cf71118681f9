"""The rows of every item: stacked in order, then moved so that edges run straight.

A node lines up with its user, a long chain stays a straight line with its terms coming in
from the side, and equal operands centre on their user.
"""

from __future__ import annotations

from micrograd.layout.layers import Items

__all__ = ["edge_weights", "place_rows"]

#: Sweeps of the row placement (each left to right and back); it stops early when stable.
_PASSES = 3
#: Largest pooled block placed at a weighted median (larger ones use the mean: linear time).
_MEDIAN_CAP = 8


def edge_weights(n: int, edges: list[tuple[int, int, int]], it: Items) -> list[int]:
    """How hard each segment pulls its ends into line: the depth of what it feeds.

    A node feeding a deep computation (a long chain of sums) outweighs a small operand, so
    the chain runs straight and the operand bends; a bus pulls twice as hard as its
    deepest user, so long lines stay straight.
    """
    behind = [0] * n  # longest path from a leaf
    for u, v, _k in edges:  # sorted by target; every source comes before its target
        if behind[u] >= behind[v]:
            behind[v] = behind[u] + 1
    bus = [0] * n
    for u, v, _k in edges:
        bus[u] = max(bus[u], 2 * (behind[v] + 1))
    return [behind[b] + 1 if b < n else bus[it.owner[b]] for b in it.seg_b]


def place_rows(
    layer_items: list[list[int]], it: Items, seg_w: list[int], gap: int
) -> list[int]:
    """The top row of every item: stacked in order, then pulled toward its neighbours.

    Each item wants the row that makes its edges straight: the weighted median, over its
    edges on both sides, of the row lining that edge up. Each layer in turn then takes the
    rows closest to those wishes that keep its order and gaps (isotonic regression by
    pool-adjacent-violators), sweeping left to right and back until nothing moves.
    """
    m = len(it.h)
    h = it.h
    ys = [0] * m
    for items in layer_items:
        y = 0
        for i in items:
            ys[i] = y
            y += h[i] + gap
    # Each item's edges as (other item, offset, weight): straight when ys[i] == ys[o] + d.
    nbrs: list[list[tuple[int, int, int]]] = [[] for _ in range(m)]
    for s, (a, b) in enumerate(zip(it.seg_a, it.seg_b, strict=True)):
        d = it.exit_off[a] - it.seg_in[s]
        nbrs[a].append((b, -d, seg_w[s]))
        nbrs[b].append((a, d, seg_w[s]))
    total_w = [sum(w for _o, _d, w in nb) or 0.01 for nb in nbrs]
    n_layers = len(layer_items)
    sweep = list(range(1, n_layers)) + list(range(n_layers - 2, -1, -1))
    for _ in range(_PASSES):
        before = list(ys)
        for layer in sweep:
            items = layer_items[layer]
            wishes: list[float] = []
            for i in items:
                nb = nbrs[i]
                if len(nb) == 1:
                    o, d, _w = nb[0]
                    wishes.append(ys[o] + d)
                elif len(nb) == 2:
                    (o1, d1, w1), (o2, d2, w2) = nb
                    v1, v2 = ys[o1] + d1, ys[o2] + d2
                    wishes.append(v1 if w1 > w2 else v2 if w2 > w1 else (v1 + v2) / 2)
                elif nb:
                    pairs = sorted([(ys[o] + d, w) for o, d, w in nb])
                    wishes.append(_weighted_median(pairs, total_w[i]))
                else:
                    wishes.append(ys[i])
            _isotonic(items, wishes, [total_w[i] for i in items], h, gap, ys)
        if ys == before:
            break
    top = min(ys, default=0)
    return [y - top for y in ys] if top else ys


def _weighted_median(pairs: list[tuple[float, float]], total: float) -> float:
    """The weighted median of ``(value, weight)`` pairs sorted by value, weights summing to
    ``total``; an exact tie takes the midpoint."""
    if len(pairs) == 1:
        return pairs[0][0]
    half = total / 2
    acc = 0.0
    for j, (v, w) in enumerate(pairs):
        acc += w
        if acc > half:
            return v
        if acc == half:
            return (v + pairs[j + 1][0]) / 2
    return pairs[-1][0]


def _isotonic(
    items: list[int], wishes: list[float], weights: list[float], h: list[int], gap: int,
    ys: list[int],
) -> None:
    """Set the rows of one layer's items: closest to their wishes, in order, ``gap`` apart.

    With offsets taking out the heights and gaps, "in order" becomes "non-decreasing":
    pool adjacent violators into blocks. A block sits at the weighted median of its
    members' wishes, so in a conflict the heavier side keeps its straight edge rather than
    both bending (a block past ``_MEDIAN_CAP`` members takes the mean, in constant time).
    """
    offsets: list[int] = []
    off = 0
    for i in items:
        offsets.append(off)
        off += h[i] + gap
    b_val: list[float] = []
    b_mem: list[list[tuple[float, float]] | None] = []  # None: too big, use the mean
    b_sum: list[float] = []
    b_w: list[float] = []
    b_n: list[int] = []
    for j in range(len(items)):
        w = weights[j]
        val = wishes[j] - offsets[j]
        mem: list[tuple[float, float]] | None = [(val, w)]
        tot, wt, count = val * w, w, 1
        while b_val and b_val[-1] >= val:
            prev = b_mem.pop()
            tot += b_sum.pop()
            wt += b_w.pop()
            count += b_n.pop()
            b_val.pop()
            if prev is not None and mem is not None and count <= _MEDIAN_CAP:
                mem = sorted(prev + mem)
                val = _weighted_median(mem, wt)
            else:
                mem = None
                val = tot / wt
        b_val.append(val)
        b_mem.append(mem)
        b_sum.append(tot)
        b_w.append(wt)
        b_n.append(count)
    j = 0
    for val, count in zip(b_val, b_n, strict=True):
        z = int(val + 0.5) if val >= 0 else -int(-val + 0.5)  # round half away from zero
        for _ in range(count):
            ys[items[j]] = z + offsets[j]
            j += 1
