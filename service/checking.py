"""Statement checking: the orchestration behind ``POST /v1/statements/check``.

is it a claim (``service.core.stance.claim``: a name, keywords or a search query is
``NotAClaim``, a 422) -> candidates: full-text (``search_passages``; a check never scans every
passage) and semantic (``semantic_candidates``: the passages nearest in meaning, which may share
no word with the statement), merged by passage id -> explainable judgement of each candidate
with its role in the article (``service.core.stance.judge``, ``service.core.text.roles``) -> the
candidates that refer back ("He ...") judged again with the sentences before them -> where the
hand rules stop, the optional learned document stance (``service.core.stance.model``) -> one item
per distinct passage text per document -> verdict (``service.core.stance.verdict``) -> origin ->
plain dicts for the view.

Everything here is database access and glue; the judgement itself lives in the pure core.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from service.check_vectors import document_passages, document_vectors
from service.copies import JudgementMemo, collapse_copies, text_key
from service.core.facts.cues import CueSpan, extract_negations, extract_refutations
from service.core.lineage.origin import statement_origin
from service.core.stance import headline
from service.core.stance.calibration import Calibration, load_calibration
from service.core.stance.claim import require_claim
from service.core.stance.conflicts import Conflict
from service.core.stance.context import CONTEXT_SENTENCES, context_helps, needs_context
from service.core.stance.judge import PassageJudgement, judge_passage
from service.core.stance.model.embedding import best_similarity
from service.core.stance.passage import passage_reference
from service.core.stance.statement import Statement, parse_statement
from service.core.stance.verdict import aggregate
from service.core.text.roles import passage_role
from service.models import Document, Passage
from service.provenance.read import passage_chains
from service.search import search_passages
from service.semantic.index import semantic_candidates

log = logging.getLogger(__name__)

# Candidates fetched from the full-text index per check: enough that paraphrases ranked
# below verbatim copies still get judged, few enough to stay well inside the latency budget.
MIN_CANDIDATES = 100
MAX_CANDIDATES = 400
# Rule supports of a document are demoted when the model reads the whole document as refuting
# the statement with at least this probability (given that it is related).
DEMOTE_SUPPORT = 0.6
# A document the model reads as contradicting the statement, with no refuting or negating word to
# name, is committed (an "argument" conflict on its anchor) from this probability of "contradicts"
# given related on (tuned through arceval/fnc1eval on the train splits, docs/checking.md).
ARGUMENT_CONTRADICTION = 0.5
# A passage the model commits (its anchor) is ranked at least this close to the document's
# best-matching retrieved passage, so the document's stance is not cut off by ``limit``.
ANCHOR_RELEVANCE = 0.9
# The model reads every retrieved document without a rule conflict, up to this many (those with a
# passage the rules found relevant first, then by retrieval rank): the rules miss paraphrased
# documents, and a document costs 0.2-3 ms.
MODEL_MAX_DOCUMENTS = 120
# Beyond them, documents of at most ``HEADLINE_PASSAGES`` sentences are read up to this many in all:
# a headline costs well under a millisecond, and in a corpus of headlines the first 120 are full of ones on the topic.
MODEL_MAX_HEADLINE_DOCUMENTS = 400
HEADLINE_PASSAGES = 2
MAX_MODEL_CONFIDENCE = 0.99
# A passage only the semantic channel found, that the rules find unrelated (it shares too few of
# the statement's words), is a mention from this cosine similarity on (tuned on the FNC-1
# hold-out and ARC train splits, docs/checking.md), ranked at this share of its similarity.
SEMANTIC_MENTION = 0.55
SEMANTIC_RELEVANCE = 0.5
# At most this many candidates (in retrieval order) are judged again with their neighbours.
MAX_CONTEXT_CANDIDATES = 12
# Passage texts whose refuting words are kept per process (most have none: an empty tuple).
REFUTATION_CACHE = 8192

JudgeDocuments = Callable[[str, Sequence[Sequence[str]], Any], list[Any]]


@lru_cache(maxsize=1)
def _load_document_stance() -> JudgeDocuments | None:
    """The learned document-stance layer (``classifier.judge_documents``), if it is installed
    with a usable model file (looked up once per process).

    Without it the rule layer decides alone, which costs accuracy: a missing or corrupt model
    file is logged once, at warning, so it cannot switch the learned layer off silently.
    """
    try:
        from service.core.stance.model import classifier

        model = classifier.load_model()
    except (ImportError, OSError, ValueError, KeyError) as exc:
        log.warning("learned stance model unavailable, checking with the rules alone: %s: %s",
                    type(exc).__name__, exc)
        return None

    def judge(statement: str, documents: Sequence[Sequence[str]], vectors: Any) -> list[Any]:
        return classifier.judge_documents(statement, documents, model, vectors)

    return judge


@dataclass
class _Candidate:
    passage_id: int
    text: str
    start: int
    end: int
    document: dict[str, Any]
    published_at: datetime | None
    judgement: PassageJudgement
    seq: int = -1
    context_ids: list[int] = field(default_factory=list)


def _reference_date(published_at: datetime | None) -> date | None:
    return published_at.date() if published_at is not None else None


def _document_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.document_id,
        "external_id": row.external_id,
        "title": row.title,
        "outlet": row.outlet,
        "url": row.url,
        "published_at": row.published_at,
    }


def _judging(stmt: Statement, text: str, role: str, reference: date | None, context: str | None = None
             ) -> Callable[[], PassageJudgement]:
    """The judgement of one passage, to be made (once per distinct input) by a ``JudgementMemo``."""
    if context is None:
        return lambda: judge_passage(stmt, text, reference=reference, role=role)
    return lambda: judge_passage(stmt, text, reference=reference, role=role, context=context)


def _candidates(session: Session, stmt: Statement, ids: list[int], memo: JudgementMemo | None = None
                ) -> list[_Candidate]:
    """Load the candidate passages (without document bodies) and judge each one; verbatim copies
    (same text and role, and the same publication date when the text has a relative date that
    depends on it: ``passage_reference``) are judged once (``service.copies``)."""
    memo = memo or JudgementMemo()
    if not ids:
        return []
    # Core execution (``session.connection()``): the same rows without the ORM's per-row loading,
    # which cost more than SQLite's own fetch on a check's largest reads; a check writes nothing,
    # so there is no pending change that the ORM's autoflush would have written first
    rows = session.connection().execute(
        select(
            Passage.id,
            Passage.text,
            Passage.start,
            Passage.end,
            Passage.seq,
            Passage.document_id,
            Document.external_id,
            Document.title,
            Document.outlet,
            Document.url,
            Document.published_at,
        )
        .join(Document, Document.id == Passage.document_id)
        .where(Passage.id.in_(ids))
    ).all()
    order = {pid: i for i, pid in enumerate(ids)}
    out = []
    for row in sorted(rows, key=lambda r: order[r.id]):
        role = passage_role(row.text, row.title)
        reference = _reference_date(row.published_at)
        out.append(
            _Candidate(
                passage_id=row.id,
                text=row.text,
                start=row.start,
                end=row.end,
                document=_document_dict(row),
                published_at=row.published_at,
                judgement=memo.judge((row.text, role, passage_reference(row.text, reference)),
                                     _judging(stmt, row.text, role, reference)),
                seq=row.seq,
            )
        )
    return out


def _seq_ranges(candidates: list[_Candidate]) -> ColumnElement[bool]:
    """Where the ``CONTEXT_SENTENCES`` sentences before each candidate are: one
    ``document_id = d AND seq BETWEEN lo AND hi`` per run of wanted positions of a document, so
    the one query is answered by range scans of the (document_id, seq) index (a list of
    (document_id, seq) row values is not: SQLite reads it by scanning)."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for c in candidates:
        wanted[c.document["id"]].update(s for s in range(c.seq - CONTEXT_SENTENCES, c.seq) if s >= 0)
    ranges = []
    for doc_id, seqs in sorted(wanted.items()):
        ordered = sorted(seqs)
        lo = prev = ordered[0]
        for seq in [*ordered[1:], None]:
            if seq is not None and seq == prev + 1:
                prev = seq
                continue
            ranges.append(and_(Passage.document_id == doc_id, Passage.seq.between(lo, prev)))
            if seq is not None:
                lo = prev = seq
    return or_(*ranges)


