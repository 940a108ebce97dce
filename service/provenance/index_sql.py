"""The reuse index in the database: the only hand-written SQL of the service.

The index is four tables: which documents hold each fingerprint and each anchor term, and the
document frequency of each. A batch of 1,000 articles reads and writes tens of thousands of
integer rows; SQLAlchemy's per-row parameter processing and per-value ``IN`` expansion would
cost more than the database work, so these statements go straight through the driver, written
once in SQL that both SQLite and PostgreSQL accept (``INSERT ... ON CONFLICT``), with the
driver's parameter marker substituted. Tests run them on both dialects.

On PostgreSQL, where each statement costs a trip through the server's executor, the bulk paths
take whole arrays instead of rows: postings are written with ``COPY``, frequencies are added
with one ``INSERT ... SELECT FROM unnest(...) ON CONFLICT`` (one ``UPDATE ... FROM unnest`` to
lower them), and look-ups bind one array (``= ANY(%s)``, one plan, prepared by psycopg when
repeated) instead of thousands of values. 10,000 generated documents wrote about 400,000 rows
through ``executemany`` at about 45 us each.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, Float, Integer, LargeBinary, String, Table, insert, text
from sqlalchemy.orm import Session

from service.models import AnchorFrequency, AnchorTerm, Fingerprint, FingerprintFrequency

# Values bound per look-up statement (well under SQLite's and psycopg's parameter limits).
LOOKUP_CHUNK = 2000
# Values per array on PostgreSQL (one parameter each).
PG_CHUNK = 50_000
# The PostgreSQL advisory lock that serialises writers of the reuse index ("prov" "idx" in ASCII).
# Advisory locks are per database, so deployments (and test databases) on one server do not meet.
INDEX_LOCK_KEY = 0x70726F76_00696478


def _mark(connection: Connection) -> str:
    """The driver's parameter marker (``?`` for sqlite3, ``%s`` for psycopg)."""
    return "%s" if connection.dialect.paramstyle in ("format", "pyformat") else "?"


def lock_index(session: Session) -> None:
    """Make this transaction the only writer of the reuse index, links and lineage until it ends.

    Each new document is compared with the corpus as it stands when its transaction reads the
    index; two transactions storing related documents at the same moment would each read the
    index before the other commits and never see each other. On PostgreSQL this takes a
    transaction-level advisory lock (``pg_advisory_xact_lock``), released by the commit or
    rollback, so writers across processes and hosts take turns: under READ COMMITTED (which
    ``service.db.make_engine`` sets) every statement after the lock sees what the previous
    writer committed, and the graph is the one a serial ingest gives. Taking it again in the
    same transaction is free (advisory locks are re-entrant). SQLite needs nothing: its single
    writer lock is taken by the transaction's first write, before the index is read.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (INDEX_LOCK_KEY,))


def executemany(session: Session, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """Run one statement for many rows of plain values straight through the driver.

    ``sql`` marks parameters with ``?``, rewritten to the driver's style.
    """
    if not rows:
        return
    connection = session.connection()
    connection.exec_driver_sql(sql.replace("?", _mark(connection)), list(rows))


def _postgres(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def copy_rows(session: Session, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert plain rows: ``COPY`` on PostgreSQL, ``executemany`` elsewhere."""
    if not rows:
        return
    connection = session.connection()
    if not _postgres(connection):
        executemany(session, f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                    rows)
        return
    raw: Any = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


# Column types whose values the drivers take as they are (SQLAlchemy processes none of them on
# SQLite or psycopg), and JSON, serialised here as SQLAlchemy's ``JSON`` type does.
_PLAIN_TYPES = (Integer, Float, String, Boolean, LargeBinary, JSON)


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows of a model's table (all with the same keys) straight through the driver:
    ``COPY`` on PostgreSQL, one ``executemany`` elsewhere.

    ``session.execute(insert(table), rows)`` runs one prepared ``INSERT`` per row on psycopg,
    after SQLAlchemy has processed each row's parameters: for the passages, links, lineage nodes
    and vectors of a 1,000-document batch, some 40,000 statements. ``COPY`` streams them in one.
    On SQLite the statements are one ``executemany`` either way, but SQLAlchemy's per-row
    parameter processing cost more than sqlite3's inserts (2026-12-03 profile: 1.7 s of a
    4,000-document ingest's storing), so plain tuples go to sqlite3 directly. JSON columns are
    serialised as SQLAlchemy's ``JSON`` type does (``json.dumps``; the stored text is the same),
    columns left out take the server's default, so rows leaving out a column with a Python-side
    default, or holding a type SQLAlchemy converts (dates), go through ``insert``.
    """
    if not rows:
        return
    names = list(rows[0])
    if any(c.name not in rows[0] and c.default is not None for c in table.columns) \
            or not all(isinstance(table.c[name].type, _PLAIN_TYPES) for name in names):
        session.execute(insert(table), list(rows))
        return
    as_json = [isinstance(table.c[name].type, JSON) for name in names]
    copy_rows(session, table.name, [f'"{name}"' for name in names], [
        tuple(json.dumps(row[name]) if is_json else row[name] for name, is_json in zip(names, as_json, strict=True))
        for row in rows
    ])


def lookup(session: Session, sql: str, values: Iterable[int], tail: str = "") -> list[tuple[Any, ...]]:
    """Rows of ``sql`` (ending in ``IN``) for many integer values, in chunks, straight through the
    driver (``tail``: a clause after the value list, such as ``GROUP BY``)."""
    connection = session.connection()
    mark = _mark(connection)
    ordered = sorted(set(values))
    rows: list[tuple[Any, ...]] = []
    if _postgres(connection):
        for i in range(0, len(ordered), PG_CHUNK):
            rows.extend(connection.exec_driver_sql(f"{sql.removesuffix('IN')}= ANY(%s::bigint[]) {tail}",
                                                   (ordered[i : i + PG_CHUNK],)).all())
        return rows
    for i in range(0, len(ordered), LOOKUP_CHUNK):
        chunk = tuple(ordered[i : i + LOOKUP_CHUNK])
        rows.extend(connection.exec_driver_sql(f"{sql} ({', '.join([mark] * len(chunk))}) {tail}", chunk).all())
    return rows


def add_counts(session: Session, model: Any, key: str, deltas: Mapping[int, int]) -> None:
    """Add each value's delta to its document frequency; rows that reach zero are deleted."""
    table = model.__tablename__
    items = sorted(deltas.items())
    connection = session.connection()
    if _postgres(connection):
        up = [(v, d) for v, d in items if d > 0]
        down = [(v, d) for v, d in items if d < 0]
        for i in range(0, len(up), PG_CHUNK):
            chunk = up[i : i + PG_CHUNK]
            connection.exec_driver_sql(
                f"INSERT INTO {table} ({key}, df) SELECT * FROM unnest(%s::bigint[], %s::int[]) "
                f"ON CONFLICT ({key}) DO UPDATE SET df = {table}.df + excluded.df",
                ([v for v, _ in chunk], [d for _, d in chunk]))
        for i in range(0, len(down), PG_CHUNK):
            chunk = down[i : i + PG_CHUNK]
            connection.exec_driver_sql(
                f"UPDATE {table} SET df = {table}.df + v.d FROM unnest(%s::bigint[], %s::int[]) AS v(k, d) "
                f"WHERE {table}.{key} = v.k", ([v for v, _ in chunk], [d for _, d in chunk]))
        if down:
            session.execute(text(f"DELETE FROM {table} WHERE df <= 0"))
        return
    executemany(session, f"INSERT INTO {table} ({key}, df) VALUES (?, ?) "
                         f"ON CONFLICT ({key}) DO UPDATE SET df = {table}.df + excluded.df",
                [(v, d) for v, d in items if d > 0])
    down = [(d, v) for v, d in items if d < 0]
    if down:
        executemany(session, f"UPDATE {table} SET df = df + ? WHERE {key} = ?", down)
        session.execute(text(f"DELETE FROM {table} WHERE df <= 0"))


