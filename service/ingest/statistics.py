"""Planner statistics and visibility maps after ingest on PostgreSQL, without waiting for autovacuum.

PostgreSQL plans a query from the statistics ``ANALYZE`` stores (row counts, common values), and
answers a look-up from an index alone only for pages ``VACUUM`` has marked all-visible.
Autovacuum does both in the background, but it may be switched off (as on the benchmark server),
and after a bulk load it comes a minute or more late. Until then the planner believes the new
tables empty: a check's read of the passages and vectors of 120 documents, two index scans
(under 1 ms), became a hash join over every stored vector (over 500 ms at 10,000 documents); and
a page annotation's read of fingerprint holders visited (and dirtied, setting hint bits) the heap
page of each of 175,000 index entries instead of reading the index only.

So after each committed ingest batch, the project's tables past these thresholds are processed
here, in the ingesting process, without waiting for it:

* ``VACUUM`` where rows inserted since the last vacuum exceed 1,000 + 20 % of the table or dead
  rows exceed 50 + 20 % (autovacuum's defaults, ``autovacuum_vacuum_insert_threshold`` /
  ``_scale_factor`` and ``autovacuum_vacuum_threshold`` / ``_scale_factor``): it reads only the pages
  not yet marked, so it costs in proportion to what was added;
* ``ANALYZE`` where rows changed since the last analyse exceed 50 + 100 % of the table, i.e.
  once per doubling: autovacuum's 10 % would analyse after every 1,000-document batch up to
  10,000 documents and some 50 times over 100,000, and ``ANALYZE passages`` (the full-text
  column's 10,000 lexemes) takes 1-2.5 s at 10,000 documents; the planner scales a table's
  analysed row count by its current size in pages anyway, so what older statistics miss is only
  a change in the distribution of values, which a growing corpus of the same kind keeps.

When nothing is due it costs one catalogue query per batch. The counters
(``pg_stat_user_tables``) are flushed by the server at most once a second, so a change may be
seen one batch late. SQLite keeps no such statistics and its look-up tables are clustered on
their key: nothing is done there.
"""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from service.models import Base

ANALYZE_THRESHOLD, ANALYZE_SCALE = 50, 1.0
VACUUM_THRESHOLD, VACUUM_SCALE = 50, 0.2
VACUUM_INSERT_THRESHOLD, VACUUM_INSERT_SCALE = 1000, 0.2

_FLAGS = text(
    "SELECT s.relname, "
    "s.n_ins_since_vacuum > :ins + :ins_scale * greatest(c.reltuples, 0) "
    "OR s.n_dead_tup > :dead + :dead_scale * greatest(c.reltuples, 0) AS due_vacuum, "
    "s.n_mod_since_analyze > :mod + :mod_scale * greatest(c.reltuples, 0) AS due_analyze "
    "FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
    "WHERE s.schemaname = current_schema() AND s.relname = ANY(:tables) ORDER BY s.relname"
)


def refresh_statistics(session: Session) -> dict[str, str]:
    """Vacuum or analyse the project's tables past autovacuum's thresholds; what was done to each.

    Commits the session first (``VACUUM`` runs outside a transaction, on a connection of its own).
    """
    if session.connection().dialect.name != "postgresql":
        return {}
    flags = session.execute(_FLAGS, {
        "tables": sorted(Base.metadata.tables), "mod": ANALYZE_THRESHOLD, "mod_scale": ANALYZE_SCALE,
        "ins": VACUUM_INSERT_THRESHOLD, "ins_scale": VACUUM_INSERT_SCALE,
        "dead": VACUUM_THRESHOLD, "dead_scale": VACUUM_SCALE}).all()
    due = [(name, vacuum, analyze) for name, vacuum, analyze in flags if vacuum or analyze]
    session.commit()
    if not due:
        return {}
    bind = session.get_bind()
    done: dict[str, str] = {}
    # names from the catalogue, matched against the models' own table names
    if isinstance(bind, Engine):
        with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for name, vacuum, analyze in due:
                # another process vacuuming or analysing the table already does the work: skip it
                command = ("VACUUM (SKIP_LOCKED, ANALYZE)" if analyze else "VACUUM (SKIP_LOCKED)") \
                    if vacuum else "ANALYZE (SKIP_LOCKED)"
                connection.exec_driver_sql(f'{command} "{name}"')
                done[name] = command
        return done
    for name, _vacuum, analyze in due:  # a session bound to one connection (tests): no VACUUM in a transaction
        if not analyze:
            continue
        session.execute(text(f'ANALYZE (SKIP_LOCKED) "{name}"'))
        done[name] = "ANALYZE (SKIP_LOCKED)"
    session.commit()
    return done
