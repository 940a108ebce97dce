"""A story copied by many outlets: every copy traced to it, the story itself original, no loop."""

from __future__ import annotations

import random
from typing import Any

import pytest
from flask import Flask

from tests.helpers import generated_payloads

WIRE = [
    "Velmora port authorities approved a 2.4 billion euro expansion of the container terminal on Tuesday.",
    "The plan adds four deep-water berths and a rail link to the inland freight hub at Castelno.",
    "Harbour master Ilsa Drevenko said the first berth would open in the spring of 2028.",
    "Shipping lines had pressed for the expansion after waiting times doubled over the past two years.",
    "The regional council will fund a third of the cost, with the rest coming from a bond issue.",
    "Environmental groups said they would challenge the dredging permit in the administrative court.",
    "Dock workers' unions welcomed the plan but asked for guarantees on night-shift staffing.",
    "Freight volumes at Velmora rose 11 percent last year to 3.1 million containers.",
    "The terminal operator, Kestrel Marine, will run the new berths under a 30-year concession.",
    "Construction tenders are due to be published before the end of the year, the authority said.",
]


def _story(copies: int, seed: int, dated: bool) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    docs = [{"external_id": "wire", "outlet": "Velmora Wire", "title": "Velmora port approves terminal expansion",
             "text": "\n".join(WIRE), "published_at": "2026-05-01T08:00:00+00:00"}]
    for i in range(copies):
        k = rng.randint(5, len(WIRE))
        start = rng.randint(0, len(WIRE) - k)
        part = list(WIRE[start : start + k])
        if i % 2 == 0:  # half credit the wire, half do not
            part[0] = "According to Velmora Wire, " + part[0][0].lower() + part[0][1:]
        docs.append({"external_id": f"copy{i}", "outlet": f"Outlet {i}", "title": f"Port story {i}",
                     "text": "\n".join(part), "published_at": f"2026-05-01T{9 + i % 12:02d}:30:00+00:00"})
    if not dated:
        for doc in docs:
            doc.pop("published_at")
    return docs


@pytest.mark.parametrize(("copies", "dated"), [(5, True), (5, False), (20, True)])
def test_every_copy_of_a_widely_copied_story_is_traced_to_it(app: Flask, copies: int, dated: bool) -> None:
    docs = _story(copies, seed=copies, dated=dated) + generated_payloads(40, seed=9)
    random.Random(3).shuffle(docs)
    client = app.test_client()
    response = client.post("/v1/documents/batch", json=docs)
    assert response.status_code in (200, 207), response.get_data(as_text=True)
    ids = {d["external_id"]: client.get("/v1/documents", query_string={"external_id": d["external_id"]})
           .get_json()["items"][0]["id"] for d in docs}
    wire = client.get(f"/v1/documents/{ids['wire']}/provenance").get_json()
    assert wire["is_original"] and wire["parents"] == []
    origins = [client.get(f"/v1/documents/{ids[f'copy{i}']}/provenance").get_json()["origin"]["document"]["id"]
               for i in range(copies)]
    assert origins == [ids["wire"]] * copies

    graph = client.get("/v1/graph").get_json()
    parents: dict[int, list[int]] = {}
    for edge in graph["edges"]:
        parents.setdefault(edge["target"], []).append(edge["source"])
    assert graph["edges"]
    state: dict[int, int] = {}

    def acyclic(node: int) -> bool:
        if state.get(node) == 1:
            return False
        if state.get(node) == 2:
            return True
        state[node] = 1
        ok = all(acyclic(p) for p in parents.get(node, []))
        state[node] = 2
        return ok

    assert all(acyclic(node["id"]) for node in graph["nodes"])
    for doc_id in ids.values():  # every origin is a document with no parent
        origin = client.get(f"/v1/documents/{doc_id}/provenance").get_json()["origin"]["document"]
        assert not parents.get(origin["id"])