def _judge_in_context(session: Session, stmt: Statement, candidates: list[_Candidate],
                      memo: JudgementMemo | None = None) -> None:
    """Re-judge the candidates that refer back to their neighbours ("He came in through the
    deal.") with the ``CONTEXT_SENTENCES`` sentences before them in their document, in one query;
    a candidate whose stance then commits keeps the new judgement and the ids of those sentences."""
    memo = memo or JudgementMemo()
    missing = {
        id(c): lacking
        for c in candidates
        if c.judgement.stance in ("mentions", "unrelated") and c.seq > 0 and (lacking := needs_context(stmt, c.text))
    }
    # the best-retrieved few: a sentence worth its neighbours shares the statement's wording
    open_ = [c for c in candidates if id(c) in missing][:MAX_CONTEXT_CANDIDATES]
    if not open_:
        return
    before: dict[tuple[int, int], Any] = {}
    for row in session.connection().execute(  # Core, as in ``_candidates``
        select(Passage.document_id, Passage.seq, Passage.id, Passage.text).where(_seq_ranges(open_))
    ):
        before[(row.document_id, row.seq)] = row
    for c in open_:
        keys = [(c.document["id"], c.seq - k) for k in range(CONTEXT_SENTENCES, 0, -1)]
        rows = [before[key] for key in keys if key in before]
        context = " ".join(r.text for r in rows)
        if not rows or not context_helps(missing[id(c)], context):
            continue
        reference, role = _reference_date(c.published_at), c.judgement.role
        judged = memo.judge(("context", c.text, role, passage_reference(c.text, reference), context),
                            _judging(stmt, c.text, role, reference, context))
        if judged.stance in ("supports", "contradicts"):
            c.judgement = judged
            c.context_ids = [r.id for r in rows]


