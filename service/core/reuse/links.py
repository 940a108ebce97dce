"""Evidence between two documents: align them, judge the alignment, decide what a link stores.

``compare`` aligns two documents passage by passage and judges the alignment, treating one
outlet's shared template and the corpus's boilerplate as no evidence. ``link_evidence`` turns
that into what a stored link holds (strength, direction score, coverage, the aligned pairs
and their changed facts), or None when the pair is not worth keeping. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from service.core.lineage.direction import EXCERPT, DocInfo, detail_counts, direction, quotes_headline, relation
from service.core.lineage.resolve import WEAK_LINK_SCORE
from service.core.lineage.versions import version_order
from service.core.reuse.align import match_passages
from service.core.reuse.evidence import PairEvidence, PassageMatch, judge_pair
from service.core.reuse.fingerprint import DocumentFeatures
from service.core.reuse.records import AlignedRef, FactChange, pairs_to_json


@dataclass(slots=True)
class Comparable:
    """A document with what alignment and direction reasoning need: metadata, text, features."""

    info: DocInfo
    text: str
    features: DocumentFeatures


@lru_cache(maxsize=1 << 14)
def _host(url: str | None) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.") if url else ""


Source = tuple[str | None, str]
# Stored among a link's reasons when both documents are of one outlet (versions of one article,
# not a copy by another outlet): lineage reads it back (``PairRecord.same_outlet``).
SAME_OUTLET = "same outlet"


def source_of(outlet: str | None, url: str | None) -> Source:
    """What identifies a document's outlet: its folded name (None when unnamed) and web host."""
    return (outlet.strip().casefold() if outlet else None), _host(url)


def one_source(a: Source, b: Source) -> bool:
    """Whether two outlet identities are the same outlet (by name or by web host)."""
    return (a[0] is not None and a[0] == b[0]) or (bool(a[1]) and a[1] == b[1])


def same_source(a: DocInfo, b: DocInfo) -> bool:
    """Two documents of one outlet (by name or web host): their shared template is not reuse."""
    return one_source(source_of(a.outlet, a.url), source_of(b.outlet, b.url))


def _align(a: Comparable, b: Comparable) -> list[PassageMatch]:
    return match_passages(a.features, b.features, a.text, b.text)


def compare(a: Comparable, b: Comparable, frequent_a: set[int], frequent_b: set[int], *,
            matched: Callable[[Comparable, Comparable], list[PassageMatch]] = _align) -> PairEvidence:
    """Align two documents; same-outlet template text and corpus boilerplate are not evidence.

    ``frequent_*`` are each side's boilerplate passages; ``matched`` aligns the pair (a caller
    may remember alignments: they do not depend on what is boilerplate).
    """
    matches = matched(a, b)
    if same_source(a.info, b.info):
        # One outlet's articles share its template; only a near-duplicate version is reuse.
        boiler_a: set[int] = {p.seq for p in a.features.passages}
        boiler_b: set[int] = {p.seq for p in b.features.passages}
        return judge_pair(a.features, b.features, matches, boiler_a=boiler_a, boiler_b=boiler_b, mass_copy=0.85,
                     boiler_facts=1_000, cross_outlet=False)
    return judge_pair(a.features, b.features, matches, boiler_a=frequent_a, boiler_b=frequent_b)


@dataclass(slots=True)
class LinkEvidence:
    """What a stored link between ``a`` and ``b`` holds (``direction`` > 0: ``a`` is the source)."""

    a_id: int
    b_id: int
    linked: bool
    strength: float
    direction: float
    coverage_a: float
    coverage_b: float
    copied_share: float
    aligned: int
    mutations: int
    relation_a_child: str
    relation_b_child: str
    # First and last passage of each side taking part in copied (not reworded) pairs; -1: none.
    a_first: int
    a_last: int
    b_first: int
    b_last: int
    pairs: list[AlignedRef]
    reasons: list[str]

    def to_row(self) -> dict[str, Any]:
        """The link as a database row (pairs as JSON)."""
        return {
            "a_id": self.a_id, "b_id": self.b_id, "linked": self.linked, "strength": self.strength,
            "direction": self.direction, "coverage_a": self.coverage_a, "coverage_b": self.coverage_b,
            "copied_share": self.copied_share, "aligned": self.aligned, "mutations": self.mutations,
            "relation_a_child": self.relation_a_child, "relation_b_child": self.relation_b_child,
            "a_first": self.a_first, "a_last": self.a_last, "b_first": self.b_first, "b_last": self.b_last,
            "pairs": pairs_to_json(self.pairs), "reasons": self.reasons,
        }


def aligned_refs(ev: PairEvidence) -> list[AlignedRef]:
    """The aligned pairs of an evidence, as a link stores them (seen from ``a``)."""
    return [AlignedRef(p.a_seq, p.b_seq, p.similarity, p.kind,
                       tuple(FactChange(m.kind, m.a_value, m.b_value) for m in p.mutations))
            for p in ev.pairs]


