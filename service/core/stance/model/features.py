"""The features of the learned stance model: about seventy explainable numbers per (statement, document).

* lexical overlap (read by stage 1, related vs unrelated): TF-IDF cosines of the statement
  against the whole document, its lead and its best-matching sentences, idf-weighted coverage
  of the statement's words, bigram and number overlap;
* cue words (read by stage 2, supports / contradicts / mentions): refuting ("hoax", "denied",
  "fake"), negation, doubt, hedging ("reportedly", "allegedly"), reporting ("said", "according
  to"), confirming ("confirmed") and question marks, counted in the whole document, its lead, and
  next to the sentences that match the statement, plus polarity agreement between the statement
  and those sentences.

Written by hand because they are the model: the training script (``bench/train_stance.py``)
imports these same functions, so training and serving cannot drift apart. The cue lexicons and
stopwords are in ``service.core.text.lexicon``, the tokeniser and stemmer in
``service.core.text.tokens``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import mul
from typing import Any

import numpy as np

from service.core.text.lexicon import MODEL_CUES, MODEL_STOPWORDS
from service.core.text.tokens import number_strings, suffix_stem, words

CUE_GROUPS: tuple[str, ...] = tuple(MODEL_CUES)
_NEGATION = CUE_GROUPS.index("negation")
# Register words: opinion pieces and readers' comments argue in the first and second person and
# with modal verbs, news reports rarely do; the same cue weighs differently in each register.
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "i'm", "i've", "i'd"})
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "you're", "you've"})
MODALS = frozenset({"should", "must", "ought", "need", "needs", "shouldn't", "mustn't"})
# register word -> its slot in ``TextInfo.register`` (the three sets are disjoint)
_REGISTER_OF = {w: i for i, group in enumerate((FIRST_PERSON, SECOND_PERSON, MODALS)) for w in group}
assert len(_REGISTER_OF) == len(FIRST_PERSON) + len(SECOND_PERSON) + len(MODALS)
# a statement word counts as negated in a sentence when a negation precedes it this closely
NEGATION_WINDOW = 3


def _cue_tables() -> tuple[dict[str, int], dict[int, tuple[str, ...]]]:
    """Exact cue words -> group index, and each group's prefixes (``MODEL_CUES`` entries ending in "*")."""
    exact: dict[str, int] = {}
    prefixes: dict[int, list[str]] = {}
    for gi, group in enumerate(CUE_GROUPS):
        for entry in MODEL_CUES[group]:
            if entry.endswith("*"):
                prefixes.setdefault(gi, []).append(entry[:-1])
            else:
                exact.setdefault(entry, gi)
    return exact, {gi: tuple(p) for gi, p in prefixes.items()}


_CUE_EXACT, _CUE_PREFIX = _cue_tables()


@lru_cache(maxsize=1 << 16)
def _cue_group(token: str) -> int:
    """Index of the cue group ``token`` belongs to, or -1 (first match wins, in ``CUE_GROUPS`` order)."""
    if token in _CUE_EXACT:
        return _CUE_EXACT[token]
    if token.endswith("n't"):
        return CUE_GROUPS.index("negation")
    for gi, prefixes in _CUE_PREFIX.items():
        if token.startswith(prefixes):
            return gi
    return -1


@dataclass(frozen=True, slots=True)
class TextInfo:
    """Everything the features need from one sentence (or statement), computed once and cached."""

    n_tokens: int
    stems: Counter[str]
    # consecutive content stems as "first second" (a string, which the cyclic garbage collector
    # never tracks: a pair tuple is tracked until its first collection, a cost on the check path)
    bigrams: frozenset[str]
    numbers: frozenset[str]
    cues: tuple[int, ...]
    question: bool
    register: tuple[int, int, int, int] = (0, 0, 0, 0)
    negated: frozenset[str] = frozenset()


# A stem bigram as one string, "first second" (stems hold no space), joined in C: ``map`` over
# ``zip`` of the content stems calls no Python function per bigram.
_pair = " ".join
# Any register word at all: most news sentences have none, and then there is nothing to count.
_REGISTER_WORDS = frozenset(_REGISTER_OF)


@lru_cache(maxsize=1 << 16)
def _token(token: str) -> tuple[int, str | None]:
    """What ``text_info`` reads from one token: its cue group (or -1) and its content stem (None
    for a stopword or a one-letter token), in one cached look-up instead of three per token."""
    stem = suffix_stem(token) if token not in MODEL_STOPWORDS and len(token) > 1 else None
    return _cue_group(token), stem