def candidate_ids(
    session: Session, statement: str, *, limit: int = 20, outlets: Sequence[str] | None = None, semantic: bool = True
) -> list[int]:
    """The passages a check judges: full-text hits (best first), then the semantic ones they lack."""
    ids, _ = _retrieve(session, statement, limit=limit, outlets=outlets, semantic=semantic)
    return ids


def _retrieve(
    session: Session, statement: str, *, limit: int, outlets: Sequence[str] | None, semantic: bool
) -> tuple[list[int], dict[int, float]]:
    """Candidate ids, and the similarity of those that only the semantic channel found."""
    n_candidates = min(MAX_CANDIDATES, max(MIN_CANDIDATES, 2 * limit))
    names = list(outlets) if outlets else None
    ids = [pid for pid, _ in search_passages(session, statement, limit=n_candidates, outlets=names)]
    only_semantic: dict[int, float] = {}
    if semantic:
        seen = set(ids)
        only_semantic = {pid: sim for pid, sim in semantic_candidates(session, statement, outlets=names)
                         if pid not in seen}
        ids.extend(only_semantic)
    return ids, only_semantic


def _semantic_mentions(candidates: list[_Candidate], only_semantic: dict[int, float]) -> None:
    """A passage found by its meaning alone, with too few of the statement's words for the rules
    (and the learned model, which reads words too) to relate it, is reported as a mention when it
    is close enough in meaning: it never supports or contradicts (no fact was aligned), and ranks
    below the passages that share the statement's wording."""
    for c in candidates:
        similarity = only_semantic.get(c.passage_id)
        if similarity is None:
            continue
        if c.judgement.stance != "unrelated":
            # the learned layer (which also reads meaning) related it: rank it by its meaning too
            c.judgement.relevance = max(c.judgement.relevance, round(SEMANTIC_RELEVANCE * similarity, 4))
        elif similarity >= SEMANTIC_MENTION:
            c.judgement.stance = "mentions"
            c.judgement.confidence = round(min(similarity, 0.99), 3)
            c.judgement.relevance = round(SEMANTIC_RELEVANCE * similarity, 4)


