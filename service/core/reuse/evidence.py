"""What two aligned documents share, and what changed: aligned pairs, mutations, pair evidence.

A matched passage pair records its similarity, its kind (verbatim, near, paraphrase) and the
facts that differ between its two sides (figures, dates, names, hedges, negation: the
*mutations* provenance reports). ``judge_pair`` turns the matched pairs into
:class:`PairEvidence` once boilerplate is known: passages whose shingles are frequent across
the corpus (bylines, disclaimers) are left out unless the two documents share so much of it
that it is a copy, and a stock sentence filled in with each side's own names (an outlet's
footer) never counts.

:class:`PairEvidence` is symmetric in content (``a``/``b`` are just the two sides), so storing
it and later reasoning about direction never depends on which document arrived first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz import fuzz

from service.core.reuse.fingerprint import DocumentFeatures, PassageFeatures, distinctive_words, unit_in
from service.core.text.lexicon import MONTH_WORDS, REUSE_HEDGES, REUSE_NEGATIONS
from service.core.text.tokens import is_number

# Similarity (indel ratio of the folded words) from which a pair is a verbatim or a near copy.
VERBATIM = 0.95
NEAR = 0.75

_QUANTITY = re.compile(
    r"[$€£¥]?\s?\d[\d,]*(?:\.\d+)?\s?(?:%|percent|per cent|trillion|billion|million|thousand|bn|m\b|k\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Mutation:
    """A fact that differs between two aligned passages: ``a_value`` on side a, ``b_value`` on b."""

    # The statement check's vocabulary: amount | percent | number | date | year | entity |
    # modality | negation -- and spelling (a name spelt otherwise: evidence, not a changed fact).
    kind: str
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
    # A shared headline beside no copied sentence: kept for a credit to weigh, never link evidence.
    aside: bool = False


@dataclass(slots=True)
class PassageMatch:
    """An aligned passage pair before boilerplate is judged, with the facts both sides name."""

    pair: AlignedPair
    facts: int


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
        pairs = [p for p in self.pairs if p.substantial and not p.aside]
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
                            [Mutation(m.kind, m.b_value, m.a_value) for m in p.mutations], p.substantial, p.aside)
                for p in self.pairs
            ],
            coverage_a=self.coverage_b,
            coverage_b=self.coverage_a,
            words_a=self.words_b,
            words_b=self.words_a,
            copied_share=self.copied_share,
            boilerplate_pairs=self.boilerplate_pairs,
        )


def _quantities(text: str) -> list[str]:
    """Figures of ``text`` with their currency, scale or percent sign, as written."""
    return [m.group().strip() for m in _QUANTITY.finditer(text)]


def _number_mutations(a: PassageFeatures, b: PassageFeatures, a_text: str, b_text: str,
                      strict: bool) -> list[Mutation]:
    if not a.numbers or not b.numbers or a.numbers == b.numbers:
        return []  # no figure on one side, or the same figures: nothing changed
    # "llama4's" and "llama4" are one figure: the possessive is grammar, not a changed fact.
    nums_a, nums_b = list(map(_bare, a.numbers)), list(map(_bare, b.numbers))
    only_a = [n for n in dict.fromkeys(nums_a) if n not in nums_b]
    only_b = [n for n in dict.fromkeys(nums_b) if n not in nums_a]
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
            out.append(Mutation(_number_kind(na, best, va, vb), va, vb))
    return out


def _number_kind(na: str, nb: str, va: str, vb: str) -> str:
    """The fact kind of two differing figures, in the statement check's vocabulary."""
    if len(na) == 4 and len(nb) == 4 and na[:2] in ("19", "20") and nb[:2] in ("19", "20"):
        return "year"
    text = f"{va} {vb}".lower()
    if "%" in text or "percent" in text or "per cent" in text:
        return "percent"
    if any(sign in text for sign in _CURRENCY_MARKS):
        return "amount"
    return "number"


# Written with a figure, these make it an amount of money (the check's ``amount`` kind).
_CURRENCY_MARKS = ("$", "\u20ac", "\u00a3", "\u00a5", "usd", "eur", "gbp", "dollar", "euro", "pound", "yen", "yuan")
_POSSESSIVE = ("'s", "\u2019s", "'", "\u2019")


