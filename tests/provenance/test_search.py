"""Full-text candidate retrieval (runs on whichever database the suite uses)."""

from __future__ import annotations

from flask.testing import FlaskClient

from service.db import get_session
from service.search import query_terms, search_passages


def test_query_terms_drop_function_words_and_keep_numbers() -> None:
    assert query_terms("The U.S. paid $14.3 billion to a firm") == ["paid", "14", "3", "billion", "firm"]


def test_search_ranks_passages_sharing_content_words(client: FlaskClient) -> None:
    client.post(
        "/v1/documents", json={"text": "The council approved the budget. Rain fell in the valley.", "outlet": "Daily"}
    )
    client.post(
        "/v1/documents", json={"text": "A budget vote by the council is due. Sports resumed.", "outlet": "Weekly"}
    )
    with client.application.app_context():
        session = get_session()
        hits = search_passages(session, "Council approves budget", limit=10)
        texts = [_text(session, pid) for pid, _ in hits]
        assert set(texts) == {"The council approved the budget.", "A budget vote by the council is due."}
        assert all(score > 0 for _, score in hits)
        only_weekly = search_passages(session, "council budget", outlets=["Weekly"])
        assert [_text(session, pid) for pid, _ in only_weekly] == ["A budget vote by the council is due."]
        assert search_passages(session, "the of and") == []
        assert search_passages(session, "zeppelin") == []


def test_deleted_documents_leave_the_index(client: FlaskClient) -> None:
    doc = client.post("/v1/documents", json={"text": "Glaciers retreated sharply this decade."}).get_json()
    client.delete(f"/v1/documents/{doc['id']}")
    with client.application.app_context():
        assert search_passages(get_session(), "glaciers retreated") == []


def _text(session: object, passage_id: int) -> str:
    from service.models import Passage

    passage = get_session().get(Passage, passage_id)
    assert passage is not None
    return passage.text
