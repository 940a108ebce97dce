"""Concurrent ingest gives exactly the graph of serial ingest (PostgreSQL, gunicorn with 4 workers).

Wire stories and credited excerpts of them are posted from 8 threads at once, each story next
to its excerpts, so related articles are stored at the same moment by different workers. The
lineage (every document's parents, by external id) and every link's evidence must equal those
of the same documents ingested one by one into another fresh database. The same holds for
batches queued at once (``Prefer: respond-async``) and run by two ``provenance worker`` processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from redis import Redis

from service import create_app
from tests.e2e.servers import fresh_database, gunicorn, wait_for_jobs, workers
from tests.e2e.wire import lineage, links, traced, wire_cycle
from tests.redis_support import REDIS_URL, random_queue

pytestmark = pytest.mark.slow

DOCUMENTS = wire_cycle(stories=8, excerpts=4, seed=7)


@pytest.fixture(scope="module")
def serial_url() -> Iterator[str]:
    """The reference: the documents ingested one by one, in order, into a fresh database."""
    with fresh_database("provenance_serial") as url:
        app = create_app({"DATABASE_URL": url, "TESTING": True})
        client = app.test_client()
        for body in DOCUMENTS:
            response = client.post("/v1/documents", json=body)
            assert response.status_code == 201, response.get_json()
        app.extensions["engine"].dispose()
        yield url


@pytest.fixture(scope="module")
def serial(serial_url: str) -> dict[str, Any]:
    return {"lineage": lineage(serial_url), "links": links(serial_url)}


def test_the_reference_traces_most_excerpts_to_their_wire_story(serial: dict[str, Any]) -> None:
    hits, total = traced(serial["lineage"])
    print(f"serial: {hits} of {total} excerpts traced to their wire story")
    assert total == 32 and hits >= total // 2


def test_four_gunicorn_workers_posting_at_once_give_the_serial_graph(
    serial: dict[str, Any], tmp_path: Path
) -> None:
    with fresh_database("provenance_conc") as url, gunicorn(url, tmp_path, workers=4) as server:
        def post(body: dict[str, Any]) -> int:
            return requests.post(server.url("/v1/documents"), json=body, timeout=120).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(post, DOCUMENTS))
        assert statuses == [201] * len(DOCUMENTS)
        concurrent = lineage(url)
        concurrent_links = links(url)
    hits, total = traced(concurrent)
    print(f"concurrent (4 workers, 8 threads): {hits} of {total} excerpts traced to their wire story")
    assert concurrent == serial["lineage"]
    assert concurrent_links == serial["links"]


def test_two_queue_workers_consuming_concurrent_batches_give_the_serial_graph(
    serial: dict[str, Any], tmp_path: Path
) -> None:
    # Ten batches of four, each mixing stories and excerpts of other stories, posted at once.
    batches = [DOCUMENTS[k::10] for k in range(10)]
    with random_queue("conc") as queue, fresh_database("provenance_queued") as url, \
            gunicorn(url, tmp_path, workers=4, PROVENANCE_REDIS_URL=REDIS_URL, PROVENANCE_QUEUE_NAME=queue) as server, \
            workers(url, tmp_path, queue, REDIS_URL) as running:
        running.start("a")
        running.start("b")

        def post(batch: list[dict[str, Any]]) -> str:
            response = requests.post(server.url("/v1/documents/batch"), json=batch, timeout=60,
                                     headers={"Prefer": "respond-async"})
            assert response.status_code == 202, response.text
            return response.headers["Location"]

        with ThreadPoolExecutor(max_workers=8) as pool:
            locations = list(pool.map(post, batches))
        jobs = wait_for_jobs(server, locations)
        assert [j["state"] for j in jobs] == ["finished"] * len(batches), [j.get("error") for j in jobs]
        assert sum(j["created"] for j in jobs) == len(DOCUMENTS)
        concurrent = lineage(url)
        concurrent_links = links(url)
        redis = Redis.from_url(REDIS_URL)
        ran = {name: int(redis.hget(f"rq:worker:{queue}-{name}", "successful_job_count") or 0) for name in "ab"}
        redis.close()
    hits, total = traced(concurrent)
    print(f"queued (2 workers, 10 batches): {hits} of {total} excerpts traced to their wire story; jobs run: {ran}")
    assert sum(ran.values()) == len(batches)
    assert concurrent == serial["lineage"]
    assert concurrent_links == serial["links"]
