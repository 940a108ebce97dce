"""Documents, passages and the passage full-text index.

Revision ID: 0001_documents
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_documents"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("external_id", sa.String(255), nullable=True),
        sa.Column("title", sa.String(1000), nullable=True),
        sa.Column("outlet", sa.String(255), nullable=True),
        sa.Column("url", sa.String(2048), nullable=True),
        sa.Column("author", sa.String(500), nullable=True),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("passage_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("external_id", name=op.f("uq_documents_external_id")),
    )
    op.create_index("ix_documents_content_hash", "documents", ["content_hash"])
    op.create_index(
        "uq_documents_content_hash_anonymous", "documents", ["content_hash"], unique=True,
        sqlite_where=sa.text("external_id IS NULL"), postgresql_where=sa.text("external_id IS NULL"),
    )
    op.create_index(op.f("ix_documents_outlet"), "documents", ["outlet"])
    op.create_table(
        "passages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name=op.f("fk_passages_document_id_documents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passages")),
        sa.UniqueConstraint("document_id", "seq", name=op.f("uq_passages_document_id")),
    )
    op.create_index(op.f("ix_passages_document_id"), "passages", ["document_id"])

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE passages ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED"
        )
        op.execute("CREATE INDEX ix_passages_search_vector ON passages USING gin (search_vector)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE passages_fts USING fts5("
            "text, content='passages', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER passages_fts_insert AFTER INSERT ON passages BEGIN "
            "INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text); END"
        )
        op.execute(
            "CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN "
            "INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text); END"
        )
        op.execute(
            "CREATE TRIGGER passages_fts_update AFTER UPDATE ON passages BEGIN "
            "INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text); "
            "INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TRIGGER IF EXISTS passages_fts_update")
        op.execute("DROP TRIGGER IF EXISTS passages_fts_delete")
        op.execute("DROP TRIGGER IF EXISTS passages_fts_insert")
        op.execute("DROP TABLE IF EXISTS passages_fts")
    op.drop_table("passages")
    op.drop_table("documents")
