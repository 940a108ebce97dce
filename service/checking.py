"""Statement checking: the orchestration behind ``POST /v1/statements/check``.

session -> full-text candidates (``search_passages``; a check never scans every passage)
-> explainable judgement of each candidate (``service.core.stance``) -> where the hand rules
stop, the optional learned document stance (``service.core.stance_model``) -> verdict
(``service.core.verdict``) -> origin -> plain dicts for the view.

Everything here is database access and glue; the judgement itself lives in the pure core.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.core.facts import extract_refutations
from service.core.stance import Conflict, Judgement, Statement, judge, prepare
from service.core.verdict import aggregate
from service.models import Document, Passage
from service.provenance import passage_chain, statement_origin
from service.search import search_passages

# Candidates fetched from the full-text index per check: enough that paraphrases ranked
# below verbatim copies still get judged, few enough to stay well inside the latency budget.
MIN_CANDIDATES = 100
MAX_CANDIDATES = 400
# Documents (best first) that the learned stance layer reads per check.
MODEL_DOCUMENTS = 20
# Rule supports of a document are demoted when the model reads the whole document as refuting
# the statement with at least this probability (given that it is related).
DEMOTE_SUPPORT = 0.6
# A model-committed support lands on the document's best passage only if it covers this much
# of the statement's frame.
MODEL_SUPPORT_FRAME = 0.4

DocumentStance = Callable[[str, Sequence[str]], dict[str, float]]


@lru_cache(maxsize=1)
def _load_document_stance() -> tuple[DocumentStance, Callable[[dict[str, float]], str]] | None:
    """The learned document-stance layer, if it is installed with a usable model file (looked
    up once per process)."""
    try:
        from service.core import stance_model

        stance_model.load_model()
    except (ImportError, OSError, ValueError, KeyError):
        return None
    return stance_model.document_stance, stance_model.decide


@dataclass
class _Candidate:
    passage_id: int
    text: str
    start: int
    end: int
    document: dict[str, Any]
    published_at: datetime | None
    judgement: Judgement


def _document_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.document_id,
        "external_id": row.external_id,
        "title": row.title,
        "outlet": row.outlet,
        "url": row.url,
        "published_at": row.published_at,
    }


def _candidates(session: Session, stmt: Statement, ids: list[int]) -> list[_Candidate]:
    """Load the candidate passages (without document bodies) and judge each one."""
    if not ids:
        return []
    rows = session.execute(
        select(
            Passage.id,
            Passage.text,
            Passage.start,
            Passage.end,
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
    out = []
    for row in rows:
        reference = row.published_at.date() if row.published_at is not None else None
        out.append(
            _Candidate(
                passage_id=row.id,
                text=row.text,
                start=row.start,
                end=row.end,
                document=_document_dict(row),
                published_at=row.published_at,
                judgement=judge(stmt, row.text, reference=reference),
            )
        )
    return out


def _apply_document_stance(
    session: Session, stmt: Statement, candidates: list[_Candidate], model: tuple[DocumentStance, Any]
) -> None:
    """Where the hand rules stop, the learned layer reads whole documents.

    * A document the rules found relevant but could not commit on (mentions only) may become a
      contradiction when the model says so and one of its sentences carries a refuting cue: that
      sentence becomes the evidence, with a named "refutation" conflict. It may become a support
      only when every figure and date of the statement was found with the same value in that
      document (a missing number or date is never "supported" by a model), on a passage
      covering ``MODEL_SUPPORT_FRAME`` of the statement's frame.
    * A document whose sentences the rules found supporting, but which as a whole the model
      reads as refuting the statement (it quotes the claim to debunk it), has those supports
      demoted to mentions.
    Explicit conflicts found by the rules are never overridden.
    """
    document_stance, decide = model
    by_doc: dict[int, list[_Candidate]] = defaultdict(list)
    for c in candidates:
        if c.judgement.stance != "unrelated":
            by_doc[c.document["id"]].append(c)
    docs = [(d, items) for d, items in by_doc.items() if all(c.judgement.stance != "contradicts" for c in items)]
    docs.sort(key=lambda kv: -max(c.judgement.relevance for c in kv[1]))
    docs = docs[:MODEL_DOCUMENTS]
    if not docs:
        return
    rows: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(
        select(Passage.document_id, Passage.id, Passage.text, Passage.start, Passage.end)
        .where(Passage.document_id.in_([d for d, _ in docs]))
        .order_by(Passage.document_id, Passage.seq)
    ):
        rows[row.document_id].append(row)
    fact_texts = {q.text for q in stmt.facts.quantities} | {d.text for d in stmt.facts.dates}
    may_refute = not (stmt.refuting or stmt.negated)
    for doc_id, items in docs:
        passages = [r.text for r in rows.get(doc_id, [])]
        if not passages:
            continue
        probs = document_stance(stmt.text, passages)
        label = decide(probs)
        related = max(1.0 - probs["unrelated"], 1e-9)
        p_contra, p_support = probs["contradicts"] / related, probs["supports"] / related
        supports = [c for c in items if c.judgement.stance == "supports"]
        if label == "contradicts" and may_refute and p_contra >= DEMOTE_SUPPORT:
            for c in supports:
                c.judgement.stance = "mentions"
                c.judgement.confidence = round(1.0 - p_contra, 3)
            supports = []
        if supports:
            continue
        best = max(items, key=lambda c: (c.judgement.relevance, c.judgement.confidence))
        if label == "contradicts" and may_refute:
            _commit_refutation(stmt, candidates, items, best, rows[doc_id], p_contra)
        elif (
            label == "supports"
            and best.judgement.frame_coverage >= MODEL_SUPPORT_FRAME
            and fact_texts <= {m.statement for c in items for m in c.judgement.matched}
        ):
            # every figure and date of the statement was found with the same value somewhere
            # in this document (trivially so for a statement without any)
            best.judgement.stance = "supports"
            best.judgement.confidence = round(min(p_support, 0.99), 3)


def _commit_refutation(
    stmt: Statement, candidates: list[_Candidate], items: list[_Candidate], best: _Candidate,
    rows: list[Any], p_contra: float,
) -> None:
    """Make the document's refuting sentence closest to the statement a named contradiction."""
    refuting = [r for r in rows if extract_refutations(r.text)]
    if not refuting:
        return
    scored = [(judge(stmt, r.text), r) for r in refuting]
    judgement, cue = max(scored, key=lambda jr: (jr[0].frame_coverage, -jr[1].id))
    target = next((c for c in items if c.passage_id == cue.id), None)
    if target is None:
        judgement.relevance = judgement.relevance or round(0.9 * best.judgement.relevance, 4)
        target = _Candidate(cue.id, cue.text, cue.start, cue.end, best.document, best.published_at, judgement)
        candidates.append(target)
    word = extract_refutations(cue.text)[0]
    target.judgement.stance = "contradicts"
    target.judgement.confidence = round(min(p_contra, 0.99), 3)
    target.judgement.conflicts = [Conflict("refutation", stmt.text, cue.text[word.start : word.end])]