def _apply_document_stance(
    session: Session, stmt: Statement, candidates: list[_Candidate], judge_documents: JudgeDocuments
) -> set[int]:
    """Where the hand rules stop, the learned layer reads whole documents; returns the ids of the
    passages whose stance the model set (their confidence is the model's probability).

    Every retrieved document without a rule conflict (up to ``MODEL_MAX_DOCUMENTS``, those with a
    passage the rules found relevant first) is read whole by the model in one batched call, and
    its decision (``judge_documents``: label, with the short-document weights for headline-sized
    documents, and anchor passage) becomes the document's stance, committed on one passage only:

    * A document in which the rules found an explicit conflict (number, date, name, negation,
      hedge...) is left to the rules: a named conflict is the stronger, explainable signal.
    * "contradicts" becomes a contradiction with a named "refutation" conflict on the
      document's refuting sentence ("hoax", "denied") closest to the anchor, else on the anchor
      itself when it carries a negation ("has not been arrested"); nothing is committed when no
      such word can be named. Rule supports of that document are demoted to mentions when the
      model is sure enough (it quotes the claim to debunk it). A statement that itself denies
      ("X should not Y") blocks it in a news report (a quoted denial confirms such a statement),
      not in a comment or opinion piece (the register gate), which argues for the opposite.
    * "supports" keeps the rules' supports; without them it commits the anchor (or the best
      retrieved passage, whichever covers more of the statement's frame: a paraphrase the rules
      cannot align is still the document's stance) only when every figure and date of the
      statement was found with the same value in that document: a model never confirms a fact
      the rules did not find.
    * "mentions" leaves the rules' supports and mentions; a document the rules found nothing
      in gets its anchor as a mention.
    * "unrelated" drops the document's mentions (rule supports stay).
    """
    by_doc: dict[int, list[_Candidate]] = defaultdict(list)
    for c in candidates:
        by_doc[c.document["id"]].append(c)
    # a hedge against a certainty ("may" vs "will") is left to the model in a headline-sized document
    docs = [d for d, items in by_doc.items()
            if all(c.judgement.stance != "contradicts" or headline.weak_only(c.judgement) for c in items)]
    relevant = [d for d in docs if any(c.judgement.stance != "unrelated" for c in by_doc[d])]
    chosen = set(relevant)
    docs = relevant + [d for d in docs if d not in chosen]
    extra = docs[MODEL_MAX_DOCUMENTS:MODEL_MAX_HEADLINE_DOCUMENTS]  # read only if headline-sized
    short = set(session.scalars(select(Passage.document_id).where(Passage.document_id.in_(extra)).group_by(
        Passage.document_id).having(func.count() <= HEADLINE_PASSAGES))) if extra else set()
    docs = docs[:MODEL_MAX_DOCUMENTS] + [d for d in extra if d in short]
    by_model: set[int] = set()
    if not docs:
        return by_model
    rows = document_passages(session, docs)
    docs = [d for d in docs if rows.get(d)]
    # verbatim copies of a document are read once (the model's output depends on the text only;
    # copies share the passage texts, so the first copy's vectors serve them all)
    texts = {d: tuple(r.text for r in rows[d]) for d in docs}
    first: dict[tuple[str, ...], int] = {}
    for d in docs:
        first.setdefault(texts[d], d)
    distinct = list(first)
    vectors = document_vectors(stmt.text, [rows[first[t]] for t in distinct])
    read = dict(zip(distinct, judge_documents(stmt.text, [list(t) for t in distinct], vectors), strict=True))
    judgements = [read[texts[d]] for d in docs]
    slot = {t: i for i, t in enumerate(distinct)}

    def closest(t: tuple[str, ...]) -> float | None:  # only for the few headlines the stage says support
        return best_similarity(vectors.statement, vectors.documents[slot[t]]) if vectors is not None else None

    fact_texts = {q.text for q in stmt.facts.quantities} | {d.text for d in stmt.facts.dates}
    for doc_id, j in zip(docs, judgements, strict=True):
        items = by_doc[doc_id]
        doc_rows = rows[doc_id]
        related = max(1.0 - j.probs["unrelated"], 1e-9)
        label, refuted = j.label, False
        if j.short:  # a headline: its few cue words carry the stance (``service.core.stance.headline``)
            text = " ".join(r.text for r in doc_rows)
            if label == "supports" and (headline.hedge_cue(stmt, text) or headline.reports_claim(stmt, text)
                                        or headline.subject_only(c.judgement for c in items)):
                label = "mentions"  # it leaves the claim open, attributes it or names the subject only
            elif label == "supports" and headline.off_claim(
                stmt, [r.text for r in doc_rows], [c.judgement for c in items], j.probs["supports"],
                closest(texts[doc_id]), SEMANTIC_MENTION,
            ):
                label = "mentions"  # about something else: the headline stage never saw such a headline
            refuted = headline.refuting_cue(stmt, text) is not None  # "... was faked", "X debunks claims"
            label = "contradicts" if refuted and label != "unrelated" else label
            headline.settle_weak_conflicts(c.judgement for c in items)
            demoted = headline.demote_supports(stmt, [c.text for c in items], [c.judgement for c in items], label)
            for c in items:
                if any(c.judgement is d for d in demoted):
                    c.judgement.confidence = _probability(j.probs["mentions"])
                    by_model.add(c.passage_id)
        elif any(c.judgement.stance == "contradicts" for c in items):
            continue  # a weak rule conflict in a body-length document stays the rules' call
        supports = [c for c in items if c.judgement.stance == "supports"]
        best = max(items, key=lambda c: (c.judgement.relevance, c.judgement.confidence))
        # a comment argues, it does not quote denials: a denying statement does not block its contradiction
        opinion = getattr(j, "opinion", False)
        if label == "contradicts" and (opinion or headline.refutable(stmt, " ".join(r.text for r in doc_rows))):
            p_contra = j.probs["contradicts"]
            if supports:
                if p_contra / related < DEMOTE_SUPPORT and not (j.short and refuted):
                    continue
                by_model |= _demote(supports, "mentions", j.probs["mentions"])
                for c in supports:
                    c.judgement.reason = "model"
            # a headline, or a comment or opinion piece (the register gate), argues without refuting words
            argues = j.short or opinion
            committed = _commit_refutation(stmt, candidates, items, best, doc_rows, j.anchor, p_contra,
                                           related, argue_from=0.0 if argues else ARGUMENT_CONTRADICTION)
            if committed is not None:
                by_model.add(committed)
        elif label == "supports":
            if supports or j.anchor is None:
                continue
            if not j.short and not fact_texts <= {m.statement for c in items for m in c.judgement.matched}:
                continue  # a headline rounds or drops figures; a body that lacks one does not confirm it
            anchor = _target(stmt, candidates, items, best, doc_rows[j.anchor])
            target = max((anchor, best), key=lambda c: c.judgement.frame_coverage)
            target.judgement.stance = "supports"
            target.judgement.confidence = _probability(j.probs["supports"])
            by_model.add(target.passage_id)
            target.judgement.reason = "model"
        elif label == "mentions":
            if j.anchor is not None and all(c.judgement.stance == "unrelated" for c in items):
                target = _target(stmt, candidates, items, best, doc_rows[j.anchor])
                if target.judgement.stance == "unrelated":
                    target.judgement.stance = "mentions"
                    target.judgement.confidence = _probability(j.probs["mentions"])
                    by_model.add(target.passage_id)
                    target.judgement.reason = "model"
        elif label == "unrelated":
            for c in items:
                if c.judgement.stance == "mentions":
                    c.judgement.stance = "unrelated"
    return by_model


