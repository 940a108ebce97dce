"""Queued batches: 202 + Location + Preference-Applied, GET /v1/jobs/<id>, retries, and no queue at all.

Jobs go through the real Redis on 127.0.0.1 (database 14, a random queue per test, deleted after);
they are run by the service's worker (``service.jobs.worker``, forking a work horse per job, as
``provenance worker`` does) in burst mode, in this process.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rq.job import Job
from rq.serializers import JSONSerializer
from sqlalchemy import func, select

from service.db import session_scope
from service.ingest import pipeline
from service.jobs import tasks
from service.jobs.queue import get_queue
from service.jobs.worker import build_worker
from service.models import Document, Passage, ReuseLink
from service.models.lineage import LineageNode
from tests.helpers import generated_payloads
from tests.redis_support import REDIS_URL, random_queue


@pytest.fixture()
def queue_name() -> Iterator[str]:
    with random_queue("api") as name:
        yield name


@pytest.fixture()
def queued_app(make_app: Any, queue_name: str) -> Flask:
    """An app with a job queue; batches over 5 items are queued."""
    app: Flask = make_app(REDIS_URL=REDIS_URL, QUEUE_NAME=queue_name, ASYNC_BATCH_OVER=5, WORKER_HEARTBEAT=1)
    return app


def work(app: Flask) -> None:
    """Run the queue's jobs with the service's worker (a horse forked per job) until the queue is empty."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        worker = build_worker(app, name=f"{app.config['QUEUE_NAME']}-worker")
        with app.app_context():
            worker.work(burst=True, logging_level="WARNING")
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def counts(app: Flask) -> tuple[int, int, int, int]:
    with app.app_context(), session_scope(app) as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Document, Passage, ReuseLink, LineageNode)
        )


def job_of(client: FlaskClient, location: str) -> dict[str, Any]:
    response = client.get(location)
    assert response.status_code == 200, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def test_prefer_respond_async_queues_the_batch_and_a_worker_runs_it(queued_app: Flask) -> None:
    client = queued_app.test_client()
    payloads = generated_payloads(4, seed=3)
    response = client.post("/v1/documents/batch", json=payloads, headers={"Prefer": "respond-async, wait=5"})
    assert response.status_code == 202, response.get_json()
    assert response.headers["Preference-Applied"] == "respond-async"
    location = response.headers["Location"]
    assert location.startswith("/v1/jobs/")
    queued = response.get_json()
    assert location.endswith(queued["id"])
    assert queued["state"] == "queued" and queued["kind"] == "ingest-batch"
    assert queued["progress"] == {"done": 0, "total": 4} and queued["items"] == []
    assert counts(queued_app)[0] == 0  # nothing stored before a worker runs it

    work(queued_app)
    job = job_of(client, location)
    assert job["state"] == "finished" and job["attempts"] == 1 and job["error"] is None
    assert job["progress"] == {"done": 4, "total": 4}
    assert (job["created"], job["existing"], job["failed"]) == (4, 0, 0)
    assert [item["index"] for item in job["items"]] == [0, 1, 2, 3]
    assert all(item["status"] == 201 and item["result"] == "created" for item in job["items"])
    assert [item["document"]["external_id"] for item in job["items"]] == [p["external_id"] for p in payloads]
    assert job["started_at"] and job["ended_at"] and job["enqueued_at"]


