"""A brief and the long article it was cut from are linked whichever arrives first (in-process, SQLite).

The brief's sentences are mostly stock sentences many other stories carry: it shares only a
couple of rare fingerprints with its source, too few for the rare channel, and far fewer
frequent ones than the story channel needs. The contained-share channel finds the source when the
brief arrives second; the same rule seen from the other side must find the brief when the source
arrives second, or the stored links depend on ingest order (issue 13).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from tests.e2e.wire import OUTLETS, _story, ingest_one_by_one, links, parent_ids

# Sentences many stories of the season carry (agency background paragraphs): frequent text.
_STOCK = [
    "Mergers in the sector have slowed sharply since interest rates began to rise two years ago.",
    "Several smaller rivals have warned that a wave of consolidation could squeeze suppliers.",
    "Competition authorities have blocked two comparable deals in the past decade.",
    "Investors have pushed boards to sell assets that do not earn their cost of capital.",
]


def _documents() -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """The source, unrelated stories carrying the same stock sentences, and a brief cut from the
    source: its sentence on the share price (a template every story has, but with its own names
    and figures) and the three stock sentences after it, with the brief's outlet's byline."""
    rng = random.Random(11)
    story = _story(rng)
    title = story[0].split(",")[0]
    original = {"external_id": "source", "outlet": "Harbor Ledger Wire", "title": title,
                "text": f"{title}\n\n{' '.join([*story[:5], *_STOCK, *story[5:]])}\n"}
    others = []
    for k, outlet in enumerate(OUTLETS):
        own = _story(random.Random(100 + k))
        others.append({"external_id": f"other-{k}", "outlet": outlet, "title": own[0].split(",")[0],
                       "text": f"{own[0].split(',')[0]}\n\n{' '.join([*own[:5], *_STOCK, *own[5:9]])}\n"})
    brief = {"external_id": "brief", "outlet": "Quay Bulletin", "title": f"In brief: {title}",
             "text": f"In brief: {title}\n\n{' '.join([story[4], *_STOCK[:3]])} Reporting by Quay Bulletin staff.\n"}
    return original, others, brief


def _ingest(path: Path, documents: list[dict[str, Any]]) -> tuple[dict[tuple[str, str], Any], dict[str, list[str]]]:
    url = ingest_one_by_one(path, documents)
    return links(url), parent_ids(url)


def test_a_brief_stored_before_its_source_is_linked_as_if_it_came_after(tmp_path: Path) -> None:
    original, others, brief = _documents()
    linked, parents = _ingest(tmp_path / "source_first.db", [*others, original, brief])
    assert {("source", "brief"), ("brief", "source")} & linked.keys()
    assert parents["brief"][0] == "source"
    # Brief first, source second: the same links with the same evidence, the same lineage.
    assert _ingest(tmp_path / "brief_first.db", [*others, brief, original]) == (linked, parents)
