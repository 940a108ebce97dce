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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from service.core.lineage.direction import DATE_FLOOR, DATE_WEIGHT, published_order, source_probability

MAX_PARENTS = 3


@dataclass(slots=True)
class PairRecord:
    """Stored evidence between documents ``a`` and ``b`` (``direction`` > 0: ``a`` is the source)."""

    a: int
    b: int
    strength: float
    direction: float
    mutations: int
    linked: bool
    aligned: int
    relation_if_a_child: str = "paraphrase"
    relation_if_b_child: str = "paraphrase"
    copied_share: float = 0.0
    # First and last passage of each side taking part in copied (not reworded) pairs.
    a_region: tuple[int, int] | None = None
    b_region: tuple[int, int] | None = None
    # Share of each side's words aligned with the other (0.0: unknown).
    coverage_a: float = 0.0
    coverage_b: float = 0.0
    # Who credits whom in their own text: +1 b names a, -1 a names b, 0 neither; None: unknown
    # (then a direction of NAMED or more is taken for a credit).
    cited: int | None = None
    # Both documents are of one outlet (an article and its update), not a copy by another outlet.
    same_outlet: bool = False

    def names_source(self, a_is_source: bool) -> bool:
        """Whether the child of this pair names its source (outlet, host or headline)."""
        if self.cited is None:
            return self.direction >= NAMED if a_is_source else self.direction <= -NAMED
        return self.cited > 0 if a_is_source else self.cited < 0


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

    def src_p(c: int, x: int) -> tuple[float, float]:
        r = by_node[c][x]
        p = source_probability(r.direction) if r.a == c else 1.0 - source_probability(r.direction)
        return p, r.strength / (1.0 + 0.35 * r.mutations)

    adjust: dict[tuple[int, int], float] = {}
    for r in records:
        na, nb = by_node.get(r.a, {}), by_node.get(r.b, {})
        total = 0.0
        for c in sorted(set(na) & set(nb)):
            pa, ca = src_p(c, r.a)
            pb, cb = src_p(c, r.b)
            # Two rewrites of C made independently share less with each other than with C;
            # only a pair closer to each other than to C is a chain through one of them.
            if pa > 0.6 and pb > 0.6 and max(ca, cb) > 0 and r.strength / (1 + 0.35 * r.mutations) >= min(ca, cb):
                total += 2.0 * (ca - cb) / max(ca, cb)
        if total:
            adjust[(r.a, r.b)] = max(-3.0, min(3.0, total))
    return adjust


# Share of a page's words that the documents it embeds in separate blocks must make up for it
# to be their aggregator (a roundup or digest is made of them; an original excerpted by several
# briefs is mostly in none of them).
AGGREGATE_COVERAGE = 0.5
OVERLAPPING_SHARE = 1 / 3


def _aggregator_adjust(records: Sequence[PairRecord]) -> dict[tuple[int, int], float]:
    """Direction corrections for pages that embed several sources in separate blocks.

    A document copying two or more others into disjoint regions of itself is an aggregator:
    each embedded document is its source, however much of it was taken -- when the embedded
    documents make up most of it (``AGGREGATE_COVERAGE`` of its words, where coverages are
    known). A long report that several briefs or quote boxes each took a few sentences from
    is embedded in them the same way, but most of it is in none of them: it is their source.
    Nor is a story copied by many outlets, each taking its lead or another window of it: the
    copies overlap one another (more than ``OVERLAPPING_SHARE`` of their pairs), where the
    pieces of a roundup sit in separate blocks.
    """
    regions: dict[int, list[tuple[PairRecord, tuple[int, int]]]] = {}
    for r in records:
        if not r.linked or r.copied_share < 0.5:
            continue
        if r.a_region:
            regions.setdefault(r.a, []).append((r, r.a_region))
        if r.b_region:
            regions.setdefault(r.b, []).append((r, r.b_region))
    adjust: dict[tuple[int, int], float] = {}
    for node, items in regions.items():
        if len(items) < 2:
            continue
        disjoint: set[int] = set()
        overlapping = 0
        for i, (ri, (s1, e1)) in enumerate(items):
            for rj, (s2, e2) in items[i + 1 :]:
                overlap = max(0, min(e1, e2) - max(s1, s2) + 1)
                if overlap <= 0.3 * min(e1 - s1 + 1, e2 - s2 + 1):
                    disjoint.update((id(ri), id(rj)))
                else:
                    overlapping += 1
        if overlapping > OVERLAPPING_SHARE * len(items) * (len(items) - 1) / 2:
            continue  # mostly the same parts taken by many: a widely copied text, not separate pieces
        embedded = [r for r, _ in items if id(r) in disjoint]
        covered = sum(r.coverage_a if r.a == node else r.coverage_b for r in embedded)
        if covered and covered < AGGREGATE_COVERAGE:
            continue
        for r, _ in items:
            if id(r) in disjoint:
                # positive direction means "a is the source": push towards the side that is not node
                adjust[(r.a, r.b)] = adjust.get((r.a, r.b), 0.0) + (3.0 if r.b == node else -3.0)
    return adjust