def test_job_items_have_the_shape_of_the_synchronous_batch(queued_app: Flask) -> None:
    items: list[Any] = [*generated_payloads(2, seed=4), {"text": ""}, "not an object",
                        {"external_id": "dup", "text": "The ferry ran late on Monday. Crews blamed the storm."},
                        {"external_id": "dup", "text": "Another text under the same id. It is a conflict."}]
    client = queued_app.test_client()
    queued = client.post("/v1/documents/batch", json=items, headers={"Prefer": "respond-async"})
    assert queued.status_code == 202
    early = queued.get_json()["items"]  # validation errors are known at once
    assert [i["index"] for i in early] == [2, 3] and all(i["status"] == 422 for i in early)
    work(queued_app)
    job = job_of(client, queued.headers["Location"])

    # The same items again, synchronously this time (now stored, but the shape is what matters).
    queued_app.config["ASYNC_BATCH_OVER"] = 100
    reference = client.post("/v1/documents/batch", json=items).get_json()
    assert [i["index"] for i in job["items"]] == list(range(len(items)))
    for from_job, again in zip(job["items"], reference["items"], strict=True):
        assert set(from_job) == set(again)
        assert from_job["error"] is None or set(from_job["error"]) == set(again["error"])
    assert [i["result"] for i in job["items"]] == ["created", "created", "error", "error", "created", "error"]
    assert [i["status"] for i in job["items"]] == [201, 201, 422, 422, 201, 409]
    assert job["items"][2]["error"]["errors"] == {"text": ["Must not be empty."]}
    assert job["items"][5]["error"]["instance"] == f"/v1/jobs/{job['id']}"
    assert (job["created"], job["existing"], job["failed"]) == (3, 0, 3)


def test_a_batch_over_the_async_size_is_queued_without_being_asked(queued_app: Flask) -> None:
    client = queued_app.test_client()
    small = client.post("/v1/documents/batch", json=generated_payloads(5, seed=5))
    assert small.status_code == 200  # ASYNC_BATCH_OVER is 5: five items are answered at once
    large = client.post("/v1/documents/batch", json=generated_payloads(6, seed=6))
    assert large.status_code == 202 and "Preference-Applied" not in large.headers
    assert large.headers["Location"] == f"/v1/jobs/{large.get_json()['id']}"


def test_without_a_queue_prefer_is_ignored_and_batches_stay_synchronous(make_app: Any) -> None:
    app: Flask = make_app(ASYNC_BATCH_OVER=2, BATCH_LIMIT=4)
    client = app.test_client()
    response = client.post("/v1/documents/batch", json=generated_payloads(3, seed=7),
                           headers={"Prefer": "respond-async"})
    assert response.status_code == 200 and "Preference-Applied" not in response.headers
    assert response.get_json()["created"] == 3
    too_many = client.post("/v1/documents/batch", json=generated_payloads(5, seed=8))
    assert too_many.status_code == 422
    assert "PROVENANCE_REDIS_URL" in too_many.get_json()["detail"]
    assert client.get("/v1/jobs/0123456789abcdef").status_code == 404


def test_an_unknown_job_is_a_404_problem(queued_app: Flask) -> None:
    client = queued_app.test_client()
    for job_id in ("0f0e1c8c-6f0e-4bd5-9f6e-000000000000", "not a job!", "x" * 65):
        response = client.get(f"/v1/jobs/{job_id}")
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json" and response.get_json()["status"] == 404


def test_a_job_of_another_queue_is_not_shown(queued_app: Flask, make_app: Any) -> None:
    queued = queued_app.test_client().post("/v1/documents/batch", json=generated_payloads(2, seed=9),
                                           headers={"Prefer": "respond-async"})
    other: Flask = make_app(REDIS_URL=REDIS_URL, QUEUE_NAME=queued_app.config["QUEUE_NAME"] + "-other")
    assert other.test_client().get(queued.headers["Location"]).status_code == 404


def test_an_unreachable_queue_falls_back_to_synchronous_or_503(make_app: Any) -> None:
    app: Flask = make_app(REDIS_URL="redis://127.0.0.1:1/0", ASYNC_BATCH_OVER=2, BATCH_LIMIT=3)
    client = app.test_client()
    response = client.post("/v1/documents/batch", json=generated_payloads(3, seed=10),
                           headers={"Prefer": "respond-async"})
    assert response.status_code == 200 and "Preference-Applied" not in response.headers
    too_many = client.post("/v1/documents/batch", json=generated_payloads(4, seed=11))
    assert too_many.status_code == 503 and too_many.mimetype == "application/problem+json"
    assert too_many.headers["Retry-After"] == "30"
    unreachable = client.get("/v1/jobs/0123456789abcdef")
    assert unreachable.status_code == 503


