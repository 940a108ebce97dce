"""Passage-level alignment of two documents: which passages were copied or reworded.

Two channels find passage pairs:

* **copy**: passages sharing word 5-gram shingles. Their similarity is the rapidfuzz
  indel ratio of the folded word sequences, so a copied sentence with one changed figure still
  scores high and the changed figure is reported as a mutation.
* **paraphrase**: passages sharing weighted content words -- names and figures weigh most,
  because rewording keeps them -- with at least two anchors (names, figures, rare words) in
  common. This is what links a rewrite whose sentences were reordered, merged and reworded.

* **reworded in order**: sentences that keep half of each other's wording (content words other
  than names and figures) are a reworded passage only where three or more such pairs follow one
  another in the same order on both sides -- a rewrite keeps the source's sequence (TextPAIR and
  passim align passages the same way), while two texts on one topic share a few stock phrasings
  in no particular order, and two reports of one event share facts, not wording.

Two sentences of one pattern that differ in more facts than they share are not a copy. What
the matched pairs amount to (boilerplate, coverage, the link) is decided in
``service.core.reuse.evidence``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection
from functools import lru_cache

from rapidfuzz.distance import Indel

from service.core.reuse.evidence import (
    NEAR,
    VERBATIM,
    AlignedPair,
    PairEvidence,
    PassageMatch,
    judge_pair,
    mutations,
    unmatched_units,
)
from service.core.reuse.fingerprint import DocumentFeatures, PassageFeatures, shared_units
from service.core.text.tokens import is_number

PARAPHRASE = 0.3
PARAPHRASE_ONE_FACT = 0.45
# Reworded sentences that name no fact must share this much content and be this long.
PARAPHRASE_NO_FACT = 0.6
NO_FACT_MIN_WORDS = 12
MIN_SHARED_SHINGLES = 2
SUBSTANTIAL_WORDS = 20
# A short sentence aligned this closely, both sides naming the same facts (``_same_facts_named``),
# is the same sentence lightly edited (a word or two swapped in 15+ words), not the same formula:
# kept like a verbatim one.
EDITED = 0.9
# Reworded in order: each sentence (this many words at least) keeps this share of the other's
# wording, and this many such pairs follow one another in the same order on both sides.
ORDERED_WORDING = 0.5
ORDERED_MIN_WORDS = 6
ORDERED_RUN = 3

Rarity = Callable[[str], float]


def _default_rarity(_term: str) -> float:
    """No corpus statistics: every word is as rare as any other."""
    return 1.0


def term_weight(term: str, rarity: Rarity = _default_rarity) -> float:
    """Weight of a shared content word: figures and long words weigh more, frequent words less."""
    if is_number(term):
        base = 3.0
    elif len(term) >= 8:
        base = 1.6
    else:
        base = 1.0
    return base * rarity(term)


def _weighted_overlap(a: PassageFeatures, b: PassageFeatures, rarity: Rarity) -> float:
    """Cosine-like overlap of two passages' content words, each weighed by ``term_weight``."""
    shared = a.content & b.content
    if not shared:
        return 0.0
    if rarity is _default_rarity:
        # Every comparison of a passage re-weighs the same words: remember them.
        wa, wb, ws = _total_weight(a.content), _total_weight(b.content), math.fsum(map(_weight, shared))
    else:
        wa = math.fsum(term_weight(t, rarity) for t in a.content)
        wb = math.fsum(term_weight(t, rarity) for t in b.content)
        ws = math.fsum(term_weight(t, rarity) for t in shared)
    return ws / math.sqrt(wa * wb) if wa and wb else 0.0


@lru_cache(maxsize=1 << 16)
def _weight(term: str) -> float:
    """``term_weight`` without rarity, cached."""
    return term_weight(term)


@lru_cache(maxsize=1 << 15)
def _total_weight(content: frozenset[str]) -> float:
    """Total ``term_weight`` of a passage's content words, cached. Every sum over a set of words
    here is ``math.fsum``: exactly rounded, so it does not depend on the set's iteration order,
    which follows the per-process string hash -- two processes (workers, a rebuild) score a pair
    alike to the last bit, and a score at a threshold cannot flip between runs."""
    return math.fsum(map(_weight, content))


def _wording(p: PassageFeatures) -> frozenset[str]:
    """The words a writer chose: content words other than names and figures (the facts that every
    report of an event names alike)."""
    return p.content.difference(p.names, p.numbers)


