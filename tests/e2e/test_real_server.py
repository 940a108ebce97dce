"""The service as deployed: gunicorn with docker/gunicorn.conf.py, two workers, real PostgreSQL.

One server per module on a fresh database (random name, dropped at the end), migrated with
``provenance db upgrade`` like the compose migration service. The tests run in file order:
probes on the empty service, the evaluation script over HTTP against the same script in-process,
the reference corpus through the public API, metrics aggregated across workers, and two workers
ingesting the same documents at once.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.conftest import ROOT, SEED_MANIFEST, SHARED, load_seed_corpus
from tests.e2e.servers import Server, fresh_database, port_open, service_env
from tests.e2e.servers import gunicorn as _gunicorn

pytestmark = pytest.mark.slow

SEEDEVAL = SHARED / "eval" / "seedeval.py"
SCORES = (
    "cases", "support_recall", "contradiction_recall", "critical_errors", "verdict_accuracy",
    "origin_accuracy", "spurious_on_unverified", "doc_root_accuracy", "doc_parent_accuracy",
)
WORDS = ("harbour", "council", "budget", "ferry", "storm", "school", "bridge", "library", "tram", "clinic")


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    """A fresh PostgreSQL database, migrated by ``provenance db upgrade``, dropped at the end."""
    with fresh_database() as url:
        yield url


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The service with its defaults: open, no rate limit."""
    with _gunicorn(database_url, tmp_path_factory.mktemp("server")) as running:
        yield running


def _metric(body: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in body.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0])) if "{" in line else {}
            if all(found.get(k) == v for k, v in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
    return total


def test_probes_answer_on_the_empty_service(server: Server) -> None:
    health = requests.get(server.url("/healthz"), timeout=10)
    assert health.status_code == 200 and re.fullmatch(r"[0-9a-f]{32}", health.headers["X-Request-ID"])
    ready = requests.get(server.url("/readyz"), timeout=10)
    assert ready.status_code == 200, ready.text
    assert ready.json()["database"] == "postgresql"
    body = server.metrics()
    assert _metric(body, "provenance_corpus_documents") == 0
    assert "flask_http_request_duration_seconds_bucket" in body


def _seedeval(*args: str) -> dict[str, Any]:
    result = subprocess.run([sys.executable, str(SEEDEVAL), "--json", *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=600, env=service_env("", PROVENANCE_LOG_LEVEL="WARNING"))
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, Any] = json.loads(result.stdout)
    return {key: report[key] for key in SCORES}


def test_seedeval_scores_the_same_over_http_and_in_process(server: Server) -> None:
    if not SEEDEVAL.exists() or not SEED_MANIFEST.exists():
        pytest.skip("../shared/eval or ../shared/corpus is not available")
    over_http = _seedeval("--base-url", server.base_url)
    in_process = _seedeval()
    assert over_http == in_process


def test_reference_corpus_through_the_public_api(server: Server) -> None:
    documents = load_seed_corpus()
    ids = []
    for body in documents:
        response = requests.post(server.url("/v1/documents"), json=body, timeout=60)
        assert response.status_code in {200, 201}, response.text
        ids.append(response.json()["id"])
    again = requests.post(server.url("/v1/documents"), json=documents[0], timeout=60)
    assert again.status_code == 200 and again.json()["id"] == ids[0]

    paths = requests.get(server.url("/openapi.json"), timeout=10).json()["paths"]
    if "/v1/statements/check" in paths:
        cases = json.loads((SHARED / "eval" / "seed_statements.json").read_text())["cases"]
        check = requests.post(server.url("/v1/statements/check"), json={"statement": cases[0]["statement"]},
                              timeout=60)
        assert check.status_code == 200, check.text
        assert isinstance(check.json(), dict)
    if "/v1/documents/{document_id}/provenance" in paths:
        for document_id in ids:
            provenance = requests.get(server.url(f"/v1/documents/{document_id}/provenance"), timeout=60)
            assert provenance.status_code == 200, provenance.text
    assert _metric(server.metrics(), "provenance_corpus_documents") == len(documents)


def test_metrics_add_up_across_workers(server: Server) -> None:
    route = {"method": "GET", "route": "/readyz", "status": "200"}
    before = _metric(server.metrics(), "flask_http_request_duration_seconds_count", **route)
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: requests.get(server.url("/readyz"), timeout=30).status_code, range(60)))
    assert statuses == [200] * 60
    after = _metric(server.metrics(), "flask_http_request_duration_seconds_count", **route)
    assert after - before == 60

    entries = [json.loads(line) for line in server.log.read_text().splitlines() if line.startswith("{")]
    served = Counter(e["pid"] for e in entries if e.get("logger") == "gunicorn.access" and e["path"] == "/readyz")
    assert len(served) == 2, served  # both workers answered, and the counts above include both
    assert all(re.fullmatch(r"[0-9a-f]{32}", e["request_id"]) for e in entries if e.get("logger") == "gunicorn.access")


