"""GET /v1/documents/<id>/provenance: parents, chain, origin, mutations, unsourced passages."""

from __future__ import annotations

import random
from typing import Any

from flask.testing import FlaskClient

ORIGINAL = {
    "external_id": "wire-1",
    "outlet": "Harbor Ledger",
    "url": "https://harborledger.example/news/1",
    "title": "Vantrix Holdings Agrees to Buy Oloma Systems",
    "text": (
        "Vantrix Holdings agreed to buy Oloma Systems for $14.3 billion, people familiar with the matter said. "
        "The deal would be the largest in the history of Vantrix Holdings and is expected to close in March 2026. "
        "Chief executive Mara Quillen has pushed for the acquisition since taking over in Brellport in 2021. "
        "Oloma Systems employs about 4,200 people and makes satellite components for Kestrel Aerospace. "
        "A spokesperson for Vantrix Holdings declined to comment, and Oloma Systems did not respond."
    ),
}
COPY = {
    "external_id": "copy-1",
    "outlet": "Pell Post",
    "text": ORIGINAL["text"].replace("$14.3 billion", "$1.43 billion")
    + "\nThis story was originally published by the Harbor Ledger.",
}
REWRITE = {
    "external_id": "rewrite-1",
    "outlet": "Daily Tamsin",
    "text": (
        "Vantrix Holdings will pay $1.43 billion for Oloma Systems, the Pell Post reported. "
        "Mara Quillen, chief executive of Vantrix Holdings since 2021, championed the Oloma Systems purchase. "
        "Oloma Systems, with 4,200 staff, supplies satellite parts to Kestrel Aerospace. "
        "\"Nobody in the industry saw this coming,\" one longtime observer wrote online."
    ),
}


def _ingest(client: FlaskClient, *docs: dict[str, Any]) -> dict[str, int]:
    ids = {}
    for doc in docs:
        r = client.post("/v1/documents", json=doc)
        assert r.status_code in (200, 201), r.get_json()
        ids[doc["external_id"]] = r.get_json()["id"]
    return ids


def _provenance(client: FlaskClient, doc_id: int) -> dict[str, Any]:
    r = client.get(f"/v1/documents/{doc_id}/provenance")
    assert r.status_code == 200
    body: dict[str, Any] = r.get_json()
    return body


def test_unknown_document_is_a_404_problem(client: FlaskClient) -> None:
    r = client.get("/v1/documents/999/provenance")
    assert r.status_code == 404
    assert r.mimetype == "application/problem+json"


def test_a_lone_document_is_its_own_origin(client: FlaskClient) -> None:
    ids = _ingest(client, ORIGINAL)
    body = _provenance(client, ids["wire-1"])
    assert body["is_original"] and body["parents"] == [] and body["unsourced_passages"] == []
    assert body["origin"]["document"]["external_id"] == "wire-1"
    assert [d["external_id"] for d in body["chain"]] == ["wire-1"]


def test_a_chain_of_copies_traces_back_to_the_original_with_changed_facts(client: FlaskClient) -> None:
    ids = _ingest(client, ORIGINAL, COPY, REWRITE)
    copy = _provenance(client, ids["copy-1"])
    assert copy["parents"][0]["document"]["external_id"] == "wire-1"
    assert copy["parents"][0]["relation"] == "verbatim"
    assert ("$1.43 billion", "$14.3 billion") in {(m["this_value"], m["source_value"]) for m in copy["mutations"]}

    rewrite = _provenance(client, ids["rewrite-1"])
    assert rewrite["parents"][0]["document"]["external_id"] == "copy-1"
    assert [d["external_id"] for d in rewrite["chain"]] == ["rewrite-1", "copy-1", "wire-1"]
    assert rewrite["origin"]["document"]["external_id"] == "wire-1"
    assert any("saw this coming" in p["text"] for p in rewrite["unsourced_passages"])
    assert _provenance(client, ids["wire-1"])["is_original"]


