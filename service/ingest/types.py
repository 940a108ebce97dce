"""What ingest passes around: prepared documents, per-item results, and its error."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from service.core.semantic.embed import Int8Matrix
from service.provenance.feature_cache import Analysis

METADATA_FIELDS = ("external_id", "title", "outlet", "url", "published_at", "language", "author")


class IngestError(Exception):
    """An article that cannot be stored; carries the HTTP status and per-field messages."""

    def __init__(self, status: int, detail: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or {}


def conflict(external_id: str) -> IngestError:
    """The 409 for an ``external_id`` already stored with other text."""
    return IngestError(
        409,
        f"A document with external_id {external_id!r} already exists with different content.",
        {"external_id": ["Already used for a document with different content."]},
    )


@dataclass(slots=True)
class PreparedDocument:
    """An article ready to store: metadata, normalised text, its hash and passage spans."""

    metadata: dict[str, Any]
    text: str
    content_hash: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    # The reuse features, when computed ahead (in a worker process) from the text alone.
    analysis: Analysis | None = None
    # The passages' embeddings (int8, one row per span), when computed ahead.
    vectors: Int8Matrix | None = None


@dataclass(slots=True)
class IngestResult:
    """What became of one payload of a bulk ingest: a document id, or the error it failed with."""

    index: int
    document_id: int | None = None
    created: bool = False
    error: IngestError | None = None


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text: equal texts are the same document."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
