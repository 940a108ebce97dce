"""PROVENANCE_READ_DATABASE_URL: check, provenance, graph and annotate read the replica; writes go to the primary.

The "replica" here is a second database holding other documents than the primary, so every answer
shows which database it was read from.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InternalError

from service import create_app, migrate
from service.db import get_read_session, get_session
from service.models import Document

ON_PRIMARY = {
    "external_id": "primary-1", "outlet": "Harbor Ledger",
    "text": "The Velmora ferry council approved a new timetable on Monday. Crews will start at six in the morning.",
}
ON_REPLICA = [
    {"external_id": "replica-wire", "outlet": "Coastline Wire", "published_at": "2025-03-01",
     "text": ("Brellport harbour authorities approved a 2.4 billion euro expansion of the container port on "
              "Tuesday. The plan adds four deep-water berths by 2031. Dockworkers' unions said they were not "
              "consulted about the plan.")},
    {"external_id": "replica-copy", "outlet": "Pell Post", "published_at": "2025-03-02",
     "text": ("Brellport harbour authorities approved a 2.4 billion euro expansion of the container port on "
              "Tuesday. The plan adds four deep-water berths by 2031. Dockworkers' unions said they were not "
              "consulted about the plan. This story was first published by the Coastline Wire.")},
]


@pytest.fixture()
def replica_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second migrated database next to the test's (a copy of the SQLite template, or a new PostgreSQL database)."""
    if database_url.startswith("sqlite"):
        copy = tmp_path / "replica.db"
        shutil.copy(database_url.removeprefix("sqlite:///"), copy)
        yield f"sqlite:///{copy}"
        return
    base = make_url(database_url)
    name = f"provenance_replica_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture()
def replicated(make_app: Any, replica_url: str) -> Iterator[Flask]:
    """An app on the test database whose read replica holds ON_REPLICA (filled through an app of its own)."""
    filler = create_app({"DATABASE_URL": replica_url, "TESTING": True})
    for body in ON_REPLICA:
        assert filler.test_client().post("/v1/documents", json=body).status_code == 201
    filler.extensions["engine"].dispose()
    app: Flask = make_app(READ_DATABASE_URL=replica_url)
    assert app.test_client().post("/v1/documents", json=ON_PRIMARY).status_code == 201
    yield app
    app.extensions["read_engine"].dispose()


def _external_ids(body: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(body, dict):
        if isinstance(body.get("external_id"), str):
            found.add(body["external_id"])
        for value in body.values():
            found |= _external_ids(value)
    elif isinstance(body, list):
        for value in body:
            found |= _external_ids(value)
    return found


def test_provenance_and_graph_are_read_from_the_replica(replicated: Flask) -> None:
    client: FlaskClient = replicated.test_client()
    # Id 2 exists only on the replica: the primary holds one document.
    provenance = client.get("/v1/documents/2/provenance")
    assert provenance.status_code == 200, provenance.get_json()
    body = provenance.get_json()
    assert body["document"]["external_id"] == "replica-copy"
    assert [p["document"]["external_id"] for p in body["parents"]] == ["replica-wire"]
    graph = client.get("/v1/graph").get_json()
    assert {n["external_id"] for n in graph["nodes"]} == {"replica-wire", "replica-copy"}
    # The documents resource reads the primary (read-your-writes for ingest clients).
    assert client.get("/v1/documents/2").status_code == 404
    assert client.get("/v1/documents/1").get_json()["external_id"] == "primary-1"


def test_the_check_and_annotate_read_the_replica(replicated: Flask) -> None:
    client: FlaskClient = replicated.test_client()
    check = client.post("/v1/statements/check", json={"statement": "Brellport approved a port expansion."})
    assert check.status_code == 200, check.get_json()
    assert _external_ids(check.get_json()["evidence"]) <= {"replica-wire", "replica-copy"}
    assert _external_ids(check.get_json()["evidence"])
    ferry = client.post("/v1/statements/check", json={"statement": "The Velmora ferry council approved a timetable."})
    assert "primary-1" not in _external_ids(ferry.get_json()["evidence"])  # that one is on the primary only
    page = client.post("/v1/pages/annotate", json={"text": ON_REPLICA[1]["text"]})
    assert page.status_code == 200, page.get_json()
    assert "replica-wire" in _external_ids(page.get_json()) or "replica-copy" in _external_ids(page.get_json())


def test_writes_go_to_the_primary(replicated: Flask, replica_url: str) -> None:
    client: FlaskClient = replicated.test_client()
    stored = client.post("/v1/pages/annotate", json={"text": ON_REPLICA[1]["text"], "store": True})
    assert stored.status_code == 200 and stored.get_json()["document"] is not None
    with replicated.app_context():
        assert get_session().scalar(select(func.count()).select_from(Document)) == 2
        assert get_read_session().scalar(select(func.count()).select_from(Document)) == 2  # the replica's two
    engine = create_engine(replica_url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM documents WHERE external_id = 'primary-1'")) == 0
    finally:
        engine.dispose()


def test_readiness_reports_the_replica(replicated: Flask) -> None:
    body = replicated.test_client().get("/readyz").get_json()
    assert body["read_database"] == replicated.extensions["read_engine"].dialect.name
    assert replicated.extensions["engine"] is not replicated.extensions["read_engine"]


def test_without_a_replica_reads_share_the_request_session(app: Flask) -> None:
    with app.test_request_context():
        assert get_read_session() is get_session()
    assert app.test_client().get("/readyz").get_json()["read_database"] is None


def test_a_postgresql_replica_session_refuses_writes(replicated: Flask) -> None:
    if replicated.extensions["read_engine"].dialect.name != "postgresql":
        pytest.skip("read-only transactions are a PostgreSQL setting")
    with replicated.test_request_context():
        session = get_read_session()
        with pytest.raises(InternalError, match="read-only transaction"):
            session.execute(text("DELETE FROM documents"))
