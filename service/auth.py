"""API keys at the front door: the ``X-API-Key`` header, a read or write scope, hashed at rest.

A key's secret is random (``secrets.token_urlsafe``), shown once when created and stored only as
its SHA-256: a leaked database does not leak working credentials, and a plain hash suffices
because the secret has 256 bits of entropy (no dictionary to guard against, unlike passwords).

When ``REQUIRE_API_KEY`` is on, every request needs a valid, unrevoked key except the public
operational endpoints (health, readiness, metrics, the OpenAPI document and its UI) and CORS
preflights. A key that is sent is always checked, even when keys are optional.

Scopes: ``read`` keys may use safe methods and the POST endpoints that only compute an answer
(``READ_ONLY_POSTS``) unless the body asks to store the result (``"store": true``); everything
else that changes the corpus needs a ``write`` key.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app, g, request
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, Unauthorized

from service.db import get_session
from service.models import ApiKey
from service.models.base import utcnow
from service.models.keys import SCOPES

HEADER = "X-API-Key"
SECRET_PREFIX = "prov_"
# Blueprints and endpoints that stay open: probes, scrapers and API documentation.
PUBLIC_BLUEPRINTS = frozenset({"health", "api-docs"})
PUBLIC_ENDPOINTS = frozenset({"metrics", "static"})
# POST routes that answer a question without changing the corpus (unless asked to store).
READ_ONLY_POSTS = frozenset({"/v1/statements/check", "/v1/pages/annotate"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Record ``last_used_at`` at most this often per key, not on every request.
LAST_USED_GRANULARITY = timedelta(minutes=5)


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of this request (a detached view of its ``ApiKey``)."""

    key_id: int
    name: str
    scope: str


def hash_secret(secret: str) -> str:
    """The stored form of a secret: hex SHA-256."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_key(session: Session, name: str, scope: str) -> tuple[ApiKey, str]:
    """Store a new key and return it with its secret, which is not retrievable afterwards."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(name=name, scope=scope, prefix=secret[: len(SECRET_PREFIX) + 6], key_hash=hash_secret(secret))
    session.add(key)
    session.flush()
    return key, secret


def list_keys(session: Session) -> list[ApiKey]:
    """All keys, oldest first, revoked ones included."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


def revoke_key(session: Session, key_id: int) -> ApiKey | None:
    """Revoke a key (idempotent); None when there is no such key."""
    key = session.get(ApiKey, key_id)
    if key is not None and key.revoked_at is None:
        key.revoked_at = utcnow()
    return key


def find_active_key(session: Session, secret: str) -> ApiKey | None:
    """The unrevoked key whose secret this is, if any."""
    key = session.scalars(select(ApiKey).where(ApiKey.key_hash == hash_secret(secret))).first()
    return key if key is not None and key.revoked_at is None else None


def current_principal() -> Principal | None:
    """The caller authenticated for this request, or None (anonymous or a public endpoint)."""
    principal: Principal | None = g.get("principal")
    return principal


def is_public_request() -> bool:
    """True for CORS preflights and the open operational endpoints."""
    if request.method == "OPTIONS":
        return True
    return request.blueprint in PUBLIC_BLUEPRINTS or request.endpoint in PUBLIC_ENDPOINTS


def needs_write_scope() -> bool:
    """Whether this request changes stored data."""
    if request.method in SAFE_METHODS:
        return False
    rule = request.url_rule.rule if request.url_rule is not None else None
    if rule in READ_ONLY_POSTS and request.method == "POST":
        body = request.get_json(silent=True)
        return isinstance(body, dict) and bool(body.get("store"))
    return True


def _unauthorized(detail: str) -> Unauthorized:
    return Unauthorized(detail, www_authenticate=WWWAuthenticate("apikey", {"header": HEADER}))


def authenticate() -> None:
    """Before every request: resolve ``X-API-Key`` to a principal and enforce the scope."""
    if is_public_request():
        return
    secret = request.headers.get(HEADER, "").strip()
    if not secret:
        if current_app.config.get("REQUIRE_API_KEY"):
            raise _unauthorized(f"This API requires an {HEADER} header.")
        return
    key = find_active_key(get_session(), secret)
    if key is None:
        raise _unauthorized("The API key is not valid or has been revoked.")
    g.principal = Principal(key_id=key.id, name=key.name, scope=key.scope)
    _touch(key)
    if key.scope != "write" and needs_write_scope():
        raise Forbidden("This API key is read-only; changing the corpus needs a key with the write scope.")


def _touch(key: ApiKey) -> None:
    """Record that the key was used, coarsely, in its own short transaction."""
    now = utcnow()
    if key.last_used_at is not None and now - key.last_used_at < LAST_USED_GRANULARITY:
        return
    with current_app.extensions["engine"].begin() as conn:
        conn.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now))


def document_api_keys(app: Flask) -> None:
    """Describe ``X-API-Key`` in the OpenAPI document (merged into the spec root by flask-smorest).

    The document is the same for every deployment: a key is accepted everywhere, and anonymous
    calls are allowed unless the deployment sets ``PROVENANCE_REQUIRE_API_KEY``.
    """
    options = dict(app.config.get("API_SPEC_OPTIONS") or {})
    components = dict(options.get("components") or {})
    components["securitySchemes"] = {
        **(components.get("securitySchemes") or {}),
        "ApiKey": {
            "type": "apiKey",
            "in": "header",
            "name": HEADER,
            "description": (
                "A key from `provenance keys create`. Read keys may query (GET, statement checks, page "
                "annotation without `store`); write keys may also ingest and delete. Required when the "
                "deployment sets PROVENANCE_REQUIRE_API_KEY; probes and these docs never need one."
            ),
        },
    }
    options["components"] = components
    options["security"] = [{"ApiKey": []}, {}]
    app.config["API_SPEC_OPTIONS"] = options


def register_auth(app: Flask) -> None:
    """Install the API-key check; call before the rate limiter so limits can be per key."""
    document_api_keys(app)
    app.before_request(authenticate)
