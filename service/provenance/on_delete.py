"""Forgetting documents: one before it is deleted, or all derived data before a rebuild."""

from __future__ import annotations

from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

from service.models import AnchorFrequency, AnchorTerm, Fingerprint, FingerprintFrequency, LineageNode, ReuseLink
from service.provenance import index_sql
from service.provenance.pairs import MATCHES
from service.provenance.recompute import neighbours, recompute


def forget_document(session: Session, document_id: int) -> None:
    """Forget a document before it is deleted: index counts, links, and its neighbours' lineage."""
    index_sql.lock_index(session)
    linked = neighbours(session, [document_id])
    index_sql.remove_document(session, document_id)
    session.execute(delete(ReuseLink).where(or_(ReuseLink.a_id == document_id, ReuseLink.b_id == document_id)))
    session.execute(delete(LineageNode).where(LineageNode.document_id == document_id))
    # Children that pointed at the deleted document are recomputed with it gone.
    recompute(session, sorted(linked - {document_id}))


def forget_all(session: Session) -> None:
    """Drop the reuse index, every link and every lineage node (before a rebuild)."""
    index_sql.lock_index(session)
    for model in (ReuseLink, LineageNode, Fingerprint, FingerprintFrequency, AnchorTerm, AnchorFrequency):
        session.execute(delete(model.__table__))  # type: ignore[arg-type]
    MATCHES.clear()  # alignments of the code that made them; features depend on the text alone
