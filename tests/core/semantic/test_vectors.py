"""The growing vector set and its exact nearest-neighbour search (``service.core.semantic.vectors``)."""

from __future__ import annotations

import numpy as np
import pytest

from service.core.semantic.embed import quantize
from service.core.semantic.vectors import VectorSet


def _data(n: int = 300, dim: int = 32) -> tuple[np.ndarray, np.ndarray]:
    vectors = np.random.default_rng(5).standard_normal((n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), quantize(vectors)


def test_nearest_agrees_with_a_brute_force_cosine() -> None:
    exact, q = _data()
    vectors = VectorSet(32, capacity=4)  # grows several times
    vectors.add(range(1000, 1300), q)
    assert len(vectors) == 300
    unit = q.astype(np.float64) / np.linalg.norm(q.astype(np.float64), axis=1, keepdims=True)
    for row in (0, 17, 299):
        found = vectors.nearest(q[row], 5)
        order = np.argsort(-(unit @ unit[row]))[:5]
        assert [pid for pid, _ in found] == [1000 + int(i) for i in order]
        # int8 keeps the float neighbours, up to near-ties
        assert len({pid - 1000 for pid, _ in found} & set(np.argsort(-(exact @ exact[row]))[:6].tolist())) >= 4
        assert found[0] == (1000 + row, pytest.approx(1.0, abs=1e-3))
        assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)


def test_appends_keep_earlier_rows_and_ids() -> None:
    _, q = _data(40)
    vectors = VectorSet(32, capacity=1)
    for start in range(0, 40, 7):
        vectors.add(range(start, min(start + 7, 40)), q[start : start + 7])
    assert vectors.ids.tolist() == list(range(40))
    assert [vectors.nearest(q[i], 1)[0][0] for i in range(40)] == list(range(40))


def test_keep_drops_the_rows_not_alive() -> None:
    _, q = _data(20)
    vectors = VectorSet(32)
    vectors.add(range(20), q)
    assert vectors.keep(np.array([1, 3, 5, 99])) == 17
    assert vectors.ids.tolist() == [1, 3, 5]
    assert vectors.nearest(q[3], 10)[0][0] == 3 and len(vectors.nearest(q[3], 10)) == 3
    assert vectors.keep(np.array([1, 3, 5])) == 0


def test_empty_set_zero_query_and_bad_shapes() -> None:
    _, q = _data(3)
    vectors = VectorSet(32)
    assert vectors.nearest(q[0], 5) == []
    vectors.add([7], q[:1])
    assert vectors.nearest(np.zeros(32, dtype=np.int8), 5) == []
    assert vectors.nearest(q[0], 0) == []
    with pytest.raises(ValueError):
        vectors.add([1, 2], q[:1])
    vectors.clear()
    assert len(vectors) == 0 and vectors.nearest(q[0], 1) == []


def test_reserve_and_growth_keep_rows_and_bound_spare_room() -> None:
    rng = np.random.default_rng(3)
    rows = rng.integers(-127, 127, (5000, 32), dtype=np.int8)
    reserved = VectorSet(32)
    reserved.reserve(5000)
    grown = VectorSet(32)
    for start in range(0, 5000, 700):
        reserved.add(range(start, min(start + 700, 5000)), rows[start : start + 700])
        grown.add(range(start, min(start + 700, 5000)), rows[start : start + 700])
    assert reserved.capacity == 5000  # exactly what was reserved
    assert grown.capacity <= 5000 * 9 // 8 + 1024  # an eighth spare at most (beyond the first 1,024)
    for vectors in (reserved, grown):
        assert vectors.ids.tolist() == list(range(5000))
        assert vectors.nearest(rows[1234], 1) == reserved.nearest(rows[1234], 1)
    view = grown.ids  # a view alive: growing copies instead of resizing in place
    grown.add([5000], rows[:1])
    assert view.tolist() == list(range(5000)) and grown.ids.tolist() == list(range(5001))
