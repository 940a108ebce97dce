"""HTML to article text with trafilatura (boilerplate, menus and comments removed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import trafilatura


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """The main text of a page and whatever metadata the page declares."""

    text: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    url: str | None = None


def extract_article(html: str, url: str | None = None) -> ExtractedArticle:
    """Extract the article body and metadata from ``html``; text is empty when there is no article."""
    text = (
        trafilatura.extract(
            html, url=url, include_comments=False, include_tables=False, favor_precision=True, deduplicate=False
        )
        or ""
    )
    meta = trafilatura.extract_metadata(html, default_url=url)
    published: datetime | None = None
    if meta is not None and meta.date:
        try:
            published = datetime.fromisoformat(meta.date).replace(tzinfo=UTC)
        except ValueError:
            published = None
    if meta is None:
        return ExtractedArticle(text=text, url=url)
    return ExtractedArticle(
        text=text,
        title=meta.title or None,
        author=meta.author or None,
        outlet=meta.sitename or None,
        published_at=published,
        language=getattr(meta, "language", None) or None,
        url=meta.url or url,
    )
