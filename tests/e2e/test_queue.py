"""The job queue as deployed: gunicorn and ``provenance worker`` processes on PostgreSQL and the real Redis.

* a batch of 1,000 documents posted with ``Prefer: respond-async`` is answered 202 in under a second;
* a worker killed (SIGKILL) in the middle of a large job: its work horse dies with it, another
  worker picks the abandoned job up again, and at the end the database holds exactly what a
  serial ingest of the same documents holds: nothing lost, nothing stored twice.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text

from service import create_app
from tests.e2e.servers import Server, fresh_database, gunicorn, wait_for_jobs, workers
from tests.e2e.wire import lineage, links
from tests.helpers import generated_payloads
from tests.redis_support import REDIS_URL, random_queue

pytestmark = pytest.mark.slow

LARGE = generated_payloads(300, seed=21)
TABLES = ("documents", "passages", "lineage_links", "lineage_nodes", "lineage_fingerprints", "lineage_terms")


@pytest.fixture(scope="module")
def queue() -> Iterator[str]:
    with random_queue("e2e") as name:
        yield name


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    with fresh_database("provenance_queue") as url:
        yield url


@pytest.fixture(scope="module")
def server(database_url: str, queue: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with gunicorn(database_url, tmp_path_factory.mktemp("server"), PROVENANCE_REDIS_URL=REDIS_URL,
                  PROVENANCE_QUEUE_NAME=queue) as running:
        yield running


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {table: int(conn.scalar(text(f"SELECT count(*) FROM {table}")) or 0) for table in TABLES}
    finally:
        engine.dispose()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_a_thousand_documents_are_answered_202_in_under_a_second(server: Server) -> None:
    payloads = generated_payloads(1000, seed=20)
    requests.get(server.url("/healthz"), timeout=10)
    timings = []
    for _ in range(2):  # the second request finds both gunicorn workers warm
        start = time.perf_counter()
        response = requests.post(server.url("/v1/documents/batch"), json=payloads, timeout=30,
                                 headers={"Prefer": "respond-async"})
        timings.append(time.perf_counter() - start)
        assert response.status_code == 202, response.text
        assert response.headers["Preference-Applied"] == "respond-async"
        assert response.headers["Location"].startswith("/v1/jobs/")
    print(f"202 for 1,000 documents over HTTP: {', '.join(f'{t:.3f}' for t in timings)} s")
    assert min(timings) < 1.0


def test_a_job_whose_worker_is_killed_is_run_again_with_nothing_lost_or_doubled(
    server: Server, database_url: str, queue: str, tmp_path: Path
) -> None:
    # The jobs of the latency test above are not meant to run: drop them.
    from redis import Redis

    from tests.redis_support import forget_queue

    forget_queue(Redis.from_url(REDIS_URL), queue)
    # Small transactions, so the job is killed between two of them with many still to come.
    with workers(database_url, tmp_path, queue, REDIS_URL, PROVENANCE_BATCH_LIMIT="10") as running:
        first = running.start("first")
        response = requests.post(server.url("/v1/documents/batch"), json=LARGE, timeout=60,
                                 headers={"Prefer": "respond-async"})
        assert response.status_code == 202, response.text
        location = response.headers["Location"]
        deadline = time.monotonic() + 120
        job: dict[str, Any] = {}
        while time.monotonic() < deadline:
            job = requests.get(server.url(location), timeout=10).json()
            if job["state"] == "started" and job["progress"]["done"] >= 30:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"the job did not get going: {job}\n{running.log('first')}")
        horses = _children(first.pid)
        assert horses, "the worker runs its job in a forked work horse"
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        time.sleep(0.5)
        assert not any(_alive(pid) for pid in horses), "the work horse must die with its worker"
        interrupted = requests.get(server.url(location), timeout=10).json()
        assert interrupted["state"] == "started" and 0 < interrupted["progress"]["done"] < len(LARGE)

        running.start("second")  # finds the job abandoned once its heartbeat expires, and retries it
        (finished,) = wait_for_jobs(server, [location], timeout=240)
        log = running.log("second")
    print(f"killed at {interrupted['progress']['done']} of {len(LARGE)} items; "
          f"the retry finished with {finished['created']} created, {finished['existing']} existing")
    assert finished["state"] == "finished", (finished, log)
    assert finished["attempts"] == 2
    assert finished["progress"] == {"done": len(LARGE), "total": len(LARGE)}
    assert finished["failed"] == 0 and finished["created"] + finished["existing"] == len(LARGE)
    assert [item["index"] for item in finished["items"]] == list(range(len(LARGE)))

    with fresh_database("provenance_queue_serial") as serial_url:
        app = create_app({"DATABASE_URL": serial_url, "TESTING": True})
        client = app.test_client()
        for body in LARGE:
            assert client.post("/v1/documents", json=body).status_code == 201
        app.extensions["engine"].dispose()
        serial_counts = _counts(serial_url)
        serial_lineage, serial_links = lineage(serial_url), links(serial_url)
    assert _counts(database_url) == serial_counts
    assert lineage(database_url) == serial_lineage
    assert links(database_url) == serial_links
