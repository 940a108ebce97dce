"""The hand-written index SQL, on whichever database the suite runs (SQLite and PostgreSQL)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from service.models import AnchorFrequency, Document, FingerprintFrequency
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
