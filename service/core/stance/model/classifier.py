"""The learned document-level stance model: does a document agree with, refute, discuss or ignore a statement?

Trained on FNC-1 (headline vs article body) by ``bench/train_stance.py`` and shipped as a small
JSON file next to this module (``stance_model.json``). Stage 1 (related vs unrelated, logistic
regression) and stage 2 (supports / contradicts / mentions given related, shallow boosted
trees) read the features of ``service.core.stance.model.features``; headline-sized documents
take stage 2 from a logistic stage fitted on Emergent (claim vs article headline), where the
same cues weigh differently.

Every stage is temperature- and bias-calibrated on held-out data, so the four probabilities
are calibrated; ``decide`` applies the per-class decision weights tuned for macro-F1, and
``judge_document(s)`` returns the one label (and the one passage, ``anchor``) a statement check
should commit to per document. Runtime is pure numpy + stdlib.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from service.core.stance.model.embedding import feature_names, missing_features, unit, unit_embedding_features
from service.core.stance.model.features import (
    CUE_GROUPS,
    FEATURES,
    TOP_SENTENCES,
    IdfTable,
    StanceDocInfo,
    analyse_statement,
    doc_info,
    features,
    read_statement,
    similarity,
)
from service.core.stance.model.stages import Stage

LABELS: tuple[str, ...] = ("supports", "contradicts", "mentions", "unrelated")
MODEL_FILE = "stance_model.json"
# A document's passage vectors (one row per passage, as stored by the semantic channel), or None
# when it has none; with the statement's vector, the input of the embedding features.
PassageVectors = np.ndarray | None


@dataclass(frozen=True)
class DocumentVectors:
    """The sentence embeddings a model with embedding features reads: the statement's vector and,
    per document (in the order of the documents judged), its passage vectors or None."""

    statement: np.ndarray
    documents: Sequence[PassageVectors]


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
    # width of the embedding interaction features (``embedding.py``); 0: the model reads words only
    embedding_dims: int = 0
    embedding_model: str | None = None
    # The register gate (``is_opinion``): a binary stage on the document's own features (no
    # statement features) that tells argumentative text (readers' comments, opinion pieces) from
    # news reports, from ``opinion_threshold`` on. A check lets the model's "contradicts" commit on
    # such a document without a refuting word; a model with an ``opinion_stance`` (and
    # ``opinion_decision_weights``) also reads their stance with it. None: no register gate.
    register: Stage | None = None
    opinion_threshold: float = 1.0
    opinion_stance: Stage | None = None
    opinion_decision_weights: dict[str, float] | None = None

    @classmethod
    def from_json(cls, js: dict[str, Any]) -> StanceModel:
        """Build the model from the parsed model file."""
        embedding = js.get("embedding") or {}
        dims = int(embedding.get("dims", 0))
        if tuple(js["features"]) != FEATURES + (feature_names(dims) if dims else ()):
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
            embedding_dims=dims,
            embedding_model=embedding.get("model"),
            register=Stage.from_json(js["register"]) if js.get("register") else None,
            opinion_threshold=float(js.get("opinion_threshold", 1.0)),
            opinion_stance=Stage.from_json(js["opinion_stance"]) if js.get("opinion_stance") else None,
            opinion_decision_weights=(
                {k: float(v) for k, v in js["opinion_decision_weights"].items()}
                if js.get("opinion_decision_weights")
                else None
            ),
        )

    def embedding_rows(self, vectors: DocumentVectors | None, n: int) -> np.ndarray:
        """The embedding features of ``n`` documents (no columns for a words-only model; the
        missing-vector row for documents, or calls, without vectors)."""
        if not self.embedding_dims:
            return np.zeros((n, 0))
        u = unit(vectors.statement) if vectors is not None else None
        live = bool(np.any(u)) if u is not None else False  # once per check, not per document
        rows = [
            unit_embedding_features(u, v, self.embedding_dims, live)
            if u is not None and v is not None
            else missing_features(self.embedding_dims)
            for v in (vectors.documents if vectors is not None else [None] * n)
        ]
        return np.vstack(rows) if rows else np.zeros((0, len(missing_features(self.embedding_dims))))

    def proba_from_features(self, x: np.ndarray) -> np.ndarray:
        """(n, 4) probabilities in ``LABELS`` order for feature rows ``x``.

        Headline-sized documents take their stance from the short-document stage when the model
        has one: in a headline the cue words carry the stance, and their weight differs from a body.
        Body-length documents of the opinion register (``is_opinion``) take it from the opinion
        stage: a reader's comment argues without the cue words a news report carries.
        """
        x = np.atleast_2d(x)
        p_rel = self.related.proba(x)[:, 1]
        p_st = self.stance.proba(x)
        if self.opinion_stance is not None:
            opinion = self.is_opinion(x)
            if opinion.any():
                p_st[opinion] = self.opinion_stance.proba(x[opinion])
        if self.short_stance is not None:
            short = is_short(x)
            if short.any():
                p_st[short] = self.short_stance.proba(x[short])
        return np.column_stack([p_st * p_rel[:, None], 1.0 - p_rel])

    def is_opinion(self, x: np.ndarray) -> np.ndarray:
        """Which feature rows describe a body-length document of the opinion register (a reader's
        comment, an opinion piece), as the register gate reads its own features (all False
        without a gate)."""
        x = np.atleast_2d(x)
        if self.register is None:
            return np.zeros(len(x), dtype=bool)
        opinion: np.ndarray = (self.register.proba(x)[:, 1] >= self.opinion_threshold) & ~is_short(x)
        return opinion

    def weights_for(self, short: bool, opinion: bool = False) -> dict[str, float]:
        """The decision weights for a body-length, a headline-sized or an opinion-register document."""
        if short and self.short_decision_weights is not None:
            return self.short_decision_weights
        if opinion and self.opinion_decision_weights is not None:
            return self.opinion_decision_weights
        return self.decision_weights

    def document_stance(
        self, statement: str, passages: Sequence[str], vectors: DocumentVectors | None = None
    ) -> dict[str, float]:
        """Calibrated probabilities of the four stances of a document (its passages, in order);
        ``vectors`` (one document) feeds the embedding features of a model that has them."""
        return self.document_stances(statement, [passages], vectors)[0]

    def document_stances(
        self, statement: str, documents: Sequence[Sequence[str]], vectors: DocumentVectors | None = None
    ) -> list[dict[str, float]]:
        """``document_stance`` for many documents at once (one vectorised pass through both stages)."""
        out: list[dict[str, float]] = [dict(_NOTHING) for _ in documents]
        live = [i for i, doc in enumerate(documents) if doc] if statement.strip() else []
        if not live:
            return out
        rows = [features(statement, documents[i], self.idf, _cached_doc(self, tuple(documents[i]))) for i in live]
        x = np.hstack([np.vstack(rows), self.embedding_rows(_select(vectors, live), len(live))])
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


# Documents whose analysis a process keeps. A check reads up to 120 documents, and analysing one
# costs 5-7 ms (its sentences tokenised and weighted), against a few microseconds from the cache:
# with 512 entries the 904 FNC-1 test bodies thrashed it (18 misses per check over 300 checks,
# most of the check's CPU time); 1,024 hold a working set of that size. About 70 KB per entry
# (its sentences' analyses included): at most ~75 MB per worker.
DOC_CACHE = 1024


@lru_cache(maxsize=DOC_CACHE)
def _cached_doc(model: StanceModel, passages: tuple[str, ...]) -> StanceDocInfo:
    """The document analysis of ``passages`` under ``model``'s idf, cached per model and document."""
    return doc_info(passages, model.idf)


