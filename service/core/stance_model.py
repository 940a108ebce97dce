"""A small learned document-level stance model: does a document agree with, refute, discuss or ignore a statement?

Trained on FNC-1 (headline vs article body) by ``bench/train_stance.py`` and shipped as a small
JSON file in ``service/core/data/``; about seventy explainable features (``FEATURES``):

* stage 1 (related vs unrelated, logistic regression) reads lexical overlap: TF-IDF cosines of
  the statement against the whole document, its lead and its best-matching sentences,
  idf-weighted coverage of the statement's words, bigram and number overlap;
* stage 2 (supports / contradicts / mentions given related, shallow boosted trees) reads cue
  words - refuting ("hoax", "denied", "fake"), negation, doubt, hedging ("reportedly",
  "allegedly"), reporting ("said", "according to"), confirming ("confirmed") and question marks -
  counted in the whole document, its lead, and next to the sentences that match the statement,
  plus polarity agreement between the statement and those sentences;
* headline-sized documents take stage 2 from a logistic stage fitted on Emergent (claim vs
  article headline), where the same cues weigh differently.

Every stage is temperature- and bias-calibrated on held-out data, so the four probabilities
are calibrated; ``decide`` applies the per-class decision weights tuned for macro-F1, and
``judge_document(s)`` returns the one label (and the one passage, ``anchor``) a statement check
should commit to per document.

Runtime is pure numpy + stdlib. The lexicons, tokenisation and feature code are written
here by hand because they are the model: the training script imports these same functions,
so training and serving cannot drift apart.
"""

from __future__ import annotations

import json
import math
import re
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from service.core.normalize import words

LABELS: tuple[str, ...] = ("supports", "contradicts", "mentions", "unrelated")
MODEL_FILE = "stance_model.json"