def wording_overlap(a: PassageFeatures, b: PassageFeatures, rarity: Rarity = _default_rarity) -> float:
    """Cosine-like overlap of two passages' wording (``_wording``), each word weighed by ``term_weight``."""
    wa, wb = _wording(a), _wording(b)
    shared = wa & wb
    if not shared:
        return 0.0
    ta = math.fsum(term_weight(t, rarity) for t in wa)
    tb = math.fsum(term_weight(t, rarity) for t in wb)
    return math.fsum(term_weight(t, rarity) for t in shared) / math.sqrt(ta * tb) if ta and tb else 0.0


def _numbers_compatible(a: PassageFeatures, b: PassageFeatures) -> bool:
    """False when both passages are about figures and share none of them, even as a variant."""
    if not a.numbers or not b.numbers:
        return True
    if set(a.numbers) & set(b.numbers):
        return True
    da = {n.replace(".", "").lstrip("0") for n in a.numbers}
    db = {n.replace(".", "").lstrip("0") for n in b.numbers}
    return bool(da & db)


def paraphrase_score(p: PassageFeatures, q: PassageFeatures, rarity: Rarity = _default_rarity) -> float:
    """Similarity of two reworded passages, or 0 when they do not state the same facts.

    Passages about the same thing share at least two facts (names, figures) and their content
    words; passages that merely follow the same formula about the same subject ("X declined to
    comment", "X's revenue fell N%") share one fact, so they must also share most of their words,
    and their figures must agree (or be variants of each other, which is a mutation).
    """
    units = shared_units(p.units, q.units)
    if units == 0:
        # Prose that names no fact (definitions, explanations): a rewording keeps most content
        # words of a long sentence, which no stock formula does.
        if min(p.size, q.size) < NO_FACT_MIN_WORDS or p.numbers or q.numbers:
            return 0.0
        score = _weighted_overlap(p, q, rarity)
        return score if score >= PARAPHRASE_NO_FACT else 0.0
    if not _numbers_compatible(p, q):
        return 0.0
    score = _weighted_overlap(p, q, rarity)
    return score if score >= (PARAPHRASE if units >= 2 else PARAPHRASE_ONE_FACT) else 0.0


def _other_facts(a: PassageFeatures, b: PassageFeatures, shared: int, changed: int) -> bool:
    """Whether two similar sentences are one formula stating other facts, not a copy with a change.

    A copied sentence keeps most of its facts and changes one or two; two sentences built on the
    same pattern ("X will present the plan in <place> on <date>") share the subject and differ
    in more facts than they share.
    """
    replaced = min(len(unmatched_units(a.units, b.units)), len(unmatched_units(b.units, a.units)))
    differing = max(replaced, changed)
    return differing >= 2 and differing > shared


def align_documents(
    a: DocumentFeatures,
    b: DocumentFeatures,
    a_text: str,
    b_text: str,
    *,
    boiler_a: Collection[int] = (),
    boiler_b: Collection[int] = (),
    mass_copy: float = 0.5,
    boiler_facts: int = 2,
    rarity: Rarity = _default_rarity,
) -> PairEvidence:
    """Align the passages of two documents.

    ``boiler_a``/``boiler_b`` are the passage numbers made of text frequent across the corpus
    (see ``evidence.boilerplate_passages``); they are kept out of the evidence unless the documents
    share so much such text that one is a copy of the other (a wire story republished
    everywhere: both sides at least ``mass_copy`` covered). ``rarity`` maps a content word to
    a weight in (0, 1] that discounts words common in the corpus. A boilerplate passage still
    counts when it names ``boiler_facts`` facts the other side names too.
    """
    return judge_pair(a, b, match_passages(a, b, a_text, b_text, rarity=rarity), boiler_a=boiler_a,
                      boiler_b=boiler_b, mass_copy=mass_copy, boiler_facts=boiler_facts)


