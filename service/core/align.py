"""Passage-level alignment of two documents: what was copied, reworded or changed.

Two channels find passage pairs:

* **copy**: passages sharing word 5-gram shingles. Their similarity is the rapidfuzz
  indel ratio of the folded word sequences, so a copied sentence with one changed figure still
  scores high and the changed figure is reported as a mutation.
* **paraphrase**: passages sharing weighted content words -- names and figures weigh most,
  because rewording keeps them -- with at least two anchors (names, figures, rare words) in
  common. This is what links a rewrite whose sentences were reordered, merged and reworded.

Passages whose shingles are boilerplate (frequent across the corpus: bylines, disclaimers)
are left out of the evidence unless the two documents share so much of it that it is a copy;
a stock sentence filled in with each side's own names (an outlet's footer) never counts. Two
sentences of one pattern that differ in more facts than they share are not a copy either.

The result, :class:`PairEvidence`, is symmetric in content (``a``/``b`` are just the two
sides), so storing it and later reasoning about direction never depends on which document
arrived first.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from service.core.fingerprint import (
    DocumentFeatures,
    PassageFeatures,
    distinctive_words,
    is_number,
    shared_units,
    unit_in,
)

VERBATIM = 0.95
NEAR = 0.75
PARAPHRASE = 0.3
PARAPHRASE_ONE_FACT = 0.45
MIN_SHARED_SHINGLES = 2
SUBSTANTIAL_WORDS = 20

_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_HEDGES = frozenset(
    "may might could reportedly likely possibly probably expected considering "
    "reported allegedly rumored rumoured".split()
)
_NEGATIONS = frozenset("not no never n't without".split())
_QUANTITY = re.compile(
    r"[$€£¥]?\s?\d[\d,]*(?:\.\d+)?\s?(?:%|percent|per cent|trillion|billion|million|thousand|bn|m\b|k\b)?",
    re.IGNORECASE,
)

Rarity = Callable[[str], float]


@dataclass(frozen=True, slots=True)
class Mutation:
    """A fact that differs between two aligned passages: ``a_value`` on side a, ``b_value`` on b."""

    kind: str  # number | date | name | hedge | negation
    a_value: str
    b_value: str


@dataclass(slots=True)
class AlignedPair:
    """Passage ``a_seq`` of side a aligned with passage ``b_seq`` of side b."""

    a_seq: int
    b_seq: int
    similarity: float
    kind: str  # verbatim | near | paraphrase
    mutations: list[Mutation] = field(default_factory=list)
    substantial: bool = True  # long, or naming at least two shared facts (not a stock formula)


@dataclass(slots=True)
class PairEvidence:
    """Everything two documents share, from which links and directions are decided."""

    pairs: list[AlignedPair]
    coverage_a: float
    coverage_b: float
    words_a: int
    words_b: int
    copied_share: float  # share of the aligned words that are verbatim or near-verbatim copies
    boilerplate_pairs: int = 0

    @property
    def mutation_count(self) -> int:
        """Number of changed facts over all aligned pairs."""
        return sum(len(p.mutations) for p in self.pairs)

    @property
    def strength(self) -> float:
        """How much the two documents share, in [0, 1]: the larger coverage counts most."""
        hi, lo = max(self.coverage_a, self.coverage_b), min(self.coverage_a, self.coverage_b)
        quality = 0.6 + 0.4 * self.copied_share
        return min(1.0, (0.7 * hi + 0.3 * lo) * quality)

    def is_link(self) -> bool:
        """Whether the documents share enough to say one was taken from the other."""
        pairs = [p for p in self.pairs if p.substantial]
        if not pairs:
            return False
        copied = sum(1 for p in pairs if p.kind != "paraphrase")
        hi = max(self.coverage_a, self.coverage_b)
        if copied >= 2 and hi >= 0.1:
            return True
        if copied >= 1 and hi >= 0.3:
            return True
        return len(pairs) >= 3 and hi >= 0.2

    def swapped(self) -> PairEvidence:
        """The same evidence seen from the other side."""
        return PairEvidence(
            pairs=[
                AlignedPair(p.b_seq, p.a_seq, p.similarity, p.kind,
                            [Mutation(m.kind, m.b_value, m.a_value) for m in p.mutations], p.substantial)
                for p in self.pairs
            ],
            coverage_a=self.coverage_b,
            coverage_b=self.coverage_a,
            words_a=self.words_b,
            words_b=self.words_a,
            copied_share=self.copied_share,
            boilerplate_pairs=self.boilerplate_pairs,
        )


def _default_rarity(_term: str) -> float:
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


def _quantities(text: str) -> list[str]:
    return [m.group().strip() for m in _QUANTITY.finditer(text)]


def _number_mutations(a: PassageFeatures, b: PassageFeatures, a_text: str, b_text: str,
                      strict: bool) -> list[Mutation]:
    only_a = [n for n in dict.fromkeys(a.numbers) if n not in b.numbers]
    only_b = [n for n in dict.fromkeys(b.numbers) if n not in a.numbers]
    if not only_a or not only_b:
        return []
    qa, qb = _quantities(a_text), _quantities(b_text)
    out = []
    used: set[str] = set()
    for na in only_a:
        best, best_score = None, 0.0
        for nb in only_b:
            if nb in used:
                continue
            da, db = na.replace(".", ""), nb.replace(".", "")
            score = 0.0
            if da == db or da.lstrip("0") == db.lstrip("0"):
                score = 1.0  # same digits, moved point or dropped zero: 14.3 vs 1.43, 600 vs 60
            elif da.startswith(db) or db.startswith(da):
                score = 0.8
            elif strict:
                score = 0.5
            if score > best_score:
                best, best_score = nb, score
        if best is not None:
            used.add(best)
            va = next((q for q in qa if na in q.replace(",", "")), na)
            vb = next((q for q in qb if best in q.replace(",", "")), best)
            kind = "date" if len(na) == 4 and len(best) == 4 and na[:2] in ("19", "20") else "number"
            out.append(Mutation(kind, va, vb))
    return out


def _name_mutations(a: PassageFeatures, b: PassageFeatures) -> list[Mutation]:
    only_a = [n for n in dict.fromkeys(a.names) if n not in b.words]
    only_b = [n for n in dict.fromkeys(b.names) if n not in a.words]
    out = []
    used: set[str] = set()
    for na in only_a:
        for nb in only_b:
            if nb in used:
                continue
            if na in _MONTHS and nb in _MONTHS:
                out.append(Mutation("date", na, nb))
                used.add(nb)
                break
            if na not in _MONTHS and nb not in _MONTHS and fuzz.ratio(na, nb) >= 75:
                out.append(Mutation("name", na, nb))
                used.add(nb)
                break
    return out


def _modality_mutations(a: PassageFeatures, b: PassageFeatures) -> list[Mutation]:
    out = []
    ha = [w for w in a.words if w in _HEDGES]
    hb = [w for w in b.words if w in _HEDGES]
    if bool(ha) != bool(hb):
        out.append(Mutation("hedge", " ".join(ha) or "(none)", " ".join(hb) or "(none)"))
    na = sum(1 for w in a.words if w in _NEGATIONS)
    nb = sum(1 for w in b.words if w in _NEGATIONS)
    if (na % 2) != (nb % 2):
        out.append(Mutation("negation", "negated" if na % 2 else "affirmed", "negated" if nb % 2 else "affirmed"))
    return out


def mutations(a: PassageFeatures, b: PassageFeatures, a_text: str, b_text: str, similarity: float,
              kind: str) -> list[Mutation]:
    """Facts that differ between two aligned passages (figures, dates, names, hedges, negation)."""
    strict = kind != "paraphrase"
    out = _number_mutations(a, b, a_text, b_text, strict)
    out.extend(_name_mutations(a, b))
    if strict and similarity >= NEAR:
        out.extend(_modality_mutations(a, b))
    return out


def _weighted_overlap(a: PassageFeatures, b: PassageFeatures, rarity: Rarity) -> float:
    shared = a.content & b.content
    if not shared:
        return 0.0
    if rarity is _default_rarity:
        # Every comparison of a passage re-weighs the same words: remember them.
        wa, wb, ws = _total_weight(a.content), _total_weight(b.content), sum(map(_weight, shared))
    else:
        wa = sum(term_weight(t, rarity) for t in a.content)
        wb = sum(term_weight(t, rarity) for t in b.content)
        ws = sum(term_weight(t, rarity) for t in shared)
    return ws / math.sqrt(wa * wb) if wa and wb else 0.0


@lru_cache(maxsize=1 << 16)
def _weight(term: str) -> float:
    return term_weight(term)


@lru_cache(maxsize=1 << 15)
def _total_weight(content: frozenset[str]) -> float:
    return sum(map(_weight, content))


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
    if units == 0 or not _numbers_compatible(p, q):
        return 0.0
    score = _weighted_overlap(p, q, rarity)
    return score if score >= (PARAPHRASE if units >= 2 else PARAPHRASE_ONE_FACT) else 0.0


def _unmatched_units(a: frozenset[str], b: frozenset[str]) -> list[str]:
    words = distinctive_words(b)
    return [u for u in a if not unit_in(u, b, words)]


def _names_swapped(a: PassageFeatures, b: PassageFeatures) -> bool:
    """Whether each side names someone the other does not: one template, filled in twice."""
    return any(not is_number(u) for u in _unmatched_units(a.units, b.units)) and any(
        not is_number(u) for u in _unmatched_units(b.units, a.units)
    )


def _other_facts(a: PassageFeatures, b: PassageFeatures, shared: int, changed: int) -> bool:
    """Whether two similar sentences are one formula stating other facts, not a copy with a change.

    A copied sentence keeps most of its facts and changes one or two; two sentences built on the
    same pattern ("X will present the plan in <place> on <date>") share the subject and differ
    in more facts than they share.
    """
    replaced = min(len(_unmatched_units(a.units, b.units)), len(_unmatched_units(b.units, a.units)))
    differing = max(replaced, changed)
    return differing >= 2 and differing > shared


@dataclass(slots=True)
class Match:
    """An aligned passage pair before boilerplate is judged, with the facts both sides name."""

    pair: AlignedPair
    facts: int


def align(
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
    (see :func:`boilerplate_passages`); they are kept out of the evidence unless the documents
    share so much such text that one is a copy of the other (a wire story republished
    everywhere: both sides at least ``mass_copy`` covered). ``rarity`` maps a content word to
    a weight in (0, 1] that discounts words common in the corpus. A boilerplate passage still
    counts when it names ``boiler_facts`` facts the other side names too.
    """
    return judge(a, b, match(a, b, a_text, b_text, rarity=rarity), boiler_a=boiler_a, boiler_b=boiler_b,
                 mass_copy=mass_copy, boiler_facts=boiler_facts)