TIE = 0.3
NAMED = 4.0
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
    for key, value in _aggregator_adjust(records).items():
        adjust[key] = adjust.get(key, 0.0) + value
    authority = _authority(records, adjust)
    credited = _credited_source(records)
    named: set[tuple[int, int]] = set()  # (source, child) where the child names its source
    child_coverage: dict[tuple[int, int], float] = {}  # (source, child) -> share of the child aligned
    copied_share: dict[tuple[int, int], float] = {}  # (source, child) -> share of the aligned text copied
    versions: set[tuple[int, int]] = set()  # (source, child) of one outlet: an article and its update
    oriented: list[tuple[float, str, str, int, int, float, float, int, str]] = []
    for r in records:
        if not r.linked and abs(r.direction) < WEAK_LINK_SCORE:
            continue
        score = r.direction + adjust.get((r.a, r.b), 0.0)
        order = published_order(published.get(r.a), published.get(r.b)) if published else 0
        if order and r.linked and r.direction * order > 0:
            # The pair's own evidence follows the dates: corrections from third documents may
            # weaken it but never make the earlier document the child of the later one...
            score = order * max(DATE_FLOOR, order * score)
        # ...except credits: near-copies of a story, one credited as its source by other
        # documents and the other by none, are the source and a copy, whatever their dates say.
        credit = credited.get((r.a, r.b), 0.0)
        if credit and score * credit < 0 and abs(score) < CITED_SOURCE + DATE_WEIGHT:
            # Against the dates and weak text the credited side wins (at least as surely as a date
            # would make it); against strong text evidence (an excerpt wholly inside the other,
            # a named source) it only weakens the claim.
            score = max(DATE_FLOOR, abs(score + credit)) * (1.0 if credit > 0 else -1.0)
        else:
            score += credit
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
        child_coverage[(src, dst)] = r.coverage_b if a_first else r.coverage_a
        copied_share[(src, dst)] = r.copied_share
        if r.same_outlet:
            versions.add((src, dst))
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
    # A document's sources through copies by other outlets (an outlet's update of its own article
    # is a new version, not a copy that adds nothing: which version a copy took is in its text).
    sources_of = {dst: {src for src, *_ in items if (src, dst) not in versions} for dst, items in incoming.items()}
    for node in sorted(nodes):
        out = []
        closeness_of = {src: strength / (1.0 + 0.35 * muts) for src, strength, _, muts, _ in incoming.get(node, [])}
        for src, strength, p_src, _muts, rel in incoming.get(node, []):
            closeness = closeness_of[src]
            confidence = round(min(0.99, p_src * (0.55 + 0.45 * min(1.0, 3.0 * strength))), 4)
            # A document that names its source (outlet, host, headline) took from that one, even
            # when a sibling rewrite happens to share more text with it -- unless the naming came
            # with the text of a clearly closer source that names it too (A -> B -> C, C copying
            # B's "according to A"): C then took from B. (A copy of A is about as close as A.)
            inherited = any((src, other) in named and closeness_of[other] > INHERITED_NAMING * closeness
                            for other in closeness_of if other != src)
            bonus = NAMED_BONUS if (src, node) in named and not inherited else 1.0
            out.append(ParentChoice(src, confidence, rel, closeness * (0.5 + p_src) * bonus))
        muts_of = {src: m for src, _, _, m, _ in incoming.get(node, [])}
        named_here = {src for src in closeness_of if (src, node) in named}
        out = _upstream_first(node, out, sources_of, (child_coverage, copied_share), muts_of, named_here)
        out.sort(key=lambda c: (-c.score, keys.get(c.parent, "")))
        if out:
            out = [c for c in out if c.score >= 0.25 * out[0].score][:MAX_PARENTS]
        parents[node] = _shared_confidence(out)
    _break_cycles(parents, keys)
    for node in sorted(nodes):
        original[node] = 0.0 if parents[node] else (round(min(outgoing[node]), 4) if node in outgoing else 0.5)
    return Resolution(parents=parents, ranks=ranks, original_confidence=original)


