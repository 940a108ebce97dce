"""Unicode and whitespace normalisation applied to every article before it is stored.

Stored text is what passage offsets point into, so normalisation happens once, at ingest,
and everything downstream (segmentation, fingerprints, alignment) sees the same string.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

_PUNCT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u3000": " ",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
        "\u00ad": None,
        "\u2026": "...",
    }
)
_SPACES = re.compile(r"[ \t\f\v]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def normalize_text(raw: str) -> str:
    """Return ``raw`` repaired (mojibake), with plain quotes/dashes/spaces and tidy whitespace.

    Line breaks are kept (they mark paragraphs and list items); runs of blank lines are
    folded to one blank line, and spaces inside a line are folded to one.
    """
    text = ftfy.fix_text(raw, normalization="NFC")
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def fold(text: str) -> str:
    """Case- and accent-folded form used for matching (not for display)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