def _synthetic_documents(count: int) -> list[dict[str, Any]]:
    run = uuid.uuid4().hex[:8]
    documents = []
    for i in range(count):
        a, b = WORDS[i % len(WORDS)], WORDS[(i * 3 + 1) % len(WORDS)]
        body: dict[str, Any] = {
            "title": f"Item {i}",
            "text": (f"The {a} committee met for session {run}-{i} on day {i % 28 + 1}. "
                     f"It approved {i * 7 + 3} new {b} posts. Residents asked about the {a} plans."),
        }
        if i % 2 == 0:  # half are deduplicated by external id, half by content hash
            body["external_id"] = f"race-{run}-{i}"
        documents.append(body)
    return documents


def test_two_workers_ingesting_the_same_documents_store_each_once(server: Server) -> None:
    documents = _synthetic_documents(50)
    requests_to_send = documents + documents[::-1]

    def post(body: dict[str, Any]) -> tuple[int, int]:
        response = requests.post(server.url("/v1/documents"), json=body, timeout=120)
        return response.status_code, response.json().get("id", -1)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(post, requests_to_send))
    statuses = Counter(status for status, _ in results)
    assert set(statuses) <= {200, 201}, statuses
    assert statuses[201] == 50 and statuses[200] == 50
    ids_by_doc: dict[str, set[int]] = {}
    for body, (_, document_id) in zip(requests_to_send, results, strict=True):
        ids_by_doc.setdefault(body["text"], set()).add(document_id)
    assert all(len(ids) == 1 for ids in ids_by_doc.values())

    engine = create_engine(server.database_url)
    try:
        with engine.connect() as conn:
            marker = documents[0]["text"].split("session ")[1].split("-")[0]
            query = text("SELECT count(*) FROM documents WHERE text LIKE :m")
            stored = conn.scalar(query, {"m": f"%session {marker}-%"})
    finally:
        engine.dispose()
    assert stored == 50


def _log_entries(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]


def test_master_warms_the_feature_cache_before_forking_workers(server: Server, tmp_path: Path) -> None:
    engine = create_engine(server.database_url)
    try:
        with engine.connect() as conn:
            stored = conn.scalar(text("SELECT count(*) FROM documents"))
            quoted = conn.scalar(text("SELECT text FROM documents ORDER BY id LIMIT 1"))
    finally:
        engine.dispose()
    assert stored and quoted
    with _gunicorn(server.database_url, tmp_path, PROVENANCE_WARM_CACHE="1000") as warm:
        response = requests.post(warm.url("/v1/pages/annotate"), json={"text": quoted}, timeout=60)
        assert response.status_code == 200, response.text
        entries = _log_entries(warm.log)
    events = [e.get("event", "") for e in entries]
    warmed = events.index("feature cache warmed")
    assert entries[warmed]["documents"] == stored
    first_worker = next(i for i, event in enumerate(events) if event.startswith("Booting worker"))
    assert warmed < first_worker


