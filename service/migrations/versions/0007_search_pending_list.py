"""A small pending list for the full-text GIN index, so searches do not scan a long one.

PostgreSQL's GIN index (``ix_passages_search_vector``, ``0001_documents``) takes new entries
into an unsorted *pending list* and merges them into the index proper only when the list
outgrows ``gin_pending_list_limit`` (4 MB by default) or a ``VACUUM`` runs. Every search reads
the whole pending list: after a 10,000-document ingest it held some 12,000 passages (312 pages),
which cost each statement check's full-text query about 6 ms (14.7 -> 6.6 ms per check once
merged, 100 generated statements). A 512 kB limit keeps the list eight times shorter at about
half a second more of index maintenance per 10,000 documents (copies of the index on the
10,000-document corpus: 1.7 -> 2.2 s to insert 135,000 passages' ``tsvector``, 0.16 -> 0.32 s for
the last 17,927); turning the list off (``fastupdate = off``) made the same inserts ten times
slower (21.3 s). The migration also merges the list once. SQLite's FTS5 index
has no such list: nothing to do there.

Revision ID: 0007_search_pending_list
Revises: 0006_search_statistics
Create Date: 2026-12-03
"""

from alembic import op

revision = "0007_search_pending_list"
down_revision = "0006_search_statistics"
branch_labels = None
depends_on = None

# kB (the unit of the storage parameter)
PENDING_LIST_KB = 512


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER INDEX ix_passages_search_vector SET (gin_pending_list_limit = {PENDING_LIST_KB})")
        op.execute("SELECT gin_clean_pending_list('ix_passages_search_vector'::regclass)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX ix_passages_search_vector RESET (gin_pending_list_limit)")
