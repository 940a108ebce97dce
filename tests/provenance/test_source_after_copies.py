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

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from service.core.reuse import candidates
from tests.e2e.wire import OUTLETS, _story, ingest_one_by_one, parent_ids


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
    for k, outlet in enumerate(OUTLETS):
        kept = story[: len(story) - k // 2]
        copies.append({"external_id": f"copy-{k}", "outlet": outlet, "title": title,
                       "published_at": (start + timedelta(hours=k + 1)).isoformat(),
                       "text": f"{title}\n\n{' '.join(kept)}\n\nCopyright {outlet}. All rights reserved.\n"})
    return source, copies


def test_a_source_stored_after_its_copies_is_the_parent_of_every_copy(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(candidates, "STORY_CANDIDATES", 4)
    source, copies = _documents()
    first = parent_ids(ingest_one_by_one(tmp_path / "source_first.db", [source, *copies]))
    assert all(first[c["external_id"]][:1] == ["source"] for c in copies), first
    # The copies first, the longest first: the source's own search keeps only 4 of them.
    last = parent_ids(ingest_one_by_one(tmp_path / "source_last.db", [*copies, source]))
    assert not last["source"]
    wrong = {c["external_id"]: last[c["external_id"]][:1] for c in copies
             if last[c["external_id"]][:1] != ["source"]}
    assert not wrong, wrong