def match(a: DocumentFeatures, b: DocumentFeatures, a_text: str, b_text: str, *,
          rarity: Rarity = _default_rarity) -> list[Match]:
    """The passage pairs of two documents, best first: the part of :func:`align` that does not
    depend on which passages are boilerplate, so a link can be re-judged without re-aligning."""
    index: dict[int, list[int]] = defaultdict(list)
    for p in b.passages:
        for h in p.shingles:
            index[h].append(p.seq)
    candidates: dict[tuple[int, int], float] = {}
    for p in a.passages:
        if not p.shingles:
            continue
        counts: dict[int, int] = defaultdict(int)
        for h in p.shingles:
            for seq in index.get(h, ()):
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
    matches: list[Match] = []
    for sim, i, j, kind in scored:
        if i in used_a and j in used_b:
            continue
        pa, pb = a.passages[i], b.passages[j]
        if kind == "paraphrase" and (i in used_a or j in used_b):
            continue
        facts = shared_units(pa.units, pb.units)
        shorter = min(pa.size, pb.size)
        substantial = facts >= 2 or (facts == 1 and shorter >= 10) or (shorter >= SUBSTANTIAL_WORDS and sim >= 0.9)
        if not substantial and kind != "verbatim":
            continue  # the same formula with other facts ("X declined to comment", "could take until May")
        ta, tb = a_text[pa.start : pa.end], b_text[pb.start : pb.end]
        muts = mutations(pa, pb, ta, tb, sim, kind)
        if kind != "verbatim" and _other_facts(pa, pb, facts, len(muts)):
            continue
        used_a.add(i)
        used_b.add(j)
        matches.append(Match(AlignedPair(i, j, round(sim, 4), kind, muts, substantial), facts))
    return matches


