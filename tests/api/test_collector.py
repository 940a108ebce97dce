"""service.collector: the cyclic collector is paused during a check or an annotation, and restored after."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from service import collector
from service.collector import paused_collector


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_paused_inside_and_restored_after() -> None:
    with paused_collector():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_restored_after_an_exception() -> None:
    with pytest.raises(RuntimeError), paused_collector():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_nested_blocks_restore_only_at_the_outermost() -> None:
    with paused_collector():
        with paused_collector():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_switched_off_elsewhere_stays_off() -> None:
    gc.disable()
    with paused_collector():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_young_generation_collected_after(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []
    real = gc.collect
    def counted(*a: Any) -> int:
        calls.append(a)
        return real(*a)

    monkeypatch.setattr(collector.gc, "collect", counted)
    with paused_collector():
        assert calls == []
    assert calls == [(0,)]


def test_cycles_made_inside_are_freed_after() -> None:
    class Node:
        pass

    freed = threading.Event()
    with paused_collector():
        a, b = Node(), Node()
        a.other, b.other = b, a  # type: ignore[attr-defined]
        weakref.finalize(a, freed.set)
        del a, b
        assert not freed.is_set()
    assert freed.is_set()


def test_concurrent_blocks_keep_it_off_until_the_last_ends() -> None:
    first_in, release = threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with paused_collector():
            first_in.set()
            release.wait(5)
            seen.append(gc.isenabled())

    t = threading.Thread(target=first)
    t.start()
    assert first_in.wait(5)
    with paused_collector():
        pass
    assert not gc.isenabled()  # the first block is still running
    release.set()
    t.join(5)
    assert seen == [False]
    assert gc.isenabled()


def test_check_and_annotate_run_with_the_collector_paused(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    from service.api import pages, statements

    def fake_check(*_a: Any, **_kw: Any) -> dict[str, Any]:
        seen.append(gc.isenabled())
        return {"statement": "x", "verdict": "unverified", "confidence": None,
                "tally": {"supports": 0, "contradicts": 0, "mentions": 0}, "evidence": [], "origin": None}

    def fake_annotate(*_a: Any, **_kw: Any) -> dict[str, Any]:
        seen.append(gc.isenabled())
        return {"sentences": [], "summary": {}, "candidates": 0}

    monkeypatch.setattr(statements, "check_statement", fake_check)
    monkeypatch.setattr(pages, "annotate", fake_annotate)
    assert client.post("/v1/statements/check", json={"statement": "Prices rose sharply."}).status_code == 200
    assert client.post("/v1/pages/annotate", json={"text": "Prices rose sharply."}).status_code == 200
    assert seen == [False, False]
    assert gc.isenabled()
