"""A small generated news cycle for the concurrency tests: wire stories and credited excerpts of them.

``wire_cycle(stories, excerpts, seed)`` gives ingest payloads: each wire story (about ten
sentences of invented names and figures, from one of two wire services) followed by
``excerpts`` later articles from other outlets, each quoting a run of the story's sentences
with a credit line and a sentence of its own. ``lineage(url)`` reads back what the service
made of them, keyed by external id, so two databases can be compared.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

_SYLLABLES = ["ba", "ker", "lo", "mi", "nor", "pa", "qui", "ros", "sa", "tel", "vu", "zen", "dra", "fi", "gor"]
_WIRES = ["Harbor Ledger Wire", "Coastline Press Agency"]
_OUTLETS = ["Pell Post", "Daily Tamsin", "Morrow Courier", "Eastgate Review", "Valley Herald", "North Star Times"]
_TEMPLATES = [
    "{org} agreed to buy {target} for {amount}, the companies said in a statement on {day}.",
    "The purchase is the largest in the {years}-year history of {org}, which is based in {city}.",
    "{chief}, the chief executive of {org}, said the deal would double its output of {product}.",
    "{target} employs about {staff} people in {city2} and supplied {client} until last year.",
    "Shares of {org} rose {pct} in early trading after the announcement.",
    "Regulators in {city} are expected to review the agreement before the end of {month}.",
    "{chief} told analysts that the company had studied the purchase for {weeks} weeks.",
    "{target} reported revenue of {revenue} last year, down {pct2} from the year before.",
    "Unions at the {city2} plant asked for guarantees that no jobs would be cut.",
    "The deal is expected to close in {month}, subject to the approval of shareholders.",
    "Analysts at {bank} called the price high but said the plants were rare assets.",
]
_FRAMES = [
    "Here is what we know so far about the deal.",
    "The news surprised many in the industry this week.",
    "Readers have asked us what the purchase means for the region.",
    "Our business desk looks at the numbers behind the story.",
]
_COMMENTS = [
    "Whether the bet pays off remains to be seen.",
    "Local officials did not respond to our questions by the time of publication.",
    "Critics were quick to point out that the timing is unusual.",
    "Industry watchers say the real test will come next year.",
]


# Fourteen outlet names for tests that need many distinct outlets of one story.
OUTLETS = [f"{name} {kind}" for name in ("Pell", "Tamsin", "Morrow", "Eastgate", "Valley", "Northgate", "Amber")
           for kind in ("Post", "Courier")]


def _name(rng: random.Random, syllables: int = 3) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


def _story(rng: random.Random) -> list[str]:
    facts = {
        "org": f"{_name(rng)} Holdings", "target": f"{_name(rng)} Systems", "client": f"{_name(rng)} Motors",
        "bank": f"{_name(rng)} Capital", "chief": f"{_name(rng, 2)} {_name(rng)}", "city": _name(rng),
        "city2": _name(rng), "product": rng.choice(["batteries", "turbines", "ferries", "sensors", "chips"]),
        "amount": f"${rng.randint(110, 990)} million", "revenue": f"${rng.randint(20, 99)}.{rng.randint(1, 9)} million",
        "day": rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday"]), "years": str(rng.randint(20, 140)),
        "staff": f"{rng.randint(2, 90) * 100:,}", "pct": f"{rng.randint(2, 19)}%", "pct2": f"{rng.randint(2, 19)}%",
        "month": rng.choice(["March", "June", "September", "December"]), "weeks": str(rng.randint(3, 30)),
    }
    return [template.format(**facts) for template in _TEMPLATES]


def wire_cycle(stories: int = 8, excerpts: int = 4, seed: int = 7) -> list[dict[str, Any]]:
    """``stories`` wire stories, each followed by ``excerpts`` credited excerpts of it, as ingest payloads."""
    rng = random.Random(seed)
    start = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    payloads: list[dict[str, Any]] = []
    for s in range(stories):
        sentences = _story(rng)
        wire = _WIRES[s % len(_WIRES)]
        published = start + timedelta(days=s)
        title = sentences[0].split(",")[0]
        payloads.append({
            "external_id": f"wire-{seed}-{s}", "outlet": wire, "title": title,
            "published_at": published.isoformat(), "text": f"{title}\n\n{' '.join(sentences)}\n",
        })
        for e in range(excerpts):
            outlet = _OUTLETS[(s + e) % len(_OUTLETS)]
            n = rng.randint(4, 6)
            first = rng.randrange(0, len(sentences) - n + 1)
            body = [rng.choice(_FRAMES), f"The {wire} reported the news first.", *sentences[first : first + n],
                    rng.choice(_COMMENTS), f"This article draws on reporting by the {wire}."]
            payloads.append({
                "external_id": f"excerpt-{seed}-{s}-{e}", "outlet": outlet, "title": f"What to know: {title}",
                "published_at": (published + timedelta(hours=2 + e)).isoformat(),
                "text": f"What to know: {title}\n\n{' '.join(body)}\n",
            })
    return payloads


def lineage(database_url: str) -> dict[str, list[tuple[str, str, float]]]:
    """Each document's parents, best first, as ``(parent external id, relation, confidence)``, by external id."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            external: dict[int, str] = dict(conn.execute(text("SELECT id, external_id FROM documents")).all())
            nodes = conn.execute(text("SELECT document_id, parents FROM lineage_nodes")).all()
    finally:
        engine.dispose()
    out: dict[str, list[tuple[str, str, float]]] = {external[doc_id]: [] for doc_id in external}
    for doc_id, parents in nodes:
        if isinstance(parents, str):  # SQLite hands a JSON column to plain SQL as text
            parents = json.loads(parents)
        out[external[doc_id]] = [(external[p[0]], str(p[2]), round(float(p[1]), 4)) for p in parents or []]
    return out


def parent_ids(database_url: str) -> dict[str, list[str]]:
    """Each document's parents, best first, by external id (``lineage`` without relation and confidence)."""
    return {doc: [parent for parent, _, _ in parents] for doc, parents in lineage(database_url).items()}


def ingest_one_by_one(path: Path, documents: list[dict[str, Any]]) -> str:
    """Post ``documents`` one at a time, in order, to an in-process service on a new SQLite file at
    ``path``; its database URL."""
    from service import create_app, migrate

    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    client = app.test_client()
    for body in documents:
        response = client.post("/v1/documents", json=body)
        assert response.status_code in (200, 201), response.get_json()
    app.extensions["engine"].dispose()
    return url


def links(database_url: str) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Every stored link with its evidence (all columns but ids), keyed by the two external ids."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            external: dict[int, str] = dict(conn.execute(text("SELECT id, external_id FROM documents")).all())
            rows = conn.execute(text("SELECT * FROM lineage_links")).mappings().all()
    finally:
        engine.dispose()
    skip = {"id", "a_id", "b_id"}
    return {
        (external[r["a_id"]], external[r["b_id"]]): tuple(v for k, v in sorted(r.items()) if k not in skip)
        for r in rows
    }


def traced(lineage_by_id: dict[str, list[tuple[str, str, float]]]) -> tuple[int, int]:
    """How many excerpts have their own wire story as best parent, out of how many excerpts."""
    excerpts = [k for k in lineage_by_id if k.startswith("excerpt-")]
    hits = sum(1 for k in excerpts
               if lineage_by_id[k] and lineage_by_id[k][0][0] == "wire-" + "-".join(k.split("-")[1:3]))
    return hits, len(excerpts)