@lru_cache(maxsize=1 << 16)
def _bare(name: str) -> str:
    """A name without a possessive ending ("wang's" and "wang" are one name)."""
    for ending in _POSSESSIVE:
        if name.endswith(ending) and len(name) > len(ending) + 1:
            return name[: -len(ending)]
    return name


def spelling_variant(a: str, b: str) -> bool:
    """Two spellings of one name (Alexandr/Alexander): one or two letters apart, same start."""
    return a[:1] == b[:1] and abs(len(a) - len(b)) <= 2 and fuzz.ratio(a, b) >= 85


def _name_mutations(a: PassageFeatures, b: PassageFeatures) -> list[Mutation]:
    # A changed name is a name of each side that the other side does not have: none when one side
    # names no one, or both name the same (every name is one of its side's words).
    if not a.names or not b.names or a.names == b.names:
        return []
    words_b = set(map(_bare, b.words))
    only_a = [n for n in dict.fromkeys(map(_bare, a.names)) if n not in words_b]
    if not only_a:
        return []
    words_a = set(map(_bare, a.words))
    only_b = [n for n in dict.fromkeys(map(_bare, b.names)) if n not in words_a]
    out = []
    used: set[str] = set()
    for na in only_a:
        for nb in only_b:
            if nb in used:
                continue
            if na in MONTH_WORDS and nb in MONTH_WORDS:
                out.append(Mutation("date", na, nb))
                used.add(nb)
                break
            if na not in MONTH_WORDS and nb not in MONTH_WORDS and fuzz.ratio(na, nb) >= 75:
                # A misspelling is evidence of who copied whom (copies inherit it), not a fact
                # that differs: it is kept, as ``spelling``, apart from the entity changes.
                out.append(Mutation("spelling" if spelling_variant(na, nb) else "entity", na, nb))
                used.add(nb)
                break
    return out


# Forms of "to be" that make "reported" hearsay ("it was reported", "is reported to have"); after
# a name it is attribution ("Wire reported that ..."), a credit put in front of copied text.
_PASSIVE = frozenset("is was are were be been being".split())


def _hedges(words: list[str]) -> list[str]:
    """The hedge words of a passage; "reported" only in the passive (hearsay), not as "X reported"."""
    return [w for i, w in enumerate(words)
            if w in REUSE_HEDGES and (w != "reported" or (i > 0 and words[i - 1] in _PASSIVE))]


def _modality_mutations(a: PassageFeatures, b: PassageFeatures) -> list[Mutation]:
    if a.words == b.words:
        return []  # the same words: the same hedges and negations
    out = []
    ha = _hedges(a.words)
    hb = _hedges(b.words)
    if bool(ha) != bool(hb):
        out.append(Mutation("modality", " ".join(ha) or "asserted", " ".join(hb) or "asserted"))
    na = sum(1 for w in a.words if w in REUSE_NEGATIONS)
    nb = sum(1 for w in b.words if w in REUSE_NEGATIONS)
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


def unmatched_units(a: frozenset[str], b: frozenset[str]) -> list[str]:
    """The facts of ``a`` that ``b`` does not name (entities compared as ``same_entity``)."""
    words = distinctive_words(b)
    return [u for u in a if not unit_in(u, b, words)]


def _names_swapped(a: PassageFeatures, b: PassageFeatures) -> bool:
    """Whether each side names someone the other does not: one template, filled in twice."""
    return any(not is_number(u) for u in unmatched_units(a.units, b.units)) and any(
        not is_number(u) for u in unmatched_units(b.units, a.units)
    )