# Caches are sized for a web worker: about 4 KB per sentence and 70 KB per document analysis.
@lru_cache(maxsize=1 << 13)
def text_info(text: str) -> TextInfo:
    """Tokenise ``text`` into content stems, stem bigrams, numbers and cue counts (cached per string)."""
    toks = words(text)
    cues = [0] * len(CUE_GROUPS)
    content: list[str] = []
    negated: set[str] = set()
    last_negation = -NEGATION_WINDOW - 1
    for i, tok in enumerate(toks):
        gi, stem = _token(tok)
        if gi >= 0:
            cues[gi] += 1
            if gi == _NEGATION:
                last_negation = i
        if stem is not None:
            content.append(stem)
            if i - last_negation <= NEGATION_WINDOW:
                negated.add(stem)
    numbers = frozenset(m.replace(",", "") for m in number_strings(text))
    if _REGISTER_WORDS.isdisjoint(toks):
        register = (0, 0, 0, text.count("!"))
    else:
        persons = Counter(map(_REGISTER_OF.get, toks))  # None counts the other tokens
        register = (persons[0], persons[1], persons[2], text.count("!"))
    return TextInfo(
        n_tokens=len(toks),
        stems=Counter(content),
        bigrams=frozenset(map(_pair, zip(content, content[1:], strict=False))),
        numbers=numbers,
        cues=tuple(cues),
        question="?" in text,
        register=register,
        negated=frozenset(negated),
    )


LEAD_SENTENCES = 3
TOP_SENTENCES = 3

FEATURES: tuple[str, ...] = (
    "cos_body",
    "cos_lead",
    "cos_max",
    "cos_top3",
    "cover",
    "cover_idf",
    "cover_best_idf",
    "cover_lead_idf",
    "bigram_cover",
    "bigram_cover_best",
    "num_statement",
    "num_match",
    "num_miss",
    "match_frac",
    "log_statement_len",
    "log_doc_len",
    "log_sentences",
    *(f"{where}_{g}" for g in CUE_GROUPS for where in ("stmt", "doc", "lead", "near", "best")),
    *(f"soft_{g}" for g in CUE_GROUPS),
    *(f"first_{g}" for g in CUE_GROUPS),
    "match_refute_sentences",
    "match_negation_sentences",
    "refute_agree_doc",
    "stmt_question",
    "doc_question",
    "near_question",
    "refute_agree",
    "negation_agree",
    "negation_mismatch",
    "refute_near_x_cos",
    "hedge_stmt_x_near",
    "doc_first_person",
    "doc_second_person",
    "doc_modal",
    "doc_exclaim",
    "negated_terms",
    "negated_terms_top",
    "negated_terms_mismatch",
)
N_FEATURES = len(FEATURES)


class IdfTable:
    """Inverse document frequencies of stems, with a default for stems never seen in training."""

    def __init__(self, idf: dict[str, float], default: float) -> None:
        self.idf = idf
        self.default = default

    def __call__(self, s: str) -> float:
        return self.idf.get(s, self.default)


def _weights(stems: Mapping[str, int], idf: IdfTable) -> dict[str, float]:
    """TF-IDF weights (sublinear term frequency) of a stem count."""
    get, default, log = idf.idf.get, idf.default, math.log  # ``idf(s)`` without a method call per stem
    # a stem seen once weighs its idf: (1 + log 1) * idf is exactly idf, so the log is skipped
    return {s: get(s, default) if c == 1 else (1.0 + log(c)) * get(s, default) for s, c in stems.items()}


def _norm(w: dict[str, float]) -> float:
    """Euclidean length of a weight vector (1 for an empty one)."""
    values = w.values()
    return math.sqrt(sum(map(mul, values, values))) or 1.0  # the same products, added in the same order


