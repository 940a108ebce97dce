"""The stored links do not depend on the order documents arrive in (in-process, SQLite).

The fast counterpart of ``tests/e2e/test_concurrency.py``: the same wire stories and credited
excerpts ingested one by one, and in batches in reverse order, give the same links with the
same evidence. A link resting on text that turns frequent (whose fingerprints the candidate
search skips) would be found only in some orders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from service import create_app, migrate
from tests.e2e.wire import links, wire_cycle

DOCUMENTS = wire_cycle(stories=8, excerpts=4, seed=7)


def _ingest(path: Path, batches: list[list[dict[str, Any]]]) -> dict[tuple[str, str], tuple[Any, ...]]:
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    client = app.test_client()
    for batch in batches:
        if len(batch) == 1:
            response = client.post("/v1/documents", json=batch[0])
        else:
            response = client.post("/v1/documents/batch", json=batch)
        assert response.status_code in (200, 201), response.get_json()
    app.extensions["engine"].dispose()
    return links(url)


def test_serial_and_reversed_batches_store_the_same_links(tmp_path: Path) -> None:
    serial = _ingest(tmp_path / "serial.db", [[body] for body in DOCUMENTS])
    reversed_batches = _ingest(tmp_path / "batches.db", [DOCUMENTS[k::10] for k in reversed(range(10))])
    assert len(serial) > len(DOCUMENTS) // 2
    assert reversed_batches == serial