_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself said says say told new one two year years may might could would also like just get
    got make made many much well even back since still way according reports report reported""".split()
)

# Cue lexicons. Each entry is an exact folded token; entries ending in "*" match as prefixes.
_CUES: dict[str, tuple[str, ...]] = {
    "refute": tuple(
        """fake* hoax* false falsely falsehood deny denies denied denying denial* debunk* bogus fabricat*
        untrue myth myths prank* satire satiric* fraud* retract* refut* dismiss* baseless unfounded
        misleading incorrect wrong doctored photoshop* spoof* parody scam* nope rubbish nonsense lie
        lies lied lying phony phoney invented disprove* contradict* reject* rebut* discredit* erroneous*
        mistaken* misreport* debunk clarif* correction""".split()
    ),
    "negation": tuple(
        """not no never none nothing nobody neither nor without n't cannot isn't wasn't aren't weren't
        don't doesn't didn't won't wouldn't can't couldn't hasn't haven't hadn't shouldn't nowhere
        hardly""".split()
    ),
    "doubt": tuple(
        """doubt* despite however skeptic* sceptic* question* suspicious* dubious unlikely unclear unproven
        implausib* far-fetched apparently purported* supposed* so-called actually turns turned truth""".split()
    ),
    "hedge": tuple(
        """reportedly allegedly alleged allegation* claim* rumor* rumour* may might could possibly possible
        perhaps unconfirmed unverified speculat* suggest* appear* seem* believed likely whether if
        potential* report reports supposedly rumored rumoured""".split()
    ),
    "report": tuple(
        """said says say told according reported stated statement source sources spokesman spokeswoman
        spokesperson announced quoted interview tweeted wrote""".split()
    ),
    "confirm": tuple(
        """confirm* official* true indeed verified verify evidence proof proves proved proven revealed
        reveals genuine authentic real actual fact announc* admit* acknowledg*""".split()
    ),
}
CUE_GROUPS: tuple[str, ...] = tuple(_CUES)


def _cue_tables() -> tuple[dict[str, int], dict[int, tuple[str, ...]]]:
    exact: dict[str, int] = {}
    prefixes: dict[int, list[str]] = {}
    for gi, group in enumerate(CUE_GROUPS):
        for entry in _CUES[group]:
            if entry.endswith("*"):
                prefixes.setdefault(gi, []).append(entry[:-1])
            else:
                exact.setdefault(entry, gi)
    return exact, {gi: tuple(p) for gi, p in prefixes.items()}


_CUE_EXACT, _CUE_PREFIX = _cue_tables()
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_ASCII_WORD = re.compile(r"[^\W_]+(?:[.'\-][^\W_]+)*")


def _tokens(text: str) -> list[str]:
    """``normalize.words`` with a fast path: ASCII text needs no accent folding, only lower-casing."""
    if text.isascii():
        return _ASCII_WORD.findall(text.lower())
    return words(text)


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


@lru_cache(maxsize=1 << 17)
def stem(token: str) -> str:
    """A crude suffix-stripping stem so "arrested"/"arrests"/"arrest" match.

    Hand-written (instead of a Snowball stemmer) because only matching matters here, it must be
    microseconds per call, and the idf table in the model file is keyed by exactly these stems.
    """
    if token.endswith("'s"):
        token = token[:-2]
    for suffix in ("ing", "ed", "es", "ly", "s"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


@dataclass(frozen=True, slots=True)
class TextInfo:
    """Everything the features need from one sentence (or statement), computed once and cached."""

    n_tokens: int
    stems: Counter[str]
    bigrams: frozenset[tuple[str, str]]
    numbers: frozenset[str]
    cues: tuple[int, ...]
    question: bool


# Caches are sized for a web worker: about 4 KB per sentence and 70 KB per document analysis.
@lru_cache(maxsize=1 << 13)
def text_info(text: str) -> TextInfo:
    """Tokenise ``text`` into content stems, stem bigrams, numbers and cue counts (cached per string)."""
    toks = _tokens(text)
    cues = [0] * len(CUE_GROUPS)
    content: list[str] = []
    for tok in toks:
        gi = _cue_group(tok)
        if gi >= 0:
            cues[gi] += 1
        if tok not in _STOP and len(tok) > 1:
            content.append(stem(tok))
    numbers = frozenset(m.replace(",", "") for m in _NUMBER.findall(text))
    return TextInfo(
        n_tokens=len(toks),
        stems=Counter(content),
        bigrams=frozenset(zip(content, content[1:], strict=False)),
        numbers=numbers,
        cues=tuple(cues),
        question="?" in text,
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
)
N_FEATURES = len(FEATURES)


class IdfTable:
    """Inverse document frequencies of stems, with a default for stems never seen in training."""

    def __init__(self, idf: dict[str, float], default: float) -> None:
        self.idf = idf
        self.default = default

    def __call__(self, s: str) -> float:
        return self.idf.get(s, self.default)


def _weights(stems: Counter[str], idf: IdfTable) -> dict[str, float]:
    return {s: (1.0 + math.log(c)) * idf(s) for s, c in stems.items()}


def _norm(w: dict[str, float]) -> float:
    return math.sqrt(sum(v * v for v in w.values())) or 1.0


@dataclass(frozen=True, slots=True)
class DocInfo:
    """Per-document aggregates reused for every statement checked against the same document."""

    sentences: tuple[TextInfo, ...]
    sent_weights: tuple[dict[str, float], ...]
    sent_norms: tuple[float, ...]
    weights: dict[str, float]
    norm: float
    lead_weights: dict[str, float]
    lead_norm: float
    bigrams: frozenset[tuple[str, str]]
    numbers: frozenset[str]
    n_tokens: int
    cues: tuple[int, ...]
    lead_cues: tuple[int, ...]
    questions: int


def _sum_counters(infos: Iterable[TextInfo]) -> Counter[str]:
    total: Counter[str] = Counter()
    for info in infos:
        total.update(info.stems)
    return total


def doc_info(passages: tuple[str, ...], idf: IdfTable) -> DocInfo:
    """Aggregate the sentence infos of one document (TF-IDF vectors of the whole and of its lead)."""
    sents = tuple(text_info(p) for p in passages)
    lead = sents[:LEAD_SENTENCES]
    weights = _weights(_sum_counters(sents), idf)
    lead_weights = _weights(_sum_counters(lead), idf)
    n_groups = len(CUE_GROUPS)
    sent_weights = tuple(_weights(s.stems, idf) for s in sents)
    return DocInfo(
        sentences=sents,
        sent_weights=sent_weights,
        sent_norms=tuple(_norm(w) for w in sent_weights),
        weights=weights,
        norm=_norm(weights),
        lead_weights=lead_weights,
        lead_norm=_norm(lead_weights),
        bigrams=frozenset().union(*(s.bigrams for s in sents)) if sents else frozenset(),
        numbers=frozenset().union(*(s.numbers for s in sents)) if sents else frozenset(),
        n_tokens=sum(s.n_tokens for s in sents),
        cues=tuple(sum(s.cues[g] for s in sents) for g in range(n_groups)),
        lead_cues=tuple(sum(s.cues[g] for s in lead) for g in range(n_groups)),
        questions=sum(s.question for s in sents),
    )


def _cos(hw: dict[str, float], hn: float, w: dict[str, float], n: float) -> float:
    return sum(v * w.get(s, 0.0) for s, v in hw.items()) / (hn * n)


def features(statement: str, passages: Sequence[str], idf: IdfTable, doc: DocInfo | None = None) -> np.ndarray:
    """The feature vector (ordered as ``FEATURES``) of a document's passages against a statement."""
    return _analyse(statement, doc if doc is not None else doc_info(tuple(passages), idf), idf)[0]


