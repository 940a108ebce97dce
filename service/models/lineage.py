"""Reuse-detection index and document lineage.

* ``Fingerprint`` / ``FingerprintFrequency`` -- winnowed 64-bit shingle hashes per document and
  how many documents hold each one (frequent hashes are boilerplate and are not searched).
* ``AnchorTerm`` / ``AnchorFrequency`` -- hashed names, figures and rare words per document, the
  paraphrase candidate channel.
* ``ReuseLink`` -- the pairwise evidence between two documents (aligned passages, coverage,
  direction score), stored once per pair with ``a`` the side with the smaller content hash so
  that it never depends on which document arrived first.
* ``LineageNode`` -- the lineage derived from those links: rank, parents (best first), cues.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.models.base import Base, intpk


class Fingerprint(Base):
    """One winnowed shingle hash of a document."""

    __tablename__ = "lineage_fingerprints"
    __table_args__ = {"sqlite_with_rowid": False}  # clustered by the key (migration 0004)

    hash: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class FingerprintFrequency(Base):
    """Number of documents holding a fingerprint (its document frequency)."""

    __tablename__ = "lineage_fingerprint_df"
    __table_args__ = {"sqlite_with_rowid": False}  # clustered by the key (migration 0004)

    hash: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    df: Mapped[int] = mapped_column(Integer, default=0)


class AnchorTerm(Base):
    """One hashed anchor term (name, figure, rare word) of a document."""

    __tablename__ = "lineage_terms"
    __table_args__ = {"sqlite_with_rowid": False}  # clustered by the key (migration 0004)

    term: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class AnchorFrequency(Base):
    """Number of documents holding an anchor term."""

    __tablename__ = "lineage_term_df"
    __table_args__ = {"sqlite_with_rowid": False}  # clustered by the key (migration 0004)

    term: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    df: Mapped[int] = mapped_column(Integer, default=0)


class ReuseLink(Base):
    """Pairwise reuse evidence between documents ``a`` and ``b`` (``direction`` > 0: a is the source)."""

    __tablename__ = "lineage_links"
    __table_args__ = (UniqueConstraint("a_id", "b_id"),)

    id: Mapped[intpk]
    a_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    b_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    linked: Mapped[bool] = mapped_column(Boolean, default=False)
    strength: Mapped[float] = mapped_column(Float)
    direction: Mapped[float] = mapped_column(Float)
    coverage_a: Mapped[float] = mapped_column(Float)
    coverage_b: Mapped[float] = mapped_column(Float)
    copied_share: Mapped[float] = mapped_column(Float)
    aligned: Mapped[int] = mapped_column(Integer)
    mutations: Mapped[int] = mapped_column(Integer, default=0)
    relation_a_child: Mapped[str] = mapped_column(String(16))
    relation_b_child: Mapped[str] = mapped_column(String(16))
    # First/last passage of each side in copied pairs (-1 when none): finds aggregators.
    a_first: Mapped[int] = mapped_column(Integer, default=-1)
    a_last: Mapped[int] = mapped_column(Integer, default=-1)
    b_first: Mapped[int] = mapped_column(Integer, default=-1)
    b_last: Mapped[int] = mapped_column(Integer, default=-1)
    # [[a_seq, b_seq, similarity, kind, [[mutation kind, a value, b value], ...]], ...]
    pairs: Mapped[list[Any]] = mapped_column(JSON)
    reasons: Mapped[list[Any]] = mapped_column(JSON)


class LineageNode(Base):
    """Derived lineage of one document: its rank and its parents, best first."""

    __tablename__ = "lineage_nodes"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    rank: Mapped[float] = mapped_column(Float, default=0.0)
    original_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    # [[parent_id, confidence, relation, score], ...]
    parents: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # [[seq, kind, name], ...]
    cues: Mapped[list[Any]] = mapped_column(JSON, default=list)
