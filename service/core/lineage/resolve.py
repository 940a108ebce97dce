"""Which earlier documents each document came from: parents from the stored pairwise evidence.

Each link is oriented on its own evidence (``service.core.lineage.direction``) plus corrections
that look one document further: a page embedding two or more documents in separate blocks is
an aggregator; in a chain A->B->C, C is closer to B (and shares B's mutations) than to A, while
two independent rewrites of A are not chained; a tie between near-copies goes to the side
other documents demonstrably derive from. A document's parents are its incoming links, best
first by closeness (shared text at few changed facts) times direction confidence. Everything
is a function of the stored pairwise evidence, so the result does not depend on the order
documents arrived in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.core.lineage.blocks import aggregator_adjust, made_of_blocks, pages_of_blocks, separate_blocks
from service.core.lineage.direction import DATE_FLOOR, DATE_HINT, DATE_WEIGHT, published_order, source_probability
from service.core.lineage.ownership import version_holders
from service.core.lineage.readings import readings_adjust
from service.core.lineage.records import NAMED, PairRecord
from service.core.lineage.witnesses import (
    Comparisons,
    alignment_noise,
    closer,
    own_sources,
    passage_table,
    witness_adjust,
)

MAX_PARENTS = 3
# A pure comparison of two passage maps (``_kept``, ``_as_closely``), or its memoized form.
PassageCompare = Callable[[Mapping[int, float], Mapping[int, float]], Any]
# Kept under its old name for callers and tests.
_aggregator_adjust = aggregator_adjust




@dataclass(frozen=True, slots=True)
class ParentChoice:
    """One chosen parent with its confidence and the score it won by."""

    parent: int
    confidence: float
    relation: str
    score: float


@dataclass(slots=True)
class Resolution:
    """Lineage of a set of documents: parents (best first) and the rank that orders them."""

    parents: dict[int, list[ParentChoice]]
    ranks: dict[int, float]
    original_confidence: dict[int, float]


WEAK_LINK_SCORE = 1.5


def _triad_adjust(records: Sequence[PairRecord]) -> dict[tuple[int, int], float]:
    """Direction corrections from third documents both sides descend from.

    If C is the source of both A and B, the one closer to C (sharing more, with fewer changed
    facts) sits between C and the other: that is how a chain C->A->B looks, and why two
    documents sharing a mutation are not independent copies of the source that lacks it.
    """
    by_node: dict[int, dict[int, PairRecord]] = {}
    for r in records:
        by_node.setdefault(r.a, {})[r.b] = r
        by_node.setdefault(r.b, {})[r.a] = r

    # Per node, its partners that are its source (over 0.6), with their closeness: only a third
    # document that is the source of both sides can correct a pair, so each pair looks at those
    # alone, not at every common partner (in a story copied 200 times every copy is a partner of
    # every other). Each pair's probability and closeness are computed once, not once per triad.
    upstream: dict[int, dict[int, float]] = {}
    for c, partners in by_node.items():
        for x, r in partners.items():
            p_c = source_probability(r.direction) if r.a == c else 1.0 - source_probability(r.direction)
            if p_c > 0.6:
                upstream.setdefault(x, {})[c] = r.strength / (1.0 + 0.35 * r.mutations)

    adjust: dict[tuple[int, int], float] = {}
    none: dict[int, float] = {}
    for r in records:
        total = 0.0
        up_a, up_b = upstream.get(r.a, none), upstream.get(r.b, none)
        if not up_a or not up_b:
            continue
        close_ab = r.strength / (1 + 0.35 * r.mutations)
        for c in sorted(up_a.keys() & up_b.keys()):
            ca, cb = up_a[c], up_b[c]
            high, low = (ca, cb) if ca >= cb else (cb, ca)
            # Two rewrites of C made independently share less with each other than with C;
            # only a pair closer to each other than to C is a chain through one of them.
            if high > 0 and close_ab >= low:
                total += 2.0 * (ca - cb) / high
        if total:
            adjust[(r.a, r.b)] = max(-3.0, min(3.0, total))
    return adjust


# Weight of "one side accounts for everything the other shares with third documents".
HUB = 2.0
# Share of a document's text shared with third documents that lies inside its shared text with
# one partner for that partner to explain it; at most OPEN of it (and 2+ passages) leaves it open.
EXPLAINS = 0.8
OPEN = 0.5


def _hub_adjust(records: Sequence[PairRecord], pages: set[int] | None = None) -> dict[tuple[int, int], float]:
    """Direction corrections from what each side shares with third documents (a source is a hub).

    Copies of one source share with one another only what they took from it: everything a copy
    shares with third documents lies inside its shared text with the source. The source shares
    different passages with different copies, so no single copy accounts for what it shares
    with the rest. Between ``x`` and ``y``: when ``y`` accounts for what ``x`` shares with others
    and ``x`` clearly does not for ``y``, ``y`` is the source. When both account for each other
    (copies that all took the same passages) or neither does, this says nothing. A page embedding
    separate documents (``blocks.aggregator_adjust``) also shares different passages with each, so
    pages with separate blocks are left to that rule (``pages``: computed here when not given).
    """
    shared: dict[int, dict[int, set[int]]] = {}
    for r in records:
        if not r.linked or not r.a_passages or not r.b_passages:
            continue
        shared.setdefault(r.a, {})[r.b] = set(r.a_passages)
        shared.setdefault(r.b, {})[r.a] = set(r.b_passages)
    if pages is None:
        pages = pages_of_blocks(records)
    # Per document, how many partners share each passage: no union of the other partners' sets per pair.
    holding: dict[int, dict[int, int]] = {}

    def counts(x: int) -> dict[int, int]:
        found = holding.get(x)
        if found is None:
            found = holding[x] = {}
            for seqs in shared[x].values():
                for s in seqs:
                    found[s] = found.get(s, 0) + 1
        return found

    def accounts(y: int, x: int) -> int:
        """+1: ``y`` accounts for what ``x`` shares with others; -1: clearly not; 0: unknown."""
        held = counts(x)
        with_y = shared[x][y]
        # others: shared with a partner but y (all but those only y shares); outside: not with y.
        n_others = len(held) - sum(1 for s in with_y if held[s] == 1)
        if not n_others:
            return 0
        outside = len(held) - len(with_y)
        if outside <= (1.0 - EXPLAINS) * n_others:
            return 1
        if outside >= 2 and outside >= (1.0 - OPEN) * n_others:
            return -1
        return 0

    adjust: dict[tuple[int, int], float] = {}
    for r in records:
        if r.a not in shared or r.b not in shared.get(r.a, {}) or r.a in pages or r.b in pages:
            continue
        a_for_b, b_for_a = accounts(r.a, r.b), accounts(r.b, r.a)
        if a_for_b > 0 and b_for_a < 0:
            adjust[(r.a, r.b)] = HUB
        elif b_for_a > 0 and a_for_b < 0:
            adjust[(r.a, r.b)] = -HUB
    return adjust


TIE = 0.3
NAMED_BONUS = 1.6
INHERITED_NAMING = 1.5
WEAK_CLAIM = 1.2


def _authority(records: Sequence[PairRecord], adjust: Mapping[tuple[int, int], float]) -> dict[int, float]:
    """How clearly other documents derive from each one: decisive direction votes, a named source twice."""
    out: dict[int, float] = {}
    for r in records:
        score = r.direction + adjust.get((r.a, r.b), 0.0)
        if abs(score) < 2.0 or not r.linked:
            continue
        source = r.a if score > 0 else r.b
        # A child naming its source (outlet, headline) tells the copies of that source apart.
        if r.cited is None:
            named = abs(r.direction) >= 2 * NAMED
        else:
            named = r.names_source(source == r.a)
        out[source] = out.get(source, 0.0) + (2.0 if named else 1.0)
    return out


def resolve(records: Sequence[PairRecord], keys: Mapping[int, str],
            published: Mapping[int, datetime | None] | None = None) -> Resolution:
    """Parents of every document appearing in ``records``, from the pairwise evidence alone.

    A strong link (real shared text) always counts; a weak one (a few reworded passages)
    counts only when its direction is clear, e.g. a rewrite citing its source. Each link is
    oriented source -> child on its own evidence (plus the triad and aggregator corrections,
    which look one document further), so a document's parents depend only on its
    neighbourhood; they are its incoming links, scored by closeness (shared text at few changed
    facts) times the confidence of the direction. A loop that contradictory evidence could
    produce is broken at its weakest link (``_break_cycles``), so the parents form a DAG.
    """
    adjust = _triad_adjust(records)
    blocks = separate_blocks(records)
    pages = set(blocks)
    table = passage_table(records)  # aligned passages by content, for the two witness rules
    readings = readings_adjust(records, pages, table)
    # Witnesses in the shorter side's wording are no copies of the longer one: the hub cue, which
    # takes them for its copies, says nothing about a pair the readings rule turned.
    hub = {key: value for key, value in _hub_adjust(records, pages).items() if key not in readings}
    embedded = aggregator_adjust(records, blocks)
    decisive = made_of_blocks(records, blocks)
    sources = own_sources(records)
    witnessed = witness_adjust(records, pages, sources, table)
    for extra in (embedded, hub, witnessed, readings):
        for key, value in extra.items():
            adjust[key] = adjust.get(key, 0.0) + value
    authority = _authority(records, adjust)
    credited = _credited_source(records)
    holders, through_first = version_holders(records)
    named: set[tuple[int, int]] = set()  # (source, child) where the child names its source
    oriented: list[tuple[float, str, str, int, int, float, float, int, str]] = []
    for r in records:
        if not r.linked and abs(r.direction) < WEAK_LINK_SCORE or (r.a, r.b) in through_first:
            continue
        score = r.direction + adjust.get((r.a, r.b), 0.0)
        order = published_order(published.get(r.a), published.get(r.b)) if published else 0
        # A page made of several stored documents in separate blocks is their aggregator even
        # when it is dated before them (``blocks.aggregator_adjust``): a wrong date does not floor it.
        aggregated = (r.a, r.b) in embedded and embedded[(r.a, r.b)] * order < 0 and not r.cited
        # Nor does one whose own text, the dates left out, points the other way when the side the
        # text names the source is also the one third documents witness (``witness_adjust``): a
        # copy dated hours before the story it cut, whose siblings hold what it dropped.
        # The hub cue likewise: a cut copy dated before the wire story it cut (or a wire story
        # dated late), whose sibling copies share with it only text the story holds too.
        text_against = _text_against_dates(r, order) and (r.direction + adjust.get((r.a, r.b), 0.0)) * order < 0
        witnessed_against = text_against and (witnessed.get((r.a, r.b), 0.0) * order < 0
                                              or hub.get((r.a, r.b), 0.0) * order < 0)
        if _excerpt_against_dates(r, order) and not sources.get(r.a, set()) & sources.get(r.b, set()) \
                and published and _one_news_cycle(published.get(r.a), published.get(r.b)):
            # Containment is text evidence the dates do not overrule: the earlier document is
            # an excerpt wholly made of the later one's text, and the rest of the pair's text
            # points the same way (a cut copy with a wrong, early date; a wire story dated late).
            # Not between copies of a common source (siblings): a fuller cut holds a shorter one
            # without being its source, and the explained-siblings rule looks past both. Only for
            # dates within one news cycle (a time zone, a clock, an "updated" time taken for the
            # first one are off by hours): dates days or months apart are not wrong that way, and a
            # later text holding an earlier one whole is then its expansion (an answer built on a
            # reference article).
            score += (DATE_HINT - DATE_WEIGHT) * order
        elif order and r.linked and r.direction * order > 0 and not aggregated and not witnessed_against:
            # The pair's own evidence follows the dates: corrections from third documents may
            # weaken it but never make the earlier document the child of the later one...
            score = order * max(DATE_FLOOR, order * score)
        # ...except credits: near-copies of a story, one credited as its source by other
        # documents and the other by none, are the source and a copy, whatever their dates say.
        if (r.a, r.b) in credited:
            # The credits are themselves evidence from third documents, and the decisive kind:
            # the other corrections (chains, hubs) do not add to the pair's own evidence here.
            score = r.direction + credited[(r.a, r.b)]
        # A page made of separate blocks, each a stored document, is their aggregator: the cues
        # its other blocks carry (first-hand sourcing, figures) are no evidence of its own, so the
        # rule decides the orientation and the pair's evidence only how sure it is.
        if (r.a, r.b) in decisive and not r.cited:
            score = _decided(score - embedded[(r.a, r.b)], embedded[(r.a, r.b)])
        # Likewise a document of another outlet holding what an outlet's update added or changed
        # is downstream of both versions (``ownership``), whatever its date says.
        # The rule decides the orientation; the pair's own evidence only how sure it is.
        if (r.a, r.b) in holders:
            score = _decided(r.direction, holders[(r.a, r.b)])
        if r.strength < 0.3 and r.aligned < 5 and abs(score) < WEAK_CLAIM:
            continue  # a little shared text and no clear sign of who took it (a date alone is not)
        if abs(score) < TIE:
            # A tie between near-copies: the one others demonstrably take from is the source.
            score += max(-1.5, min(1.5, authority.get(r.a, 0.0) - authority.get(r.b, 0.0)))
        p_a = source_probability(score)
        a_first = p_a > 0.5 or (p_a == 0.5 and keys.get(r.a, "") <= keys.get(r.b, ""))
        src, dst = (r.a, r.b) if a_first else (r.b, r.a)
        p_src = max(p_a, 1.0 - p_a)
        rel = r.relation_if_b_child if a_first else r.relation_if_a_child
        if r.names_source(a_first):
            named.add((src, dst))
        certainty = (p_src - 0.5) * (0.2 + r.strength)
        oriented.append((-certainty, keys.get(src, ""), keys.get(dst, ""), src, dst, r.strength, p_src,
                         r.mutations, rel))
    oriented.sort()
    incoming: dict[int, list[tuple[int, float, float, int, str]]] = {}
    outgoing: dict[int, list[float]] = {}
    ranks: dict[int, float] = {}
    nodes: set[int] = set()
    for _, _, _, src, dst, strength, p_src, muts, rel in oriented:
        nodes.update((src, dst))
        incoming.setdefault(dst, []).append((src, strength, p_src, muts, rel))
        outgoing.setdefault(src, []).append(p_src)
        ranks[src] = ranks.get(src, 0.0) + strength * (2 * p_src - 1)
        ranks[dst] = ranks.get(dst, 0.0) - strength * (2 * p_src - 1)
    parents: dict[int, list[ParentChoice]] = {}
    original: dict[int, float] = {}
    by_pair = {(min(r.a, r.b), max(r.a, r.b)): r for r in records}
    sources_of = {node: {src for src, *_ in links} for node, links in incoming.items()}
    # Sources through copies by other outlets (an outlet's update of its own article is a new
    # version, not a copy that adds nothing: which version a copy took is in its text).
    copied_from = {node: {src for src in srcs if not by_pair[(min(node, src), max(node, src))].same_outlet}
                   for node, srcs in sources_of.items()}
    # The passage comparisons below are pure functions of two maps, which repeat across a story's
    # copies: each distinct pair is compared once (``witnesses.Comparisons``).
    kept_of = Comparisons(table, _kept)
    closely = Comparisons(table, _as_closely)
    versions_of: dict[int, set[int]] = {}  # same-outlet partners (an outlet's versions of a story)
    for r in records:
        if r.same_outlet:
            versions_of.setdefault(r.a, set()).add(r.b)
            versions_of.setdefault(r.b, set()).add(r.a)
    for node in sorted(nodes):
        out = []
        closeness_of = {src: strength / (1.0 + 0.35 * muts) for src, strength, _, muts, _ in incoming.get(node, [])}
        siblings = _explained_siblings(node, sources_of, by_pair, kept_of)
        passed_on = _earlier_versions(node, sources_of, by_pair, versions_of, kept_of)
        for src, strength, p_src, _muts, rel in incoming.get(node, []):
            if src in siblings:
                continue
            closeness = closeness_of[src]
            confidence = round(min(0.99, p_src * (0.55 + 0.45 * min(1.0, 3.0 * strength))), 4)
            # A document that names its source (outlet, host, headline) took from that one, even
            # when a sibling rewrite happens to share more text with it -- unless the naming came
            # with the text of a clearly closer source that names it too (A -> B -> C, C copying
            # B's "according to A"): C then took from B. (A copy of A is about as close as A.)
            inherited = any((src, other) in named and closeness_of[other] > INHERITED_NAMING * closeness
                            for other in closeness_of if other != src)
            bonus = NAMED_BONUS if (src, node) in named and not inherited else 1.0
            score = closeness * (0.5 + p_src) * bonus
            if src in passed_on and (src, node) not in named:
                score *= UPSTREAM_FACTOR
            out.append(ParentChoice(src, confidence, rel, score))
        named_here = {src for src in closeness_of if (src, node) in named}
        out = _upstream_first(node, out, copied_from, by_pair, {src: m for src, _, _, m, _ in incoming.get(node, [])},
                              named_here, closely)
        out.sort(key=lambda c: (-c.score, keys.get(c.parent, "")))
        if out:
            out = [c for c in out if c.score >= 0.25 * out[0].score][:MAX_PARENTS]
        parents[node] = _shared_confidence(out)
    _break_cycles(parents, keys)
    for node in sorted(nodes):
        original[node] = 0.0 if parents[node] else (round(min(outgoing[node]), 4) if node in outgoing else 0.5)
    return Resolution(parents=parents, ranks=ranks, original_confidence=original)


def _text_against_dates(r: PairRecord, order: int) -> bool:
    """Whether a dated link's own text evidence, the dates left out, points against the dates."""
    if r.cited is None or (r.cited and r.cited == -order):
        return False  # unknown, or the dates did not count (the earlier one credits the later)
    return (r.direction - DATE_WEIGHT * order) * order < 0


