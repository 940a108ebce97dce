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
    "REDIS_URL": "",
    # Namespace of the counters, for deployments that share one Redis.
    "RATELIMIT_KEY_PREFIX": "provenance",
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
