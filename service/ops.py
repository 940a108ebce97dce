"""Operations wiring: JSON logs with request ids, Prometheus metrics, CORS, API keys, rate limits.

``register_ops(app)`` installs all of it; the order of the request hooks matters and is fixed
there (request id -> API key -> rate limit, so limits can be keyed by the authenticated key).

The metrics themselves (and ``track_ingest``/``track_check``, which domain code uses) live in
``service.metrics``; this module registers them and serves ``/metrics``. Under gunicorn the
metrics live in ``PROMETHEUS_MULTIPROC_DIR`` (set by docker/gunicorn.conf.py) and
``/metrics`` aggregates every worker; in a single process they come from the app's registry.

``warm_up(app)`` fills the provenance feature cache at start-up (``WARM_CACHE``); the server
entry points call it (the gunicorn master before it forks, ``provenance serve``).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
import uuid
from typing import Any

import structlog
from flask import Flask, Response, current_app, g, request
from flask.logging import default_handler
from flask_cors import CORS
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from prometheus_client import CollectorRegistry, ProcessCollector
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_flask_exporter import PrometheusMetrics
from sqlalchemy import func, select
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response as BaseResponse

from service import auth
from service.core.text import wordnet
from service.db import session_scope
from service.metrics import APP_METRICS, CORPUS_DOCUMENTS, CORPUS_PASSAGES
from service.models import Document
from service.provenance import feature_cache
from service.provenance.documents import warm_cache
from service.semantic import index as semantic_index

REQUEST_ID_HEADER = "X-Request-ID"
# Incoming ids are echoed into logs and headers, so only short, plain tokens are accepted.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,128}")
log = structlog.get_logger("service.ops")


def register_ops(app: Flask) -> None:
    """Install logging, proxy headers, request ids, metrics, CORS, API keys and rate limits, in that order."""
    configure_logging(app.config.get("LOG_LEVEL", "INFO"), app.config.get("LOG_FORMAT", "json"))
    app.logger.removeHandler(default_handler)
    register_proxy_fix(app)
    register_request_id(app)
    register_metrics(app)
    register_cors(app)
    auth.register_auth(app)
    register_rate_limits(app)


# --- Logging -------------------------------------------------------------------------------


class _OpsHandler(logging.StreamHandler):
    """The root handler this module installs (reconfiguring replaces it), writing to the current stderr.

    Resolving ``sys.stderr`` at each record keeps it working when a test runner swaps the stream.
    """

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Route structlog and standard-library logging through one renderer on stderr.

    Every line carries a timestamp, level, logger name and the request's context (request id,
    method, path) bound by ``register_request_id``.
    """
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    # The console renderer prints tracebacks itself; JSON needs them formatted into a field.
    renderer: list[Any] = (
        [structlog.dev.ConsoleRenderer(colors=False)]
        if fmt == "console"
        else [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
    )
    handler = _OpsHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _OpsHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())


# --- Reverse proxies -----------------------------------------------------------------------


def register_proxy_fix(app: Flask) -> None:
    """Trust ``X-Forwarded-*`` from exactly ``PROXY_COUNT`` proxies in front of the service.

    Rate limits by client address need the real client address; gunicorn does not rewrite
    REMOTE_ADDR, and trusting the header from anyone would let a client pick its own address.
    """
    hops = int(app.config.get("PROXY_COUNT") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


# --- Request ids ---------------------------------------------------------------------------


def request_id() -> str | None:
    """This request's id (also in the ``X-Request-ID`` response header and problem ``instance``)."""
    value: str | None = g.get("request_id")
    return value


def _start_request() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if REQUEST_ID_PATTERN.fullmatch(incoming) else uuid.uuid4().hex
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=g.request_id, method=request.method, path=request.path)


def _finish_request(response: BaseResponse) -> BaseResponse:
    if "request_id" in g:
        response.headers[REQUEST_ID_HEADER] = g.request_id
    return response


