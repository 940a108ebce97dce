"""Database engine and session handling: one engine per process, one session per request."""

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


def init_app(app: Flask) -> None:
    """Bind an engine and a session factory to ``app`` and close sessions at teardown."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["engine"] = engine
    app.extensions["sessionmaker"] = sessionmaker(engine, expire_on_commit=False)

    @app.teardown_appcontext
    def _remove_session(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.close()


def get_session() -> Session:
    """The request's session, created on first use."""
    from flask import current_app

    if "db_session" not in g:
        g.db_session = current_app.extensions["sessionmaker"]()
    session: Session = g.db_session
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