def fingerprint_frequencies(session: Session, hashes: Iterable[int]) -> dict[int, int]:
    """Document frequencies of fingerprints (absent ones have none)."""
    return dict(lookup(session, f"SELECT hash, df FROM {FingerprintFrequency.__tablename__} WHERE hash IN", hashes))


def term_frequencies(session: Session, terms: Iterable[int]) -> dict[int, int]:
    """Document frequencies of anchor terms (absent ones have none)."""
    return dict(lookup(session, f"SELECT term, df FROM {AnchorFrequency.__tablename__} WHERE term IN", terms))


def _postings(session: Session, table: str, key: str, values: Iterable[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for value, doc_id in lookup(session, f"SELECT {key}, document_id FROM {table} WHERE {key} IN", values):
        out[value].append(doc_id)
    return out


def fingerprint_holders(session: Session, hashes: Iterable[int]) -> dict[int, list[int]]:
    """Documents holding each fingerprint."""
    return _postings(session, Fingerprint.__tablename__, "hash", hashes)


def fingerprint_counts(session: Session, documents: Iterable[int]) -> dict[int, int]:
    """How many fingerprints each document holds (one grouped count per chunk, through the
    ``document_id`` index; documents holding none are absent)."""
    return dict(lookup(session, f"SELECT document_id, COUNT(*) FROM {Fingerprint.__tablename__} WHERE document_id IN",
                       documents, "GROUP BY document_id"))


def term_holders(session: Session, terms: Iterable[int]) -> dict[int, list[int]]:
    """Documents holding each anchor term."""
    return _postings(session, AnchorTerm.__tablename__, "term", terms)


def add_documents(session: Session, fps_of: Mapping[int, Iterable[int]], terms_of: Mapping[int, Iterable[int]]) -> None:
    """Index documents' fingerprints and anchor terms and bump their document frequencies."""
    # Sorted, so the B-tree inserts walk the index in order instead of jumping around it.
    fp_rows = sorted((h, doc_id) for doc_id, fps in fps_of.items() for h in fps)
    term_rows = sorted((t, doc_id) for doc_id, terms in terms_of.items() for t in terms)
    copy_rows(session, Fingerprint.__tablename__, ("hash", "document_id"), fp_rows)
    add_counts(session, FingerprintFrequency, "hash", Counter(h for h, _ in fp_rows))
    copy_rows(session, AnchorTerm.__tablename__, ("term", "document_id"), term_rows)
    add_counts(session, AnchorFrequency, "term", Counter(t for t, _ in term_rows))


def remove_document(session: Session, document_id: int) -> None:
    """Take a document out of the index and lower the frequencies of what it held."""
    connection = session.connection()
    mark = _mark(connection)
    fps = [h for (h,) in connection.exec_driver_sql(
        f"SELECT hash FROM {Fingerprint.__tablename__} WHERE document_id = {mark}", (document_id,))]
    terms = [t for (t,) in connection.exec_driver_sql(
        f"SELECT term FROM {AnchorTerm.__tablename__} WHERE document_id = {mark}", (document_id,))]
    for table in (Fingerprint.__tablename__, AnchorTerm.__tablename__):
        connection.exec_driver_sql(f"DELETE FROM {table} WHERE document_id = {mark}", (document_id,))
    add_counts(session, FingerprintFrequency, "hash", dict.fromkeys(fps, -1))
    add_counts(session, AnchorFrequency, "term", dict.fromkeys(terms, -1))
