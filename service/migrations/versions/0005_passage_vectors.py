"""Passage vectors for semantic retrieval, and the change counter that keeps process indexes in step.

Revision ID: 0005_passage_vectors
Revises: 0004_clustered_index_tables
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_passage_vectors"
down_revision = "0004_clustered_index_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "passage_vectors",
        sa.Column("passage_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["passage_id"], ["passages.id"], ondelete="CASCADE",
                                name=op.f("fk_passage_vectors_passage_id_passages")),
        sa.PrimaryKeyConstraint("passage_id", name=op.f("pk_passage_vectors")),
    )
    op.create_index("ix_passage_vectors_model", "passage_vectors", ["model", "generation", "passage_id"])
    state = op.create_table(
        "passage_vector_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column("purged", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passage_vector_state")),
    )
    op.bulk_insert(state, [{"id": 1, "generation": 0, "purged": 0}])


def downgrade() -> None:
    op.drop_table("passage_vector_state")
    op.drop_index("ix_passage_vectors_model", table_name="passage_vectors")
    op.drop_table("passage_vectors")
