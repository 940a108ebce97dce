"""Short reads the provenance answers share: document references and passages, in bulk."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import chunks
from service.models import Document, Passage


def document_ref(doc: Any) -> dict[str, Any]:
    """The short form of a document used in every provenance answer."""
    return {
        "id": doc.id,
        "external_id": doc.external_id,
        "title": doc.title,
        "outlet": doc.outlet,
        "url": doc.url,
        "published_at": doc.published_at,
    }


def document_refs(session: Session, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """:func:`document_ref` of many documents by id (unknown ids are left out)."""
    out = {}
    for chunk in chunks(sorted(set(ids))):
        for row in session.execute(
            select(Document.id, Document.external_id, Document.title, Document.outlet, Document.url,
                   Document.published_at).where(Document.id.in_(chunk))
        ):
            out[row.id] = document_ref(row)
    return out


def passages_by_seq(session: Session, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], dict[str, Any]]:
    """Passages by (document id, seq), read through the (document_id, seq) index with two IN lists."""
    wanted = set(keys)
    docs = sorted({doc_id for doc_id, _ in wanted})
    seqs = sorted({seq for _, seq in wanted})
    out = {}
    for doc_chunk in chunks(docs):
        for seq_chunk in chunks(seqs):
            for p in session.execute(
                select(Passage.id, Passage.document_id, Passage.seq, Passage.start, Passage.end, Passage.text)
                .where(Passage.document_id.in_(doc_chunk), Passage.seq.in_(seq_chunk))
            ):
                if (p.document_id, p.seq) in wanted:
                    out[(p.document_id, p.seq)] = {"id": p.id, "seq": p.seq, "start": p.start, "end": p.end,
                                                   "text": p.text}
    return out