def default_model_path() -> Path:
    """Where the committed model file lives inside the package."""
    return Path(str(resources.files("service.core.stance.model").joinpath(MODEL_FILE)))


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> StanceModel:
    """Load (once per path, then cached) the stance model from ``path`` or the committed default."""
    p = Path(path) if path else default_model_path()
    return StanceModel.from_json(json.loads(p.read_text(encoding="utf-8")))


def _select(vectors: DocumentVectors | None, keep: list[int]) -> DocumentVectors | None:
    """``vectors`` restricted to the documents at positions ``keep``."""
    if vectors is None:
        return None
    return DocumentVectors(vectors.statement, [vectors.documents[i] for i in keep])


def document_stance(
    statement: str, passages: Sequence[str], vectors: DocumentVectors | None = None
) -> dict[str, float]:
    """Probabilities that a document (its passages, in order) supports, contradicts, mentions
    or is unrelated to ``statement``; they sum to 1 and are calibrated on held-out data."""
    return load_model().document_stance(statement, passages, vectors)


def document_stances(
    statement: str, documents: Sequence[Sequence[str]], vectors: DocumentVectors | None = None
) -> list[dict[str, float]]:
    """``document_stance`` for many documents (each a list of passages), vectorised; use it when a
    check touches many documents, since the per-call overhead dominates for short ones."""
    return load_model().document_stances(statement, documents, vectors)


