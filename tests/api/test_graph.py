"""GET /v1/graph: the derivation graph as JSON or GraphML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from flask.testing import FlaskClient

from tests.api.test_provenance import COPY, ORIGINAL, REWRITE, _ingest

GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"


def test_empty_corpus_gives_an_empty_graph(client: FlaskClient) -> None:
    assert client.get("/v1/graph").get_json() == {"nodes": [], "edges": []}


def test_json_lists_every_document_and_weighted_parent_edges(client: FlaskClient) -> None:
    ids = _ingest(client, ORIGINAL, COPY, REWRITE)
    body = client.get("/v1/graph").get_json()
    assert {n["id"] for n in body["nodes"]} == set(ids.values())
    originals = {n["external_id"] for n in body["nodes"] if n["is_original"]}
    assert originals == {"wire-1"}
    edge = next(e for e in body["edges"] if e["target"] == ids["copy-1"] and e["primary"])
    assert edge["source"] == ids["wire-1"] and 0 < edge["weight"] <= 1


def test_min_confidence_filters_edges_and_links_adds_raw_evidence(client: FlaskClient) -> None:
    _ingest(client, ORIGINAL, COPY, REWRITE)
    assert client.get("/v1/graph?min_confidence=1").get_json()["edges"] == []
    body = client.get("/v1/graph?links=true").get_json()
    assert body["links"] and {"a", "b", "strength", "direction"} <= set(body["links"][0])


def test_graphml_by_parameter_or_accept_header(client: FlaskClient) -> None:
    ids = _ingest(client, ORIGINAL, COPY)
    for response in (
        client.get("/v1/graph?format=graphml"),
        client.get("/v1/graph", headers={"Accept": "application/graphml+xml"}),
    ):
        assert response.status_code == 200
        assert response.mimetype == "application/graphml+xml"
        root = ET.fromstring(response.data)
        graph = root.find(f"{GRAPHML_NS}graph")
        assert graph is not None and graph.get("edgedefault") == "directed"
        nodes = {n.get("id") for n in graph.findall(f"{GRAPHML_NS}node")}
        assert nodes == {f"d{i}" for i in ids.values()}
        edges = [(e.get("source"), e.get("target")) for e in graph.findall(f"{GRAPHML_NS}edge")]
        assert (f"d{ids['wire-1']}", f"d{ids['copy-1']}") in edges


def test_bad_format_is_a_validation_problem(client: FlaskClient) -> None:
    r = client.get("/v1/graph?format=gexf")
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