# An excerpt: the share of its words inside the other side, and by how much more than the reverse.
EXCERPT_SHARE = 0.5
EXCERPT_MARGIN = 0.15


# Publication times further apart than this are not the errors of a clock or a time zone.
NEWS_CYCLE_HOURS = 48.0


def _one_news_cycle(a: datetime | None, b: datetime | None) -> bool:
    """Whether two known publication times lie within ``NEWS_CYCLE_HOURS`` of each other."""
    return a is not None and b is not None and abs((a - b).total_seconds()) <= NEWS_CYCLE_HOURS * 3600


def _excerpt_against_dates(r: PairRecord, order: int) -> bool:
    """Whether the earlier side of a dated link is an excerpt of the later one (most of its words
    inside it, clearly more than the reverse) and the pair's own text, the dates left out, says
    the later one is the source."""
    if not order or not r.linked or not _text_against_dates(r, order):
        return False
    earlier, later = (r.coverage_a, r.coverage_b) if order > 0 else (r.coverage_b, r.coverage_a)
    return earlier >= EXCERPT_SHARE and earlier - later >= EXCERPT_MARGIN


def _decided(direction: float, correction: float) -> float:
    """A pair's score when a rule about third documents decides its orientation (``correction``'s
    sign): the pair's own evidence added, but never turning it (at least ``DATE_FLOOR``)."""
    sign = 1.0 if correction > 0 else -1.0
    return sign * max(DATE_FLOOR, sign * (direction + correction))