def decide(
    probs: dict[str, float], model: StanceModel | None = None, *, short: bool = False, opinion: bool = False
) -> str:
    """The single stance a caller should commit to for a document, from ``document_stance`` output.

    Applies the per-class weights tuned for macro-F1 on FNC-1's hold-out (rare "contradicts"
    needs a boost over a plain argmax of calibrated probabilities); ``short`` selects the weights
    tuned for headline-sized documents (see ``is_short``; ``judge_document`` sets it for you),
    ``opinion`` those of the opinion-register stage (``StanceModel.is_opinion``).
    """
    w = (model or load_model()).weights_for(short, opinion)
    return max(LABELS, key=lambda k: probs.get(k, 0.0) * w.get(k, 1.0))


@dataclass(frozen=True, slots=True)
class DocumentJudgement:
    """A document's stance towards a statement, with what it was read from.

    ``evidence`` are the indices of the passages most similar to the statement (best first),
    where the stance cues were read; ``cues`` counts the cue words in and around them.
    ``opinion``: the register gate read the document as argumentative (a reader's comment, an
    opinion piece; its stance came from the opinion stage when the model has one).
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
    opinion: bool = False


_CONTRA_CUES = tuple(CUE_GROUPS.index(g) for g in ("refute", "negation", "doubt"))


def judge_documents(
    statement: str,
    documents: Sequence[Sequence[str]],
    model: StanceModel | None = None,
    vectors: DocumentVectors | None = None,
) -> list[DocumentJudgement]:
    """``judge_document`` for many documents, with one vectorised pass through the model stages.

    This is the call for a statement check: every document that has a retrieved candidate
    passage can be judged for a fraction of a millisecond each. ``vectors`` (the statement's and
    each document's passage embeddings) feed a model with embedding features; without them such
    a model reads the documents as if they had no vectors, which costs accuracy.
    """
    m = model or load_model()
    out: list[DocumentJudgement | None] = [None] * len(documents)
    live = [i for i, doc in enumerate(documents) if doc] if statement.strip() else []
    analysed = [(i, _cached_doc(m, tuple(documents[i]))) for i in live]
    reading = read_statement(statement, m.idf) if analysed else None  # once for all the documents
    rows = [analyse_statement(statement, d, m.idf, reading) for _, d in analysed]
    if rows:
        x = np.hstack([np.vstack([r[0] for r in rows]), m.embedding_rows(_select(vectors, live), len(live))])
        probs_all = m.proba_from_features(x)
        shorts = is_short(x)
        opinions = m.is_opinion(x)
        for (i, d), (_, sims), p, short, opinion in zip(analysed, rows, probs_all, shorts, opinions, strict=True):
            probs = {k: float(v) for k, v in zip(LABELS, p, strict=True)}
            out[i] = _judgement(d, sims, probs, bool(short), m, bool(opinion))
    return [j if j is not None else DocumentJudgement("unrelated", dict(_NOTHING), [], {}, False, None) for j in out]


def _judgement(
    d: StanceDocInfo, sims: list[float], probs: dict[str, float], short: bool, m: StanceModel, opinion: bool = False
) -> DocumentJudgement:
    """The committed label of one document, with its evidence passages, cue counts and anchor."""
    label = decide(probs, m, short=short, opinion=opinion)
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
    return DocumentJudgement(label, probs, evidence, {g: c for g, c in cues.items() if c}, short, anchor, opinion)


def judge_document(
    statement: str, passages: Sequence[str], model: StanceModel | None = None, vectors: DocumentVectors | None = None
) -> DocumentJudgement:
    """Probabilities, the committed label, the evidence passages and the anchor of one document."""
    return judge_documents(statement, [passages], model, vectors)[0]


def passage_relevance(statement: str, passage: str) -> float:
    """TF-IDF cosine (0..1) between a statement and one passage, with the model's idf and stemming."""
    return similarity(statement, passage, load_model().idf)


def best_passages(statement: str, passages: Sequence[str], k: int = TOP_SENTENCES) -> list[int]:
    """Indices of the ``k`` passages most similar to ``statement``: where the stance cues were read."""
    scores = [passage_relevance(statement, p) for p in passages]
    return sorted(range(len(passages)), key=lambda i: (-scores[i], i))[:k]
