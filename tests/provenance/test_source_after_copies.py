"""A source stored after more copies than the story channel keeps is still every copy's parent
(in-process, SQLite).

When a widely copied story's source arrives first, each copy finds it near the top of its own
candidate search. When it arrives after its copies, its text is already frequent, and the story
channel keeps only the ``STORY_CANDIDATES`` copies sharing most with it (the longest); the
shorter ones were compared, when they arrived, with longer copies only. The lineage must not
depend on that order (issue 11): the source, once it heads the longer copies, is compared with
the copies they hold. The cap is lowered to 4 so that a dozen copies are enough (the story
channel needs text held by ``FREQUENT_DF`` documents).
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from service import create_app, migrate
from service.core.reuse import candidates
from tests.e2e.wire import _story

_OUTLETS = [f"{name} {kind}" for name in ("Pell", "Tamsin", "Morrow", "Eastgate", "Valley", "Northgate", "Amber")
            for kind in ("Post", "Courier")]


def _documents() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A source and 14 reprints of it, each cut after a different number of sentences (the longest
    first), each with its own outlet's footer, all dated after the source."""
    story = _story(random.Random(5))
    title = story[0].split(",")[0]
    start = datetime(2025, 5, 6, 8, 0, tzinfo=UTC)
    source = {"external_id": "source", "outlet": "Harbor Ledger Wire", "title": title,
              "published_at": start.isoformat(),
              "text": f"{title}\n\n{' '.join(story)}\n\nReporting by Harbor Ledger Wire staff.\n"}
    copies = []
    for k, outlet in enumerate(_OUTLETS):
        kept = story[: len(story) - k // 2]
        copies.append({"external_id": f"copy-{k}", "outlet": outlet, "title": title,
                       "published_at": (start + timedelta(hours=k + 1)).isoformat(),
                       "text": f"{title}\n\n{' '.join(kept)}\n\nCopyright {outlet}. All rights reserved.\n"})
    return source, copies


def _parents(url: str) -> dict[str, list[str]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        external = dict(conn.execute(text("SELECT id, external_id FROM documents")).all())
        nodes = conn.execute(text("SELECT document_id, parents FROM lineage_nodes")).all()
    engine.dispose()
    return {external[d]: [external[p[0]] for p in (json.loads(ps) if isinstance(ps, str) else ps or [])]
            for d, ps in nodes}


def _ingest(path: Path, documents: list[dict[str, Any]]) -> dict[str, list[str]]:
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    client = app.test_client()
    for body in documents:
        response = client.post("/v1/documents", json=body)
        assert response.status_code in (200, 201), response.get_json()
    app.extensions["engine"].dispose()
    return _parents(url)


def test_a_source_stored_after_its_copies_is_the_parent_of_every_copy(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(candidates, "STORY_CANDIDATES", 4)
    source, copies = _documents()
    first = _ingest(tmp_path / "source_first.db", [source, *copies])
    assert all(first[c["external_id"]][:1] == ["source"] for c in copies), first
    # The copies first, the longest first: the source's own search keeps only 4 of them.
    last = _ingest(tmp_path / "source_last.db", [*copies, source])
    assert not last["source"]
    wrong = {c["external_id"]: last[c["external_id"]][:1] for c in copies
             if last[c["external_id"]][:1] != ["source"]}
    assert not wrong, wrong
