"""Full-text candidate retrieval (runs on whichever database the suite uses)."""

from __future__ import annotations

import pytest
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


def test_selective_lexemes_take_the_rarest_words_within_the_cap() -> None:
    from service.search import selective_lexemes

    freqs = {"said": 0.3, "compani": 0.1, "revenu": 0.002}
    # 100,000 passages: "said" 30,000, "compani" 10,000, "revenu" 200, unlisted ones rarer than 100
    chosen = selective_lexemes(["said", "compani", "revenu", "zorvex"], 100_000, 0.001, freqs, cap=1000)
    assert chosen == ["zorvex", "revenu"]
    # every word common: the rarest alone
    assert selective_lexemes(["said", "compani"], 100_000, 0.001, freqs) == ["compani"]
    # nothing analysed yet (no statistics): every word is taken
    assert selective_lexemes(["said", "compani"], 0.0, 0.0, {}) == ["compani", "said"]


def test_search_statistics_migration(client: FlaskClient) -> None:
    """PostgreSQL keeps 10,000 common lexemes of the GIN-indexed stored tsvector; SQLite has the FTS5 vocabulary."""
    from sqlalchemy import text

    client.post("/v1/documents", json={"text": "The council approved the budget. Rain fell in the valley."})
    with client.application.app_context():
        session = get_session()
        if session.get_bind().dialect.name == "postgresql":
            target = session.execute(text(
                "SELECT a.attstattarget FROM pg_attribute a WHERE a.attrelid = 'passages'::regclass "
                "AND a.attname = 'search_vector'")).scalar_one()
            assert target == 1000
            generated, = session.execute(text(
                "SELECT attgenerated FROM pg_attribute WHERE attrelid = 'passages'::regclass "
                "AND attname = 'search_vector'")).one()
            assert generated == "s"  # stored generated column
            index = session.execute(text(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'passages' "
                "AND indexname = 'ix_passages_search_vector'")).scalar_one()
            assert "gin" in index.lower()
            session.execute(text("ANALYZE passages"))
            from service.search import _lexeme_stats

            total, _floor, freqs = _lexeme_stats(session)
            assert total >= 0 and isinstance(freqs, dict)
        else:
            rows = {str(t): int(n) for t, n in session.execute(text(
                "SELECT term, doc FROM passages_fts_vocab WHERE term IN ('council', 'budget')"))}
            assert rows == {"council": 1, "budget": 1}
        assert [t for t in (_text(session, pid) for pid, _ in search_passages(session, "council budget"))] == [
            "The council approved the budget."]


def test_search_pending_list_migration(client: FlaskClient) -> None:
    """The migration applies on both databases; on PostgreSQL the full-text GIN index keeps a
    small pending list (searches read all of it) and a search still finds a new passage."""
    from sqlalchemy import text

    from service.migrate import is_current

    client.post("/v1/documents", json={"text": "The harbour authority dredged the channel."})
    with client.application.app_context():
        session = get_session()
        assert is_current(session.get_bind())  # type: ignore[arg-type]
        if session.get_bind().dialect.name == "postgresql":
            options = session.execute(text(
                "SELECT reloptions FROM pg_class WHERE relname = 'ix_passages_search_vector'")).scalar_one()
            assert options is not None and "gin_pending_list_limit=512" in options
        assert [_text(session, pid) for pid, _ in search_passages(session, "harbour dredged")] == [
            "The harbour authority dredged the channel."]


def test_every_passage_holding_a_selective_word_is_ranked(client: FlaskClient,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """More passages than the rank cap hold the statement's selective words: the best-matching one
    is still found, wherever it is stored (PostgreSQL used to rank an arbitrary capped subset:
    the first rows its scan met)."""
    from service import search

    monkeypatch.setattr(search, "RANK_CAP", 2)  # cap = max(2, 4 * limit) = 4 passages for limit 1
    monkeypatch.setattr(search, "_lexeme_stats", lambda session: (0.0, 0.0, {}))  # every word is selective
    for i in range(6):
        client.post("/v1/documents", json={"text": f"Zephyr number {i} blew over the hills today."})
    client.post("/v1/documents", json={"text": "The zephyr reached the quarry and the ledger was lost."})
    with client.application.app_context():
        session = get_session()
        hits = search.search_passages(session, "zephyr quarry ledger", limit=1)
        assert [_text(session, pid) for pid, _ in hits] == ["The zephyr reached the quarry and the ledger was lost."]