# Share of a child's passages aligned with a sibling that must also be aligned with their common
# source (as closely) for the sibling to be explained away.
EXPLAINED = 0.9


def _aligned_by_source(node: int, sources_of: Mapping[int, set[int]],
                       by_pair: Mapping[tuple[int, int], PairRecord]) -> dict[int, Mapping[int, float]]:
    """``node``'s aligned passages (seq -> similarity) with each of its candidate sources, when it
    has two or more (comparing candidates needs at least two)."""
    candidates = sources_of.get(node, set())
    if len(candidates) < 2:
        return {}
    shared: dict[int, Mapping[int, float]] = {}
    for src in candidates:
        passages = by_pair[(min(node, src), max(node, src))].passages_of(node)
        if passages:
            shared[src] = passages
    return shared


def _kept(via_p: Mapping[int, float], via_c: Mapping[int, float]) -> int:
    """How many passages aligned with ``p`` are aligned with ``c`` at least as closely (within noise)."""
    return sum(1 for seq, sim in via_p.items() if via_c.get(seq, -1.0) >= sim - alignment_noise(sim))


def _explained_siblings(node: int, sources_of: Mapping[int, set[int]],
                        by_pair: Mapping[tuple[int, int], PairRecord],
                        kept_of: PassageCompare = _kept) -> set[int]:
    """Candidate sources of ``node`` whose shared text with it is all their common source's text.

    Two documents copying one source share with each other what they both took from it: that
    is no evidence that one took from the other. A candidate ``p`` of ``node`` is explained away
    by another candidate ``c`` that is also ``p``'s source when every passage (at least 90%) of
    ``node`` aligned with ``p`` is aligned with ``c`` at least as closely, and ``c`` accounts for
    more of ``node`` (between copies that all took the same text, ``c`` explains no more than
    ``p``: that tie is left to the other evidence); ``p``'s framing (``_framing``) is left out.
    A copy of ``p`` that took what ``p`` changed or added is closer to ``p`` on those passages,
    and keeps ``p`` (a chain ``c -> p -> node``). ``kept_of``: ``_kept`` (memoized by ``resolve``).
    """
    shared = _aligned_by_source(node, sources_of, by_pair)
    out: set[int] = set()
    for p, whole_p in shared.items():
        # Only p's own sources among node's candidates (a set intersection, not a loop over all).
        for c in sources_of.get(p, set()) & shared.keys():
            via_c = shared[c]
            # The framing two copies share (a footer of outlets of one kind) is not text of the story.
            framing = _framing(whole_p, via_c)
            via_p = {seq: sim for seq, sim in whole_p.items() if seq not in framing} if framing else whole_p
            if len(via_c) <= len(via_p):
                continue
            kept = kept_of(via_p, via_c)
            if kept >= EXPLAINED * len(via_p):
                out.add(p)
                break
    return out


