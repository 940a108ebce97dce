"""Shared fixtures: ``app`` -> ``client`` -> ``runner``, on SQLite by default or PostgreSQL.

Set ``PROVENANCE_DATABASE_URL`` to a PostgreSQL URL to run the suite there: a fresh database is
created next to the one named in the URL, migrated once, emptied after every test and dropped
at the end. On SQLite, a migrated template file is copied for each test.

Every test that reaches the ``database_url`` fixture (through ``app``, ``client``, ``make_app``...)
is marked ``database``: ``make test-postgres`` runs only those again on PostgreSQL (see tests/README.md).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from service import create_app, migrate

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED_MANIFEST = SHARED / "corpus" / "seeds.jsonl"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests whose outcome can depend on the database they run on."""
    for item in items:
        if "database_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.database)


def _postgres_url() -> str | None:
    url = os.environ.get("PROVENANCE_DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database for the test session (template file on SQLite, fresh database on PostgreSQL)."""
    server_url = _postgres_url()
    if server_url is None:
        template = tmp_path_factory.mktemp("db") / "template.db"
        migrate.upgrade(f"sqlite:///{template}")
        yield f"sqlite:///{template}"
        return
    base = make_url(server_url)
    name = f"provenance_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture()
def app_config(database_url: str, tmp_path: Path) -> dict[str, Any]:
    """Configuration for one test's app: its own empty database."""
    if database_url.startswith("sqlite"):
        copy = tmp_path / "test.db"
        shutil.copy(database_url.removeprefix("sqlite:///"), copy)
        url = f"sqlite:///{copy}"
    else:
        url = database_url
    return {"DATABASE_URL": url, "TESTING": True}


@pytest.fixture()
def make_app(app_config: dict[str, Any]) -> Iterator[Any]:
    """Build apps on the test's database with extra settings; empties PostgreSQL afterwards."""
    built: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        application = create_app({**app_config, **overrides})
        built.append(application)
        return application

    yield factory
    for application in built:
        engine = application.extensions["engine"]
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                tables = [
                    row[0]
                    for row in conn.execute(
                        text(
                            "SELECT tablename FROM pg_tables "
                            "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                        )
                    )
                ]
                if tables:
                    conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        engine.dispose()


@pytest.fixture()
def app(make_app: Any) -> Flask:
    """The application under test."""
    application: Flask = make_app()
    return application


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture()
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner bound to ``app``."""
    return app.test_cli_runner()


def load_seed_corpus() -> list[dict[str, Any]]:
    """The reference articles from ``../shared/corpus`` as ingest payloads (skips the test if absent)."""
    if not SEED_MANIFEST.exists():
        pytest.skip("the reference corpus ../shared/corpus is not available")
    docs = []
    for line in SEED_MANIFEST.read_text().splitlines():
        if line.strip():
            meta = json.loads(line)
            body = {k: v for k, v in meta.items() if k in {"title", "outlet", "url", "published_at", "language"}}
            body = {k: v for k, v in body.items() if v is not None}
            body["external_id"] = meta["id"]
            body["text"] = (SEED_MANIFEST.parent / meta["path"]).read_text()
            docs.append(body)
    assert docs, f"{SEED_MANIFEST} lists no documents"
    return docs


@pytest.fixture()
def seed_corpus() -> list[dict[str, Any]]:
    """The reference corpus as a list of ingest payloads."""
    return load_seed_corpus()


@pytest.fixture()
def seeded_client(client: FlaskClient, seed_corpus: list[dict[str, Any]]) -> FlaskClient:
    """A client whose database holds the reference corpus."""
    for body in seed_corpus:
        response = client.post("/v1/documents", json=body)
        assert response.status_code == 201, response.get_json()
    return client
