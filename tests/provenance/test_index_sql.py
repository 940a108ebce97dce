"""The hand-written index SQL, on whichever database the suite runs (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask
from sqlalchemy import JSON, event, insert, select, text
from sqlalchemy.orm import Session

from service.models import AnchorFrequency, Document, FingerprintFrequency, ReuseLink
from service.provenance import index_sql


def _documents(session: Session, n: int) -> list[int]:
    docs = [Document(text=f"Text {i}.", content_hash=f"{i:064x}", passage_count=1) for i in range(n)]
    session.add_all(docs)
    session.flush()
    return [d.id for d in docs]


def test_documents_are_indexed_counted_and_removed(app: Flask) -> None:
    big = 2 ** 62  # fingerprints are signed 64-bit values
    with app.extensions["sessionmaker"]() as session:
        one, two = _documents(session, 2)
        index_sql.add_documents(session, {one: [5, big, -big]}, {one: [7, 8]})
        index_sql.add_documents(session, {two: [5]}, {two: [7]})
        assert index_sql.fingerprint_frequencies(session, [5, big, -big, 99]) == {5: 2, big: 1, -big: 1}
        assert index_sql.term_frequencies(session, [7, 8]) == {7: 2, 8: 1}
        assert {h: sorted(d) for h, d in index_sql.fingerprint_holders(session, [5, -big]).items()} == {
            5: sorted([one, two]), -big: [one]}
        assert index_sql.term_holders(session, [8]) == {8: [one]}
        assert index_sql.fingerprint_counts(session, [one, two, two + 1]) == {one: 3, two: 1}
        index_sql.remove_document(session, one)
        assert index_sql.fingerprint_frequencies(session, [5, big, -big]) == {5: 1}
        assert index_sql.term_frequencies(session, [7, 8]) == {7: 1}
        assert index_sql.fingerprint_holders(session, [5, big]) == {5: [two]}
        assert index_sql.fingerprint_counts(session, [one, two]) == {two: 1}
        session.rollback()


def test_look_ups_span_several_chunks(app: Flask) -> None:
    values = list(range(index_sql.LOOKUP_CHUNK * 2 + 3))
    with app.extensions["sessionmaker"]() as session:
        index_sql.add_counts(session, FingerprintFrequency, "hash", dict.fromkeys(values, 1))
        index_sql.add_counts(session, AnchorFrequency, "term", {1: 3})
        index_sql.add_counts(session, AnchorFrequency, "term", {1: -3})
        assert index_sql.fingerprint_frequencies(session, values) == dict.fromkeys(values, 1)
        assert index_sql.term_frequencies(session, [1]) == {}
        session.rollback()


def _link(a_id: int, b_id: int, k: int) -> dict[str, Any]:
    return {"a_id": a_id, "b_id": b_id, "linked": k % 2 == 0, "strength": 0.1 + k / 3, "direction": -0.25,
            "coverage_a": 1 / 3, "coverage_b": 0.0, "copied_share": 2 / 7, "aligned": k, "mutations": 1,
            "relation_a_child": "copy", "relation_b_child": "paraphrase", "a_first": 0, "a_last": k,
            "b_first": -1, "b_last": -1, "pairs": [[0, 1, 0.987654321, "near", [["amount", "$1.4", "€14 «x»"]]]],
            "reasons": ["credit", {"k": None, "v": [1.5, True]}]}


def test_rows_go_straight_to_the_driver_and_store_what_sqlalchemy_stores(app: Flask) -> None:
    """``insert_rows`` skips SQLAlchemy's per-row processing (``COPY`` on PostgreSQL, one driver
    ``executemany`` elsewhere) and stores, column for column and JSON text for JSON text, what
    ``insert(table)`` stores."""
    table: Any = ReuseLink.__table__
    engine = app.extensions["engine"]
    compiled_inserts: list[bool] = []

    def seen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().upper().startswith(f"INSERT INTO {table.name.upper()}"):
            compiled_inserts.append(context.compiled is not None)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with app.extensions["sessionmaker"]() as session:
            ids = _documents(session, 6)
            index_sql.insert_rows(session, table, [_link(ids[0], ids[1], 1), _link(ids[0], ids[2], 2)])
            session.execute(insert(table), [_link(ids[3], ids[4], 1), _link(ids[3], ids[5], 2)])
            columns = ", ".join(f"CAST({c.name} AS TEXT)" if isinstance(c.type, JSON) else c.name
                                for c in table.columns if c.name not in ("id", "a_id", "b_id"))
            rows = session.execute(text(f"SELECT a_id, b_id, {columns} FROM {table.name} ORDER BY a_id, b_id")).all()
            session.rollback()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert compiled_inserts.count(False) <= 1 and compiled_inserts.count(True) == 1  # only insert() compiles
    ours, theirs = [tuple(r[2:]) for r in rows[:2]], [tuple(r[2:]) for r in rows[2:]]
    assert ours == theirs
    assert [r[:2] for r in rows[:2]] == [(ids[0], ids[1]), (ids[0], ids[2])]


def test_rows_of_types_sqlalchemy_converts_go_through_insert(app: Flask) -> None:
    """A column the driver would not take as it is (a date) keeps SQLAlchemy's conversion."""
    when = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
    with app.extensions["sessionmaker"]() as session:
        row = {"text": "A text.", "content_hash": "f" * 64, "passage_count": 1, "published_at": when,
               "external_id": "x-1"}
        index_sql.insert_rows(session, Document.__table__, [row])  # type: ignore[arg-type]
        stored = session.scalars(select(Document).where(Document.external_id == "x-1")).one()
        assert stored.published_at is not None and stored.published_at.replace(tzinfo=UTC) == when
        session.rollback()