def _earlier_versions(node: int, sources_of: Mapping[int, set[int]],
                      by_pair: Mapping[tuple[int, int], PairRecord],
                      versions_of: Mapping[int, set[int]], kept_of: PassageCompare = _kept) -> set[int]:
    """Earlier versions among ``node``'s candidate sources when it copied a later one.

    An outlet updates its story (``p`` -> ``c``, a same-outlet link: a new paragraph, a
    corrected figure); a copy of the update shares with ``p`` only what ``c`` kept of it, and
    holds what only ``c`` added or changed -- ``c`` aligned more closely there than ``p``
    (the mirror of ``_explained_siblings``). Then ``node`` took from ``c``, however much
    closer ``p``'s dates or direction cues make it. The framing at ``node``'s ends
    (``_framing``) does not count as such an addition. Between copies by different outlets a
    passage aligned a little more closely is as often two desks making the same trim, so
    this is for versions only; copies of copies are left to closeness and ``_upstream_first``.
    ``versions_of``: each document's same-outlet partners (only those can be ``c`` for ``p``).
    """
    shared = _aligned_by_source(node, sources_of, by_pair)
    out: set[int] = set()
    for p, via_p in shared.items():
        for c in versions_of.get(p, set()) & shared.keys():
            via_c = shared[c]
            if p not in sources_of.get(c, set()):
                continue
            kept = kept_of(via_p, via_c)
            if kept < EXPLAINED * len(via_p):
                continue
            framing = _framing(via_c, via_p)
            if any(via_p.get(seq, -1.0) < sim - alignment_noise(sim)
                   for seq, sim in via_c.items() if seq not in framing):
                out.add(p)
                break
    return out