def judge_pair(
    a: DocumentFeatures,
    b: DocumentFeatures,
    matches: list[PassageMatch],
    *,
    boiler_a: Collection[int] = (),
    boiler_b: Collection[int] = (),
    mass_copy: float = 0.5,
    boiler_facts: int = 2,
    cross_outlet: bool = True,
) -> PairEvidence:
    """The evidence of matched pairs once boilerplate passages are known.

    ``boiler_a``/``boiler_b`` are the passage numbers made of text frequent across the corpus
    (see :func:`boilerplate_passages`); they are kept out of the evidence unless the documents
    share so much such text that one is a copy of the other (a wire story republished
    everywhere: both sides at least ``mass_copy`` covered). A boilerplate passage still
    counts when it names ``boiler_facts`` facts the other side names too. ``cross_outlet``: the
    documents are of two outlets; then a quotation may join a copied run, and "covered" may also
    be read against a side's own text, its words less its boilerplate passages matched with
    nothing (``_own_text_coverage``). Within one outlet every passage is template (stock quotes,
    its own footer with its own name): neither applies.
    """
    kept: list[AlignedPair] = []
    boiler: list[AlignedPair] = []
    templates: set[int] = set()  # boilerplate pairs filled in with each side's own names
    quotations: list[AlignedPair] = []
    headlines: list[AlignedPair] = []
    for m in matches:
        pair = m.pair
        i, j = pair.a_seq, pair.b_seq
        if a.passages[i].quoted and b.passages[j].quoted:
            # The same quotation in two reports is what everyone at the event heard: evidence of
            # copying only beside other copied text (added back below).
            quotations.append(pair)
            continue
        # A stock sentence counts only where both sides name the same two facts with it.
        if (i in boiler_a or j in boiler_b) and m.facts < boiler_facts:
            boiler.append(pair)
            if _names_swapped(a.passages[i], b.passages[j]):
                templates.add(id(pair))
        elif a.passages[i].headline or b.passages[j].headline:
            # Two reports of one event state it in the same few words: a headline matched with a
            # headline or a lead is evidence only beside a copied sentence (added back below).
            headlines.append(pair)
        else:
            kept.append(pair)

    # Short sentences copied one after another are a copied passage, not stock phrases (also
    # where they are frequent: a widely copied story's sentences are). A quotation taken with the
    # sentence beside it, in the same order on both sides, is part of such a passage (a brief or
    # quote box lifts a quote with its lead-in); reporters who heard the same quote do not also
    # share the sentence around it word for word. Such a run needs a copied sentence of the
    # narrative: quotations, headlines (one event told in the same words) and an outlet's footer
    # template filled with its own name (after a stock quote closing two articles) never make one.
    in_runs = copied_runs(kept + boiler + headlines, a)
    if quotations and cross_outlet:
        alone = {id(p) for p in quotations} | {id(p) for p in headlines} | templates
        with_quotes = copied_runs(kept + boiler + headlines + quotations, a, alone=alone)
        in_runs |= with_quotes
        kept += [_substantial(p) for p in quotations if id(p) in with_quotes]
    quotations = [p for p in quotations if id(p) not in in_runs]
    kept = [_substantial(p) if id(p) in in_runs else p for p in kept]
    headlines = [_substantial(p) if id(p) in in_runs else p for p in headlines]
    marked = {id(p): _substantial(p) for p in boiler if id(p) in in_runs}
    templates = {id(marked.get(id(p), p)) for p in boiler if id(p) in templates}
    boiler = [marked.get(id(p), p) for p in boiler]
    words_a, words_b = max(1, a.words), max(1, b.words)

    def coverage(pairs: list[AlignedPair]) -> tuple[float, float, float]:
        # Stock sentences only count inside a real copy (where they were copied with the rest).
        pairs = [p for p in pairs if not p.aside]
        solid = sum(1 for p in pairs if p.substantial and p.kind != "paraphrase")
        if solid < 3:
            pairs = [p for p in pairs if p.substantial]
        # One pass over the pairs (called several times per compared pair, the hottest part of
        # judging): word counts are integers, so the sums are the same in any order.
        passages_a, passages_b = a.passages, b.passages
        seen_a: set[int] = set()
        seen_b: set[int] = set()
        copied = total = 0
        for p in pairs:
            n = len(passages_a[p.a_seq].words)
            total += n
            if p.kind != "paraphrase":
                copied += n
            seen_a.add(p.a_seq)
            seen_b.add(p.b_seq)
        cov_a = sum([len(passages_a[s].words) for s in seen_a]) / words_a
        cov_b = sum([len(passages_b[s].words) for s in seen_b]) / words_b
        return min(cov_a, 1.0), min(cov_b, 1.0), (copied / total if total else 0.0)

    cov_a, cov_b, copied_share = coverage(kept)
    if boiler:
        # A template filled in with each side's own names (an outlet's disclaimer) is never copied
        # text, even where such stock text makes up most of two short pages.
        copies = [p for p in boiler if id(p) not in templates]
        all_pairs = kept + copies
        # The headline counts towards "mostly shared": a brief is its source's headline and a
        # few of its stock lines (added back below, beside the copied lines).
        full_a, full_b, _ = coverage(all_pairs + headlines)
        if copies and cross_outlet and max(full_a, full_b) < mass_copy \
                and any(p.kind != "paraphrase" and p.substantial and not p.aside for p in kept):
            own_a, own_b = _own_text_coverage(a, b, all_pairs + headlines, boiler_a, boiler_b, coverage)
            if max(own_a, own_b) >= OWN_TEXT_WHOLE:
                full_a, full_b = own_a, own_b
        if copies and max(full_a, full_b) >= mass_copy:
            # One side made mostly of text shared with the other: a widely republished story (or
            # an excerpt of one), not a template, which is a small part of the pages it is on.
            kept, boiler = all_pairs, [p for p in boiler if id(p) in templates]
            cov_a, cov_b, copied_share = coverage(kept)
    if headlines and any(p.kind != "paraphrase" for p in kept):
        # Beside a sentence copied word for word (however short), the headline is part of the
        # copy; beside reworded sentences only it is one event told twice, not reuse.
        kept = kept + headlines
        cov_a, cov_b, copied_share = coverage(kept)
    else:
        # Kept apart: a credit naming the other side may still make it a (weak) link.
        kept = kept + [replace(p, aside=True) for p in headlines]
    copied_narrative = [p for p in kept if p.kind != "paraphrase" and not p.aside]
    if quotations and _copied_text(copied_narrative, *coverage(copied_narrative)[:2]):
        kept = kept + quotations
        cov_a, cov_b, copied_share = coverage(kept)
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


