"""Alignments of stored document pairs, remembered per pair of texts.

A link is re-judged when its text turns boilerplate (``reevaluate``), usually soon after it
was made; the alignment does not depend on what is boilerplate, so it is not computed again.
"""

from __future__ import annotations

from service.core.reuse.align import match_passages
from service.core.reuse.evidence import PassageMatch
from service.core.reuse.links import Comparable
from service.provenance.feature_cache import MATCHES_MAX, LockedLRU, memo

MATCHES: LockedLRU[tuple[str, str], list[PassageMatch]] = LockedLRU(MATCHES_MAX)


def matched(a: Comparable, b: Comparable) -> list[PassageMatch]:
    """The matched passages of two documents (remembered when both are stored: an unsaved page has no key)."""
    key = (a.info.key, b.info.key)
    if not all(key):
        return match_passages(a.features, b.features, a.text, b.text)
    return memo(MATCHES, key, lambda: match_passages(a.features, b.features, a.text, b.text))
