"""Configuration: defaults, then ``PROVENANCE_*`` environment variables, then the dict given to ``create_app``.

Values from the environment are strings; they are coerced to the type of the default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

ENV_PREFIX = "PROVENANCE_"

DEFAULTS: dict[str, Any] = {
    # Storage. None means a SQLite file in the instance folder.
    "DATABASE_URL": None,
    # A read replica for the read-only endpoints (check, provenance, graph, annotate); empty: the primary.
    "READ_DATABASE_URL": "",
    # Bring an embedded SQLite database to the latest migration when the app starts.
    "AUTO_MIGRATE": True,
    "TESTING": False,
    # Request limits.
    "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
    "MAX_DOCUMENT_CHARS": 2_000_000,
    "BATCH_LIMIT": 100,
    "PAGE_SIZE_MAX": 200,
    # Outbound fetching of article URLs (a security boundary, see service/fetch.py).
    "FETCH_TIMEOUT": 10.0,
    "FETCH_MAX_BYTES": 5 * 1024 * 1024,
    "FETCH_MAX_REDIRECTS": 5,
    "FETCH_ALLOW_PRIVATE": False,
    "FETCH_USER_AGENT": "provenance-service/0.1 (+https://example.invalid/provenance)",
    # Stored documents (newest first) whose comparison features are computed when the server
    # starts (service.ops.warm_up), so the first annotations are not slow; 0 computes them on use.
    "WARM_CACHE": 0,
    # WordNet for the statement check (service/core/text/wordnet.py): an nltk data folder holding
    # corpora/wordnet (scripts/ensure-wordnet.sh lays it out); empty: NLTK_DATA, then nltk's own
    # search path (/usr/local/share/nltk_data, ...). Without WordNet checks compare words only.
    "WORDNET_DIR": "",
    # Statement checks also take the passages nearest in meaning to the statement (passage
    # vectors, service/semantic/) besides the full-text ones; off: full-text candidates only.
    "SEMANTIC_SEARCH": True,
    "LOG_LEVEL": "INFO",
    # Operations (service/ops.py, service/auth.py). Logs: "json" lines, or "console" for humans.
    "LOG_FORMAT": "json",
    # Front door: require X-API-Key (except health, metrics and docs); CORS origins, comma separated.
    "REQUIRE_API_KEY": False,
    "CORS_ORIGINS": "",
    # Requests per API key (or client address), e.g. "120/minute"; empty disables rate limiting.
    "RATE_LIMIT": "",
    # Shared rate-limit counters: a flask-limiter storage URI, else Redis, else per-process memory.
    "RATELIMIT_STORAGE_URI": "",
    # Redis: the shared rate-limit counters and, unless QUEUE_URL says otherwise, the job queue.
    "REDIS_URL": "",
    # Namespace of the counters, for deployments that share one Redis.
    "RATELIMIT_KEY_PREFIX": "provenance",
    # The job queue (RQ on Redis, service/jobs/): its Redis (empty: REDIS_URL; neither: no queue, all
    # synchronous) and its name, for deployments that share one Redis.
    "QUEUE_URL": "",
    "QUEUE_NAME": "provenance",
    # Batches with more items than this are queued (202 + a job) when there is a queue; so are
    # batches sent with `Prefer: respond-async`. At most ASYNC_BATCH_LIMIT items in a queued batch.
    "ASYNC_BATCH_OVER": 100,
    "ASYNC_BATCH_LIMIT": 5000,
    # A job's time limit, its retries (after an error or a dead worker) and how long its result is kept.
    "JOB_TIMEOUT": 3600,
    "JOB_RETRIES": 3,
    "JOB_RESULT_TTL": 86400,
    # Seconds between a worker's heartbeats while it runs a job; a job whose worker died is retried
    # after about six of them.
    "WORKER_HEARTBEAT": 10,
    # Reverse proxies in front of the service that set X-Forwarded-For/-Proto/-Host (0: trust none).
    "PROXY_COUNT": 0,
}


def _coerce(value: str, default: Any) -> Any:
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


def load_config(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Merge defaults, ``PROVENANCE_*`` environment variables and ``overrides`` (highest precedence).

    Environment variables that are not among the defaults are passed through as strings, so
    features can read their own settings (``PROVENANCE_CORS_ORIGINS`` -> ``CORS_ORIGINS``).
    """
    env = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    for key, value in env.items():
        if key.startswith(ENV_PREFIX):
            name = key[len(ENV_PREFIX) :]
            config[name] = _coerce(value, DEFAULTS[name]) if DEFAULTS.get(name) is not None else value
    if overrides:
        config.update(overrides)
    return config