def _analyse(statement: str, d: DocInfo, idf: IdfTable) -> tuple[np.ndarray, list[float]]:
    """The feature vector and the per-sentence similarity to the statement."""
    h = text_info(statement)
    hw = _weights(h.stems, idf)
    hn = _norm(hw)
    h_idf_total = sum(idf(s) for s in h.stems) or 1.0
    n_h_bigrams = len(h.bigrams) or 1
    sent_cos = [_cos(hw, hn, w, n) for w, n in zip(d.sent_weights, d.sent_norms, strict=True)]
    order = sorted(range(len(sent_cos)), key=lambda i: -sent_cos[i])
    top = order[:TOP_SENTENCES]
    best = order[0] if order else -1
    best_info = d.sentences[best] if best >= 0 else None
    near_idx = sorted({j for i in top for j in (i - 1, i, i + 1) if 0 <= j < len(d.sentences)})

    f: dict[str, float] = {}
    f["cos_body"] = _cos(hw, hn, d.weights, d.norm)
    f["cos_lead"] = _cos(hw, hn, d.lead_weights, d.lead_norm)
    f["cos_max"] = sent_cos[best] if best >= 0 else 0.0
    f["cos_top3"] = sum(sent_cos[i] for i in top) / TOP_SENTENCES
    f["cover"] = sum(1 for s in h.stems if s in d.weights) / (len(h.stems) or 1)
    f["cover_idf"] = sum(idf(s) for s in h.stems if s in d.weights) / h_idf_total
    if best_info is not None:
        f["cover_best_idf"] = sum(idf(s) for s in h.stems if s in best_info.stems) / h_idf_total
        f["bigram_cover_best"] = len(h.bigrams & best_info.bigrams) / n_h_bigrams
    f["cover_lead_idf"] = sum(idf(s) for s in h.stems if s in d.lead_weights) / h_idf_total
    f["bigram_cover"] = len(h.bigrams & d.bigrams) / n_h_bigrams
    if h.numbers:
        f["num_statement"] = 1.0
        f["num_match"] = len(h.numbers & d.numbers) / len(h.numbers)
        f["num_miss"] = float(not (h.numbers & d.numbers))
    f["match_frac"] = sum(1 for c in sent_cos if c > 0.15) / (len(sent_cos) or 1)
    f["log_statement_len"] = math.log1p(h.n_tokens)
    f["log_doc_len"] = math.log1p(d.n_tokens)
    f["log_sentences"] = math.log1p(len(d.sentences))

    per100 = 100.0 / (d.n_tokens or 1)
    for gi, g in enumerate(CUE_GROUPS):
        f[f"stmt_{g}"] = float(h.cues[gi] > 0)
        f[f"doc_{g}"] = math.log1p(d.cues[gi] * per100)
        f[f"lead_{g}"] = float(d.lead_cues[gi] > 0)
        if near_idx:
            f[f"near_{g}"] = sum(d.sentences[j].cues[gi] > 0 for j in near_idx) / len(near_idx)
        if best_info is not None:
            f[f"best_{g}"] = float(best_info.cues[gi] > 0)
    cos_total = sum(sent_cos) or 1.0
    for gi, g in enumerate(CUE_GROUPS):
        f[f"soft_{g}"] = sum(c for c, s in zip(sent_cos, d.sentences, strict=True) if s.cues[gi]) / cos_total
        if d.sentences:
            f[f"first_{g}"] = float(d.sentences[0].cues[gi] > 0)
    ri, ni = CUE_GROUPS.index("refute"), CUE_GROUPS.index("negation")
    f["match_refute_sentences"] = math.log1p(
        sum(1 for c, s in zip(sent_cos, d.sentences, strict=True) if c > 0.15 and s.cues[ri])
    )
    f["match_negation_sentences"] = math.log1p(
        sum(1 for c, s in zip(sent_cos, d.sentences, strict=True) if c > 0.15 and s.cues[ni])
    )
    f["refute_agree_doc"] = f["stmt_refute"] * float(d.cues[ri] > 0)
    f["stmt_question"] = float(h.question)
    f["doc_question"] = math.log1p(d.questions * 100.0 / (len(d.sentences) or 1))
    if near_idx:
        f["near_question"] = sum(d.sentences[j].question for j in near_idx) / len(near_idx)
    f["refute_agree"] = f["stmt_refute"] * f.get("near_refute", 0.0)
    f["negation_agree"] = f["stmt_negation"] * f.get("best_negation", 0.0)
    f["negation_mismatch"] = abs(f["stmt_negation"] - f.get("best_negation", 0.0))
    f["refute_near_x_cos"] = f.get("near_refute", 0.0) * f["cos_max"]
    f["hedge_stmt_x_near"] = f["stmt_hedge"] * f.get("near_hedge", 0.0)
    return np.fromiter((f.get(name, 0.0) for name in FEATURES), dtype=float, count=N_FEATURES), sent_cos


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return out


