"""Writing and forgetting passage vectors, inside the transactions of ingest, delete and rebuild.

Called explicitly: ``service.ingest.workers`` computes the vectors ahead (``embed_ahead``, pure),
``service.ingest.store`` calls ``add_documents`` in the storing transaction and
``note_removal`` when a document was deleted (its vectors go with its passages, ``ON DELETE
CASCADE``), and ``service.ingest.rebuild`` calls ``forget_all`` before recomputing every vector.

Every such transaction moves the change counter (``VectorState``) as its last write: the row
lock it takes is held until the commit, so the generations commit in order and a process's index
can catch up by reading the generations it has not seen (``service.semantic.index``). Taking it
last keeps the lock short and out of every other lock's way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, delete, insert, select, update
from sqlalchemy.orm import Session

from service.core.semantic.embed import Int8Matrix, to_bytes
from service.db import chunks
from service.models import Passage, PassageVector, VectorState
from service.provenance.index_sql import insert_rows
from service.semantic import model


@dataclass(slots=True)
class DocumentPassages:
    """A stored document's passages as the vector store takes them; ``vectors`` when computed ahead."""

    document_id: int
    text: str
    spans: Sequence[tuple[int, int]]
    vectors: Int8Matrix | None = None


def embed_ahead(text: str, spans: Sequence[tuple[int, int]]) -> Int8Matrix | None:
    """The vectors of a document's passages, one row per span (pure; runs in ingest workers)."""
    return model.embed_texts([text[start:end] for start, end in spans])


def next_generation(session: Session, *, removal: bool = False) -> int:
    """Move the change counter on (and mark a removal); returns the new generation."""
    values = {"generation": VectorState.generation + 1}
    if removal:
        values["purged"] = VectorState.generation + 1
    result = cast(CursorResult[Any], session.execute(update(VectorState).where(VectorState.id == 1).values(**values)))
    if result.rowcount == 0:
        # The row is made by the migration; a table emptied by hand starts again at 1.
        session.execute(insert(VectorState).values(id=1, generation=1, purged=1))
        return 1
    generation = session.scalar(select(VectorState.generation).where(VectorState.id == 1))
    assert generation is not None
    return int(generation)


def add_documents(session: Session, documents: Sequence[DocumentPassages]) -> int:
    """Store the vectors of newly stored documents' passages; returns how many were written.

    Vectors not computed ahead are computed here. Without an embedding model nothing is
    written (the channel is off, see ``service.semantic.model``).
    """
    missing = [d for d in documents if d.vectors is None or len(d.vectors) != len(d.spans)]
    if missing:
        texts = [d.text[start:end] for d in missing for start, end in d.spans]
        vectors = model.embed_texts(texts)
        if vectors is None:
            return 0
        offset = 0
        for d in missing:
            d.vectors = vectors[offset : offset + len(d.spans)]
            offset += len(d.spans)
    by_document = {d.document_id: d for d in documents}
    passage_ids: dict[int, list[int]] = {d.document_id: [] for d in documents}
    for chunk in chunks(sorted(by_document)):
        for passage_id, document_id in session.execute(
            select(Passage.id, Passage.document_id)
            .where(Passage.document_id.in_(chunk)).order_by(Passage.document_id, Passage.seq)
        ):
            passage_ids[document_id].append(passage_id)
    rows: list[dict[str, Any]] = []
    generation = next_generation(session)
    for document_id, ids in passage_ids.items():
        vectors = by_document[document_id].vectors
        assert vectors is not None and len(vectors) == len(ids), "passages and vectors out of step"
        rows.extend({"passage_id": pid, "model": model.MODEL_NAME, "generation": generation,
                     "vector": to_bytes(vector)} for pid, vector in zip(ids, vectors, strict=True))
    if rows:
        insert_rows(session, PassageVector.__table__, rows)  # type: ignore[arg-type]
    return len(rows)


def note_removal(session: Session) -> None:
    """Record that vectors went away (a deleted document's, by cascade): indexes drop them."""
    next_generation(session, removal=True)


def forget_all(session: Session) -> None:
    """Drop every stored vector (before a rebuild recomputes them)."""
    session.execute(delete(PassageVector.__table__))  # type: ignore[arg-type]
    next_generation(session, removal=True)