def match_passages(a: DocumentFeatures, b: DocumentFeatures, a_text: str, b_text: str, *,
                   rarity: Rarity = _default_rarity) -> list[PassageMatch]:
    """The passage pairs of two documents, best first: the part of :func:`align_documents` that
    does not depend on which passages are boilerplate, so a link can be re-judged without
    re-aligning (``evidence.judge_pair``)."""
    # Only the shingles both documents hold can pair passages: intersect the two sets first (C
    # code), so the per-shingle loops below run over the shared text, not over both documents.
    common = _all_shingles(a).intersection(_all_shingles(b))
    index: dict[int, list[int]] = defaultdict(list)
    if common:
        for p in b.passages:
            for h in p.shingles.intersection(common):
                index[h].append(p.seq)
    candidates: dict[tuple[int, int], float] = {}
    for p in a.passages if common else ():
        own = p.shingles.intersection(common)
        if not own:
            continue
        counts: dict[int, int] = defaultdict(int)
        for h in own:
            for seq in index[h]:
                counts[seq] += 1
        for seq, shared in counts.items():
            q = b.passages[seq]
            if shared >= MIN_SHARED_SHINGLES or shared >= min(len(p.shingles), len(q.shingles)):
                candidates[(p.seq, seq)] = Indel.normalized_similarity(p.words, q.words)

    # Paraphrase channel over passages not already copied.
    copied_a = {k[0] for k, s in candidates.items() if s >= NEAR}
    copied_b = {k[1] for k, s in candidates.items() if s >= NEAR}
    term_index: dict[str, list[int]] = defaultdict(list)
    for q in b.passages:
        if q.seq not in copied_b:
            for t in q.anchors:
                term_index[t].append(q.seq)
    paraphrase: dict[tuple[int, int], float] = {}
    for p in a.passages:
        if p.seq in copied_a or len(p.anchors) < 2:
            continue
        shared_anchors: dict[int, int] = defaultdict(int)
        for t in p.anchors:
            for seq in term_index.get(t, ()):
                shared_anchors[seq] += 1
        for seq, n in shared_anchors.items():
            if n < 2 or (p.seq, seq) in candidates:
                continue
            q = b.passages[seq]
            score = paraphrase_score(p, q, rarity)
            if score:
                paraphrase[(p.seq, seq)] = score

    scored: list[tuple[float, int, int, str]] = []
    for (i, j), sim in candidates.items():
        kind = "verbatim" if sim >= VERBATIM else "near" if sim >= NEAR else "paraphrase"
        if kind == "paraphrase":
            sim = paraphrase_score(a.passages[i], b.passages[j], rarity)
            if not sim:
                continue
        scored.append((sim, i, j, kind))
    scored.extend((s, i, j, "paraphrase") for (i, j), s in paraphrase.items())
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))

    used_a: set[int] = set()
    used_b: set[int] = set()
    matches: list[PassageMatch] = []
    for sim, i, j, kind in scored:
        if i in used_a and j in used_b:
            continue
        pa, pb = a.passages[i], b.passages[j]
        if kind == "paraphrase" and (i in used_a or j in used_b):
            continue
        facts = shared_units(pa.units, pb.units)
        shorter = min(pa.size, pb.size)
        substantial = facts >= 2 or (facts == 1 and shorter >= 10) or (shorter >= SUBSTANTIAL_WORDS and sim >= 0.6)
        if not substantial and kind != "verbatim" and not (sim >= EDITED and _same_facts_named(pa, pb)):
            # The same formula with other facts ("X declined to comment", "could take until May").
            # A sentence with a word or two changed (a desk's synonym) is kept, as a short
            # verbatim one is: not evidence on its own, it counts beside copied text (tiles).
            continue
        ta, tb = a_text[pa.start : pa.end], b_text[pb.start : pb.end]
        muts = mutations(pa, pb, ta, tb, sim, kind)
        if kind != "verbatim" and _other_facts(pa, pb, facts, len(muts)):
            continue
        used_a.add(i)
        used_b.add(j)
        matches.append(PassageMatch(AlignedPair(i, j, round(sim, 4), kind, muts, substantial), facts))
    matches.extend(ordered_rewordings(a, b, a_text, b_text, matches, rarity))
    return matches


def _same_facts_named(a: PassageFeatures, b: PassageFeatures) -> bool:
    """Whether two sentences name the same names, figures and facts (none, often): what differs
    is ordinary wording (a desk's synonym), not a fact. A stock sentence filled in with another
    name or month ("The deal is expected to close in March") is the same formula with other
    facts: it is frequent text that only its filled-in words keep from looking frequent, so
    whether two documents holding it are ever compared depends on when they arrived."""
    return a.units == b.units and set(a.names) == set(b.names) and set(a.numbers) == set(b.numbers)


def _all_shingles(doc: DocumentFeatures) -> set[int]:
    """Every shingle of a document's passages."""
    return set().union(*(p.shingles for p in doc.passages))