def test_the_graph_does_not_depend_on_ingestion_order(make_app: Any) -> None:
    graphs = []
    for seed in range(3):
        docs = [ORIGINAL, COPY, REWRITE]
        random.Random(seed).shuffle(docs)
        client = make_app().test_client()
        ids = _ingest(client, *docs)
        names = {v: k for k, v in ids.items()}
        edges = client.get("/v1/graph").get_json()["edges"]
        graphs.append(sorted((names[e["source"]], names[e["target"]], e["relation"]) for e in edges))
        for doc_id in ids.values():
            client.delete(f"/v1/documents/{doc_id}")
    assert graphs[0] == graphs[1] == graphs[2]
    assert ("wire-1", "copy-1", "verbatim") in graphs[0]


def test_deleting_a_document_updates_the_graph_and_reingesting_restores_it(client: FlaskClient) -> None:
    ids = _ingest(client, ORIGINAL, COPY, REWRITE)
    before = client.get("/v1/graph").get_json()["edges"]
    assert client.delete(f"/v1/documents/{ids['copy-1']}").status_code == 204
    after = client.get("/v1/graph").get_json()["edges"]
    assert all(ids["copy-1"] not in (e["source"], e["target"]) for e in after)
    rewrite = _provenance(client, ids["rewrite-1"])
    assert rewrite["parents"][0]["document"]["external_id"] == "wire-1"
    new_id = _ingest(client, COPY)["copy-1"]

    def named(edges: list[dict[str, Any]], copy_id: int) -> list[tuple[Any, ...]]:
        rename = {copy_id: "copy", ids["wire-1"]: "wire", ids["rewrite-1"]: "rewrite"}
        return sorted((rename[e["source"]], rename[e["target"]], e["relation"], e["confidence"]) for e in edges)

    assert named(client.get("/v1/graph").get_json()["edges"], new_id) == named(before, ids["copy-1"])


# -- the reference corpus (../shared/corpus), skipped when it is not there ------------------


def _seed_ids(client: FlaskClient) -> dict[str, int]:
    docs = client.get("/v1/documents?limit=50").get_json()
    items = docs.get("items") or docs.get("documents") or []
    return {d["external_id"][:3]: d["id"] for d in items}


def test_reference_paraphrase_traces_to_its_rewrite_and_the_original(seeded_client: FlaskClient) -> None:
    ids = _seed_ids(seeded_client)
    body = _provenance(seeded_client, ids["001"])
    assert body["parents"][0]["document"]["external_id"].startswith("000")
    assert body["origin"]["document"]["external_id"].startswith("004")
    assert any("14.3" in m["source_value"] and "1.43" in m["this_value"] for m in body["mutations"])
    assert any("building walls with bricks" in p["text"] for p in body["unsourced_passages"])


def test_reference_original_and_aggregation(seeded_client: FlaskClient) -> None:
    ids = _seed_ids(seeded_client)
    original = _provenance(seeded_client, ids["004"])
    assert original["is_original"] and original["origin"]["document"]["external_id"].startswith("004")
    page = _provenance(seeded_client, ids["002"])
    parent = page["parents"][0]
    assert parent["document"]["external_id"].startswith("004")
    assert parent["relation"] == "aggregation"
    assert parent["source_coverage"] > 0.9
    assert len(parent["aligned_passages"]) > 1
    assert all(p["kind"] != "paraphrase" for p in parent["aligned_passages"][1:])


def test_a_document_nothing_is_related_to_has_no_confidence(client: FlaskClient) -> None:
    body = {"text": "The Morrow ferry timetable changes on Monday. Night sailings stop at ten."}
    created = client.post("/v1/documents", json=body)
    assert created.status_code == 201
    answer = client.get(f"/v1/documents/{created.get_json()['id']}/provenance").get_json()
    assert answer["is_original"] is True and answer["parents"] == []
    assert answer["confidence"] is None and answer["origin"]["confidence"] is None
