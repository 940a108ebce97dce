"""Database engines and session handling: one engine per database per process, one session per request.

Writes go to the primary (``DATABASE_URL``, ``get_session``). With ``READ_DATABASE_URL`` set (a
streaming replica), the read-only endpoints (statement check, provenance, graph, page annotation)
read through ``get_read_session`` from that second engine; without it they share the primary's
request session.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
from flask import Flask, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL, a 64 MB page cache and a busy timeout.

    JSON columns (link evidence, lineage parents) are parsed with orjson: re-evaluating links
    reads tens of thousands of them, and the standard parser dominated that work.
    """
    kwargs.setdefault("json_deserializer", orjson.loads)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            # The reuse index takes random-order inserts; the 2 MB default page cache thrashes.
            cur.execute("PRAGMA cache_size=-65536")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if url.startswith("postgresql"):
        # Fail fast (and let /readyz answer) when the database host does not respond.
        kwargs.setdefault("connect_args", {"connect_timeout": 5})
        # Whatever the server's default: writers of the reuse index take turns through an advisory
        # lock (service.provenance.index_sql.lock_index), and each statement after it must see what
        # the previous writer committed, which READ COMMITTED gives and REPEATABLE READ would not.
        kwargs.setdefault("isolation_level", "READ COMMITTED")
    return create_engine(url, **kwargs)


def chunks(values: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """``values`` in slices of ``size``: keeps ``IN (...)`` lists under every backend's parameter limit."""
    for i in range(0, len(values), size):
        yield values[i : i + size]


def make_read_engine(url: str) -> Engine:
    """An engine for a read replica: on PostgreSQL every transaction is ``READ ONLY``, so a write sent
    there by mistake fails loudly instead of reaching a replica (which would refuse it anyway)."""
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(postgresql_readonly=True)
    return engine


def init_app(app: Flask) -> None:
    """Bind the engines and session factories to ``app`` and close sessions at teardown."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["engine"] = engine
    app.extensions["sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    read_url = app.config.get("READ_DATABASE_URL")
    if read_url:
        read_engine = make_read_engine(str(read_url))
        app.extensions["read_engine"] = read_engine
        app.extensions["read_sessionmaker"] = sessionmaker(read_engine, expire_on_commit=False)

    @app.teardown_appcontext
    def _remove_session(_exc: BaseException | None) -> None:
        for name in ("db_session", "db_read_session"):
            session: Session | None = g.pop(name, None)
            if session is not None:
                session.close()


def engines(app: Flask) -> list[Engine]:
    """The app's engines: the primary, then the read replica's if there is one."""
    return [app.extensions[name] for name in ("engine", "read_engine") if name in app.extensions]


def get_session() -> Session:
    """The request's session on the primary, created on first use: every write goes through it."""
    from flask import current_app

    if "db_session" not in g:
        g.db_session = current_app.extensions["sessionmaker"]()
    session: Session = g.db_session
    return session


def get_read_session() -> Session:
    """The request's session for reading only: on the replica when ``READ_DATABASE_URL`` is set.

    Without a replica this is ``get_session()`` itself. A replica may lag the primary by a moment:
    the endpoints that use it (check, provenance, graph, annotate) may not see a document that was
    stored a moment ago; the documents and jobs resources read the primary.
    """
    from flask import current_app

    factory = current_app.extensions.get("read_sessionmaker")
    if factory is None:
        return get_session()
    if "db_read_session" not in g:
        g.db_read_session = factory()
    session: Session = g.db_read_session
    return session


@contextmanager
def session_scope(app: Flask) -> Iterator[Session]:
    """A session outside a request (CLI, background work), committed on success."""
    session: Session = app.extensions["sessionmaker"]()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
