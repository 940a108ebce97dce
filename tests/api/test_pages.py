"""POST /v1/pages/annotate: each sentence of a page with its upstream source."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.test_provenance import ORIGINAL, _ingest

PAGE = (
    "Vantrix Holdings agreed to buy Oloma Systems for $1.43 billion, people familiar with the matter said. "
    "Chief executive Mara Quillen has pushed for the acquisition since taking over in Brellport in 2021. "
    "Readers have been asking what this means for the small suppliers in our town."
)


def test_sentences_are_marked_changed_copied_and_unsourced(client: FlaskClient) -> None:
    _ingest(client, ORIGINAL)
    r = client.post("/v1/pages/annotate", json={"text": PAGE, "url": "https://blog.example/post"})
    assert r.status_code == 200
    body = r.get_json()
    statuses = [s["status"] for s in body["sentences"]]
    assert statuses == ["changed", "copied", "unsourced"]
    changed = body["sentences"][0]
    assert changed["source"]["document"]["external_id"] == "wire-1"
    assert changed["mutations"][0]["this_value"] == "$1.43 billion"
    assert changed["mutations"][0]["source_value"] == "$14.3 billion"
    assert body["document"] is None
    assert PAGE[changed["start"] : changed["end"]] == changed["text"]


def test_the_page_is_stored_only_when_asked(client: FlaskClient) -> None:
    _ingest(client, ORIGINAL)
    client.post("/v1/pages/annotate", json={"text": PAGE})
    assert client.get("/v1/graph").get_json()["nodes"][-1]["external_id"] == "wire-1"
    r = client.post("/v1/pages/annotate", json={"text": PAGE, "store": True, "title": "A blog post"})
    stored = r.get_json()["document"]
    assert stored["title"] == "A blog post"
    provenance = client.get(f"/v1/documents/{stored['id']}/provenance").get_json()
    assert provenance["parents"][0]["document"]["external_id"] == "wire-1"


def test_html_pages_are_extracted(client: FlaskClient) -> None:
    _ingest(client, ORIGINAL)
    html = "<html><head><title>Post</title></head><body><article>" + "".join(
        f"<p>{s}.</p>" for s in PAGE.split(". ")
    ) + "</article></body></html>"
    r = client.post("/v1/pages/annotate", json={"html": html})
    assert r.status_code == 200
    assert any(s["status"] == "copied" for s in r.get_json()["sentences"])


def test_exactly_one_of_text_or_html(client: FlaskClient) -> None:
    for body in ({}, {"text": "a", "html": "<p>a</p>"}, {"text": "   "}):
        r = client.post("/v1/pages/annotate", json=body)
        assert r.status_code == 422 and r.mimetype == "application/problem+json"
