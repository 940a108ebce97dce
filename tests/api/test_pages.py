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


def test_a_page_copying_an_aggregator_is_pointed_at_the_original_report(client: FlaskClient) -> None:
    original = ("Velmora port authorities approved a 2.4 billion euro expansion of the container terminal on "
                "Tuesday, officials said.\nThe plan adds four deep-water berths and a rail link to the inland "
                "freight hub at Castelno, according to the port's filing.\nHarbour master Ilsa Drevenko said the "
                "first berth would open in the spring of 2028 after dredging is finished.")
    other = ("Lake Arvo's ferry operator will add two electric boats to its northern route next summer.\nThe "
             "boats seat 180 passengers each and charge in twelve minutes at the Morrow pier, the operator said.")
    aggregator = "Two sources\n[1]\n" + original + "\n[2]\n" + other
    for external_id, outlet, text, when in (
        ("orig", "Velmora Wire", original, "2026-05-01T08:00:00+00:00"),
        ("ferry", "Lake Courier", other, "2026-05-01T07:00:00+00:00"),
        ("agg", "Roundup Pages", aggregator, "2026-05-01T12:00:00+00:00"),
    ):
        body = {"external_id": external_id, "outlet": outlet, "text": text, "published_at": when}
        assert client.post("/v1/documents", json=body).status_code == 201
    page = "Port news in brief.\n" + original.split("\n")[1] + "\n" + original.split("\n")[2]
    result = client.post("/v1/pages/annotate", json={"text": page}).get_json()
    traced = [s for s in result["sentences"] if s["source"]]
    assert len(traced) == 2
    for sentence in traced:
        assert sentence["source"]["document"]["external_id"] == "orig"
        if sentence["via"] is not None:
            assert sentence["via"]["document"]["external_id"] == "agg"