@dataclass(frozen=True, slots=True)
class StanceDocInfo:
    """Per-document aggregates reused for every statement checked against the same document."""

    sentences: tuple[TextInfo, ...]
    sent_norms: tuple[float, ...]
    weights: dict[str, float]
    norm: float
    lead_weights: dict[str, float]
    lead_norm: float
    bigrams: frozenset[str]
    numbers: frozenset[str]
    n_tokens: int
    cues: tuple[int, ...]
    lead_cues: tuple[int, ...]
    questions: int
    register: tuple[int, int, int, int] = (0, 0, 0, 0)
    # stem -> (sentence index, weight) of the sentences holding it, in sentence order, laid flat
    # (i0, w0, i1, w1, ...; one tuple per stem, not one per pair): a statement's few stems find the
    # sentences they share without a pass over every sentence's weights
    postings: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    # stem -> indices of the sentences where it is negated (``TextInfo.negated``)
    negated_in: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # per cue group, the indices of the sentences carrying one of its cues
    cue_sentences: tuple[tuple[int, ...], ...] = ()


def doc_info(passages: tuple[str, ...], idf: IdfTable) -> StanceDocInfo:
    """Aggregate the sentence infos of one document (TF-IDF vectors of the whole and of its lead).

    Paid once per document and process, on the check path (a check reads up to
    ``MODEL_MAX_DOCUMENTS`` documents, many of them for the first time in a large corpus: at
    10,000 documents nearly every one), so everything is done in one pass over each sentence's
    stems: its weights (``_weights``, without building the dict), its length (``_norm``: the same
    products, summed in the same order), the postings, and the document's and the lead's stem
    counts (each stem where it first occurs; the lead's are the counts after its last sentence); the per-group
    sums are column-wise.
    """
    sents = tuple(text_info(p) for p in passages)
    lead = sents[:LEAD_SENTENCES]
    n_groups = len(CUE_GROUPS)
    postings: dict[str, list[Any]] = {}
    negated_in: dict[str, list[int]] = {}
    cue_sentences: list[list[int]] = [[] for _ in range(n_groups)]
    sent_norms = []
    counts: dict[str, int] = {}
    lead_counts = counts
    get_posting, get_negated, get_count = postings.get, negated_in.get, counts.get
    get_idf, default, log, sqrt = idf.idf.get, idf.default, math.log, math.sqrt
    for i, info in enumerate(sents):
        if i == LEAD_SENTENCES:
            lead_counts = dict(counts)
        squares = []
        for stem, c in info.stems.items():
            v = get_idf(stem, default) if c == 1 else (1.0 + log(c)) * get_idf(stem, default)
            squares.append(v * v)
            counts[stem] = get_count(stem, 0) + c
            posting = get_posting(stem)
            if posting is None:
                postings[stem] = [i, v]
            else:
                posting += (i, v)
        sent_norms.append(sqrt(sum(squares)) or 1.0)
        for stem in info.negated:
            negated = get_negated(stem)
            if negated is None:
                negated_in[stem] = [i]
            else:
                negated.append(i)
        if any(info.cues):
            for g, count in enumerate(info.cues):
                if count:
                    cue_sentences[g].append(i)
    weights = _weights(counts, idf)
    lead_weights = weights if lead_counts is counts else _weights(lead_counts, idf)
    zeros = (0,) * n_groups
    first, second, modal, exclaim = map(sum, zip(*(s.register for s in sents), strict=True)) if sents else (0,) * 4
    return StanceDocInfo(
        sentences=sents,
        sent_norms=tuple(sent_norms),
        weights=weights,
        norm=_norm(weights),
        lead_weights=lead_weights,
        lead_norm=_norm(lead_weights),
        bigrams=frozenset().union(*(s.bigrams for s in sents)) if sents else frozenset(),
        numbers=frozenset().union(*(s.numbers for s in sents)) if sents else frozenset(),
        n_tokens=sum(s.n_tokens for s in sents),
        cues=tuple(map(sum, zip(*(s.cues for s in sents), strict=True))) if sents else zeros,
        lead_cues=tuple(map(sum, zip(*(s.cues for s in lead), strict=True))) if lead else zeros,
        questions=sum(s.question for s in sents),
        register=(first, second, modal, exclaim),
        postings={stem: tuple(p) for stem, p in postings.items()},
        negated_in={stem: tuple(p) for stem, p in negated_in.items()},
        cue_sentences=tuple(map(tuple, cue_sentences)),
    )


def _cos(hw: dict[str, float], hn: float, w: dict[str, float], n: float) -> float:
    """Cosine of two weight vectors given their lengths."""
    return sum(v * w.get(s, 0.0) for s, v in hw.items()) / (hn * n)


