"""Passage vectors of the semantic retrieval channel, and the counter that keeps per-process indexes in step.

* ``PassageVector`` -- one int8 embedding per passage (``model`` names what made it), written in
  the transaction that stores the passage and deleted with it (``ON DELETE CASCADE``).
  ``generation`` is the value of the counter when it was written.
* ``VectorState`` -- one row: ``generation`` grows by one in every transaction that writes or
  removes vectors (the row lock orders those transactions, so generations commit in order);
  ``purged`` is the generation of the latest removal. A process whose index is at generation
  ``g`` reads the rows of generations ``g+1..generation``, and after a removal also which ids
  are still there (``service.semantic.index``).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from service.models.base import Base


class PassageVector(Base):
    """The embedding of one passage."""

    __tablename__ = "passage_vectors"
    __table_args__ = (Index("ix_passage_vectors_model", "model", "generation", "passage_id"),)

    passage_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("passages.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    model: Mapped[str] = mapped_column(String(64))
    generation: Mapped[int] = mapped_column(BigInteger)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class VectorState(Base):
    """The single row (``id`` 1) counting changes to ``passage_vectors``."""

    __tablename__ = "passage_vector_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)
    purged: Mapped[int] = mapped_column(BigInteger, default=0)
