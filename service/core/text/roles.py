"""What part of an article a passage is: body text, or a heading, title, byline or caption.

Headings, titles, bylines and captions name a story's subject without asserting much about it
("Jane Doe, the new finance minister", "Photo: Reuters", "Inside Globex's pivot"), so the stance
judge does not take them as evidence unless they assert the statement's predicate. The role is
read from the passage's own shape (segmentation keeps each line of an article apart, so a
heading is a passage of its own) and, for the title, from the document's title.
"""

from __future__ import annotations

import re

from service.core.text.normalize import fold

ROLES = ("body", "list-item", "heading", "title", "byline", "caption")

# A heading is short; longer unpunctuated runs are body text that lost its full stop.
HEADING_MAX_WORDS = 16

_BYLINE = re.compile(
    r"^\s*(?:by|written by|words by|reporting by|reported by|additional reporting by|edited by|story by)\s+"
    r"[A-Z][\w.'’-]*",
    re.IGNORECASE,
)
_BYLINE_ROLE = re.compile(
    r"^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s*[,|–—-]\s*(?:staff\s+)?(?:reporter|correspondent|editor|writer|"
    r"contributor|columnist|journalist)\b",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"^\s*[(\[]?(?:photo|photos|photograph|image|images|picture|caption|credit|illustration|graphic|video|"
    r"file photo)\s*(?:[:|(\-–—]|by\b|credit\b)"
    r"|\b(?:getty images|shutterstock|associated press photo|photo credit|image credit|photograph:|"
    r"/\s?(?:afp|reuters|ap|epa)\b)"
    r"|\.(?:png|jpe?g|gif|webp|svg)\b",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^\s*(?:[-•*–—▪◦]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"[.!…]['\"’”)\]]*\s*$")
_TERMINAL = re.compile(r"[.!?…:;]['\"’”)\]]*\s*$")


def _title_case(words: list[str]) -> bool:
    long_words = [w for w in words if len(w) > 3 and w[:1].isalpha()]
    return len(long_words) >= 2 and sum(w[:1].isupper() for w in long_words) >= 0.6 * len(long_words)


def passage_role(text: str, title: str | None = None) -> str:
    """The role of a passage: "title" (the document's title), "byline", "caption", "heading",
    "list-item" (a bullet or numbered point, read as body text) or "body"."""
    stripped = text.strip()
    if not stripped:
        return "body"
    if title and fold(stripped).rstrip(" .") == fold(title.strip()).rstrip(" ."):
        return "title"
    if _BYLINE.match(stripped) or _BYLINE_ROLE.match(stripped):
        return "byline"
    if _CAPTION.search(stripped):
        return "caption"
    if _LIST_ITEM.match(stripped):
        return "list-item"
    words = stripped.split()
    if len(words) <= HEADING_MAX_WORDS and not _SENTENCE_END.search(stripped):
        if not _TERMINAL.search(stripped) or _title_case(words):
            return "heading"
    return "body"


def is_evidence_role(role: str) -> bool:
    """Whether a passage of this role is read as evidence without further ado (body text, list
    items); headings, titles, bylines and captions must assert the statement's predicate."""
    return role in ("body", "list-item")
