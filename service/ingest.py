"""Ingesting articles: source -> clean text -> passages -> store, idempotently.

Data flows one way: a validated payload is turned into normalised text (extracting it from
HTML or a fetched page first), cut into sentence passages, and stored. Re-posting the same
``external_id`` with the same text, or the same text without an ``external_id``, returns the
stored document; the same ``external_id`` with other text is a conflict.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.core.html import extract_article
from service.core.normalize import normalize_text
from service.core.segment import sentence_spans
from service.fetch import FetchError, fetch_page
from service.models import Document, Passage
from service.ops import track_ingest

METADATA_FIELDS = ("external_id", "title", "outlet", "url", "published_at", "language", "author")


class IngestError(Exception):
    """An article that cannot be stored; carries the HTTP status and per-field messages."""

    def __init__(self, status: int, detail: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or {}


@dataclass(slots=True)
class PreparedDocument:
    """An article ready to store: metadata, normalised text, its hash and passage spans."""

    metadata: dict[str, Any]
    text: str
    content_hash: str
    spans: list[tuple[int, int]] = field(default_factory=list)


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text: equal texts are the same document."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prepare(payload: Mapping[str, Any], config: Mapping[str, Any]) -> PreparedDocument:
    """Turn a validated payload into normalised text and passages (fetching and extracting if needed)."""
    metadata = {key: payload.get(key) for key in METADATA_FIELDS if payload.get(key) is not None}
    if payload.get("text") is not None:
        raw = str(payload["text"])
        source_field = "text"
    else:
        source_field = "html" if payload.get("html") is not None else "fetch_url"
        if source_field == "html":
            html, page_url = str(payload["html"]), metadata.get("url")
        else:
            try:
                page = fetch_page(str(payload["fetch_url"]), config)
            except FetchError as exc:
                raise IngestError(exc.status, exc.detail, {exc.field: [exc.detail]}) from exc
            html, page_url = page.body, page.url
            metadata.setdefault("url", page.url)
            if page.content_type == "text/plain":
                html = ""
                raw = page.body
        if html:
            article = extract_article(html, url=page_url)
            raw = article.text
            for key in ("title", "author", "outlet", "published_at", "language", "url"):
                value = getattr(article, key)
                if value is not None and metadata.get(key) is None:
                    metadata[key] = value
    text = normalize_text(raw)
    if not text:
        raise IngestError(422, "The document has no article text.", {source_field: ["No article text found."]})
    max_chars = int(config.get("MAX_DOCUMENT_CHARS", 2_000_000))
    if len(text) > max_chars:
        raise IngestError(
            413,
            f"The article text is longer than {max_chars} characters.",
            {source_field: [f"Longer than {max_chars} characters."]},
        )
    spans = [(s.start, s.end) for s in sentence_spans(text)]
    if not spans:
        raise IngestError(422, "The document has no sentences with words.", {source_field: ["No sentences found."]})
    if isinstance(metadata.get("published_at"), datetime) is False:
        metadata.pop("published_at", None)
    return PreparedDocument(metadata=metadata, text=text, content_hash=content_hash(text), spans=spans)


def find_existing(session: Session, prepared: PreparedDocument) -> Document | None:
    """The stored document this one duplicates, or None; raise 409 on an external_id with other text."""
    external_id = prepared.metadata.get("external_id")
    if external_id is not None:
        existing = session.scalars(select(Document).where(Document.external_id == external_id)).first()
        if existing is None:
            return None
        if existing.content_hash != prepared.content_hash:
            raise IngestError(
                409,
                f"A document with external_id {external_id!r} already exists with different content.",
                {"external_id": ["Already used for a document with different content."]},
            )
        return existing
    return session.scalars(
        select(Document)
        .where(Document.content_hash == prepared.content_hash)
        .order_by(Document.external_id.is_not(None), Document.id)
    ).first()


def store(session: Session, prepared: PreparedDocument) -> Document:
    """Insert the document and its passages, then let features index it (in the caller's transaction)."""
    text = prepared.text
    document = Document(
        **prepared.metadata, text=text, content_hash=prepared.content_hash, passage_count=len(prepared.spans)
    )
    document.passages = [
        Passage(seq=i, start=start, end=end, text=text[start:end]) for i, (start, end) in enumerate(prepared.spans)
    ]
    session.add(document)
    session.flush()
    for hook in AFTER_STORE:
        hook(session, document)
    return document


def ingest_document(session: Session, payload: Mapping[str, Any], config: Mapping[str, Any]) -> tuple[Document, bool]:
    """Store one article and commit; return ``(document, created)``.

    Safe under concurrency: if another worker stores the same document between our lookup and
    our insert, the unique constraint fails, and the stored document is returned instead.
    """
    with track_ingest():
        return _ingest(session, payload, config)


def _ingest(session: Session, payload: Mapping[str, Any], config: Mapping[str, Any]) -> tuple[Document, bool]:
    prepared = prepare(payload, config)
    existing = find_existing(session, prepared)
    if existing is not None:
        return existing, False
    try:
        with session.begin_nested():
            document = store(session, prepared)
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = find_existing(session, prepared)
        if existing is None:
            raise
        return existing, False
    return document, True


def delete_document(session: Session, document: Document) -> None:
    """Delete a document with its passages and let features forget it; commits."""
    document_id = document.id
    for hook in BEFORE_DELETE:
        hook(session, document_id)
    session.delete(document)
    session.commit()


# Feature hooks, called inside the ingest/delete transaction. Features register themselves
# here explicitly, below.
AFTER_STORE: list[Callable[[Session, Document], None]] = []
BEFORE_DELETE: list[Callable[[Session, int], None]] = []

from service import provenance as _provenance  # noqa: E402  (reuse detection and lineage)

AFTER_STORE.append(_provenance.on_document_ingested)
BEFORE_DELETE.append(_provenance.on_document_deleted)