def link_evidence(a: Comparable, b: Comparable, ev: PairEvidence) -> LinkEvidence | None:
    """What to store for a compared pair, or None when it is no link and too weak to matter."""
    if not ev.pairs:
        return None
    fa, fb = a.features, b.features
    detail = detail_counts(ev, [p.numbers for p in fa.passages], [p.numbers for p in fb.passages])
    lengths = (
        sum(fa.passages[p.a_seq].size for p in ev.pairs if p.kind == "paraphrase"),
        sum(fb.passages[p.b_seq].size for p in ev.pairs if p.kind == "paraphrase"),
    )
    commentary = (
        _commentary(fa, {p.a_seq for p in ev.pairs}),
        _commentary(fb, {p.b_seq for p in ev.pairs}),
    ) if _states_facts(fa) and _states_facts(fb) else (0, 0)
    verdict = direction(ev, a.info, b.info, detail, lengths, (_quotes(a, b), _quotes(b, a)), commentary)
    one_outlet = same_source(a.info, b.info)
    score, reasons = verdict.score, list(verdict.reasons)
    if one_outlet:
        score, reasons = _update_order(ev, score, reasons)
        score, reasons = _labelled_versions(a.info, b.info, score, reasons)
    # A headline kept apart (shared with no copied sentence) is a weak link only where a credit
    # or another strong cue orients it, never by the number of reworded pairs beside it.
    substantial = sum(1 for p in ev.pairs if p.substantial and not p.aside)
    weak = (substantial and len(ev.pairs) >= 2) or (
        any(p.substantial for p in ev.pairs) and abs(score) >= WEAK_LINK_SCORE)
    if not (ev.is_link() or weak):
        return None
    first_a, last_a, first_b, last_b = _regions(ev)
    return LinkEvidence(
        a_id=a.info.id, b_id=b.info.id, linked=ev.is_link(), strength=round(ev.strength, 4),
        direction=round(score, 4), coverage_a=ev.coverage_a, coverage_b=ev.coverage_b,
        copied_share=ev.copied_share, aligned=len(ev.pairs), mutations=ev.mutation_count,
        relation_a_child=relation(ev, child_is_a=True), relation_b_child=relation(ev, child_is_a=False),
        a_first=first_a, a_last=last_a, b_first=first_b, b_last=last_b,
        pairs=aligned_refs(ev), reasons=reasons + ([SAME_OUTLET] if one_outlet else []),
    )


def _update_order(ev: PairEvidence, score: float, reasons: list[str]) -> tuple[float, list[str]]:
    """Direction between two articles of one outlet where one holds the other whole: an update.

    Across outlets a text wholly inside a longer one is an excerpt of it (``direction``); an
    outlet does not excerpt its own story but updates it, adding paragraphs as the story
    develops (wire "UPDATE 1" versions): the longer version is the later one, however few
    sentences it added (the containment cue of ``direction`` wants more and points the other way).
    """
    ca, cb = ev.coverage_a, ev.coverage_b
    if ca >= WHOLE and cb <= ca - UPDATE_ADDS:
        return score + (2 * EXCERPT if "a contained in b" in reasons else EXCERPT), reasons + [A_UPDATED]
    if cb >= WHOLE and ca <= cb - UPDATE_ADDS:
        return score - (2 * EXCERPT if "b contained in a" in reasons else EXCERPT), reasons + [B_UPDATED]
    return score, reasons


def _labelled_versions(a: DocInfo, b: DocInfo, score: float, reasons: list[str]) -> tuple[float, list[str]]:
    """Direction between two versions of one outlet's story whose headlines say which is later.

    A wire labels its updates ("UPDATE 1-<headline>", "CORRECTED-<headline>"):
    ``versions.version_order``. A correction that changes a figure and adds nothing holds the
    first version whole and is held whole by it, so containment cannot order the two; the label
    does, with the weight of a credit (an update names what it revises).
    """
    order = version_order(a.title, b.title)
    if not order:
        return score, reasons
    return score + VERSION_LABEL * order, reasons + [A_LABEL_EARLIER if order > 0 else B_LABEL_EARLIER]


# The reasons a same-outlet link records when the update rule or the labels order its versions
# (read back by lineage resolution: ``service.core.lineage.ownership``).
A_UPDATED, B_UPDATED = "a updated by b", "b updated by a"
A_LABEL_EARLIER, B_LABEL_EARLIER = "a earlier version", "b earlier version"
A_EARLIER = frozenset({A_UPDATED, A_LABEL_EARLIER})
B_EARLIER = frozenset({B_UPDATED, B_LABEL_EARLIER})


# Weight of a version label between two versions of one outlet's story (a credit weighs 4).
VERSION_LABEL = 4.0


# A version is held whole by its update when this much of it is aligned; the update adds at
# least this share of its words.
WHOLE = 0.97
UPDATE_ADDS = 0.03


def _commentary(features: DocumentFeatures, aligned: set[int]) -> int:
    """Own sentences (not aligned with the other side) that name no fact: remarks, colour."""
    return sum(1 for p in features.passages if p.seq not in aligned and p.size >= 6 and not p.units)


def _states_facts(features: DocumentFeatures) -> bool:
    """Whether most sentences (of 6+ words) name a fact: a report, where a rewrite's remarks that
    name none stand out. In an explanation or an encyclopedia entry most sentences name none on
    both sides, and the longer side merely has more of them."""
    sized = [p for p in features.passages if p.size >= 6]
    return 2 * sum(1 for p in sized if p.units) >= len(sized)


def _quotes(doc: Comparable, other: Comparable) -> bool:
    """Whether ``doc`` carries ``other``'s headline among its lines."""
    lines = [doc.text[p.start : p.end] for p in doc.features.passages[:400] if p.size <= 40]
    return quotes_headline(other.info.title, doc.info.title, lines)


def _regions(ev: PairEvidence) -> tuple[int, int, int, int]:
    copied = [p for p in ev.pairs if p.kind != "paraphrase" and p.substantial and not p.aside]
    if not copied:
        return -1, -1, -1, -1
    a = [p.a_seq for p in copied]
    b = [p.b_seq for p in copied]
    return min(a), max(a), min(b), max(b)


def ordered(x: Comparable, y: Comparable) -> tuple[Comparable, Comparable]:
    """The pair in canonical order (smaller content hash first), independent of arrival order."""
    return (x, y) if (x.info.key, x.info.id) <= (y.info.key, y.info.id) else (y, x)
