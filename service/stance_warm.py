"""Warm the statement check's per-process caches from the stored documents, at start-up.

A check reads up to ``MODEL_MAX_DOCUMENTS`` documents whole through the learned stance layer,
and each document's analysis (its sentences tokenised, weighted, their cues counted:
``classifier._cached_doc``) costs a few milliseconds the first time and microseconds after; the
candidate passages' words (``passage.passage_words``) likewise, and the WordNet senses of the
statement's words (parsed by nltk on first use). A fresh worker computes them on
first use, so its first checks ran at about half the speed of later ones (docs/benchmarks.md).
``warm_stance_caches`` computes them for the newest stored documents before the server forks
(``service.ops.warm_up``), so every worker starts with them. The caches hold pure functions of
the passage texts: warming changes no output, only when the work is done.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.core.stance.passage import PASSAGE_CACHE, passage_words
from service.core.text import wordnet
from service.models import Document, Passage

# Words of the stored passages whose WordNet senses are read at start-up, most frequent first: a
# statement is read with WordNet (is a word a verb? ``claim``; its other words: ``meaning``), and
# nltk parses each sense from its data file on first use, the largest cost of a fresh worker's
# first checks after the caches above (a statement's words are mostly the corpus's words).
WORDNET_WORDS = 3000


def warm_stance_caches(session: Session, limit: int, batch: int = 200) -> int:
    """Analyse the ``limit`` newest stored documents (at most the document cache's size) for the
    learned stance layer, the words of their passages (at most the passage cache's size, the
    newest documents' last) and the WordNet senses of the ``WORDNET_WORDS`` words most of those
    passages have; returns how many documents were analysed, 0 without a stance model.

    Documents are read oldest first, as a check reads them (passages in order), so that the
    newest are the most recently used entries and the last to be evicted.
    """
    from service.checking import _load_document_stance
    from service.core.stance.model import classifier

    if _load_document_stance() is None:
        return 0
    model = classifier.load_model()  # the instance the check's layer holds (cached per process)
    limit = min(limit, classifier.DOC_CACHE)
    ids = list(session.scalars(select(Document.id).order_by(Document.id.desc()).limit(limit)))[::-1]
    texts: list[str] = []
    for i in range(0, len(ids), batch):
        rows: dict[int, list[str]] = {d: [] for d in ids[i : i + batch]}
        for row in session.execute(
            select(Passage.document_id, Passage.text)
            .where(Passage.document_id.in_(list(rows)))
            .order_by(Passage.document_id, Passage.seq)
        ):
            rows[row.document_id].append(row.text)
        for passages in rows.values():
            if passages:
                classifier._cached_doc(model, tuple(passages))
                texts.extend(passages)
    frequency: Counter[str] = Counter()
    for text in texts[-PASSAGE_CACHE:]:
        frequency.update(passage_words(text).norms)
    if wordnet.available():
        words = (w for w, _ in frequency.most_common() if len(w) >= 3 and w.isalpha())
        for _, word in zip(range(WORDNET_WORDS), words, strict=False):
            wordnet.sense_counts(word)
    return len(ids)


def cache_sizes() -> dict[str, Any]:
    """Entries held by the caches ``warm_stance_caches`` fills (for logs and the benchmark)."""
    from service.core.stance.model import classifier

    return {"documents": classifier._cached_doc.cache_info().currsize,
            "passage_words": passage_words.cache_info().currsize}
