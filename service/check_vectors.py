"""The passage vectors the statement check hands to the learned stance layer.

Split from ``service.checking`` (its orchestration) because this is a separate job: turning the
stored int8 vectors that came with the passages into the model's ``DocumentVectors``, embedding
only what was not stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from service.core.semantic.embed import from_bytes
from service.models import Passage, PassageVector
from service.semantic import model as semantic_model
from service.semantic.index import embed_passages, statement_vector


def passages_query(docs: Sequence[int]) -> Select[Any]:
    """The passages of ``docs`` in reading order (document id, id, text, start, end) with each
    one's stored vector (None when it has none).

    The vector is read by the passage's primary key (a correlated subquery), not by an outer
    join: PostgreSQL's planner underestimates how few passages a list of documents holds (its
    distinct count of ``passages.document_id``, a column clustered by document, was 1,922 for
    10,000 documents), expected nine times the rows, and hash-joined the whole vector table --
    a scan of every stored vector per check (61 ms of server time at 10,000 documents, against
    14 ms for the same rows by key).
    """
    vector = (select(PassageVector.vector)
              .where(PassageVector.passage_id == Passage.id, PassageVector.model == semantic_model.MODEL_NAME)
              .scalar_subquery().label("vector"))
    return (select(Passage.document_id, Passage.id, Passage.text, Passage.start, Passage.end, vector)
            .where(Passage.document_id.in_(list(docs)))
            .order_by(Passage.document_id, Passage.seq))


def document_passages(session: Session, docs: Sequence[int]) -> dict[int, list[Any]]:
    """:func:`passages_query`'s rows by document, in one query (Core rows, as ``service.checking``
    reads candidates: no ORM loading)."""
    rows: dict[int, list[Any]] = defaultdict(list)
    for row in session.connection().execute(passages_query(docs)):
        rows[row.document_id].append(row)
    return rows


def document_vectors(statement: str, docs: list[list[Any]]) -> Any:
    """The statement's and each document's passage vectors for the model's embedding features
    (``classifier.DocumentVectors``), or None without an embedding model.

    The stored vectors came with the passages (one query); they are read into one int8 matrix
    (one ``frombuffer`` for all of them, not an array per passage), and each document's vectors
    are a slice of it. Only passages without a stored vector are embedded now; a document whose
    passages are not all covered gets None, as without vectors.
    """
    from service.core.stance.model.classifier import DocumentVectors

    u = statement_vector(statement)
    if u is None:
        return None
    dim = semantic_model.DIM
    flat = [r for rows in docs for r in rows]
    matrix = np.zeros((len(flat), dim), dtype=np.int8)
    have = np.zeros(len(flat), dtype=bool)
    stored = [i for i, r in enumerate(flat) if r.vector is not None and len(r.vector) == dim]
    if stored:
        matrix[stored] = from_bytes([flat[i].vector for i in stored], dim)
        have[stored] = True
    missing = np.flatnonzero(~have).tolist()
    if missing:
        embedded = embed_passages([(flat[i].id, flat[i].text) for i in missing])
        for i in missing:
            vector = embedded.get(flat[i].id)
            if vector is not None:
                matrix[i] = vector
                have[i] = True
    per_doc = []
    offset = 0
    for rows in docs:
        end = offset + len(rows)
        per_doc.append(matrix[offset:end] if rows and have[offset:end].all() else None)
        offset = end
    return DocumentVectors(u, per_doc)