def _as_closely(via_s: Mapping[int, float], via_r: Mapping[int, float]) -> bool:
    """Whether a document's passages shared with a sibling copy (``via_s``) are all (90%) aligned
    with the source (``via_r``) as closely, the framing at its ends aside (``_framing``).

    Where they differ, whose wording the document holds: a copy of the sibling cannot hold the
    source's wording where the sibling changed it, nor source text the sibling lacks, while two
    desks may make the same small edit. At least as many passages closer to the source than to
    the sibling as the reverse, one or more: the document took from the source (parsimony).
    A pure function of the two maps, so ``resolve`` memoizes it on their content.
    """
    framing = _framing(via_s, via_r)
    body = {seq: sim for seq, sim in via_s.items() if seq not in framing}
    kept = _kept(body, via_r)
    if kept >= EXPLAINED * len(body):
        return True
    own = {seq: sim for seq, sim in via_r.items() if seq not in framing}
    to_source = closer(own, body)
    return to_source >= max(1, closer(body, own))


# A candidate source that is itself a copy of another candidate explaining the child as well
# (the child's aligned share at most this much lower) gives way to that one.
UPSTREAM_SLACK = 0.05
UPSTREAM_FACTOR = 0.5


def _upstream_first(node: int, choices: list[ParentChoice], sources_of: Mapping[int, set[int]],
                    by_pair: Mapping[tuple[int, int], PairRecord], mutations: Mapping[int, int],
                    named: set[int], closely: PassageCompare = _as_closely) -> list[ParentChoice]:
    """Between copies that took the same text, the upstream source: the tie ``_explained_siblings`` leaves.

    A story copied by many outlets: a copy S of the original R and the document ``node`` both
    took from R; S is usually closer to ``node`` in length, so by closeness alone copies get
    each other as parents. When R is among ``node``'s candidate sources, is a source of S,
    explains as much of ``node`` as S does (aligned share and copied share, each at most
    ``UPSTREAM_SLACK`` lower, and S's passages as closely) and changes no more facts, nothing
    in ``node`` needs S: the text was available upstream, and copies take from the source they
    credit or pick up, not from each other (parsimony, as reprint studies take the earliest
    witness). S keeps its place when
    it carries framing, additions or changed figures that ``node`` has (R explains less), when
    ``node`` copied S word for word and R only reworded it, when ``node`` names S (``named``),
    and when S is R's own update (``sources_of`` leaves same-outlet links out). Choices are
    looked at best first, until the rest can no longer come first. ``closely``: ``_as_closely``
    (memoized by ``resolve``).
    """
    if len(choices) < 2:
        return choices

    def share(src: int) -> tuple[float, float]:
        r = by_pair[(min(node, src), max(node, src))]
        return (r.coverage_a if r.a == node else r.coverage_b), r.copied_share

    def as_closely(src: int, sibling: int) -> bool | None:
        """Every passage (90%) ``node`` shares with ``sibling`` is aligned with ``src`` as closely
        (``_as_closely``); None when the passages are unknown."""
        via_s = by_pair[(min(node, sibling), max(node, sibling))].passages_of(node)
        via_r = by_pair[(min(node, src), max(node, src))].passages_of(node)
        if not via_s or via_r is None:
            return None  # unknown (older links): the shares decide
        return bool(closely(via_s, via_r))

    ranked = sorted(choices, key=lambda c: -c.score)
    by_parent = {c.parent: c for c in ranked}
    out = list(ranked)
    top = 0.0  # the best score after the changes so far
    for k, c in enumerate(ranked):
        if c.score < top:
            break  # this choice and those below can no longer come first
        own, own_copied = share(c.parent)
        best = None
        if own > 0.0 and c.parent not in named:
            for src in sources_of.get(c.parent, set()) & by_parent.keys():
                up = by_parent[src]
                coverage, copied = share(src)
                held = as_closely(src, c.parent)
                # With the passages known, they decide (framing aside); else the aligned shares.
                explains = held if held is not None else coverage >= own - UPSTREAM_SLACK
                if explains and copied >= own_copied - UPSTREAM_SLACK \
                        and mutations.get(src, 0) <= mutations.get(c.parent, 0):
                    best = up if best is None or up.score > best.score else best
        if best is not None and c.score >= UPSTREAM_FACTOR * best.score:
            out[k] = ParentChoice(c.parent, c.confidence, c.relation, UPSTREAM_FACTOR * min(c.score, best.score))
        top = max(top, out[k].score)
    return out


