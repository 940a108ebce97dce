"""Planner statistics after ingest on PostgreSQL: ``ANALYZE`` of the tables an ingest has changed a lot.

PostgreSQL plans a query from the statistics ``ANALYZE`` stores (row counts, common values).
Autovacuum refreshes them in the background, but it may be switched off (as on the benchmark
server), and after a bulk load it runs a minute or more late. Until then the planner believes
the new tables empty: a check's read of the passages and vectors of 120 documents, which needs
two index scans (under 1 ms), became a hash join over every stored vector (over 500 ms at
10,000 documents), and the whole check took several times its time on SQLite.

So after each committed ingest batch, the tables whose changes since their last ``ANALYZE``
exceed autovacuum's own default threshold (50 rows + 10 % of the table, ``n_mod_since_analyze``
of ``pg_stat_user_tables``) are analysed here, in the ingesting process: the same rule
autovacuum applies, without waiting for it. One catalogue query per batch when nothing is
stale; ``ANALYZE`` samples at most 30,000 rows of a table (a few hundred ms at 10,000
documents). SQLite plans without such statistics: nothing is done there.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from service.models import Base

#: autovacuum's defaults (``autovacuum_analyze_threshold``, ``autovacuum_analyze_scale_factor``)
ANALYZE_THRESHOLD = 50
ANALYZE_SCALE = 0.1

_STALE = text(
    "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
    "WHERE s.schemaname = current_schema() AND s.relname = ANY(:tables) "
    "AND s.n_mod_since_analyze > :threshold + :scale * greatest(c.reltuples, 0) ORDER BY s.relname"
)


def refresh_statistics(session: Session) -> list[str]:
    """``ANALYZE`` the project's tables changed beyond autovacuum's threshold, commit; their names."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return []
    tables = sorted(Base.metadata.tables)
    stale = list(session.scalars(_STALE, {"tables": tables, "threshold": ANALYZE_THRESHOLD,
                                          "scale": ANALYZE_SCALE}))
    for name in stale:  # names from the catalogue, matched against the models' own table names
        session.execute(text(f'ANALYZE "{name}"'))
    session.commit()
    return stale