def _round(a: np.ndarray, digits: int = 6) -> list[Any]:
    out: list[Any] = np.round(a, digits).tolist()
    return out


class Stage(ABC):
    """A scoring stage: raw scores, then a calibration temperature and per-output bias.

    One output column means a binary stage (its probability of the positive class); k columns
    a multinomial one (softmax). ``logits = raw / temperature + bias``.
    """

    temperature: float
    bias: np.ndarray

    @abstractmethod
    def raw(self, x: np.ndarray) -> np.ndarray:
        """Uncalibrated scores for the rows of ``x``, shape (n, outputs)."""

    @abstractmethod
    def to_json(self) -> dict[str, Any]:
        """JSON-serialisable form."""

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Calibrated scores, shape (n, outputs)."""
        z: np.ndarray = self.raw(np.atleast_2d(x)) / self.temperature + self.bias
        return z

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Calibrated probabilities: (n, 2) for a binary stage, (n, k) for a multinomial one."""
        z = self.logits(x)
        if z.shape[1] == 1:
            p1 = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1.0 - p1, p1], axis=1)
        return _softmax(z)

    @staticmethod
    def from_json(js: dict[str, Any]) -> Stage:
        """Build the stage kind named by ``js["kind"]``."""
        kind = js.get("kind", "logistic")
        if kind == "logistic":
            return LogisticStage.from_json(js)
        if kind == "trees":
            return TreeStage.from_json(js)
        raise ValueError(f"unknown stance model stage kind {kind!r}")