def test_a_retried_job_stores_nothing_twice(queued_app: Flask) -> None:
    client = queued_app.test_client()
    payloads = generated_payloads(12, seed=12)
    queued = client.post("/v1/documents/batch", json=payloads, headers={"Prefer": "respond-async"})
    work(queued_app)
    once = counts(queued_app)
    assert once[0] == 12 and once[2] > 0

    # Run the same job again as a retry after a crash would, with nothing saved of its progress
    # (the worker died between a commit and saving the results): everything is found stored.
    queue = get_queue(queued_app.config)
    assert queue is not None
    job = Job.fetch(queued.get_json()["id"], connection=queue.connection, serializer=JSONSerializer)
    job.meta.update(items=[], done=0)
    job.save_meta()
    queue.enqueue_job(job)
    work(queued_app)
    assert counts(queued_app) == once
    again = job_of(client, queued.headers["Location"])
    assert again["state"] == "finished" and again["attempts"] == 2
    assert (again["created"], again["existing"]) == (0, 12)
    assert all(i["status"] == 200 and i["document"] is not None for i in again["items"])


def test_a_failing_job_is_retried_then_reported_failed(queued_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    queued_app.config["JOB_RETRIES"] = 1
    client = queued_app.test_client()

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("the database went away: SELECT secret FROM somewhere")

    monkeypatch.setattr(tasks, "ingest_many", broken)  # inherited by the forked work horse
    queued = client.post("/v1/documents/batch", json=generated_payloads(2, seed=13),
                         headers={"Prefer": "respond-async"})
    work(queued_app)
    job = job_of(client, queued.headers["Location"])
    assert job["state"] == "failed" and job["attempts"] == 2
    assert "RuntimeError" in job["error"] and "SELECT" not in job["error"]
    assert job["progress"] == {"done": 0, "total": 2}
    assert counts(queued_app)[0] == 0
    assert pipeline.ingest_many is not broken


def test_a_thousand_documents_are_accepted_in_under_a_second(queued_app: Flask) -> None:
    queued_app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    payloads = generated_payloads(1000, seed=14)
    client = queued_app.test_client()
    client.get("/healthz")  # the first request pays for lazy imports
    start = time.perf_counter()
    response = client.post("/v1/documents/batch", json=payloads, headers={"Prefer": "respond-async"})
    elapsed = time.perf_counter() - start
    assert response.status_code == 202, response.get_json()
    print(f"202 for 1,000 documents in {elapsed:.3f} s")
    assert elapsed < 1.0
    assert response.get_json()["progress"] == {"done": 0, "total": 1000}


def test_rebuild_async_queues_a_rebuild(queued_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    client = queued_app.test_client()
    assert client.post("/v1/documents/batch", json=generated_payloads(6, seed=15)).status_code == 202
    work(queued_app)
    before = counts(queued_app)
    for key, value in (("DATABASE_URL", queued_app.config["DATABASE_URL"]), ("REDIS_URL", REDIS_URL),
                       ("QUEUE_NAME", queued_app.config["QUEUE_NAME"])):
        monkeypatch.setenv(f"PROVENANCE_{key}", value)
    from service.cli import main

    result = queued_app.test_cli_runner().invoke(main, ["rebuild", "--async"])
    assert result.exit_code == 0, result.output
    job_id = result.output.split("queued rebuild job ")[1].split(":")[0]
    work(queued_app)
    job = job_of(client, f"/v1/jobs/{job_id}")
    assert job["kind"] == "rebuild" and job["state"] == "finished"
    assert job["documents"] == 6 and job["progress"] == {"done": 6, "total": 6}
    assert counts(queued_app) == before


def test_rebuild_async_without_a_queue_says_what_is_missing(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVENANCE_DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.delenv("PROVENANCE_REDIS_URL", raising=False)
    monkeypatch.delenv("PROVENANCE_QUEUE_URL", raising=False)
    from service.cli import main

    result = app.test_cli_runner().invoke(main, ["rebuild", "--async"])
    assert result.exit_code != 0 and "PROVENANCE_REDIS_URL" in result.output