# Passages at each end of a copy, beyond the text it shares with its source, that are its
# framing rather than the story: a headline, a credit line ("Source: X."), an outlet's sign-off.
FRAMING = 2


def _framing(via_sibling: Mapping[int, float], via_source: Mapping[int, float]) -> set[int]:
    """A copy's passages shared with a sibling copy that frame the story: before or after all of
    its passages aligned with the common source, at most ``FRAMING`` at each end.

    Copies of one story made by outlets of one kind share their framing (the same credit line
    for the same source, a stock sign-off of a newspaper template) but not with the source,
    whose own page is framed its own way: that is no evidence that one copy took from the other.
    What a sibling added inside the story, or a changed figure, is not framing and still counts.
    """
    if not via_source:
        return set()
    first, last = min(via_source), max(via_source)
    before = sorted((seq for seq in via_sibling if seq < first and seq not in via_source), reverse=True)
    after = sorted(seq for seq in via_sibling if seq > last and seq not in via_source)
    return set(before[:FRAMING]) | set(after[:FRAMING])


def _shared_confidence(choices: list[ParentChoice]) -> list[ParentChoice]:
    """Each candidate's confidence as the chance that it is *the* parent, best first.

    A link's own confidence says the text was taken across it; among several candidate sources
    of one document, that chance is shared out by score. So the confidences of one document's
    parents decrease down the list and sum to at most the best link's confidence.
    """
    if len(choices) < 2:
        return choices
    total = sum(c.score for c in choices)
    if total <= 0:
        return choices  # no score to share out (links with no coverage): confidences as they are
    shared = [ParentChoice(c.parent, round(c.confidence * c.score / total, 4), c.relation, c.score) for c in choices]
    for i in range(1, len(shared)):  # score order, kept non-increasing where link confidences differ
        if shared[i].confidence > shared[i - 1].confidence:
            c = shared[i]
            shared[i] = ParentChoice(c.parent, shared[i - 1].confidence, c.relation, c.score)
    return shared


