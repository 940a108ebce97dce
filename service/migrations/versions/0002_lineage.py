"""Reuse-detection index (fingerprints, anchor terms, their frequencies), pairwise links, lineage.

Revision ID: 0002_lineage
Revises: 0001_documents
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_lineage"
down_revision = "0001_documents"
branch_labels = None
depends_on = None


def _doc_fk(table: str, column: str = "document_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["documents.id"], ondelete="CASCADE",
                                   name=op.f(f"fk_{table}_{column}_documents"))


def upgrade() -> None:
    op.create_table(
        "lineage_fingerprints",
        sa.Column("hash", sa.BigInteger(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        _doc_fk("lineage_fingerprints"),
        sa.PrimaryKeyConstraint("hash", "document_id", name=op.f("pk_lineage_fingerprints")),
    )
    op.create_index(op.f("ix_lineage_fingerprints_document_id"), "lineage_fingerprints", ["document_id"])
    op.create_table(
        "lineage_fingerprint_df",
        sa.Column("hash", sa.BigInteger(), nullable=False),
        sa.Column("df", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("hash", name=op.f("pk_lineage_fingerprint_df")),
    )
    op.create_table(
        "lineage_terms",
        sa.Column("term", sa.BigInteger(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        _doc_fk("lineage_terms"),
        sa.PrimaryKeyConstraint("term", "document_id", name=op.f("pk_lineage_terms")),
    )
    op.create_index(op.f("ix_lineage_terms_document_id"), "lineage_terms", ["document_id"])
    op.create_table(
        "lineage_term_df",
        sa.Column("term", sa.BigInteger(), nullable=False),
        sa.Column("df", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_lineage_term_df")),
    )
    op.create_table(
        "lineage_links",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("a_id", sa.Integer(), nullable=False),
        sa.Column("b_id", sa.Integer(), nullable=False),
        sa.Column("linked", sa.Boolean(), nullable=False),
        sa.Column("strength", sa.Float(), nullable=False),
        sa.Column("direction", sa.Float(), nullable=False),
        sa.Column("coverage_a", sa.Float(), nullable=False),
        sa.Column("coverage_b", sa.Float(), nullable=False),
        sa.Column("copied_share", sa.Float(), nullable=False),
        sa.Column("aligned", sa.Integer(), nullable=False),
        sa.Column("mutations", sa.Integer(), nullable=False),
        sa.Column("relation_a_child", sa.String(16), nullable=False),
        sa.Column("relation_b_child", sa.String(16), nullable=False),
        sa.Column("a_first", sa.Integer(), nullable=False),
        sa.Column("a_last", sa.Integer(), nullable=False),
        sa.Column("b_first", sa.Integer(), nullable=False),
        sa.Column("b_last", sa.Integer(), nullable=False),
        sa.Column("pairs", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        _doc_fk("lineage_links", "a_id"),
        _doc_fk("lineage_links", "b_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lineage_links")),
        sa.UniqueConstraint("a_id", "b_id", name=op.f("uq_lineage_links_a_id")),
    )
    op.create_index(op.f("ix_lineage_links_a_id"), "lineage_links", ["a_id"])
    op.create_index(op.f("ix_lineage_links_b_id"), "lineage_links", ["b_id"])
    op.create_table(
        "lineage_nodes",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Float(), nullable=False),
        sa.Column("original_confidence", sa.Float(), nullable=False),
        sa.Column("parents", sa.JSON(), nullable=False),
        sa.Column("cues", sa.JSON(), nullable=False),
        _doc_fk("lineage_nodes"),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_lineage_nodes")),
    )


def downgrade() -> None:
    op.drop_table("lineage_nodes")
    op.drop_table("lineage_links")
    op.drop_table("lineage_term_df")
    op.drop_table("lineage_terms")
    op.drop_table("lineage_fingerprint_df")
    op.drop_table("lineage_fingerprints")
