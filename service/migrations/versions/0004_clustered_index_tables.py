"""SQLite: store the reuse-index tables clustered by their key (``WITHOUT ROWID``).

The fingerprint and term tables are written in bulk and read by hash. As ordinary SQLite tables
each row lives in a rowid B-tree plus the primary-key index (plus the document index); clustered
by the primary key, a row is written once less and a look-up by hash reads the rows in place.
PostgreSQL has no such option and is left as it is.

Revision ID: 0004_clustered_index_tables
Revises: 0003_api_keys
Create Date: 2026-11-30
"""

from alembic import op

revision = "0004_clustered_index_tables"
down_revision = "0003_api_keys"
branch_labels = None
depends_on = None

# table -> (column definitions, indexes)
_TABLES = {
    "lineage_fingerprints": (
        "hash BIGINT NOT NULL, document_id INTEGER NOT NULL, "
        "CONSTRAINT pk_lineage_fingerprints PRIMARY KEY (hash, document_id), "
        "CONSTRAINT fk_lineage_fingerprints_document_id_documents FOREIGN KEY(document_id) "
        "REFERENCES documents (id) ON DELETE CASCADE",
        ["CREATE INDEX ix_lineage_fingerprints_document_id ON lineage_fingerprints (document_id)"],
    ),
    "lineage_fingerprint_df": (
        "hash BIGINT NOT NULL, df INTEGER NOT NULL, CONSTRAINT pk_lineage_fingerprint_df PRIMARY KEY (hash)",
        [],
    ),
    "lineage_terms": (
        "term BIGINT NOT NULL, document_id INTEGER NOT NULL, "
        "CONSTRAINT pk_lineage_terms PRIMARY KEY (term, document_id), "
        "CONSTRAINT fk_lineage_terms_document_id_documents FOREIGN KEY(document_id) "
        "REFERENCES documents (id) ON DELETE CASCADE",
        ["CREATE INDEX ix_lineage_terms_document_id ON lineage_terms (document_id)"],
    ),
    "lineage_term_df": (
        "term BIGINT NOT NULL, df INTEGER NOT NULL, CONSTRAINT pk_lineage_term_df PRIMARY KEY (term)",
        [],
    ),
}


def _rebuild(without_rowid: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    suffix = " WITHOUT ROWID" if without_rowid else ""
    for table, (columns, indexes) in _TABLES.items():
        op.execute(f"CREATE TABLE {table}_new ({columns}){suffix}")
        op.execute(f"INSERT INTO {table}_new SELECT * FROM {table}")
        op.execute(f"DROP TABLE {table}")
        op.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
        for statement in indexes:
            op.execute(statement)


def upgrade() -> None:
    _rebuild(without_rowid=True)


def downgrade() -> None:
    _rebuild(without_rowid=False)