def _evidence_item(c: _Candidate) -> dict[str, Any]:
    j = c.judgement
    return {
        "document": c.document,
        "passage": {"id": c.passage_id, "text": c.text, "start": c.start, "end": c.end},
        "stance": j.stance,
        "confidence": j.confidence,
        "relevance": j.relevance,
        "conflicts": [{"kind": k.kind, "statement": k.statement, "passage": k.passage} for k in j.conflicts],
        "matched": [{"statement": m.statement, "passage": m.passage} for m in j.matched],
    }


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
) -> dict[str, Any]:
    """Check ``statement`` against the corpus and return the response body as plain dicts.

    The tally and verdict count every relevant passage that passes ``min_confidence``;
    ``evidence`` lists the ``limit`` most relevant of them (then most confident).
    """
    stmt = prepare(statement)
    n_candidates = min(MAX_CANDIDATES, max(MIN_CANDIDATES, 2 * limit))
    hits = search_passages(session, statement, limit=n_candidates, outlets=list(outlets) if outlets else None)
    candidates = _candidates(session, stmt, [pid for pid, _ in hits])
    model = _load_document_stance() if use_model else None
    if model is not None:
        _apply_document_stance(session, stmt, candidates, model)
    kept = [
        c for c in candidates if c.judgement.stance != "unrelated" and c.judgement.confidence >= min_confidence
    ]
    kept.sort(key=lambda c: (-c.judgement.relevance, -c.judgement.confidence, c.passage_id))
    verdict = aggregate((c.judgement.stance, c.judgement.confidence, c.judgement.relevance) for c in kept)
    all_evidence = [_evidence_item(c) for c in kept]
    for item in all_evidence[:limit]:
        item["provenance"] = passage_chain(session, item["passage"]["id"])
    origin = find_origin(all_evidence)
    return {
        "statement": statement,
        "verdict": verdict.verdict,
        "confidence": verdict.confidence,
        "tally": {"supports": verdict.supports, "contradicts": verdict.contradicts, "mentions": verdict.mentions},
        "evidence": all_evidence[:limit],
        "origin": origin,
    }
