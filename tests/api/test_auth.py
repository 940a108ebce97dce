"""API keys: hashing, scopes, revocation, the public endpoints, and the ``provenance keys`` command."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask, jsonify
from flask.testing import FlaskClient

from service import auth
from service.cli import main
from service.db import session_scope
from service.models import ApiKey

DOC = {"external_id": "auth-1", "text": "The harbour reopened on Friday after the storm. Ferries resumed."}


def _key(app: Flask, scope: str, name: str = "test") -> tuple[int, str]:
    with session_scope(app) as session:
        key, secret = auth.create_key(session, name, scope)
        return key.id, secret


@pytest.fixture()
def locked_app(make_app: Any) -> Flask:
    """An app that requires API keys."""
    app: Flask = make_app(REQUIRE_API_KEY=True)
    return app


def test_keys_are_stored_only_as_a_hash(app: Flask) -> None:
    key_id, secret = _key(app, "read")
    with session_scope(app) as session:
        stored = session.get(ApiKey, key_id)
        assert stored is not None
        assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in {stored.key_hash, stored.prefix} and secret.startswith(stored.prefix)
        assert len(secret) > 40


def test_unknown_scope_is_refused(app: Flask) -> None:
    with pytest.raises(ValueError), session_scope(app) as session:
        auth.create_key(session, "x", "admin")


def test_missing_or_wrong_key_is_401_problem(locked_app: Flask) -> None:
    client = locked_app.test_client()
    missing = client.get("/v1/documents")
    assert missing.status_code == 401
    assert missing.mimetype == "application/problem+json"
    assert "X-API-Key" in missing.get_json()["detail"]
    assert "X-API-Key" in missing.headers["WWW-Authenticate"]
    wrong = client.get("/v1/documents", headers={"X-API-Key": "prov_not-a-real-key"})
    assert wrong.status_code == 401


def test_read_key_reads_but_cannot_ingest_or_delete(locked_app: Flask) -> None:
    client = locked_app.test_client()
    _, read = _key(locked_app, "read")
    _, write = _key(locked_app, "write")
    assert client.get("/v1/documents", headers={"X-API-Key": read}).status_code == 200
    refused = client.post("/v1/documents", json=DOC, headers={"X-API-Key": read})
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    created = client.post("/v1/documents", json=DOC, headers={"X-API-Key": write})
    assert created.status_code == 201
    path = f"/v1/documents/{created.get_json()['id']}"
    assert client.delete(path, headers={"X-API-Key": read}).status_code == 403
    assert client.get(path, headers={"X-API-Key": read}).status_code == 200
    assert client.delete(path, headers={"X-API-Key": write}).status_code == 204


def test_revoked_key_is_refused(locked_app: Flask) -> None:
    client = locked_app.test_client()
    key_id, secret = _key(locked_app, "write")
    assert client.get("/v1/documents", headers={"X-API-Key": secret}).status_code == 200
    with session_scope(locked_app) as session:
        assert auth.revoke_key(session, key_id) is not None
    assert client.get("/v1/documents", headers={"X-API-Key": secret}).status_code == 401


def test_operational_endpoints_and_docs_stay_open(locked_app: Flask) -> None:
    client = locked_app.test_client()
    for path in ("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"):
        assert client.get(path).status_code == 200, path


def test_a_key_sent_is_checked_even_when_keys_are_optional(client: FlaskClient) -> None:
    assert client.get("/v1/documents").status_code == 200
    assert client.get("/v1/documents", headers={"X-API-Key": "prov_forged"}).status_code == 401


def _ensure_route(app: Flask, rule: str) -> None:
    """Give ``rule`` a stand-in POST view if its feature is not registered in this tree."""
    if not any(r.rule == rule and "POST" in (r.methods or ()) for r in app.url_map.iter_rules()):
        app.add_url_rule(rule, endpoint=f"standin{rule}", view_func=lambda: jsonify(ok=True), methods=["POST"])


@pytest.mark.parametrize("rule", sorted(auth.READ_ONLY_POSTS))
def test_read_key_may_post_questions_but_not_store_answers(locked_app: Flask, rule: str) -> None:
    _ensure_route(locked_app, rule)
    client = locked_app.test_client()
    _, read = _key(locked_app, "read")
    asked = client.post(rule, json={"statement": "x", "text": "x"}, headers={"X-API-Key": read})
    assert asked.status_code not in {401, 403}
    stored = client.post(rule, json={"statement": "x", "text": "x", "store": True}, headers={"X-API-Key": read})
    assert stored.status_code == 403


def test_last_use_is_recorded(locked_app: Flask) -> None:
    key_id, secret = _key(locked_app, "read")
    locked_app.test_client().get("/v1/documents", headers={"X-API-Key": secret})
    with session_scope(locked_app) as session:
        key = session.get(ApiKey, key_id)
        assert key is not None and key.last_used_at is not None


def test_keys_command_creates_lists_and_revokes(locked_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVENANCE_DATABASE_URL", locked_app.config["DATABASE_URL"])
    runner = CliRunner()
    created = runner.invoke(main, ["keys", "create", "--name", "desk", "--scope", "write"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    client = locked_app.test_client()
    assert client.post("/v1/documents", json=DOC, headers={"X-API-Key": secret}).status_code == 201

    listed = runner.invoke(main, ["keys", "list"])
    assert listed.exit_code == 0 and "desk" in listed.stdout and secret not in listed.stdout
    key_id = next(line.split()[0] for line in listed.stdout.splitlines() if line.endswith("desk"))

    revoked = runner.invoke(main, ["keys", "revoke", key_id])
    assert revoked.exit_code == 0, revoked.output
    assert client.get("/v1/documents", headers={"X-API-Key": secret}).status_code == 401
    assert "revoked" in runner.invoke(main, ["keys", "list"]).stdout
    assert runner.invoke(main, ["keys", "revoke", "99999"]).exit_code != 0