def _probability(p: float) -> float:
    """A model probability as an evidence confidence (rounded, below certainty)."""
    return round(min(max(p, 0.0), MAX_MODEL_CONFIDENCE), 3)


def _demote(items: list[_Candidate], stance: str, probability: float) -> set[int]:
    """Relabel rule judgements the document-level model overrules, with the model's probability."""
    for c in items:
        c.judgement.stance = stance
        c.judgement.confidence = _probability(probability)
    return {c.passage_id for c in items}


def _target(
    stmt: Statement, candidates: list[_Candidate], items: list[_Candidate], best: _Candidate, row: Any
) -> _Candidate:
    """The candidate for passage ``row`` of a document, judged and added when it was not retrieved."""
    target = next((c for c in items if c.passage_id == row.id), None)
    if target is None:
        role = passage_role(row.text, best.document["title"])
        target = _Candidate(
            row.id, row.text, row.start, row.end, best.document, best.published_at,
            judge_passage(stmt, row.text, reference=_reference_date(best.published_at), role=role),
        )
        candidates.append(target)
        items.append(target)
    target.judgement.relevance = max(target.judgement.relevance, round(ANCHOR_RELEVANCE * best.judgement.relevance, 4))
    return target


@lru_cache(maxsize=REFUTATION_CACHE)
def _refutations(text: str) -> tuple[CueSpan, ...]:
    """The refuting words of a passage (``extract_refutations``), cached per passage text: a
    document the model reads as contradicting has every sentence scanned, and the same documents
    come back check after check."""
    return tuple(extract_refutations(text))