def features(statement: str, passages: Sequence[str], idf: IdfTable, doc: StanceDocInfo | None = None) -> np.ndarray:
    """The feature vector (ordered as ``FEATURES``) of a document's passages against a statement."""
    return analyse_statement(statement, doc if doc is not None else doc_info(tuple(passages), idf), idf)[0]


@dataclass(frozen=True, slots=True)
class StatementReading:
    """What ``analyse_statement`` reads from the statement alone: computed once per check, not
    once per document (a check reads up to 120 documents against one statement). Every value is
    computed as the per-document code did, in the same order, so the features are the same floats."""

    info: TextInfo
    weights: dict[str, float]
    norm: float
    # the statement's stems with their idf, in ``info.stems`` order (the order the sums add them in)
    stem_idf: tuple[tuple[str, float], ...]
    idf_total: float
    n_bigrams: int
    stems: frozenset[str]
    negated: float
    # the features that depend on the statement only
    own: dict[str, float]


# Feature names per cue group, built once (not formatted per document).
_GROUP_NAMES = tuple(
    (gi, f"stmt_{g}", f"doc_{g}", f"lead_{g}", f"near_{g}", f"best_{g}", f"soft_{g}", f"first_{g}")
    for gi, g in enumerate(CUE_GROUPS)
)
_REFUTE, _NEGATION_GROUP = CUE_GROUPS.index("refute"), CUE_GROUPS.index("negation")


def read_statement(statement: str, idf: IdfTable) -> StatementReading:
    """The statement's side of ``analyse_statement``, for all the documents of one check."""
    h = text_info(statement)
    hw = _weights(h.stems, idf)
    stem_idf = tuple((s, idf(s)) for s in h.stems)
    own = {"log_statement_len": math.log1p(h.n_tokens), "stmt_question": float(h.question)}
    for gi, stmt_name, *_ in _GROUP_NAMES:
        own[stmt_name] = float(h.cues[gi] > 0)
    hs = frozenset(h.stems)
    return StatementReading(
        info=h,
        weights=hw,
        norm=_norm(hw),
        stem_idf=stem_idf,
        idf_total=sum(v for _, v in stem_idf) or 1.0,
        n_bigrams=len(h.bigrams) or 1,
        stems=hs,
        negated=float(bool(hs & h.negated) or h.cues[_NEGATION_GROUP] > 0),
        own=own,
    )


