"""Toy data sets for two-class problems, in pure Python and seeded.

Each function returns ``(X, y)``: ``X`` a list of ``[x0, x1]`` points and ``y`` a list of
labels -1 or +1, the form micrograd's demo notebook uses (``y * 2 - 1`` on scikit-learn's
0/1 labels), ready for ``max_margin_loss``. The same seed gives the same data, and the points
come shuffled, so any slice of them mixes both classes.

    >>> X, y = make_moons(n=4, seed=0)
    >>> len(X), sorted(y)
    (4, [-1, -1, 1, 1])
"""

from __future__ import annotations

import math
import random

Dataset = tuple[list[list[float]], list[int]]


def make_moons(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Two interleaving half circles, as scikit-learn's ``make_moons``.

    The upper moon (label -1) has ``n // 2`` points, the lower one (label +1) the rest; each
    coordinate gets Gaussian noise with standard deviation ``noise``.
    """
    _check(n, noise)
    rng = random.Random(seed)
    n_upper = n // 2
    points: list[tuple[float, float, int]] = []
    for t in _spaced(0.0, math.pi, n_upper):
        points.append((math.cos(t), math.sin(t), -1))
    for t in _spaced(0.0, math.pi, n - n_upper):
        points.append((1.0 - math.cos(t), 0.5 - math.sin(t), 1))
    return _finish(points, noise, rng)


def make_circles(
    n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int | None = 0
) -> Dataset:
    """A small circle (label +1) inside a large one (label -1), as scikit-learn's.

    The outer circle has radius 1 and ``n // 2`` points, the inner one radius ``factor``
    (0 <= factor < 1) and the rest.
    """
    _check(n, noise)
    if not 0 <= factor < 1:
        raise ValueError(f"factor must be in [0, 1), got {factor}")
    rng = random.Random(seed)
    n_outer = n // 2
    points: list[tuple[float, float, int]] = []
    for t in _spaced(0.0, 2 * math.pi, n_outer, endpoint=False):
        points.append((math.cos(t), math.sin(t), -1))
    for t in _spaced(0.0, 2 * math.pi, n - n_outer, endpoint=False):
        points.append((factor * math.cos(t), factor * math.sin(t), 1))
    return _finish(points, noise, rng)


def make_xor(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Points in the square [-1, 1]², labeled +1 where x0 and x1 have different signs.

    No straight line separates the classes: the smallest problem a single neuron cannot
    solve. Labels alternate before shuffling, so as in the other sets label -1 has
    ``n // 2`` points and +1 the rest. The label comes from the point before noise is added.
    """
    _check(n, noise)
    rng = random.Random(seed)
    points: list[tuple[float, float, int]] = []
    for i in range(n):
        label = -1 if i % 2 else 1
        sign0 = rng.choice((-1.0, 1.0))
        sign1 = -sign0 if label == 1 else sign0  # XOR: +1 where the signs differ
        points.append((sign0 * rng.uniform(0, 1), sign1 * rng.uniform(0, 1), label))
    return _finish(points, noise, rng)


def make_blobs(n: int = 100, noise: float = 0.5, seed: int | None = 0) -> Dataset:
    """Two round Gaussian clouds: label -1 around (-1, -1), label +1 around (1, 1).

    Each coordinate has standard deviation ``noise``; as in the other sets label -1 has
    ``n // 2`` points and +1 the rest. A straight line separates them (nearly, as the clouds
    spread): the easy problem to set beside moons, circles and xor.
    """
    _check(n, noise)
    rng = random.Random(seed)
    n_low = n // 2
    points = [(-1.0, -1.0, -1)] * n_low + [(1.0, 1.0, 1)] * (n - n_low)
    return _finish(points, noise, rng)


def _spaced(start: float, stop: float, count: int, *, endpoint: bool = True) -> list[float]:
    """``count`` evenly spaced numbers from ``start``, like ``numpy.linspace``."""
    if count == 0:
        return []
    steps = count - 1 if endpoint else count
    if steps == 0:
        return [start]
    return [start + (stop - start) * i / steps for i in range(count)]


def _finish(points: list[tuple[float, float, int]], noise: float, rng: random.Random) -> Dataset:
    """Add the noise, shuffle, and split into ``X`` and ``y``."""
    rng.shuffle(points)
    X = [[x0 + rng.gauss(0.0, noise), x1 + rng.gauss(0.0, noise)] for x0, x1, _ in points]
    y = [label for _, _, label in points]
    return X, y


def _check(n: int, noise: float) -> None:
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a whole number >= 1, got {n!r}")
    if not noise >= 0:  # also rejects nan
        raise ValueError(f"noise must be >= 0, got {noise}")
