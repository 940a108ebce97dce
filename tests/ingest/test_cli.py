"""The ``provenance`` command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import create_engine, inspect, text

from service import migrate
from service.cli import main
from service.provenance import feature_cache
from service.provenance.feature_cache import LockedLRU
from tests.conftest import SEED_MANIFEST
from tests.helpers import generated_payloads as payloads


@pytest.fixture()
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("PROVENANCE_DATABASE_URL", url)
    return url


def test_db_upgrade_creates_the_schema(db_env: str) -> None:
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = create_engine(db_env)
    assert {"documents", "passages"} <= set(inspect(engine).get_table_names())
    assert migrate.is_current(engine)


def test_ingest_folder_of_text_html_and_json(db_env: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text("The mayor resigned on Monday. A vote follows.")
    (folder / "two.json").write_text(json.dumps([{"id": "j1", "text": "Rain fell all week in the valley."}]))
    (folder / "bad.json").write_text("{not json")
    result = CliRunner().invoke(main, ["ingest", str(folder)])
    assert result.exit_code == 1
    assert "created 2, existing 0, failed 1" in result.output
    again = CliRunner().invoke(main, ["ingest", str(folder / "one.txt")])
    assert again.exit_code == 0 and "existing 1" in again.output
    with create_engine(db_env).connect() as conn:
        ids = sorted(row[0] for row in conn.execute(text("SELECT external_id FROM documents")))
    assert ids == ["j1", "one"]


def test_ingest_seed_manifest(db_env: str) -> None:
    if not SEED_MANIFEST.exists():
        pytest.skip("reference corpus not available")
    result = CliRunner().invoke(main, ["ingest", str(SEED_MANIFEST)])
    assert result.exit_code == 0, result.output
    assert "created 5" in result.output
    assert "existing 5" in CliRunner().invoke(main, ["ingest", str(SEED_MANIFEST)]).output


def test_parallel_batched_ingest_stores_what_a_serial_ingest_stores(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = tmp_path / "corpus.jsonl"
    manifest.write_text("".join(json.dumps(p) + "\n" for p in payloads(40, seed=9)))
    snapshots = []
    for name, options in (("serial", ["--workers", "0", "--batch-size", "1"]),
                          ("parallel", ["--workers", "2", "--batch-size", "7"])):
        url = f"sqlite:///{tmp_path / name}.db"
        monkeypatch.setenv("PROVENANCE_DATABASE_URL", url)
        result = CliRunner().invoke(main, ["ingest", *options, str(manifest)])
        assert result.exit_code == 0, result.output
        assert "created 40, existing 0, failed 0" in result.output
        with create_engine(url).connect() as conn:
            snapshots.append(sorted(conn.execute(text(
                "SELECT a.external_id, b.external_id, l.linked, l.aligned, l.relation_a_child, n.parents IS NOT NULL "
                "FROM lineage_links l JOIN documents a ON a.id = l.a_id JOIN documents b ON b.id = l.b_id "
                "JOIN lineage_nodes n ON n.document_id = l.b_id"
            )).all()))
    assert snapshots[0], "the generated corpus has reuse links"
    assert snapshots[0] == snapshots[1]


def test_rebuild_recomputes_the_lineage_of_every_stored_document(db_env: str, tmp_path: Path) -> None:
    manifest = tmp_path / "corpus.jsonl"
    manifest.write_text("".join(json.dumps(p) + "\n" for p in payloads(30, seed=9)))
    assert CliRunner().invoke(main, ["ingest", "--workers", "0", str(manifest)]).exit_code == 0
    query = text("SELECT a.external_id, b.external_id, l.direction, l.pairs FROM lineage_links l "
                 "JOIN documents a ON a.id = l.a_id JOIN documents b ON b.id = l.b_id ORDER BY 1, 2")
    engine = create_engine(db_env)
    with engine.begin() as conn:
        before = conn.execute(query).all()
        conn.execute(text("DELETE FROM lineage_links"))
    result = CliRunner().invoke(main, ["rebuild", "--workers", "1", "--batch-size", "7"])
    assert result.exit_code == 0, result.output
    assert "rebuilt the lineage of 30 documents" in result.output
    with engine.connect() as conn:
        assert before and conn.execute(query).all() == before


def test_serve_warms_the_feature_cache_before_serving_when_configured(
    db_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text("The mayor resigned on Monday. A vote follows next week.")
    (folder / "two.txt").write_text("Rain fell all week in the valley. The river rose by 2 metres.")
    assert CliRunner().invoke(main, ["ingest", str(folder)]).exit_code == 0
    cache: LockedLRU[str, Any] = LockedLRU(feature_cache.FEATURES_MAX)
    monkeypatch.setattr(feature_cache, "FEATURES", cache)
    cached_when_serving: list[int] = []
    monkeypatch.setattr(Flask, "run", lambda self, **kwargs: cached_when_serving.append(len(cache)))

    assert CliRunner().invoke(main, ["serve"]).exit_code == 0
    monkeypatch.setenv("PROVENANCE_WARM_CACHE", "10")
    assert CliRunner().invoke(main, ["serve"]).exit_code == 0
    assert cached_when_serving == [0, 2]