# A side whose own text (``_own_text_coverage``) is this much covered is held whole by the other.
OWN_TEXT_WHOLE = 0.8


def _own_text_coverage(a: DocumentFeatures, b: DocumentFeatures, pairs: list[AlignedPair],
                       boiler_a: Collection[int], boiler_b: Collection[int],
                       coverage: Callable[[list[AlignedPair]], tuple[float, float, float]]) -> tuple[float, float]:
    """Each side's coverage by ``pairs`` against its own text: its words less those of its
    frame (``_frame_words``: its outlet's byline and footer).

    A wire flash or a brief is two or three sentences inside its outlet's byline and footer,
    which can be half its words: a digest or a long report holding those sentences whole then
    covers less than half of the page, however wholly it holds what the flash says. Only asked
    beside a copied (not reworded) narrative sentence, so pages sharing stock lines alone stay
    apart, and only taken where the side's own text is held whole (``OWN_TEXT_WHOLE``): two long
    reports sharing some of their stock sentences are not one held inside the other.
    """
    cov_a, cov_b, _ = coverage(pairs)
    seen_a = {p.a_seq for p in pairs}
    seen_b = {p.b_seq for p in pairs}
    own_a = _frame_words(a, boiler_a, seen_a)
    own_b = _frame_words(b, boiler_b, seen_b)
    words_a, words_b = max(1, a.words), max(1, b.words)
    return (min(1.0, cov_a * words_a / max(1, words_a - own_a)),
            min(1.0, cov_b * words_b / max(1, words_b - own_b)))


def _frame_words(doc: DocumentFeatures, boiler: Collection[int], seen: set[int]) -> int:
    """Words of a page's frame: the boilerplate passages aligned with nothing that open it and
    close it (byline, footer). Stock sentences inside the story are not frame: they stay its text."""
    seqs = [p.seq for p in doc.passages]
    frame: set[int] = set()
    for order in (seqs, seqs[::-1]):
        for s in order:
            if s in seen or s not in boiler:
                break
            frame.add(s)
    return sum(len(doc.passages[s].words) for s in frame)


