"""The documents resource: ingest, idempotency, listing, deletion and bad input."""

from __future__ import annotations

from typing import Any

import pytest
import requests_mock
from flask.testing import FlaskClient
from sqlalchemy import func, select

from service.models import Document, Passage

ARTICLE = (
    "The city council approved a \u201cnew\u201d budget on Tuesday. It allocates $14.3 billion to schools "
    "and roads in the U.S. state.\n\nCritics said the plan\u2014announced late\u00a0\u2014 was rushed."
)


def count_documents(client: FlaskClient) -> int:
    with client.application.app_context():
        from service.db import get_session

        return get_session().scalar(select(func.count()).select_from(Document)) or 0


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.get_json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_post_text_stores_document_with_round_tripping_passages(client: FlaskClient) -> None:
    response = client.post(
        "/v1/documents", json={"text": ARTICLE, "external_id": "a-1", "outlet": "Daily", "published_at": "2025-12-04"}
    )
    assert response.status_code == 201
    created = response.get_json()
    assert set(created) >= {
        "id",
        "external_id",
        "title",
        "outlet",
        "url",
        "published_at",
        "language",
        "content_hash",
        "passage_count",
        "created_at",
    }
    assert created["published_at"].startswith("2025-12-04T00:00:00")
    detail = client.get(f"/v1/documents/{created['id']}").get_json()
    text = detail["text"]
    assert '"new"' in text and "\u00a0" not in text and "\u2014" not in text
    assert len(detail["passages"]) == created["passage_count"] == 3
    for passage in detail["passages"]:
        assert text[passage["start"] : passage["end"]] == passage["text"]
    assert "U.S. state." in detail["passages"][1]["text"] and "$14.3 billion" in detail["passages"][1]["text"]


def test_repost_same_external_id_and_content_returns_existing(client: FlaskClient) -> None:
    first = client.post("/v1/documents", json={"text": ARTICLE, "external_id": "a-1"})
    again = client.post("/v1/documents", json={"text": ARTICLE, "external_id": "a-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert count_documents(client) == 1


def test_same_external_id_with_other_content_conflicts(client: FlaskClient) -> None:
    client.post("/v1/documents", json={"text": ARTICLE, "external_id": "a-1"})
    body = assert_problem(client.post("/v1/documents", json={"text": "Other words here.", "external_id": "a-1"}), 409)
    assert "external_id" in body["errors"]
    assert count_documents(client) == 1


def test_identical_content_without_external_id_is_recognised_by_hash(client: FlaskClient) -> None:
    first = client.post("/v1/documents", json={"text": ARTICLE})
    again = client.post("/v1/documents", json={"text": ARTICLE.replace("\u201c", '"').replace("\u201d", '"')})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]


def test_html_is_reduced_to_the_article(client: FlaskClient) -> None:
    html = (
        "<html><head><title>Budget passes</title></head><body><nav>Home | Sports | Weather</nav>"
        "<article><h1>Budget passes</h1>"
        + "".join(f"<p>{ARTICLE} Paragraph {i} adds more detail on the vote and its timing.</p>" for i in range(4))
        + "</article><footer>Copyright 2025 Daily</footer></body></html>"
    )
    response = client.post("/v1/documents", json={"html": html})
    assert response.status_code == 201
    detail = client.get(f"/v1/documents/{response.get_json()['id']}").get_json()
    assert "Home | Sports" not in detail["text"] and "Copyright" not in detail["text"]
    assert "approved a" in detail["text"]


def test_fetch_url_ingests_the_fetched_page(client: FlaskClient) -> None:
    html = (
        "<html><body><article>" + "".join(f"<p>{ARTICLE} Note {i}.</p>" for i in range(3)) + "</article></body></html>"
    )
    with requests_mock.Mocker() as mock:
        mock.get("http://93.184.216.34/story", text=html, headers={"Content-Type": "text/html; charset=utf-8"})
        response = client.post("/v1/documents", json={"fetch_url": "http://93.184.216.34/story"})
    assert response.status_code == 201
    assert response.get_json()["url"] == "http://93.184.216.34/story"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   \n "}, "text"),
        ({"text": "A.", "html": "<p>B</p>"}, "text"),
        ({}, "text"),
        ({"text": "Fine text.", "colour": "red"}, "colour"),
        ({"text": "Fine text.", "published_at": "yesterday"}, "published_at"),
        ({"text": "Fine text.", "url": "ftp://example.com/x"}, "url"),
    ],
)
def test_bad_input_is_a_422_with_field_errors_and_stores_nothing(
    client: FlaskClient, body: dict[str, Any], field: str
) -> None:
    problem = assert_problem(client.post("/v1/documents", json=body), 422)
    assert field in problem["errors"]
    assert count_documents(client) == 0


def test_text_without_words_is_refused(client: FlaskClient) -> None:
    assert_problem(client.post("/v1/documents", json={"text": "[1] 2 3 ..."}), 422)
    assert count_documents(client) == 0