class LogisticStage(Stage):
    """A standardised logistic regression (binary or multinomial)."""

    def __init__(
        self,
        mean: np.ndarray,
        scale: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        temperature: float = 1.0,
        bias: np.ndarray | None = None,
    ) -> None:
        self.mean = np.asarray(mean, dtype=float)
        self.scale = np.asarray(scale, dtype=float)
        self.coef = np.atleast_2d(np.asarray(coef, dtype=float))  # (outputs, features)
        self.intercept = np.atleast_1d(np.asarray(intercept, dtype=float))
        self.temperature = float(temperature)
        self.bias = np.zeros(len(self.intercept)) if bias is None else np.asarray(bias, dtype=float)

    @classmethod
    def from_json(cls, js: dict[str, Any]) -> LogisticStage:
        """Build a stage from its JSON form (as written by ``to_json``)."""
        return cls(js["mean"], js["scale"], js["coef"], js["intercept"], js["temperature"], js["bias"])

    def to_json(self) -> dict[str, Any]:
        """JSON-serialisable form, rounded to keep the committed file small."""
        return {
            "kind": "logistic",
            "mean": _round(self.mean),
            "scale": _round(self.scale),
            "coef": _round(self.coef),
            "intercept": _round(self.intercept),
            "temperature": round(self.temperature, 6),
            "bias": _round(self.bias),
        }

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Linear scores of the standardised features."""
        z: np.ndarray = ((x - self.mean) / self.scale) @ self.coef.T + self.intercept
        return z


class TreeStage(Stage):
    """Gradient-boosted regression trees (exported from scikit-learn), evaluated with numpy.

    All trees are walked at once, one level per step, so a stage of a few hundred shallow trees
    costs a handful of vectorised operations per document.
    """

    def __init__(
        self,
        baseline: np.ndarray,
        output: np.ndarray,
        feature: np.ndarray,
        threshold: np.ndarray,
        left: np.ndarray,
        right: np.ndarray,
        value: np.ndarray,
        temperature: float = 1.0,
        bias: np.ndarray | None = None,
    ) -> None:
        self.baseline = np.atleast_1d(np.asarray(baseline, dtype=float))
        self.output = np.asarray(output, dtype=np.intp)  # (trees,) output column of each tree
        self.feature = np.asarray(feature, dtype=np.intp)  # (trees, nodes); -1 marks a leaf
        self.threshold = np.asarray(threshold, dtype=float)
        self.left = np.asarray(left, dtype=np.intp)
        self.right = np.asarray(right, dtype=np.intp)
        self.value = np.asarray(value, dtype=float)
        self.temperature = float(temperature)
        self.bias = np.zeros(len(self.baseline)) if bias is None else np.asarray(bias, dtype=float)

    @classmethod
    def from_json(cls, js: dict[str, Any]) -> TreeStage:
        """Build a stage from its JSON form (as written by ``to_json``)."""
        return cls(
            js["baseline"],
            js["output"],
            js["feature"],
            js["threshold"],
            js["left"],
            js["right"],
            js["value"],
            js["temperature"],
            js["bias"],
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-serialisable form (thresholds at full precision so no split flips)."""
        return {
            "kind": "trees",
            "baseline": _round(self.baseline),
            "output": self.output.tolist(),
            "feature": self.feature.tolist(),
            "threshold": self.threshold.tolist(),
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": _round(self.value),
            "temperature": round(self.temperature, 6),
            "bias": _round(self.bias),
        }

    def _flatten(self) -> None:
        """Global node ids (tree * width + node); a leaf points to itself, so walking stops there."""
        n_trees, width = self.feature.shape
        base = (np.arange(n_trees) * width)[:, None]
        leaf = self.feature < 0
        own = base + np.arange(width)[None, :]
        self._feat = np.where(leaf, 0, self.feature).ravel()
        self._thr = np.where(leaf, np.inf, self.threshold).ravel()
        self._left = np.where(leaf, own, base + self.left).ravel()
        self._right = np.where(leaf, own, base + self.right).ravel()
        self._value = self.value.ravel()
        self._roots = base.ravel()
        depth, node = 0, self._roots
        while True:
            nxt = np.concatenate([self._left[node], self._right[node]])
            moved = nxt != np.concatenate([node, node])
            if not moved.any():
                break
            node, depth = np.unique(nxt[moved]), depth + 1
        self._depth = depth
        self._onehot = np.zeros((n_trees, len(self.baseline)))
        self._onehot[np.arange(n_trees), self.output] = 1.0

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Sum of the leaf values reached in every tree, per output, plus the baseline."""
        if not hasattr(self, "_depth"):
            self._flatten()
        rows = np.arange(len(x))[:, None]
        node = np.broadcast_to(self._roots, (len(x), len(self._roots)))
        for _ in range(self._depth):
            go_left = x[rows, self._feat[node]] <= self._thr[node]
            node = np.where(go_left, self._left[node], self._right[node])
        out: np.ndarray = self._value[node] @ self._onehot + self.baseline
        return out


@dataclass(frozen=True, eq=False)
class StanceModel:
    """The loaded model: idf table, two stages and per-class decision weights.

    Compared and hashed by identity, so the per-document cache can key on the loaded model.
    """

    idf: IdfTable
    related: Stage
    stance: Stage
    decision_weights: dict[str, float]
    meta: dict[str, Any]
    short_stance: Stage | None = None
    short_decision_weights: dict[str, float] | None = None

    @classmethod
    def from_json(cls, js: dict[str, Any]) -> StanceModel:
        """Build the model from the parsed model file."""
        if tuple(js["features"]) != FEATURES:
            raise ValueError("stance model file was trained with a different feature set; retrain it")
        return cls(
            idf=IdfTable({k: float(v) for k, v in js["idf"].items()}, float(js["idf_default"])),
            related=Stage.from_json(js["related"]),
            stance=Stage.from_json(js["stance"]),
            decision_weights={k: float(v) for k, v in js["decision_weights"].items()},
            meta=dict(js.get("meta", {})),
            short_stance=Stage.from_json(js["short_stance"]) if js.get("short_stance") else None,
            short_decision_weights=(
                {k: float(v) for k, v in js["short_decision_weights"].items()}
                if js.get("short_decision_weights")
                else None
            ),
        )

    def proba_from_features(self, x: np.ndarray) -> np.ndarray:
        """(n, 4) probabilities in ``LABELS`` order for feature rows ``x``.

        Headline-sized documents take their stance from the short-document stage when the model
        has one: in a headline the cue words carry the stance, and their weight differs from a body.
        """
        x = np.atleast_2d(x)
        p_rel = self.related.proba(x)[:, 1]
        p_st = self.stance.proba(x)
        if self.short_stance is not None:
            short = is_short(x)
            if short.any():
                p_st[short] = self.short_stance.proba(x[short])
        return np.column_stack([p_st * p_rel[:, None], 1.0 - p_rel])

    def weights_for(self, short: bool) -> dict[str, float]:
        """The decision weights for a body-length or a headline-sized document."""
        if short and self.short_decision_weights is not None:
            return self.short_decision_weights
        return self.decision_weights

    def document_stance(self, statement: str, passages: Sequence[str]) -> dict[str, float]:
        """Calibrated probabilities of the four stances of a document (its passages, in order)."""
        if not passages or not statement.strip():
            return dict(_NOTHING)
        d = _cached_doc(self, tuple(passages))
        p = self.proba_from_features(features(statement, passages, self.idf, d))[0]
        return {label: float(v) for label, v in zip(LABELS, p, strict=True)}

    def document_stances(self, statement: str, documents: Sequence[Sequence[str]]) -> list[dict[str, float]]:
        """``document_stance`` for many documents at once (one vectorised pass through both stages)."""
        out: list[dict[str, float]] = [dict(_NOTHING) for _ in documents]
        live = [i for i, doc in enumerate(documents) if doc] if statement.strip() else []
        if not live:
            return out
        rows = [features(statement, documents[i], self.idf, _cached_doc(self, tuple(documents[i]))) for i in live]
        x = np.vstack(rows)
        for i, p in zip(live, self.proba_from_features(x), strict=True):
            out[i] = {label: float(v) for label, v in zip(LABELS, p, strict=True)}
        return out


_NOTHING = {"supports": 0.0, "contradicts": 0.0, "mentions": 0.0, "unrelated": 1.0}

SHORT_MAX_TOKENS = 40
SHORT_MAX_SENTENCES = 2
_DOC_LEN = FEATURES.index("log_doc_len")
_SENTS = FEATURES.index("log_sentences")


def is_short(x: np.ndarray) -> np.ndarray:
    """Which feature rows describe a headline-sized document (<= 40 words in <= 2 sentences)."""
    x = np.atleast_2d(x)
    short: np.ndarray = (x[:, _DOC_LEN] <= math.log1p(SHORT_MAX_TOKENS) + 1e-9) & (
        x[:, _SENTS] <= math.log1p(SHORT_MAX_SENTENCES) + 1e-9
    )
    return short


@lru_cache(maxsize=512)
def _cached_doc(model: StanceModel, passages: tuple[str, ...]) -> DocInfo:
    return doc_info(passages, model.idf)


def default_model_path() -> Path:
    """Where the committed model file lives inside the package."""
    return Path(str(resources.files("service.core").joinpath("data", MODEL_FILE)))


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> StanceModel:
    """Load (once per path, then cached) the stance model from ``path`` or the committed default."""
    p = Path(path) if path else default_model_path()
    return StanceModel.from_json(json.loads(p.read_text(encoding="utf-8")))


def document_stance(statement: str, passages: Sequence[str]) -> dict[str, float]:
    """Probabilities that a document (its passages, in order) supports, contradicts, mentions
    or is unrelated to ``statement``; they sum to 1 and are calibrated on FNC-1's hold-out."""
    return load_model().document_stance(statement, passages)


