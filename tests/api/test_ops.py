"""Operations: health probes, request ids, JSON logs, metrics, CORS and rate limits."""

from __future__ import annotations

import json
import os
import random
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, text

from service import create_app
from service.models import Document
from service.ops import warm_up
from service.provenance import feature_cache
from service.provenance.feature_cache import LockedLRU

UNREACHABLE_DB = "postgresql+psycopg://postgres@127.0.0.1:9/provenance?connect_timeout=2"
EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
DOC = {"external_id": "ops-1", "title": "Rates", "text": "The council raised the rate to 4 percent. It met on Monday."}


def _metric(body: str, name: str, **labels: str) -> float | None:
    """The value of one sample in a Prometheus text exposition, or None."""
    for line in body.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0])) if "{" in line else {}
            if all(found.get(k) == v for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    return None


@pytest.fixture()
def unreachable_app() -> Iterator[Flask]:
    """An app whose database does not answer."""
    app = create_app({"DATABASE_URL": UNREACHABLE_DB, "TESTING": True})
    yield app
    app.extensions["engine"].dispose()


def test_healthz_answers_without_a_database(unreachable_app: Flask) -> None:
    response = unreachable_app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_is_503_problem_when_the_database_is_unreachable(unreachable_app: Flask) -> None:
    response = unreachable_app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert "unreachable" in response.get_json()["detail"]


def test_readyz_reports_a_current_schema(client: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "ready" and body["migrations"]["current"] == body["migrations"]["expected"]


def test_readyz_is_503_when_migrations_are_behind(app: Flask) -> None:
    engine = app.extensions["engine"]
    with engine.begin() as conn:
        applied = list(conn.scalars(text("SELECT version_num FROM alembic_version")))
        conn.execute(text("UPDATE alembic_version SET version_num = '0000_older'"))
    try:
        response = app.test_client().get("/readyz")
        assert response.status_code == 503
        assert "provenance db upgrade" in response.get_json()["detail"]
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM alembic_version"))
        assert app.test_client().get("/readyz").status_code == 503  # never migrated at all
    finally:  # the PostgreSQL test database is shared by the session: put the revision back
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM alembic_version"))
            for version in applied:
                conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": version})
    assert app.test_client().get("/readyz").status_code == 200


def test_request_id_is_generated_echoed_or_replaced(client: Any) -> None:
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    echoed = client.get("/healthz", headers={"X-Request-ID": "edge-7f3:a.b_c"}).headers["X-Request-ID"]
    assert echoed == "edge-7f3:a.b_c"
    for forged in ("two words", "<script>", "x" * 129):
        replaced = client.get("/healthz", headers={"X-Request-ID": forged}).headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", replaced)


def test_problem_documents_carry_the_request_id(client: Any) -> None:
    response = client.get("/v1/documents/999999", headers={"X-Request-ID": "trace-123"})
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "trace-123"
    assert "trace-123" in response.get_json()["instance"]


def test_logs_are_json_lines_with_the_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app({"DATABASE_URL": UNREACHABLE_DB, "TESTING": True})
    app.test_client().get("/readyz", headers={"X-Request-ID": "log-check-1"})
    entries = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    warning = next(e for e in entries if e["level"] == "warning" and "readiness" in e["event"])
    assert warning["request_id"] == "log-check-1" and warning["path"] == "/readyz" and "timestamp" in warning


def test_metrics_count_requests_per_route(client: Any) -> None:
    for _ in range(3):
        client.get("/healthz")
    client.get("/v1/documents/424242")
    body = client.get("/metrics").get_data(as_text=True)
    count = "flask_http_request_duration_seconds_count"
    assert _metric(body, count, method="GET", route="/healthz", status="200") == 3
    assert _metric(body, count, method="GET", route="/v1/documents/<int:document_id>", status="404") == 1
    assert _metric(body, count, route="/metrics") is None


def test_metrics_report_corpus_size_and_durations(client: Any) -> None:
    before = _metric(client.get("/metrics").get_data(as_text=True), "provenance_ingest_duration_seconds_count") or 0
    assert client.post("/v1/documents", json=DOC).status_code == 201
    assert client.post("/v1/statements/check", json={"statement": "The council raised the rate."}).status_code == 200
    body = client.get("/metrics").get_data(as_text=True)
    assert _metric(body, "provenance_corpus_documents") == 1
    assert _metric(body, "provenance_corpus_passages") == 2
    assert (_metric(body, "provenance_ingest_duration_seconds_count") or 0) >= before + 1
    assert (_metric(body, "provenance_check_duration_seconds_count") or 0) >= 1


def test_cors_preflight_from_an_allowed_extension_needs_no_key(make_app: Any) -> None:
    client = make_app(CORS_ORIGINS=f"https://desk.example.org, {EXTENSION}", REQUIRE_API_KEY=True).test_client()
    response = client.options("/v1/documents", headers={
        "Origin": EXTENSION,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "X-API-Key, Content-Type",
    })
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == EXTENSION
    assert "x-api-key" in response.headers["Access-Control-Allow-Headers"].lower()
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_cors_ignores_origins_not_configured(make_app: Any) -> None:
    client = make_app(CORS_ORIGINS=EXTENSION, REQUIRE_API_KEY=True).test_client()
    response = client.options("/v1/documents", headers={
        "Origin": "chrome-extension://someotherextensionid", "Access-Control-Request-Method": "POST",
    })
    assert not any(h.lower().startswith("access-control-") for h in response.headers.keys())
    plain = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in plain.headers


def test_cors_headers_are_on_errors_so_the_browser_can_read_them(make_app: Any) -> None:
    client = make_app(CORS_ORIGINS=EXTENSION, REQUIRE_API_KEY=True).test_client()
    response = client.get("/v1/documents", headers={"Origin": EXTENSION})
    assert response.status_code == 401
    assert response.headers["Access-Control-Allow-Origin"] == EXTENSION
    assert "X-Request-ID" in response.headers["Access-Control-Expose-Headers"]


def _address() -> dict[str, str]:
    """A client address of its own, so counters in a shared store never collide between runs."""
    return {"REMOTE_ADDR": f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"}


def test_rate_limit_answers_429_problem_with_retry_after(make_app: Any) -> None:
    client = make_app(RATE_LIMIT="3/minute").test_client()
    address = _address()
    statuses = [client.get("/v1/documents", environ_base=address).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    response = client.get("/v1/documents", environ_base=address)
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert client.get("/v1/documents", environ_base=_address()).status_code == 200  # another client
    assert client.get("/healthz", environ_base=address).status_code == 200  # probes are exempt
    assert client.get("/metrics", environ_base=address).status_code == 200


def test_client_address_comes_from_trusted_proxies_only(make_app: Any) -> None:
    behind_proxy = make_app(RATE_LIMIT="1/minute", PROXY_COUNT=1).test_client()
    proxy = _address()
    first, second = (f"203.0.113.{random.randrange(1, 255)}", f"198.51.100.{random.randrange(1, 255)}")
    assert behind_proxy.get("/v1/documents", environ_base=proxy, headers={"X-Forwarded-For": first}).status_code == 200
    assert behind_proxy.get("/v1/documents", environ_base=proxy, headers={"X-Forwarded-For": second}).status_code == 200
    assert behind_proxy.get("/v1/documents", environ_base=proxy, headers={"X-Forwarded-For": first}).status_code == 429

    direct = make_app(RATE_LIMIT="1/minute").test_client()
    client = _address()
    assert direct.get("/v1/documents", environ_base=client, headers={"X-Forwarded-For": first}).status_code == 200
    spoofed = direct.get("/v1/documents", environ_base=client, headers={"X-Forwarded-For": second})
    assert spoofed.status_code == 429


def test_openapi_documents_the_api_key(client: Any) -> None:
    spec = client.get("/openapi.json").get_json()
    assert spec["components"]["securitySchemes"]["ApiKey"] == {**spec["components"]["securitySchemes"]["ApiKey"],
                                                                "type": "apiKey", "in": "header", "name": "X-API-Key"}
    assert {"ApiKey": []} in spec["security"]
    assert spec["paths"]["/healthz"]["get"]["security"] == []


def test_rate_limit_is_off_unless_configured(client: Any) -> None:
    assert all(client.get("/v1/documents").status_code == 200 for _ in range(30))


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def test_rate_limit_counters_are_shared_through_redis(make_app: Any) -> None:
    if not _redis_up():
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings = {"RATE_LIMIT": "4/minute", "REDIS_URL": "redis://127.0.0.1:6379/15"}
    first, second = make_app(**settings).test_client(), make_app(**settings).test_client()
    address = _address()
    assert [first.get("/v1/documents", environ_base=address).status_code for _ in range(2)] == [200, 200]
    assert [second.get("/v1/documents", environ_base=address).status_code for _ in range(2)] == [200, 200]
    assert first.get("/v1/documents", environ_base=address).status_code == 429


def test_rate_limits_fall_back_to_memory_when_redis_is_down(make_app: Any) -> None:
    client = make_app(RATE_LIMIT="2/minute", REDIS_URL="redis://127.0.0.1:9/0").test_client()
    address = _address()
    statuses = [client.get("/v1/documents", environ_base=address).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_commands_start_when_the_metrics_directory_is_missing(tmp_path: Path) -> None:
    missing = tmp_path / "not-yet" / "metrics"
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(missing), "PROVENANCE_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    result = subprocess.run([str(Path(sys.executable).parent / "provenance"), "db", "upgrade"], env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert missing.is_dir()


def test_unexpected_errors_are_logged_as_json_with_the_traceback(
    make_app: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()

    @app.get("/_boom")
    def boom() -> None:
        raise RuntimeError("boom for the log test")

    response = app.test_client().get("/_boom", headers={"X-Request-ID": "err-1"})
    assert response.status_code == 500 and "RuntimeError" not in response.get_data(as_text=True)
    entries = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    error = next(e for e in entries if e["level"] == "error")
    assert error["request_id"] == "err-1" and "RuntimeError: boom for the log test" in error["exception"]


# --- Start-up warm-up ----------------------------------------------------------------------

WARM_DOCS = [
    {"external_id": f"warm-{i}",
     "text": f"The {word} council met on day {i + 1}. It approved {i * 7 + 3} new posts for the {word} plan."}
    for i, word in enumerate(("harbour", "ferry", "library", "bridge"))
]


@pytest.fixture()
def cold_cache(monkeypatch: pytest.MonkeyPatch) -> LockedLRU[str, Any]:
    """An empty provenance feature cache for this test; the process-wide one is put back after."""
    cache: LockedLRU[str, Any] = LockedLRU(feature_cache.FEATURES_MAX)
    monkeypatch.setattr(feature_cache, "FEATURES", cache)
    return cache


def _stored_newest_first(app: Flask) -> list[str]:
    """Content hashes of the stored documents, newest first."""
    with app.extensions["engine"].connect() as conn:
        return list(conn.scalars(select(Document.content_hash).order_by(Document.id.desc())))


def _ingest_warm_docs(app: Flask) -> None:
    client = app.test_client()
    for body in WARM_DOCS:
        assert client.post("/v1/documents", json=body).status_code == 201


def test_warm_up_computes_the_features_of_the_newest_documents(
    make_app: Any, cold_cache: LockedLRU[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(WARM_CACHE=3)
    _ingest_warm_docs(app)
    cold_cache.clear()  # ingesting computed them; a fresh process has none
    assert warm_up(app) == 3
    # The newest is the most recently used entry: the last the cache would evict.
    assert cold_cache.keys() == _stored_newest_first(app)[:3][::-1]
    entries = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    logged = next(e for e in entries if e["event"] == "feature cache warmed")
    assert logged["documents"] == 3 and logged["seconds"] >= 0


def test_warm_up_is_off_by_default(make_app: Any, cold_cache: LockedLRU[str, Any]) -> None:
    app = make_app()
    _ingest_warm_docs(app)
    cold_cache.clear()
    assert warm_up(app) == 0 and not len(cold_cache)


def test_warm_up_stops_at_the_cache_size(
    make_app: Any, cold_cache: LockedLRU[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cold_cache, "capacity", 2)
    app = make_app(WARM_CACHE=100)
    _ingest_warm_docs(app)
    cold_cache.clear()
    assert warm_up(app) == 2
    assert set(cold_cache.keys()) == set(_stored_newest_first(app)[:2])


def test_a_failed_warm_up_is_logged_and_the_start_goes_on(
    tmp_path: Path, cold_cache: LockedLRU[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    unmigrated = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "AUTO_MIGRATE": False,
                             "TESTING": True, "WARM_CACHE": 10})
    try:
        assert warm_up(unmigrated) == 0
    finally:
        unmigrated.extensions["engine"].dispose()
    assert not len(cold_cache)
    entries = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    failure = next(e for e in entries if e["event"].startswith("feature cache warm-up failed"))
    assert failure["level"] == "error" and "documents" in failure["exception"]


def test_warm_up_fills_the_statement_checks_caches_with_the_stored_documents(
    make_app: Any, cold_cache: LockedLRU[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """The learned layer's analysis of each warmed document is then a cache hit, and the words of
    its passages are read: what a fresh worker's first checks would otherwise compute."""
    from service.checking import _load_document_stance
    from service.core.stance.model import classifier
    from service.core.stance.passage import passage_words
    from service.models import Passage

    if _load_document_stance() is None:
        pytest.skip("no learned stance model installed")
    app = make_app(WARM_CACHE=3)
    _ingest_warm_docs(app)
    classifier._cached_doc.cache_clear()
    passage_words.cache_clear()
    warm_up(app)
    engine = app.extensions["engine"]
    with engine.connect() as conn:
        newest = list(conn.scalars(select(Document.id).order_by(Document.id.desc()).limit(3)))
        texts = {d: tuple(conn.scalars(select(Passage.text).where(Passage.document_id == d).order_by(Passage.seq)))
                 for d in newest}
    assert classifier._cached_doc.cache_info().currsize == len(newest)
    before = classifier._cached_doc.cache_info().hits
    for passages in texts.values():
        classifier._cached_doc(classifier.load_model(), passages)
    assert classifier._cached_doc.cache_info().hits == before + len(newest)
    assert passage_words.cache_info().currsize == len({t for ts in texts.values() for t in ts})
    entries = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    assert next(e for e in entries if e["event"] == "stance caches warmed")["analysed"] == 3