def _clear_request_context(_exc: BaseException | None) -> None:
    structlog.contextvars.clear_contextvars()


def register_request_id(app: Flask) -> None:
    """Accept a well-formed incoming ``X-Request-ID`` or make one; echo it on every response."""
    app.before_request(_start_request)
    app.after_request(_finish_request)
    app.teardown_request(_clear_request_context)


# --- Metrics -------------------------------------------------------------------------------


def multiprocess_mode() -> bool:
    """True when metrics are shared between worker processes through files."""
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def route(req: Any) -> str:
    """The route template (``/v1/documents/<int:document_id>``): one series per endpoint, not per id.

    prometheus-flask-exporter names the label after this function: ``route``.
    """
    return req.url_rule.rule if req.url_rule is not None else "<unmatched>"


def register_metrics(app: Flask) -> None:
    """Request counts and latencies per route, plus the service's own metrics, at ``/metrics``.

    Each app gets its own registry so several apps can live in one process (tests); the
    module-level metrics are registered in every one of them.
    """
    registry = CollectorRegistry(auto_describe=True)
    for metric in APP_METRICS:
        registry.register(metric)
    if not multiprocess_mode():
        ProcessCollector(registry=registry)
    exporter = PrometheusMetrics(app, path=None, registry=registry, group_by=route)
    app.extensions["metrics"] = exporter
    app.extensions["metrics_registry"] = registry
    app.add_url_rule("/metrics", endpoint="metrics", view_func=exporter.do_not_track()(metrics_view))


def metrics_view() -> Response:
    """Prometheus exposition of this process, or of every worker under gunicorn."""
    refresh_corpus_gauges()
    if multiprocess_mode():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = current_app.extensions["metrics_registry"]
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return Response(encode(registry), content_type=content_type)


def refresh_corpus_gauges() -> None:
    """Set the corpus-size gauges from the database (one aggregate over ``documents``)."""
    stmt = select(func.count(Document.id), func.coalesce(func.sum(Document.passage_count), 0))
    try:
        with current_app.extensions["engine"].connect() as conn:
            documents, passages = conn.execute(stmt).one()
    except Exception as exc:  # a scrape must not fail because the database is away
        log.warning("corpus size unavailable", error=type(exc).__name__)
        return
    CORPUS_DOCUMENTS.set(documents)
    CORPUS_PASSAGES.set(passages)


# --- CORS ----------------------------------------------------------------------------------


def cors_origins(app: Flask) -> list[str]:
    """Allowed browser origins from ``CORS_ORIGINS`` (comma separated, e.g. chrome-extension://<id>)."""
    raw = app.config.get("CORS_ORIGINS") or ""
    items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    return [origin.strip().rstrip("/") for origin in items if origin.strip()]


