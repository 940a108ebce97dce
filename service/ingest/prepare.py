"""Preparing one article: payload -> clean text -> passage spans (fetching and extracting HTML if needed)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from service.core.text.html import extract_article
from service.core.text.normalize import normalize_text
from service.core.text.segment import sentence_spans
from service.fetch import FetchError, fetch_page
from service.ingest.types import METADATA_FIELDS, IngestError, PreparedDocument, content_hash


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
