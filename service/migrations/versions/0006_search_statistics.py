"""How many passages hold each word, for the statement check's choice of what to rank.

The statement check ranks only the passages holding the statement's rarest words
(``service.search``), and tells rare from common by the ``most_common_elems`` that ``ANALYZE``
keeps for the stored ``tsvector`` column (GIN-indexed since ``0001_documents``). The default
statistics target keeps 1,000 lexemes; 10,000 tell a rare word from a common one in a corpus of
millions of passages. On SQLite, ``passages_fts_vocab`` (an ``fts5vocab`` table over the FTS5
index, no storage of its own) gives the exact number of passages holding each indexed term.

Revision ID: 0006_search_statistics
Revises: 0005_passage_vectors
Create Date: 2026-12-01
"""

from alembic import op

revision = "0006_search_statistics"
down_revision = "0005_passage_vectors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE passages ALTER COLUMN search_vector SET STATISTICS 1000")
        op.execute("ANALYZE passages")
    else:
        op.execute("CREATE VIRTUAL TABLE passages_fts_vocab USING fts5vocab(passages_fts, 'row')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE passages ALTER COLUMN search_vector SET STATISTICS -1")
    else:
        op.execute("DROP TABLE passages_fts_vocab")