def judge(
    a: DocumentFeatures,
    b: DocumentFeatures,
    matches: list[Match],
    *,
    boiler_a: Collection[int] = (),
    boiler_b: Collection[int] = (),
    mass_copy: float = 0.5,
    boiler_facts: int = 2,
) -> PairEvidence:
    """The evidence of matched pairs once boilerplate passages are known (see :func:`align`)."""
    kept: list[AlignedPair] = []
    boiler: list[AlignedPair] = []
    templates: set[int] = set()  # boilerplate pairs filled in with each side's own names
    for m in matches:
        pair = m.pair
        i, j = pair.a_seq, pair.b_seq
        # A stock sentence counts only where both sides name the same two facts with it.
        if (i in boiler_a or j in boiler_b) and m.facts < boiler_facts:
            boiler.append(pair)
            if _names_swapped(a.passages[i], b.passages[j]):
                templates.add(id(pair))
        else:
            kept.append(pair)

    words_a, words_b = max(1, a.words), max(1, b.words)

    def coverage(pairs: list[AlignedPair]) -> tuple[float, float, float]:
        # Stock sentences only count inside a real copy (where they were copied with the rest).
        solid = sum(1 for p in pairs if p.substantial and p.kind != "paraphrase")
        pairs = [p for p in pairs if p.substantial or solid >= 3]
        seen_a = {p.a_seq for p in pairs}
        seen_b = {p.b_seq for p in pairs}
        cov_a = sum(a.passages[s].size for s in seen_a) / words_a
        cov_b = sum(b.passages[s].size for s in seen_b) / words_b
        copied = sum(a.passages[p.a_seq].size for p in pairs if p.kind != "paraphrase")
        total = sum(a.passages[p.a_seq].size for p in pairs)
        return min(cov_a, 1.0), min(cov_b, 1.0), (copied / total if total else 0.0)

    cov_a, cov_b, copied_share = coverage(kept)
    if boiler:
        # A template filled in with each side's own names (an outlet's disclaimer) is never copied
        # text, even where such stock text makes up most of two short pages.
        copies = [p for p in boiler if id(p) not in templates]
        all_pairs = kept + copies
        full_a, full_b, full_copied = coverage(all_pairs)
        if copies and min(full_a, full_b) >= mass_copy:
            # Mostly shared, frequent text: a widely republished story, not a template.
            kept, boiler = all_pairs, [p for p in boiler if id(p) in templates]
            cov_a, cov_b, copied_share = full_a, full_b, full_copied
    kept.sort(key=lambda p: (p.a_seq, p.b_seq))
    return PairEvidence(
        pairs=kept,
        coverage_a=round(cov_a, 4),
        coverage_b=round(cov_b, 4),
        words_a=words_a,
        words_b=words_b,
        copied_share=round(copied_share, 4),
        boilerplate_pairs=len(boiler),
    )


def boilerplate_passages(doc: DocumentFeatures, frequent: Collection[int],
                         only: Collection[int] | None = None) -> set[int]:
    """Passages of ``doc`` made mostly of frequent fingerprints (bylines, disclaimers, footers).

    ``frequent`` holds the document's fingerprints whose document frequency is high; only the
    fingerprints that fall inside a passage are looked at, since winnowing keeps a subset of
    the shingles. ``only`` limits the answer to these passage numbers.
    """
    if not frequent:
        return set()
    indexed = set(doc.fingerprints.tolist())
    out = set()
    for p in doc.passages if only is None else (doc.passages[s] for s in sorted(only)):
        own = p.shingles & indexed
        if own and sum(1 for h in own if h in frequent) >= 0.5 * len(own):
            out.add(p.seq)
    return out
