"""Documents (ingested articles) and their passages (sentences with offsets)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.models.base import Base, UTCDateTime, intpk, timestamp


class Document(Base):
    """An article as stored: metadata plus normalised text that passage offsets point into."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("external_id"),
        Index("ix_documents_content_hash", "content_hash"),
        # Anonymous re-posts of the same text are the same document, even under concurrency.
        Index(
            "uq_documents_content_hash_anonymous",
            "content_hash",
            unique=True,
            sqlite_where=text("external_id IS NULL"),
            postgresql_where=text("external_id IS NULL"),
        ),
    )

    id: Mapped[intpk]
    external_id: Mapped[str | None] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(1000))
    outlet: Mapped[str | None] = mapped_column(String(255), index=True)
    url: Mapped[str | None] = mapped_column(String(2048))
    author: Mapped[str | None] = mapped_column(String(500))
    language: Mapped[str | None] = mapped_column(String(16))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    passage_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[timestamp]

    passages: Mapped[list[Passage]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Passage.seq",
    )


class Passage(Base):
    """One sentence of a document: ``document.text[start:end] == text``."""

    __tablename__ = "passages"
    __table_args__ = (UniqueConstraint("document_id", "seq"),)

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="passages")