def _commit_refutation(
    stmt: Statement, candidates: list[_Candidate], items: list[_Candidate], best: _Candidate,
    rows: list[Any], anchor: int | None, p_contra: float, related: float,
    argue_from: float = ARGUMENT_CONTRADICTION,
) -> int | None:
    """Make the document's refuting sentence (the refuting sentence nearest to the model's anchor,
    else the anchor when it carries a negation) a named contradiction; when no sentence carries a
    refuting or negating word, the anchor itself as an ``argument`` conflict if the model is sure
    enough (``argue_from``: ``ARGUMENT_CONTRADICTION``, 0 for a headline, which argues in few
    words). Its passage id, or None when nothing was committed."""
    at = anchor if anchor is not None else 0
    refuting = [i for i, r in enumerate(rows) if _refutations(r.text)]
    if refuting:
        cue = rows[min(refuting, key=lambda i: (abs(i - at), i))]
        word = _refutations(cue.text)[0]
    elif anchor is not None and (negations := extract_negations(rows[anchor].text)):
        cue, word = rows[anchor], negations[0]
    elif anchor is not None and p_contra / related >= argue_from:
        # argued against without a refuting word (a reader's comment, an opinion piece): the
        # sentence the model read the stance from is named whole
        cue = rows[anchor]
        target = _target(stmt, candidates, items, best, cue)
        target.judgement.stance = "contradicts"
        target.judgement.confidence = _probability(p_contra)
        target.judgement.conflicts = [Conflict("argument", stmt.text, cue.text)]
        target.judgement.reason = "model"
        return target.passage_id
    else:
        return None
    target = _target(stmt, candidates, items, best, cue)
    target.judgement.stance = "contradicts"
    target.judgement.confidence = _probability(p_contra)
    target.judgement.conflicts = [Conflict("refutation", stmt.text, cue.text[word.start : word.end])]
    target.judgement.reason = "model"
    return target.passage_id


def _evidence_item(c: _Candidate) -> dict[str, Any]:
    j = c.judgement
    context = None
    if c.context_ids:
        context = {"passages": c.context_ids, "reference": j.reference_word, "terms": j.context_terms}
    return {
        "document": c.document,
        "passage": {"id": c.passage_id, "text": c.text, "start": c.start, "end": c.end},
        "stance": j.stance,
        "confidence": j.confidence,
        "relevance": j.relevance,
        "reason": j.reason,
        "role": j.role,
        "conflicts": [
            {"kind": k.kind, "statement": k.statement, "passage": k.passage}
            for k in dict.fromkeys(j.conflicts)
        ],
        "matched": [{"statement": m.statement, "passage": m.passage} for m in dict.fromkeys(j.matched)],
        "cues": [{"kind": kind, "text": text} for kind, text in j.cues],
        "context": context,
    }


