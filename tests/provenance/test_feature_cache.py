"""The per-process caches: bounded, safe under threads, and never losing an entry mid-read."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from service.models import Document
from service.provenance import feature_cache
from service.provenance.documents import load_documents
from service.provenance.feature_cache import LockedLRU


def test_the_cache_keeps_the_most_recently_used_entries() -> None:
    cache: LockedLRU[str, int] = LockedLRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recently used
    cache.put("c", 3)
    assert cache.keys() == ["a", "c"]
    assert cache.setdefault("a", 9) == 1 and cache.setdefault("d", 4) == 4
    assert len(cache) == 2


def test_the_cache_stays_bounded_and_consistent_under_threads() -> None:
    cache: LockedLRU[int, int] = LockedLRU(50)
    errors: list[BaseException] = []

    def hammer(seed: int) -> None:
        try:
            for i in range(5_000):
                key = (i * 7 + seed) % 200
                value = cache.get(key)
                if value is None:
                    value = cache.setdefault(key, key * 2)
                assert value == key * 2
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert 0 < len(cache) <= 50


def test_loading_more_documents_than_the_cache_holds_loses_none(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = app.test_client()
    for i in range(5):
        text = f"The {['ferry', 'harbour', 'bridge', 'library', 'market'][i]} board met on day {i + 1}. It voted."
        assert client.post("/v1/documents", json={"text": text}).status_code == 201
    tiny: LockedLRU[str, Any] = LockedLRU(2)
    monkeypatch.setattr(feature_cache, "FEATURES", tiny)  # a full cache: every analysis evicts another
    with app.extensions["sessionmaker"]() as session:
        ids = list(session.scalars(select(Document.id)))
        loaded = load_documents(session, ids)
    assert sorted(loaded) == sorted(ids)
    assert all(doc.features.passages for doc in loaded.values())
    assert len(tiny) == 2


def test_a_byte_bound_evicts_by_estimated_size() -> None:
    cache: LockedLRU[str, str] = LockedLRU(100, max_bytes=10, size=len)
    cache.put("a", "xxxx")
    cache.put("b", "xxxx")
    assert cache.nbytes == 8 and cache.keys() == ["a", "b"]
    cache.get("a")  # now the most recently used
    cache.setdefault("c", "xxxx")
    assert cache.keys() == ["a", "c"] and cache.nbytes == 8  # "b" went: 12 bytes are over the bound
    cache.put("a", "x")  # a replaced entry counts at its new size
    assert cache.nbytes == 5
    cache.put("d", "x" * 50)  # larger than the bound alone: kept, everything older goes
    assert cache.keys() == ["d"] and cache.nbytes == 50
    cache.clear()
    assert cache.nbytes == 0 and not len(cache)


def test_the_feature_cache_is_bounded_in_bytes() -> None:
    from service.provenance import feature_cache

    assert feature_cache.FEATURES.max_bytes == feature_cache.FEATURES_MB * 2**20
    analysis = feature_cache.compute("One sentence here. Another one there.", [(0, 18), (19, 37)])
    assert feature_cache.analysis_bytes(analysis) == feature_cache.BYTES_PER_CHAR * 37