def document_stances(statement: str, documents: Sequence[Sequence[str]]) -> list[dict[str, float]]:
    """``document_stance`` for many documents (each a list of passages), vectorised; use it when a
    check touches many documents, since the per-call overhead dominates for short ones."""
    return load_model().document_stances(statement, documents)


def decide(probs: dict[str, float], model: StanceModel | None = None, *, short: bool = False) -> str:
    """The single stance a caller should commit to for a document, from ``document_stance`` output.

    Applies the per-class weights tuned for macro-F1 on FNC-1's hold-out (rare "contradicts"
    needs a boost over a plain argmax of calibrated probabilities); ``short`` selects the weights
    tuned for headline-sized documents (see ``is_short``; ``judge_document`` sets it for you).
    """
    w = (model or load_model()).weights_for(short)
    return max(LABELS, key=lambda k: probs.get(k, 0.0) * w.get(k, 1.0))


@dataclass(frozen=True, slots=True)
class Judgement:
    """A document's stance towards a statement, with what it was read from.

    ``evidence`` are the indices of the passages most similar to the statement (best first),
    where the stance cues were read; ``cues`` counts the cue words in and around them.
    ``anchor`` is the one passage a caller should label with the committed stance: for
    "contradicts" the most similar passage near a match that carries a refuting, denying or
    doubting cue (else the best match), for "supports" and "mentions" the best match, and
    None for "unrelated".
    """

    label: str
    probs: dict[str, float]
    evidence: list[int]
    cues: dict[str, int]
    short: bool
    anchor: int | None