def _substantial(pair: AlignedPair) -> AlignedPair:
    """The pair marked substantial: a copy when it is not (the matched pairs are shared with the
    alignment cache, never changed in place), the pair itself when it already is."""
    return pair if pair.substantial else replace(pair, substantial=True)


def _copied_text(pairs: list[AlignedPair], cov_a: float, cov_b: float) -> bool:
    """Whether copied (verbatim or near) pairs other than quotations already show copied
    narrative, as ``PairEvidence.is_link`` counts it. Reworded sentences
    stating the same facts are what independent reports of one event share as well (METER:
    shared facts and quotations are weak evidence, shared narrative word sequences strong)."""
    return PairEvidence(pairs, cov_a, cov_b, 1, 1, 0.0).is_link()


# A run of consecutive copied sentences this long (in words, two sentences at least) is copied
# text however short each sentence is (Greedy String Tiling's "tiles", at sentence level).
RUN_WORDS = 30


def copied_runs(pairs: list[AlignedPair], a: DocumentFeatures, alone: Collection[int] = ()) -> set[int]:
    """Ids of the pairs that are part of a run: aligned one after another on both sides, at least
    one of them copied (not reworded) and not among ``alone`` (ids of pairs that cannot make a run
    by themselves: quotations), long enough together."""
    by_pos = {(p.a_seq, p.b_seq): p for p in pairs}
    out: set[int] = set()
    for (i, j), pair in sorted(by_pos.items()):
        if (i - 1, j - 1) in by_pos:
            continue  # not the start of a run
        run = [pair]
        while (i + len(run), j + len(run)) in by_pos:
            run.append(by_pos[(i + len(run), j + len(run))])
        if len(run) >= 2 and any(p.kind != "paraphrase" and id(p) not in alone for p in run) \
                and sum(a.passages[p.a_seq].size for p in run) >= RUN_WORDS:
            out.update(id(p) for p in run)
    return out


def boilerplate_passages(doc: DocumentFeatures, frequent: Collection[int],
                         only: Collection[int] | None = None, indexed: set[int] | None = None) -> set[int]:
    """Passages of ``doc`` made mostly of frequent fingerprints (bylines, disclaimers, footers).

    ``frequent`` holds the document's fingerprints whose document frequency is high; only the
    fingerprints that fall inside a passage are looked at, since winnowing keeps a subset of
    the shingles. ``only`` limits the answer to these passage numbers. ``indexed``: the set of
    ``doc.fingerprints`` when the caller holds it already (ingest does, for every document of a
    batch), so it is not built again on each call.
    """
    if not frequent:
        return set()
    if indexed is None:
        indexed = set(doc.fingerprints.tolist())
    hits = indexed.intersection(frequent)  # the indexed fingerprints that are frequent
    out: set[int] = set()
    if not hits:
        return out
    for p in doc.passages if only is None else (doc.passages[s] for s in sorted(only)):
        if p.shingles.isdisjoint(hits):
            continue  # no frequent fingerprint: not boilerplate
        if _mostly_frequent(len(p.shingles & hits), len(p.shingles & indexed)):
            out.add(p.seq)
    return out


def boilerplate_seqs(inside: Mapping[int, frozenset[int]], frequent: Collection[int], only: Iterable[int]) -> set[int]:
    """:func:`boilerplate_passages` among the passages ``only``, from each passage's fingerprints
    (``inside[seq]``, see ``fingerprint.passage_fingerprints``) instead of the full features."""
    out: set[int] = set()
    for s in only:
        hits = len(inside[s].intersection(frequent))
        if hits and _mostly_frequent(hits, len(inside[s])):
            out.add(s)
    return out


def _mostly_frequent(frequent: int, indexed: int) -> bool:
    """A passage is boilerplate when at least half of the fingerprints inside it are frequent."""
    return frequent >= 0.5 * indexed