def ordered_rewordings(a: DocumentFeatures, b: DocumentFeatures, a_text: str, b_text: str,
                       matches: list[PassageMatch], rarity: Rarity = _default_rarity) -> list[PassageMatch]:
    """Reworded sentence pairs that no other channel found, kept where they follow one another.

    A heavy rewrite of an explanation names few facts and shares few 5-grams, so neither channel
    finds its sentences; but each keeps about half of its source sentence's wording, in the
    source's order. A candidate pair is an unmatched sentence and the unmatched sentence of the
    other side sharing most of its wording (``wording_overlap`` >= ``ORDERED_WORDING``, both at
    least ``ORDERED_MIN_WORDS`` long, not one formula stating other facts: ``_same_facts``); it
    is kept only on the longest chain of pairs increasing on both sides -- already matched pairs
    keeping that much wording count as links of the chain -- when it holds ``ORDERED_RUN`` pairs
    or more. Between documents whose aligned sentences are mostly copies, nothing is added.
    """
    if 2 * sum(1 for m in matches if m.pair.kind != "paraphrase") > len(matches):
        # Mostly copied sentences: a copy (or a page embedding one), whose other sentences are
        # its own text or the other side's, not rewordings.
        return []
    used_a = {m.pair.a_seq for m in matches}
    used_b = {m.pair.b_seq for m in matches}
    index: dict[str, list[int]] = defaultdict(list)
    totals: dict[int, float] = {}  # b's passages: total weight of their wording
    for q in b.passages:
        if q.seq not in used_b and q.size >= ORDERED_MIN_WORDS:
            words = _wording(q)
            totals[q.seq] = math.fsum(term_weight(t, rarity) for t in words)
            for t in words:
                index[t].append(q.seq)
    if not index:
        return []
    loose: dict[tuple[int, int], float] = {}
    for p in a.passages:
        if p.seq in used_a or p.size < ORDERED_MIN_WORDS:
            continue
        shared: dict[int, float] = defaultdict(float)
        count: dict[int, int] = defaultdict(int)
        own = 0.0
        for t in _wording(p):
            w = term_weight(t, rarity)
            own += w
            for seq in index.get(t, ()):
                shared[seq] += w
                count[seq] += 1
        best, best_seq = 0.0, -1
        for seq, w in shared.items():
            if count[seq] < 2:
                continue
            score = w / math.sqrt(own * totals[seq]) if own and totals[seq] else 0.0
            if score > best and _same_facts(p, b.passages[seq]):
                best, best_seq = score, seq
        if best >= ORDERED_WORDING:
            loose[(p.seq, best_seq)] = best
    if not loose:
        return []
    points = sorted(set(loose) | {(m.pair.a_seq, m.pair.b_seq) for m in matches
                                  if m.pair.kind != "paraphrase"
                                  or wording_overlap(a.passages[m.pair.a_seq], b.passages[m.pair.b_seq], rarity)
                                  >= ORDERED_WORDING})
    chain = _longest_chain(points)
    if len(chain) < ORDERED_RUN:
        return []
    out: list[PassageMatch] = []
    taken_b: set[int] = set()
    for i, j in chain:
        if (i, j) not in loose or j in taken_b:
            continue
        taken_b.add(j)
        pa, pb = a.passages[i], b.passages[j]
        sim, kind = loose[(i, j)], "paraphrase"
        muts = mutations(pa, pb, a_text[pa.start : pa.end], b_text[pb.start : pb.end], sim, kind)
        out.append(PassageMatch(AlignedPair(i, j, round(sim, 4), kind, muts, True),
                                shared_units(pa.units, pb.units)))
    return out


def _same_facts(p: PassageFeatures, q: PassageFeatures) -> bool:
    """Whether two sentences of alike wording can be one statement: not one formula filled in with
    other facts ("shares of X fell N%" about two companies). Sentences naming facts must share
    one, differ in no more than they share, and agree on their figures."""
    if not p.units or not q.units:
        return not (p.units or q.units) or _numbers_compatible(p, q)
    facts = shared_units(p.units, q.units)
    return facts > 0 and _numbers_compatible(p, q) and not _other_facts(p, q, facts, 0)


def _longest_chain(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest sequence of ``points`` (sorted) strictly increasing in both coordinates."""
    # Patience sorting on the second coordinate; equal first coordinates sorted by descending
    # second so that at most one of them enters a chain.
    order = sorted(points, key=lambda t: (t[0], -t[1]))
    tails: list[int] = []  # index into order of the smallest tail of a chain of each length
    prev: list[int] = [-1] * len(order)
    for k, (_, j) in enumerate(order):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if order[tails[mid]][1] < j:
                lo = mid + 1
            else:
                hi = mid
        prev[k] = tails[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(k)
        else:
            tails[lo] = k
    chain: list[tuple[int, int]] = []
    k = tails[-1] if tails else -1
    while k >= 0:
        chain.append(order[k])
        k = prev[k]
    return chain[::-1]