_CONTRA_CUES = tuple(CUE_GROUPS.index(g) for g in ("refute", "negation", "doubt"))


def judge_documents(
    statement: str, documents: Sequence[Sequence[str]], model: StanceModel | None = None
) -> list[Judgement]:
    """``judge_document`` for many documents, with one vectorised pass through the model stages.

    This is the call for a statement check: every document that has a retrieved candidate
    passage can be judged for a fraction of a millisecond each.
    """
    m = model or load_model()
    out: list[Judgement | None] = [None] * len(documents)
    live = [i for i, doc in enumerate(documents) if doc] if statement.strip() else []
    analysed = [(i, _cached_doc(m, tuple(documents[i]))) for i in live]
    rows = [_analyse(statement, d, m.idf) for _, d in analysed]
    if rows:
        x = np.vstack([r[0] for r in rows])
        probs_all = m.proba_from_features(x)
        shorts = is_short(x)
        for (i, d), (_, sims), p, short in zip(analysed, rows, probs_all, shorts, strict=True):
            out[i] = _judgement(d, sims, {k: float(v) for k, v in zip(LABELS, p, strict=True)}, bool(short), m)
    return [j if j is not None else Judgement("unrelated", dict(_NOTHING), [], {}, False, None) for j in out]


def _judgement(d: DocInfo, sims: list[float], probs: dict[str, float], short: bool, m: StanceModel) -> Judgement:
    label = decide(probs, m, short=short)
    evidence = sorted(range(len(sims)), key=lambda i: (-sims[i], i))[:TOP_SENTENCES]
    near = sorted({j for i in evidence for j in (i - 1, i, i + 1) if 0 <= j < len(sims)})
    cues = {g: sum(d.sentences[j].cues[gi] for j in near) for gi, g in enumerate(CUE_GROUPS)}
    anchor: int | None = evidence[0] if evidence else None
    if label == "contradicts":
        refuting = [j for j in near if any(d.sentences[j].cues[g] for g in _CONTRA_CUES)]
        if refuting:
            anchor = min(refuting, key=lambda j: (-sims[j], j))
    elif label == "unrelated":
        anchor = None
    return Judgement(label, probs, evidence, {g: c for g, c in cues.items() if c}, short, anchor)


def judge_document(statement: str, passages: Sequence[str], model: StanceModel | None = None) -> Judgement:
    """Probabilities, the committed label, the evidence passages and the anchor of one document."""
    return judge_documents(statement, [passages], model)[0]


def passage_relevance(statement: str, passage: str) -> float:
    """TF-IDF cosine (0..1) between a statement and one passage, with the model's idf and stemming."""
    idf = load_model().idf
    h, p = text_info(statement), text_info(passage)
    hw, pw = _weights(h.stems, idf), _weights(p.stems, idf)
    return _cos(hw, _norm(hw), pw, _norm(pw))


def best_passages(statement: str, passages: Sequence[str], k: int = TOP_SENTENCES) -> list[int]:
    """Indices of the ``k`` passages most similar to ``statement``: where the stance cues were read."""
    scores = [passage_relevance(statement, p) for p in passages]
    return sorted(range(len(passages)), key=lambda i: (-scores[i], i))[:k]