# A candidate source that is itself a copy of another candidate explaining the child as well
# (the child's aligned share at most this much lower) gives way to that one.
UPSTREAM_SLACK = 0.05
UPSTREAM_FACTOR = 0.5


def _upstream_first(node: int, choices: list[ParentChoice], sources_of: Mapping[int, set[int]],
                    shares: tuple[Mapping[tuple[int, int], float], Mapping[tuple[int, int], float]],
                    mutations: Mapping[int, int], named: set[int]) -> list[ParentChoice]:
    """Prefer the upstream source when a sibling copy adds nothing the child uses.

    A story copied by many outlets: a copy S of the original R and the document ``node`` both
    took from R; S is usually closer to ``node`` in length and shares text with it, so by
    closeness alone copies get each other as parents. When R is among ``node``'s candidate
    sources, is a source of S, explains as much of ``node`` as S does (``shares``: the child's
    aligned share and the copied share of the aligned text, per (source, child)), with text
    copied as much as S's and no more changed facts, nothing in ``node`` needs S: the text was
    available upstream, and copies take from the source they credit or pick up, not from each
    other (parsimony, as reprint studies take the earliest witness). S is kept when ``node``
    copied it word for word and R only reworded (S is a rewrite), when S carries framing,
    additions or changed figures that ``node`` has, and when ``node`` names S (``named``).
    Choices are looked at best first, until the rest can no longer come first.
    """
    if len(choices) < 2:
        return choices
    ranked = sorted(choices, key=lambda c: -c.score)
    out = list(ranked)
    coverage, copied = shares
    by_parent = {c.parent: c for c in ranked}
    top = 0.0  # the best score after the changes so far
    for k, c in enumerate(ranked):
        if c.score < top:
            break  # this choice and those below can no longer come first
        own = coverage.get((c.parent, node), 0.0)
        upstream = sources_of.get(c.parent, set()) & by_parent.keys()
        best = None
        if own > 0.0 and c.parent not in named:
            for src in upstream:
                up = by_parent[src]
                if coverage.get((src, node), 0.0) >= own - UPSTREAM_SLACK \
                        and copied.get((src, node), 0.0) >= copied.get((c.parent, node), 0.0) - UPSTREAM_SLACK \
                        and mutations.get(src, 0) <= mutations.get(c.parent, 0):
                    best = up if best is None or up.score > best.score else best
        if best is not None and c.score >= UPSTREAM_FACTOR * best.score:
            out[k] = ParentChoice(c.parent, c.confidence, c.relation, UPSTREAM_FACTOR * min(c.score, best.score))
        top = max(top, out[k].score)
    return out


def _shared_confidence(choices: list[ParentChoice]) -> list[ParentChoice]:
    """Each candidate's confidence as the chance that it is *the* parent, best first.

    A link's own confidence says the text was taken across it; among several candidate sources
    of one document, that chance is shared out by score. So the confidences of one document's
    parents decrease down the list and sum to at most the best link's confidence.
    """
    if len(choices) < 2:
        return choices
    total = sum(c.score for c in choices)
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
