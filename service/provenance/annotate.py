"""Page annotation for the browser extension: an unsaved page compared with the corpus, sentence by sentence."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from service.core.lineage.direction import DocInfo, detail_counts, direction
from service.core.reuse.candidates import FREQUENT_DF
from service.core.reuse.evidence import boilerplate_passages
from service.core.reuse.links import Comparable, aligned_refs, compare
from service.core.reuse.records import AlignedRef
from service.core.text.normalize import normalize_text
from service.core.text.segment import sentence_spans
from service.provenance.documents import load_documents
from service.provenance.feature_cache import compute
from service.provenance.lookups import document_refs, passages_by_seq
from service.provenance.on_ingest import BatchIndex, anchor_terms
from service.provenance.pairs import matched
from service.provenance.read import passage_chains


@dataclass(frozen=True, slots=True)
class _Source:
    """The best source found for one sentence of the page."""

    score: float
    document: int
    pair: AlignedRef


def annotate(session: Session, text: str, *, url: str | None = None, title: str | None = None,
             outlet: str | None = None) -> dict[str, Any]:
    """Each sentence of a page with its best upstream source, relation, confidence and changed facts."""
    text = normalize_text(text)
    spans = [(s.start, s.end) for s in sentence_spans(text)]
    analysis = compute(text, spans)  # not cached: pages are one-off
    feats = analysis.features
    info = DocInfo(id=0, key="", outlet=outlet, title=title, url=url, cues=analysis.cues)
    page = Comparable(info=info, text=text, features=feats)
    fps = sorted(set(feats.fingerprints.tolist()))
    terms = anchor_terms(feats)
    index = BatchIndex(session, set(fps), set(terms))
    candidates = index.candidates(fps, terms)
    loaded = load_documents(session, candidates)
    frequent = boilerplate_passages(feats, {h for h in fps if index.fp_df(h) >= FREQUENT_DF})
    best: dict[int, _Source] = {}
    for other_id in candidates:
        other = loaded.get(other_id)
        if other is None:
            continue
        ev = compare(page, other, frequent, set(), matched=matched)
        if not (ev.is_link() or len(ev.pairs) >= 2):
            continue
        detail = detail_counts(ev, [p.numbers for p in feats.passages],
                               [p.numbers for p in other.features.passages])
        p_other = 1.0 - direction(ev, info, other.info, detail).p_a_source
        for pair in aligned_refs(ev):
            score = pair.similarity * (0.5 + 0.5 * p_other)
            if pair.this_seq not in best or score > best[pair.this_seq].score:
                best[pair.this_seq] = _Source(score, other_id, pair)
    refs = document_refs(session, {b.document for b in best.values()})
    passages = passages_by_seq(session, [(b.document, b.pair.other_seq) for b in best.values()])
    # The matched passage may itself be a copy: the source is where its text first appeared.
    chains = passage_chains(session, [p["id"] for p in passages.values()])
    sentences = []
    counts: dict[str, int] = defaultdict(int)
    for seq, (start, end) in enumerate(spans):
        hit = best.get(seq)
        if hit is None:
            status = "unsourced"
            item: dict[str, Any] = {"seq": seq, "start": start, "end": end, "text": text[start:end],
                                    "status": status, "source": None, "via": None, "relation": None,
                                    "confidence": 0.0, "mutations": []}
        else:
            pair = hit.pair
            changes = [c for c in pair.changes if c.is_fact]
            status = "changed" if changes else ("copied" if pair.kind != "paraphrase" else "paraphrased")
            direct = {"document": refs.get(hit.document), "passage": passages.get((hit.document, pair.other_seq))}
            chain = chains.get((direct["passage"] or {}).get("id", -1)) or []
            earliest = {"document": chain[-1]["document"], "passage": chain[-1]["passage"]} if chain else None
            item = {
                "seq": seq, "start": start, "end": end, "text": text[start:end], "status": status,
                "source": earliest or direct, "via": direct if earliest else None,
                "relation": pair.kind, "confidence": round(hit.score, 4),
                "mutations": [{"kind": c.kind, "this_value": c.this_value, "source_value": c.other_value}
                              for c in changes],
            }
        counts[status] += 1
        sentences.append(item)
    return {"sentences": sentences, "summary": dict(counts), "candidates": len(candidates)}
