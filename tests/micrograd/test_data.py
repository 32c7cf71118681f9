"""micrograd.data: toy data sets that are seeded, well formed and hold both classes."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd.data import make_blobs, make_circles, make_moons, make_xor

MAKERS = [make_moons, make_circles, make_xor, make_blobs]


@pytest.mark.parametrize("make", MAKERS)
def test_same_seed_same_data(make) -> None:
    assert make(n=40, seed=3) == make(n=40, seed=3)
    assert make(n=40, seed=3) != make(n=40, seed=4)


@pytest.mark.parametrize("make", MAKERS)
@given(n=st.integers(1, 60), seed=st.integers(0, 2**32))
@settings(max_examples=30, deadline=None)
def test_shapes_and_labels(make, n: int, seed: int) -> None:
    X, y = make(n=n, seed=seed)
    assert len(X) == len(y) == n
    assert all(len(point) == 2 and all(isinstance(c, float) for c in point) for point in X)
    assert all(math.isfinite(c) for point in X for c in point)
    assert set(y) <= {-1, 1}
    assert all(type(label) is int for label in y)
    if n >= 2:
        assert set(y) == {-1, 1}
        assert sorted(y).count(1) == n - n // 2


@pytest.mark.parametrize("make", MAKERS)
def test_points_are_shuffled(make) -> None:
    _, y = make(n=40, seed=0)
    assert y != sorted(y) and y != sorted(y, reverse=True)


def test_moons_without_noise_lie_on_the_half_circles() -> None:
    X, y = make_moons(n=20, noise=0.0, seed=0)
    for (x0, x1), label in zip(X, y, strict=True):
        if label == -1:  # upper moon: the unit half circle above the x axis
            assert math.hypot(x0, x1) == pytest.approx(1.0) and x1 >= -1e-12
        else:  # lower moon: centred at (1, 0.5), below
            assert math.hypot(x0 - 1, x1 - 0.5) == pytest.approx(1.0) and x1 <= 0.5 + 1e-12


def test_circles_without_noise_have_two_radii() -> None:
    X, y = make_circles(n=20, noise=0.0, factor=0.3, seed=0)
    for (x0, x1), label in zip(X, y, strict=True):
        assert math.hypot(x0, x1) == pytest.approx(1.0 if label == -1 else 0.3)


def test_xor_without_noise_is_labeled_by_the_signs() -> None:
    X, y = make_xor(n=40, noise=0.0, seed=0)
    for (x0, x1), label in zip(X, y, strict=True):
        assert -1 <= x0 <= 1 and -1 <= x1 <= 1
        assert label == (1 if x0 * x1 < 0 else -1)


def test_noise_moves_points() -> None:
    clean, _ = make_moons(n=20, noise=0.0, seed=0)
    noisy, _ = make_moons(n=20, noise=0.1, seed=0)
    assert clean != noisy


@pytest.mark.parametrize("make", MAKERS)
def test_bad_arguments(make) -> None:
    with pytest.raises(ValueError, match="n must be"):
        make(n=0)
    with pytest.raises(ValueError, match="n must be"):
        make(n=2.5)
    with pytest.raises(ValueError, match="noise must be >= 0"):
        make(noise=-0.1)
    with pytest.raises(ValueError, match="noise must be >= 0"):
        make(noise=math.nan)


@pytest.mark.parametrize("factor", [-0.1, 1.0, 2.0])
def test_circles_factor_must_be_below_one(factor: float) -> None:
    with pytest.raises(ValueError, match="factor"):
        make_circles(factor=factor)


def test_blobs_without_noise_sit_on_their_centres() -> None:
    X, y = make_blobs(n=20, noise=0.0, seed=0)
    for point, label in zip(X, y, strict=True):
        assert point == ([-1.0, -1.0] if label == -1 else [1.0, 1.0])
