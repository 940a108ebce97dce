"""Health probes: ``/healthz`` (liveness, no dependencies) and ``/readyz`` (database and schema).

Orchestrators restart a container whose liveness fails and stop routing to one that is not
ready, so liveness must not depend on the database (a database outage should not restart every
API process) while readiness must (a process that cannot reach it should get no traffic).
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import Engine, inspect, text

from service import migrate
from service.schemas.health import LivenessSchema, ReadinessSchema

blp = Blueprint("health", __name__, description="Liveness and readiness probes (no API key needed).")


@blp.route("/healthz")
class Liveness(MethodView):
    """Liveness probe."""

    @blp.response(200, LivenessSchema)
    @blp.doc(security=[])
    def get(self) -> dict[str, Any]:
        """Answer while the process can serve requests; touches nothing else."""
        return {"status": "ok"}


@blp.route("/readyz")
class Readiness(MethodView):
    """Readiness probe."""

    @blp.response(200, ReadinessSchema)
    @blp.doc(security=[])
    @blp.alt_response(503, description="Database unreachable or schema not at the code's revision.")
    def get(self) -> dict[str, Any]:
        """Ready when the database (and the read replica, if any) answers and its schema is at the code's head."""
        engine: Engine = current_app.extensions["engine"]
        try:
            current = _applied_revisions(engine)
        except Exception as exc:
            current_app.logger.warning("readiness: database unreachable (%s)", type(exc).__name__)
            abort(503, message="The database is unreachable.")
            raise AssertionError("unreachable") from exc
        replica: Engine | None = current_app.extensions.get("read_engine")
        if replica is not None:
            try:
                with replica.connect() as conn:
                    conn.execute(text("SELECT 1"))
            except Exception as exc:
                current_app.logger.warning("readiness: read replica unreachable (%s)", type(exc).__name__)
                abort(503, message="The read replica (PROVENANCE_READ_DATABASE_URL) is unreachable.")
                raise AssertionError("unreachable") from exc
        expected = _expected_revisions(engine)
        if current != expected:
            abort(
                503,
                message=(
                    f"The database schema is at {sorted(current) or 'no revision'}, the code expects "
                    f"{sorted(expected)}: run `provenance db upgrade`."
                ),
            )
        return {
            "status": "ready",
            "database": engine.dialect.name,
            "read_database": replica.dialect.name if replica is not None else None,
            "migrations": {"current": sorted(current), "expected": sorted(expected)},
        }


def _applied_revisions(engine: Engine) -> set[str]:
    """Revisions recorded in ``alembic_version``; empty when the database was never migrated.

    Read directly rather than through Alembic's ``MigrationContext``, which logs on every call
    and would put a line in the logs for each probe.
    """
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        if not inspect(conn).has_table("alembic_version"):
            return set()
        return set(conn.scalars(text("SELECT version_num FROM alembic_version")))


def _expected_revisions(engine: Engine) -> set[str]:
    """The code's migration heads, read from the scripts once per process."""
    heads: set[str] | None = current_app.extensions.get("migration_heads")
    if heads is None:
        heads = migrate.head_revisions(engine.url.render_as_string(hide_password=False))
        current_app.extensions["migration_heads"] = heads
    return heads