def _break_cycles(parents: dict[int, list[ParentChoice]], keys: Mapping[int, str]) -> None:
    """Make the parent graph acyclic: in every cycle, drop its weakest parent link.

    Each link is oriented on its own evidence, so contradictory evidence can close a loop
    (A from B, B from C, C from A). No document can descend from itself: the loop's least
    supported link (lowest confidence times score, ties by content hash) is the wrong one.
    """
    while True:
        cycle = _find_cycle(parents)
        if not cycle:
            return
        child, weakest = min(
            ((c, p) for c, p in cycle),
            key=lambda cp: (cp[1].confidence * cp[1].score, keys.get(cp[0], ""), keys.get(cp[1].parent, "")),
        )
        parents[child] = [p for p in parents[child] if p is not weakest]


def _find_cycle(parents: Mapping[int, list[ParentChoice]]) -> list[tuple[int, ParentChoice]]:
    """One cycle of parent links as (child, parent choice) pairs, or an empty list."""
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    path: list[tuple[int, ParentChoice]] = []
    for start in sorted(parents):
        if state.get(start):
            continue
        stack = [(start, iter(parents.get(start, [])))]
        state[start] = 1
        while stack:
            node, choices = stack[-1]
            choice = next(choices, None)
            if choice is None:
                state[node] = 2
                stack.pop()
                if path:
                    path.pop()
                continue
            nxt = choice.parent
            if state.get(nxt) == 1:
                starts = [i for i, (child, _) in enumerate(path) if child == nxt]
                return path[starts[0] if starts else len(path):] + [(node, choice)]
            if not state.get(nxt):
                state[nxt] = 1
                path.append((node, choice))
                stack.append((nxt, iter(parents.get(nxt, []))))
    return []


# Weight of "credited as the source by several other documents" between two near-copies.
CITED_SOURCE = 3.0


def _credited_source(records: Sequence[PairRecord]) -> dict[tuple[int, int], float]:
    """Direction corrections between near-copies from who other documents credit.

    A story reprinted widely is credited to its first publisher by many reprints; an uncredited
    copy of it (an aggregator's, a syndication partner's) is credited by none. Between two such
    near-copies that do not name each other, the credited one is the source, even where a
    wrong publication time says otherwise.
    """
    cited_by: dict[int, set[int]] = {}
    for r in records:
        if r.cited:
            source, child = (r.a, r.b) if r.cited > 0 else (r.b, r.a)
            cited_by.setdefault(source, set()).add(child)
    out: dict[tuple[int, int], float] = {}
    for r in records:
        if r.cited or not r.linked or r.copied_share < 0.5:
            continue
        by_a, by_b = cited_by.get(r.a, set()) - {r.b}, cited_by.get(r.b, set()) - {r.a}
        if len(by_a) >= 2 and not by_b:
            out[(r.a, r.b)] = CITED_SOURCE
        elif len(by_b) >= 2 and not by_a:
            out[(r.a, r.b)] = -CITED_SOURCE
    return out