def analyse_statement(
    statement: str, d: StanceDocInfo, idf: IdfTable, reading: StatementReading | None = None
) -> tuple[np.ndarray, list[float]]:
    """The feature vector of a document against a statement, and each sentence's similarity to it.

    ``reading`` is ``read_statement(statement, idf)``, when the caller reads many documents
    against the same statement (computed here when not given)."""
    r = reading if reading is not None else read_statement(statement, idf)
    h, hw, hn, h_idf_total, n_h_bigrams = r.info, r.weights, r.norm, r.idf_total, r.n_bigrams
    # each sentence's cosine (as ``_cos``: the shared stems' products added in the statement's
    # order; the zero terms of the other stems change no sum) and how many statement stems it holds
    dots = [0.0] * len(d.sentences)
    found = [0] * len(d.sentences)
    for s, v in hw.items():
        pairs = iter(d.postings.get(s, ()))
        for i, w in zip(pairs, pairs, strict=True):
            dots[i] += v * w
            found[i] += 1
    sent_cos = [dot / (hn * n) for dot, n in zip(dots, d.sent_norms, strict=True)]
    order = sorted(range(len(sent_cos)), key=lambda i: -sent_cos[i])
    top = order[:TOP_SENTENCES]
    best = order[0] if order else -1
    best_info = d.sentences[best] if best >= 0 else None
    near_idx = sorted({j for i in top for j in (i - 1, i, i + 1) if 0 <= j < len(d.sentences)})

    f: dict[str, float] = dict(r.own)
    f["cos_body"] = _cos(hw, hn, d.weights, d.norm)
    f["cos_lead"] = _cos(hw, hn, d.lead_weights, d.lead_norm)
    f["cos_max"] = sent_cos[best] if best >= 0 else 0.0
    f["cos_top3"] = sum(sent_cos[i] for i in top) / TOP_SENTENCES
    weights, lead_weights = d.weights, d.lead_weights
    f["cover"] = sum(1 for s, _ in r.stem_idf if s in weights) / (len(h.stems) or 1)
    f["cover_idf"] = sum(v for s, v in r.stem_idf if s in weights) / h_idf_total
    if best_info is not None:
        best_stems = best_info.stems
        f["cover_best_idf"] = sum(v for s, v in r.stem_idf if s in best_stems) / h_idf_total
        f["bigram_cover_best"] = len(h.bigrams & best_info.bigrams) / n_h_bigrams
    f["cover_lead_idf"] = sum(v for s, v in r.stem_idf if s in lead_weights) / h_idf_total
    f["bigram_cover"] = len(h.bigrams & d.bigrams) / n_h_bigrams
    if h.numbers:
        f["num_statement"] = 1.0
        f["num_match"] = len(h.numbers & d.numbers) / len(h.numbers)
        f["num_miss"] = float(not (h.numbers & d.numbers))
    f["match_frac"] = sum(1 for c in sent_cos if c > 0.15) / (len(sent_cos) or 1)
    f["log_doc_len"] = math.log1p(d.n_tokens)
    f["log_sentences"] = math.log1p(len(d.sentences))

    per100 = 100.0 / (d.n_tokens or 1)
    cos_total = sum(sent_cos) or 1.0
    sentences = d.sentences
    for gi, _, doc_name, lead_name, near_name, best_name, soft_name, first_name in _GROUP_NAMES:
        f[doc_name] = math.log1p(d.cues[gi] * per100)
        f[lead_name] = float(d.lead_cues[gi] > 0)
        if near_idx:
            f[near_name] = sum(sentences[j].cues[gi] > 0 for j in near_idx) / len(near_idx)
        if best_info is not None:
            f[best_name] = float(best_info.cues[gi] > 0)
        f[soft_name] = sum(sent_cos[i] for i in d.cue_sentences[gi]) / cos_total
        if sentences:
            f[first_name] = float(sentences[0].cues[gi] > 0)
    ri, ni = _REFUTE, _NEGATION_GROUP
    f["match_refute_sentences"] = math.log1p(sum(1 for i in d.cue_sentences[ri] if sent_cos[i] > 0.15))
    f["match_negation_sentences"] = math.log1p(sum(1 for i in d.cue_sentences[ni] if sent_cos[i] > 0.15))
    f["refute_agree_doc"] = f["stmt_refute"] * float(d.cues[ri] > 0)
    f["doc_question"] = math.log1p(d.questions * 100.0 / (len(d.sentences) or 1))
    if near_idx:
        f["near_question"] = sum(d.sentences[j].question for j in near_idx) / len(near_idx)
    f["refute_agree"] = f["stmt_refute"] * f.get("near_refute", 0.0)
    f["negation_agree"] = f["stmt_negation"] * f.get("best_negation", 0.0)
    f["negation_mismatch"] = abs(f["stmt_negation"] - f.get("best_negation", 0.0))
    f["refute_near_x_cos"] = f.get("near_refute", 0.0) * f["cos_max"]
    f["hedge_stmt_x_near"] = f["stmt_hedge"] * f.get("near_hedge", 0.0)
    for i, name in enumerate(("doc_first_person", "doc_second_person", "doc_modal")):
        f[name] = math.log1p(d.register[i] * per100)
    f["doc_exclaim"] = math.log1p(d.register[3] * 100.0 / (len(d.sentences) or 1))
    # negation near the statement's own words, without any topic word: "X is not Y" against "X is Y"
    negated = [0] * len(d.sentences)
    negated_in = d.negated_in
    for s in r.stems:
        for i in negated_in.get(s, ()):
            negated[i] += 1
    f["negated_terms"] = sum(negated) / (sum(found) or 1)
    f["negated_terms_top"] = sum(negated[i] for i in top) / (sum(found[i] for i in top) or 1)
    f["negated_terms_mismatch"] = abs(r.negated - f["negated_terms_top"])
    return np.array([f.get(name, 0.0) for name in FEATURES], dtype=float), sent_cos




def similarity(statement: str, passage: str, idf: IdfTable) -> float:
    """TF-IDF cosine (0..1) between a statement and one passage, with the given idf and the model's stemming."""
    h, p = text_info(statement), text_info(passage)
    hw, pw = _weights(h.stems, idf), _weights(p.stems, idf)
    return _cos(hw, _norm(hw), pw, _norm(pw))