def register_cors(app: Flask) -> None:
    """Answer CORS for the configured origins only; other origins get no CORS headers at all."""
    origins = cors_origins(app)
    if not origins:
        return
    CORS(
        app,
        origins=origins,
        allow_headers=["Content-Type", auth.HEADER, REQUEST_ID_HEADER],
        expose_headers=[REQUEST_ID_HEADER, "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                        "X-RateLimit-Reset", "Location"],
        methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        max_age=600,
        vary_header=True,
    )


# --- Rate limits ---------------------------------------------------------------------------


def rate_limit_key() -> str:
    """Limit per API key when one was presented, otherwise per client address."""
    principal = auth.current_principal()
    if principal is not None:
        return f"key:{principal.key_id}"
    return f"addr:{get_remote_address()}"


def rate_limit_storage(app: Flask) -> str:
    """The flask-limiter storage: an explicit URI, else Redis, else this process's memory."""
    uri = app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("REDIS_URL") or "memory://"
    return str(uri)


def register_rate_limits(app: Flask) -> None:
    """Apply ``RATE_LIMIT`` (e.g. ``120/minute``) across all routes per key; 429 with Retry-After."""
    limit = str(app.config.get("RATE_LIMIT") or "").strip()
    if not limit:
        return
    limiter = Limiter(
        rate_limit_key,
        application_limits=[limit],
        storage_uri=rate_limit_storage(app),
        headers_enabled=True,
        in_memory_fallback_enabled=True,
        key_prefix=str(app.config.get("RATELIMIT_KEY_PREFIX") or "provenance"),
    )
    limiter.request_filter(auth.is_public_request)
    limiter.init_app(app)
    app.extensions["rate_limiter"] = limiter


# --- Start-up ------------------------------------------------------------------------------


def warm_up(app: Flask) -> int:
    """Compute the comparison features of the ``WARM_CACHE`` newest stored documents; returns how many.

    Comparing a page (``POST /v1/pages/annotate``) or a new document with a stored one needs the
    stored document's fingerprints and cues, which a fresh process computes on first use: the
    first requests after a start are the slow ones. The server entry points call this before
    serving. The count is capped at the cache's capacity, since warming more would evict the
    newest documents to make room for older ones. WordNet (the statement check's lexical
    resource, a few seconds to read) is loaded first, whatever ``WARM_CACHE`` says.

    A failure (database unreachable, schema not migrated yet) is logged and 0 returned: the
    server then starts with a cold cache rather than not at all.

    The same newest documents (up to its own cache's size) are analysed for the statement check's
    learned stance layer, and their passages' words read (``service.stance_warm``), so that a
    fresh worker's first checks are not slower than later ones.

    Whatever ``WARM_CACHE`` says, what every check reads and no request changes is loaded too:
    the learned stance model and, with ``SEMANTIC_SEARCH``, the embedding model and the
    passage-vector index. Called in a server's master before it forks (gunicorn's ``when_ready``,
    the RQ worker before its work horses), that memory is then shared by every worker through
    copy-on-write instead of being read again by each (docs/scaling.md: what a worker holds).
    """
    start = time.perf_counter()
    if wordnet.load():  # the statement check's lexical resource, shared by every forked worker
        log.info("WordNet loaded", seconds=round(time.perf_counter() - start, 2))
    from service.checking import _load_document_stance

    _load_document_stance()
    if app.config.get("SEMANTIC_SEARCH", True):
        _warm_semantic(app)
    wanted = int(app.config.get("WARM_CACHE") or 0)
    if wanted <= 0:
        return 0
    limit = min(wanted, feature_cache.FEATURES.capacity)
    if limit < wanted:
        log.warning("feature cache warm-up capped at the cache size", requested=wanted, limit=limit)
    start = time.perf_counter()
    try:
        with app.app_context(), session_scope(app) as session:
            warmed = warm_cache(session, limit=limit)
    except Exception:
        log.exception("feature cache warm-up failed; starting cold", limit=limit,
                      seconds=round(time.perf_counter() - start, 2))
        return 0
    log.info("feature cache warmed", documents=warmed, limit=limit, seconds=round(time.perf_counter() - start, 2))
    _warm_stance(app, wanted)
    return warmed


def _warm_stance(app: Flask, wanted: int) -> None:
    """The statement check's document analyses and passage words (``service.stance_warm``)."""
    from service.stance_warm import cache_sizes, warm_stance_caches

    start = time.perf_counter()
    try:
        with app.app_context(), session_scope(app) as session:
            warmed = warm_stance_caches(session, wanted)
    except Exception:
        log.exception("stance cache warm-up failed; starting cold", seconds=round(time.perf_counter() - start, 2))
        return
    log.info("stance caches warmed", analysed=warmed, cached=cache_sizes(),
             seconds=round(time.perf_counter() - start, 2))


def _warm_semantic(app: Flask) -> None:
    start = time.perf_counter()
    try:
        with app.app_context(), session_scope(app) as session:
            vectors = semantic_index.warm(session)
    except Exception:
        log.exception("passage-vector index warm-up failed; loading it on first use")
        return
    log.info("passage-vector index warmed", vectors=vectors, seconds=round(time.perf_counter() - start, 2))