def _calibrate(candidates: list[_Candidate], by_model: set[int], calibration: Calibration) -> dict[int, float]:
    """Each relevant candidate's confidence as a calibrated probability that its stance is right.

    The map is chosen by where the stance came from (``rule`` or ``model``, see ``by_model``) and
    the stance itself; ``service.core.stance.calibration`` says what the probability means.
    """
    out: dict[int, float] = {}
    for c in candidates:
        j = c.judgement
        if j.stance == "unrelated":
            continue
        if c.passage_id not in by_model and _names_a_fact(j):
            # A rule that found a named fact differing (or agreeing) judges the sentence, not the
            # document: the maps fitted on document-level labels would make a figure that really
            # differs look doubtful. Its own confidence is reported (not calibrated: a known limit).
            out[c.passage_id] = round(j.confidence, 3)
            continue
        source = "model" if c.passage_id in by_model else "rule"
        out[c.passage_id] = round(calibration(f"{source}.{j.stance}", j.confidence), 3)
    return out


def _names_a_fact(j: PassageJudgement) -> bool:
    """Whether a rule judgement rests on a named fact (a figure, date, name...), not only on a cue word."""
    return any(conflict.kind not in ("refutation", "argument") for conflict in j.conflicts) or (
        j.stance == "supports" and bool(j.matched))


def _verdict_confidence(verdict: Any, kept: list[_Candidate], by_model: set[int], calibration: Calibration) -> float:
    """The verdict's confidence: calibrated, unless the verdict rests on named facts a rule compared."""
    wanted = {"supported": "supports", "contradicted": "contradicts"}.get(verdict.verdict)
    deciding = [c for c in kept if c.judgement.stance == wanted]
    if deciding and all(c.passage_id not in by_model and _names_a_fact(c.judgement) for c in deciding):
        return round(verdict.confidence, 3)
    return round(calibration(f"verdict.{verdict.verdict}", verdict.confidence), 3)


_STANCE_RANK = {"supports": 0, "contradicts": 0, "mentions": 1, "unrelated": 2}


def _distinct(candidates: list[_Candidate]) -> list[_Candidate]:
    """One candidate per distinct passage text per document (a heading or a pull quote repeated
    in one article is one piece of evidence): the committed, then most relevant, copy is kept."""
    best: dict[tuple[int, str], _Candidate] = {}
    for c in candidates:
        key = (c.document["id"], text_key(c.text))
        kept = best.get(key)
        rank = (_STANCE_RANK[c.judgement.stance], -c.judgement.relevance, -c.judgement.confidence, c.passage_id)
        if kept is None or rank < (
            _STANCE_RANK[kept.judgement.stance], -kept.judgement.relevance, -kept.judgement.confidence, kept.passage_id
        ):
            best[key] = c
    chosen = {id(c) for c in best.values()}
    return [c for c in candidates if id(c) in chosen]


