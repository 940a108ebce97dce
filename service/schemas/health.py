"""Schemas of the health resource (liveness and readiness probes)."""

from __future__ import annotations

import marshmallow as ma


class LivenessSchema(ma.Schema):
    """The process is up and answering."""

    status = ma.fields.String(metadata={"description": "Always 'ok'."})


class MigrationStateSchema(ma.Schema):
    """Where the database schema is, against what the code expects."""

    current = ma.fields.List(ma.fields.String(), metadata={"description": "Revisions applied to the database."})
    expected = ma.fields.List(ma.fields.String(), metadata={"description": "Head revisions of the code."})


class ReadinessSchema(ma.Schema):
    """The service can answer requests: database reachable and schema current."""

    status = ma.fields.String(metadata={"description": "'ready'."})
    database = ma.fields.String(metadata={"description": "The database backend, e.g. 'postgresql'."})
    read_database = ma.fields.String(
        allow_none=True,
        metadata={"description": "The read replica's backend when PROVENANCE_READ_DATABASE_URL is set, else null."},
    )
    migrations = ma.fields.Nested(MigrationStateSchema, metadata={"description": "Schema revision of the database."})