def test_ten_megabyte_body_is_refused_with_413(client: FlaskClient) -> None:
    body = '{"text": "' + "a" * (10 * 1024 * 1024) + '"}'
    assert_problem(client.post("/v1/documents", data=body, content_type="application/json"), 413)
    assert count_documents(client) == 0


def test_non_json_body_is_refused_with_415(client: FlaskClient) -> None:
    assert_problem(client.post("/v1/documents", data="text=hello", content_type="text/plain"), 415)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/admin",
        "http://10.0.0.1/internal",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://192.168.1.10/",
    ],
)
def test_fetch_of_non_public_address_is_refused(client: FlaskClient, url: str) -> None:
    with requests_mock.Mocker() as mock:
        mock.get(requests_mock.ANY, text="<p>secret</p>", headers={"Content-Type": "text/html"})
        problem = assert_problem(client.post("/v1/documents", json={"fetch_url": url}), 422)
        assert mock.call_count == 0
    assert "fetch_url" in problem["errors"]
    assert count_documents(client) == 0


def test_redirect_to_loopback_is_refused(client: FlaskClient) -> None:
    with requests_mock.Mocker() as mock:
        mock.get("http://93.184.216.34/r", status_code=302, headers={"Location": "http://127.0.0.1:8080/x"})
        mock.get("http://127.0.0.1:8080/x", text="<p>internal</p>", headers={"Content-Type": "text/html"})
        assert_problem(client.post("/v1/documents", json={"fetch_url": "http://93.184.216.34/r"}), 422)
        assert [r.url for r in mock.request_history] == ["http://93.184.216.34/r"]
    assert count_documents(client) == 0


def test_non_html_content_type_is_refused_with_415(client: FlaskClient) -> None:
    with requests_mock.Mocker() as mock:
        mock.get("http://93.184.216.34/file.pdf", content=b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
        assert_problem(client.post("/v1/documents", json={"fetch_url": "http://93.184.216.34/file.pdf"}), 415)
    assert count_documents(client) == 0


def test_batch_reports_each_item_and_keeps_the_good_ones(client: FlaskClient) -> None:
    response = client.post(
        "/v1/documents/batch",
        json=[
            {"text": ARTICLE, "external_id": "ok-1"},
            {"text": ""},
            "not an object",
            {"text": ARTICLE, "external_id": "ok-1"},
        ],
    )
    assert response.status_code == 200
    body = response.get_json()
    assert [item["result"] for item in body["items"]] == ["created", "error", "error", "existing"]
    assert body["items"][1]["error"]["errors"] == {"text": ["Must not be empty."]}
    assert (body["created"], body["existing"], body["failed"]) == (1, 1, 2)
    assert count_documents(client) == 1


def test_batch_over_the_limit_is_refused(make_app: Any) -> None:
    client = make_app(BATCH_LIMIT=2).test_client()
    assert_problem(client.post("/v1/documents/batch", json=[{"text": "A b."}] * 3), 422)
    assert count_documents(client) == 0


def test_list_paginates_and_filters(client: FlaskClient) -> None:
    for i in range(3):
        client.post(
            "/v1/documents",
            json={"text": f"Story number {i} is here.", "outlet": "A" if i else "B", "external_id": f"s{i}"},
        )
    page = client.get("/v1/documents?per_page=2&page=1").get_json()
    assert page["total"] == 3 and len(page["items"]) == 2
    assert client.get("/v1/documents?outlet=A").get_json()["total"] == 2
    assert [d["external_id"] for d in client.get("/v1/documents?external_id=s0").get_json()["items"]] == ["s0"]
    assert_problem(client.get("/v1/documents?per_page=0"), 422)


def test_delete_removes_document_and_passages(client: FlaskClient) -> None:
    doc_id = client.post("/v1/documents", json={"text": ARTICLE}).get_json()["id"]
    assert client.delete(f"/v1/documents/{doc_id}").status_code == 204
    assert_problem(client.get(f"/v1/documents/{doc_id}"), 404)
    assert_problem(client.delete(f"/v1/documents/{doc_id}"), 404)
    with client.application.app_context():
        from service.db import get_session

        assert get_session().scalar(select(func.count()).select_from(Passage)) == 0


def test_unknown_method_is_405_with_allow_header(client: FlaskClient) -> None:
    response = client.put("/v1/documents/1", json={})
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_seed_corpus_round_trips_and_reposting_changes_nothing(
    client: FlaskClient, seed_corpus: list[dict[str, Any]]
) -> None:
    ids = {}
    for body in seed_corpus:
        response = client.post("/v1/documents", json=body)
        assert response.status_code == 201
        ids[body["external_id"]] = response.get_json()["id"]
    for body in seed_corpus:
        response = client.post("/v1/documents", json=body)
        assert response.status_code == 200 and response.get_json()["id"] == ids[body["external_id"]]
    assert count_documents(client) == len(seed_corpus)
    for doc_id in ids.values():
        detail = client.get(f"/v1/documents/{doc_id}").get_json()
        assert detail["passage_count"] == len(detail["passages"]) > 0
        for passage in detail["passages"]:
            assert detail["text"][passage["start"] : passage["end"]] == passage["text"]