def find_origin(evidence: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The statement's origin: where the evidence that commits on it first appeared.

    This is the one place the response's ``origin`` is computed. The basis is the supporting
    evidence; a statement that nothing supports but something contradicts gets the origin of
    the contradicting report (where the story it garbles began); mentions alone give none.
    Lineage (``provenance`` hops on each item) decides first: the chain end most evidence
    leads to. Without it only publication dates can justify an origin: the earliest-dated
    passage wins (ties: the more confident); when nothing is dated, the most confident one
    is returned with its confidence halved, since nothing shows it came first.
    """
    basis = [e for e in evidence if e["stance"] == "supports"] or [
        e for e in evidence if e["stance"] == "contradicts"
    ]
    if not basis:
        return None
    traced = [e for e in basis if "provenance" in e]
    if traced:
        by_lineage = statement_origin(traced)
        if by_lineage is not None:
            # the share of evidence leading there, times how sure we are of that evidence
            sure = max(e["confidence"] for e in traced)
            return {**by_lineage, "confidence": round(float(by_lineage["confidence"]) * sure, 4)}
    dated = [e for e in basis if e["document"]["published_at"] is not None]
    if dated:
        first = min(dated, key=lambda e: (e["document"]["published_at"], -e["confidence"], e["passage"]["id"]))
        share = len(dated) / len(basis)
        return {
            "document": first["document"],
            "passage": first["passage"],
            "confidence": round(first["confidence"] * (0.5 + 0.5 * share), 3),
        }
    best = max(basis, key=lambda e: (e["confidence"], -e["document"]["id"]))
    return {"document": best["document"], "passage": best["passage"], "confidence": round(best["confidence"] / 2, 3)}


def check_statement(
    session: Session,
    statement: str,
    *,
    limit: int = 20,
    outlets: Sequence[str] | None = None,
    min_confidence: float = 0.0,
    use_model: bool = True,
    semantic: bool = True,
    collapse: bool = False,
) -> dict[str, Any]:
    """Check ``statement`` against the corpus and return the response body as plain dicts.

    The tally and verdict count every relevant passage that passes ``min_confidence``;
    ``evidence`` lists the ``limit`` first of them: those that support or contradict, then
    those that only mention, each most relevant (then most confident) first. With
    ``semantic``, the passages nearest in meaning join the full-text candidates. With ``collapse``,
    linked verbatim copies are one evidence item listing the others (``service.copies``). A statement that
    asserts nothing (a name, keywords, a search query) raises ``NotAClaim`` before any retrieval.
    """
    reading = require_claim(statement)
    stmt = parse_statement(statement, reading)
    ids, only_semantic = _retrieve(session, statement, limit=limit, outlets=outlets, semantic=semantic)
    memo = JudgementMemo()
    candidates = _candidates(session, stmt, ids, memo)
    _judge_in_context(session, stmt, candidates, memo)
    judge_documents = _load_document_stance() if use_model else None
    by_model: set[int] = set()
    if judge_documents is not None:
        by_model = _apply_document_stance(session, stmt, candidates, judge_documents)
    _semantic_mentions(candidates, only_semantic)
    calibration = load_calibration()
    shown = _calibrate(candidates, by_model, calibration)
    kept = [
        c for c in _distinct(candidates)
        if c.judgement.stance != "unrelated" and shown[c.passage_id] >= min_confidence
    ]
    # committed evidence first: a reader asking for a few passages wants those that support or
    # contradict, not the many that only mention the subject and happen to match more words
    kept.sort(key=lambda c: (_STANCE_RANK[c.judgement.stance], -c.judgement.relevance, -shown[c.passage_id],
                             c.passage_id))
    # the verdict rule reads the raw scores it was designed on; what is reported is calibrated
    verdict = aggregate((c.judgement.stance, c.judgement.confidence, c.judgement.relevance) for c in kept)
    for c in kept:
        c.judgement.confidence = shown[c.passage_id]
    all_evidence = [{**_evidence_item(c), "copies": []} for c in kept]
    if collapse:  # linked verbatim copies become one item listing the others (the tally counts them all)
        all_evidence = collapse_copies(session, all_evidence)
    chains = passage_chains(session, [item["passage"]["id"] for item in all_evidence[:limit]])
    for item in all_evidence[:limit]:
        item["provenance"] = chains[item["passage"]["id"]]
    origin = find_origin(all_evidence)
    return {
        "statement": statement,
        "verdict": verdict.verdict,
        "confidence": _verdict_confidence(verdict, kept, by_model, calibration),
        "tally": {"supports": verdict.supports, "contradicts": verdict.contradicts, "mentions": verdict.mentions},
        "evidence": all_evidence[:limit],
        "origin": origin,
    }