def test_server_starts_cold_when_the_warm_up_fails(tmp_path: Path) -> None:
    unmigrated = f"sqlite:///{tmp_path / 'unmigrated.db'}"
    with _gunicorn(unmigrated, tmp_path, PROVENANCE_WARM_CACHE="1000", PROVENANCE_AUTO_MIGRATE="false") as cold:
        assert requests.get(cold.url("/healthz"), timeout=10).status_code == 200
        entries = _log_entries(cold.log)
    failure = next(e for e in entries if e.get("event", "").startswith("feature cache warm-up failed"))
    assert failure["level"] == "error"
    assert any(e.get("event", "").startswith("Booting worker") for e in entries)


def _redis_up() -> bool:
    return port_open(6379)


def _create_key(database_url: str, name: str, scope: str) -> str:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "provenance"), "keys", "create", "--name", name, "--scope", scope],
        env=service_env(database_url), cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"


@pytest.fixture(scope="module")
def locked_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The service as compose runs it: keys required, CORS for an extension, limits shared in Redis."""
    if not _redis_up():
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings: dict[str, str] = {
        "PROVENANCE_REQUIRE_API_KEY": "true",
        "PROVENANCE_CORS_ORIGINS": EXTENSION,
        "PROVENANCE_RATE_LIMIT": "20/minute",
        "PROVENANCE_REDIS_URL": "redis://127.0.0.1:6379/15",
        "PROVENANCE_RATELIMIT_KEY_PREFIX": f"rs-{uuid.uuid4().hex[:8]}",
    }
    with _gunicorn(database_url, tmp_path_factory.mktemp("locked"), workers=2, **settings) as running:
        yield running


def test_front_door_keys_scopes_and_cors(locked_server: Server) -> None:
    read = _create_key(locked_server.database_url, "rs-read", "read")
    write = _create_key(locked_server.database_url, "rs-write", "write")
    documents = locked_server.url("/v1/documents")
    body = {"text": f"The ferry timetable changed on {uuid.uuid4().hex[:6]} day. Crews agreed to it."}

    missing = requests.get(documents, timeout=10)
    assert missing.status_code == 401 and missing.headers["Content-Type"] == "application/problem+json"
    assert requests.get(documents, headers={"X-API-Key": read}, timeout=10).status_code == 200
    assert requests.post(documents, json=body, headers={"X-API-Key": read}, timeout=30).status_code == 403
    assert requests.post(documents, json=body, headers={"X-API-Key": write}, timeout=30).status_code == 201
    assert requests.get(locked_server.url("/readyz"), timeout=10).status_code == 200

    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-api-key"}
    allowed = requests.options(documents, headers={"Origin": EXTENSION, **preflight}, timeout=10)
    assert allowed.headers.get("Access-Control-Allow-Origin") == EXTENSION
    other = requests.options(documents, headers={"Origin": "chrome-extension://other", **preflight}, timeout=10)
    assert "Access-Control-Allow-Origin" not in other.headers

    provenance = str(Path(sys.executable).parent / "provenance")
    listed = subprocess.run([provenance, "keys", "list", "--json"], env=service_env(locked_server.database_url),
                            cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    read_id = next(json.loads(line)["id"] for line in listed.stdout.splitlines() if '"rs-read"' in line)
    subprocess.run([provenance, "keys", "revoke", str(read_id)], env=service_env(locked_server.database_url),
                   cwd=ROOT, capture_output=True, timeout=60, check=True)
    assert requests.get(documents, headers={"X-API-Key": read}, timeout=10).status_code == 401


def test_rate_limit_is_shared_by_the_workers_through_redis(locked_server: Server) -> None:
    key = _create_key(locked_server.database_url, "rs-limit", "read")
    url = locked_server.url("/v1/documents")
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(lambda _: requests.get(url, headers={"X-API-Key": key}, timeout=30), range(30)))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 20, 429: 10}, statuses  # per-process memory would let up to 40 through
    limited = next(r for r in responses if r.status_code == 429)
    assert limited.headers["Content-Type"] == "application/problem+json"
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    other = _create_key(locked_server.database_url, "rs-other", "read")
    assert requests.get(url, headers={"X-API-Key": other}, timeout=10).status_code == 200
