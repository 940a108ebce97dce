"""The per-process index of passage vectors, kept in step with the database, and semantic candidates.

Each process (gunicorn worker, CLI, test app) keeps one ``PassageIndex`` per database engine: the
int8 vectors of every stored passage in one array (``service.core.semantic.vectors``), searched
exactly. Before each search it reads the change counter (one primary-key look-up): when it moved,
the rows of the generations not yet seen are appended, and when vectors were removed since
(deleted documents, a rebuild) the ids still stored are read once and the others dropped.

Memory per process: ``DIM + 8`` bytes per passage, plus at most an eighth of spare capacity
(128 dimensions: 41 MB for 300,000 passages, 136 MB for a million), plus the 16 MB model. The
rows are read ``READ_CHUNK`` at a time, straight into the array (reserved for all of them first):
reading them as one list of Python rows would briefly take about three times the array.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence

import numpy as np
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from service.core.semantic.embed import from_bytes, quantize
from service.core.semantic.vectors import VectorSet
from service.models import Document, Passage, PassageVector, VectorState
from service.semantic import model

# Candidates asked of the index per check, and the least cosine similarity a candidate needs
# (both tuned on the FNC-1 and ARC train splits: docs/checking.md).
SEMANTIC_CANDIDATES = 50
MIN_SIMILARITY = 0.3
# With an outlet filter, this many times as many neighbours are looked at before filtering.
OUTLET_OVERSAMPLE = 8
# Stored vectors read per query when catching up (about 4 MB of rows in flight).
READ_CHUNK = 20_000


class PassageIndex:
    """The vectors of one database's passages, as of generation ``generation`` of its counter."""

    def __init__(self, dim: int = model.DIM, model_name: str = model.MODEL_NAME) -> None:
        self.model_name = model_name
        self.vectors = VectorSet(dim)
        self.generation = 0
        self.lock = threading.Lock()

    def refresh(self, session: Session) -> None:
        """Catch up with the database (call with ``lock`` held)."""
        state = session.execute(select(VectorState.generation, VectorState.purged).where(VectorState.id == 1)).first()
        generation, purged = (int(state[0]), int(state[1])) if state is not None else (0, 0)
        if generation == self.generation:
            return
        if generation < self.generation:  # the table was emptied behind us: start again
            self.vectors.clear()
            self.generation = 0
        same_model = PassageVector.model == self.model_name
        if purged > self.generation > 0:
            alive = session.scalars(select(PassageVector.passage_id).where(
                same_model, PassageVector.generation <= self.generation))
            self.vectors.keep(np.fromiter(alive, dtype=np.int64))
        new = (same_model, PassageVector.generation > self.generation, PassageVector.generation <= generation)
        coming = int(session.scalar(select(func.count()).select_from(PassageVector).where(*new)) or 0)
        self.vectors.reserve(len(self.vectors) + coming)
        after = None
        while True:  # by passage id, a chunk at a time (keyset: each chunk is one index range scan)
            query = select(PassageVector.passage_id, PassageVector.vector).where(*new)
            if after is not None:
                query = query.where(PassageVector.passage_id > after)
            rows = session.execute(query.order_by(PassageVector.passage_id).limit(READ_CHUNK)).all()
            if not rows:
                break
            self.vectors.add((r[0] for r in rows), from_bytes([r[1] for r in rows], self.vectors.dim))
            after = rows[-1][0]
            if len(rows) < READ_CHUNK:
                break
        self.generation = generation


_INDEXES: weakref.WeakKeyDictionary[Engine, PassageIndex] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def index_for(session: Session) -> PassageIndex:
    """The process's index of the session's database."""
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    return index_for_engine(engine)


def index_for_engine(engine: Engine) -> PassageIndex:
    """The process's index of the engine's database (made empty on first use)."""
    with _INDEXES_LOCK:
        index = _INDEXES.get(engine)
        if index is None:
            index = _INDEXES[engine] = PassageIndex()
        return index


def semantic_candidates(
    session: Session,
    query: str,
    *,
    limit: int = SEMANTIC_CANDIDATES,
    min_similarity: float = MIN_SIMILARITY,
    outlets: Sequence[str] | None = None,
) -> list[tuple[int, float]]:
    """Passage ids whose meaning is nearest to ``query``, best first, with their cosine similarity.

    Empty without an embedding model. With ``outlets``, only passages of documents from them.
    """
    embedder = model.embedder()
    if embedder is None or limit < 1:
        return []
    vector = quantize(embedder.embed([query]))[0]
    if not vector.any():
        return []
    index = index_for(session)
    with index.lock:
        index.refresh(session)
        hits = index.vectors.nearest(vector, limit * OUTLET_OVERSAMPLE if outlets else limit)
    hits = [(pid, sim) for pid, sim in hits if sim >= min_similarity]
    if outlets and hits:
        allowed = set(session.scalars(
            select(Passage.id).join(Document, Document.id == Passage.document_id)
            .where(Passage.id.in_([pid for pid, _ in hits]), Document.outlet.in_(list(outlets)))
        ))
        hits = [(pid, sim) for pid, sim in hits if pid in allowed]
    return hits[:limit]


def warm(session: Session) -> int:
    """Load the model and the index now (a server's master before it forks); returns the vectors held."""
    model.embedder()
    index = index_for(session)
    with index.lock:
        index.refresh(session)
        return len(index.vectors)


def statement_vector(text: str) -> np.ndarray | None:
    """The int8 vector of ``text`` (as a passage would be stored), or None without an embedding model."""
    vectors = model.embed_texts([text])
    return None if vectors is None else vectors[0]


def embed_passages(passages: Sequence[tuple[int, str]]) -> dict[int, np.ndarray]:
    """The int8 vectors of ``passages`` (id, text) whose stored vector was not found, embedded now
    (as ingest would store them). Empty without an embedding model."""
    if not passages:
        return {}
    vectors = model.embed_texts([text for _, text in passages])
    if vectors is None:
        return {}
    return {pid: v for (pid, _), v in zip(passages, vectors, strict=True)}
