"""Planner statistics after ingest (``service.ingest.statistics``): autovacuum's thresholds, applied at once."""

from __future__ import annotations

import time

from flask import Flask
from sqlalchemy import text

from service.db import session_scope
from service.ingest import pipeline, statistics
from tests.helpers import generated_payloads


def test_tables_past_the_thresholds_are_analysed_after_a_bulk_ingest(app: Flask) -> None:
    with app.app_context(), session_scope(app) as session:
        pipeline.ingest_many(session, generated_payloads(12, seed=5), app.config, batch_size=6)
        if session.connection().dialect.name != "postgresql":
            assert statistics.refresh_statistics(session) == {}  # SQLite: nothing to do
            return
        # the server flushes its counters at most once a second: the last batch may show late
        done: dict[str, str] = {}
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and "lineage_fingerprints" not in done:
            done.update(statistics.refresh_statistics(session))
            time.sleep(0.2)
        analysed: dict[str, bool] = dict(session.execute(text(
            "SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname IN ('passages', 'lineage_fingerprints')")).all())
        assert analysed == {"passages": True, "lineage_fingerprints": True}
        # nothing changed since: nothing is due
        assert statistics.refresh_statistics(session) == {}
