"""Full-text candidate retrieval over passages, behind one interface for both databases.

SQLite uses an FTS5 table kept in sync by triggers (migration ``0001_documents``); PostgreSQL
uses a stored generated ``tsvector`` column with a GIN index. Both take the statement's content
words as an OR query and rank with the engine's own relevance (BM25 / ``ts_rank_cd``), so a check
touches only the passages that share vocabulary with it.

Ranking costs time per *matching* passage, and an OR of common words ("said", "company") matches
a share of the whole corpus, so the work would grow with it. On PostgreSQL the passages to rank
are therefore the ones holding the statement's rarest words (``selective_lexemes``: rarest first,
while the planner's statistics put the passages holding them at most ``RANK_CAP``; the rarest
word alone when it is commoner); all of them are then ranked with the whole query (``ts_rank``
first, ``ts_rank_cd`` for the best ``PRE_RANK`` times ``limit``). They used to be cut to
``RANK_CAP`` before ranking, in no order (the oldest rows first, as the bitmap scan met them):
at 10,000 generated documents 54 of 200 statements' selective words were in more passages than
that (the estimate is from sampled statistics; the rarest word alone may be commoner), so which
passages were ranked was arbitrary. Ranking them all cost 1-2 ms per search there (median 8.6
-> 9.4 ms, p95 14.5 -> 19.1 ms in one back-to-back run). A
passage that shares only common words with the statement ranks low anyway (BM25 weighs a word
by its rarity; ``ts_rank_cd`` does not, which made PostgreSQL's ranking favour long passages full
of common words). The statistics are the ``most_common_elems`` that ``ANALYZE`` (autovacuum)
keeps for the column (10,000 lexemes, migration ``0006``): read from ``pg_stats`` at most once a
minute per process, no extra work at ingest.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from functools import lru_cache

from nltk.stem.porter import PorterStemmer
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from service.core.text.lexicon import STOPWORDS
from service.core.text.tokens import fts_terms

MAX_TERMS = 32
# A word is selective when at most this many passages hold it (estimated from the statistics).
SELECTIVE_ROWS = 5000
# The passages the selective words may hold together (estimated from the statistics).
RANK_CAP = 1000
# ... and at least this many per passage asked for.
RANK_CAP_PER_RESULT = 4
# ts_rank_cd orders this many times ``limit`` of the hits best by ts_rank.
PRE_RANK = 2
# Seconds a process keeps the column's statistics.
STATS_TTL = 60.0

_PORTER = PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)
_stats_lock = threading.Lock()
_stats: dict[int, tuple[float, float, float, dict[str, float]]] = {}


def _lexeme_stats(session: Session) -> tuple[float, float, dict[str, float]]:
    """(passages, frequency below which an unlisted lexeme lies, frequency of each common lexeme)
    from ``pg_stats``, cached per engine for ``STATS_TTL`` seconds; empty before the first ANALYZE."""
    engine: Engine = session.get_bind()  # type: ignore[assignment]
    now = time.monotonic()
    with _stats_lock:
        hit = _stats.get(id(engine))
        if hit is not None and now - hit[0] < STATS_TTL:
            return hit[1], hit[2], hit[3]
    row = session.execute(text(
        "SELECT c.reltuples, s.most_common_elems::text::text[], s.most_common_elem_freqs "
        "FROM pg_class c LEFT JOIN pg_stats s ON s.tablename = c.relname AND s.attname = 'search_vector' "
        "AND s.schemaname = current_schema() "
        "WHERE c.relname = 'passages' AND c.relnamespace = current_schema()::regnamespace")).first()
    rows, floor, freqs = 0.0, 0.0, {}
    if row is not None and row[1] is not None and row[2] is not None:
        rows = max(float(row[0]), 0.0)
        elems, values = list(row[1]), list(row[2])
        freqs = dict(zip(elems, values[: len(elems)], strict=True))
        floor = float(values[len(elems)]) if len(values) > len(elems) else 0.0
    with _stats_lock:
        _stats[id(engine)] = (now, rows, floor, freqs)
    return rows, floor, freqs


def selective_lexemes(lexemes: Sequence[str], rows: float, floor: float, freqs: dict[str, float],
                      cap: int = RANK_CAP) -> list[str]:
    """The rarest lexemes, rarest first, while the passages estimated to hold them add up to at
    most ``cap`` (at least one lexeme). An unlisted lexeme is rarer than ``floor``, the
    frequency of the least common listed one; a lexeme is never taken when it is estimated in
    more than ``SELECTIVE_ROWS`` passages, unless it is the rarest of all."""
    if not lexemes:
        return []
    estimate = {lx: rows * freqs.get(lx, floor) for lx in lexemes}
    ordered = sorted(lexemes, key=lambda lx: (estimate[lx], lx))
    chosen, total = [ordered[0]], estimate[ordered[0]]
    for lx in ordered[1:]:
        total += estimate[lx]
        if total > cap or estimate[lx] > SELECTIVE_ROWS:
            break
        chosen.append(lx)
    return chosen


@lru_cache(maxsize=65536)
def _stem(term: str) -> str:
    """A term as SQLite's FTS5 ``porter`` tokenizer indexes it (Porter's original algorithm)."""
    return _PORTER.stem(term)


def _tsquery(lexemes: Sequence[str]) -> str:
    """An OR tsquery of already-normalised lexemes (quoted, so they are taken as they are)."""
    return " | ".join("'" + lx.replace("'", "''").replace("\\", "\\\\") + "'" for lx in lexemes)


def query_terms(query: str) -> list[str]:
    """Distinct content terms of ``query``, in order, as the full-text engines tokenise them."""
    seen: dict[str, None] = {}
    for term in fts_terms(query):
        if term not in STOPWORDS and (len(term) > 1 or term.isdigit()):
            seen.setdefault(term, None)
    return list(seen)[:MAX_TERMS]


def search_passages(
    session: Session, query: str, *, limit: int = 100, outlets: Sequence[str] | None = None
) -> list[tuple[int, float]]:
    """Passage ids sharing content words with ``query``, best first, with a relevance score (higher is better)."""
    terms = query_terms(query)
    if not terms:
        return []
    dialect = session.get_bind().dialect.name
    params: dict[str, object] = {"limit": limit}
    cap = max(RANK_CAP, RANK_CAP_PER_RESULT * limit)
    outlet_clause = ""
    if outlets:
        names = {f"o{i}": name for i, name in enumerate(outlets)}
        params.update(names)
        outlet_clause = " AND d.outlet IN (" + ", ".join(f":{k}" for k in names) + ")"
    if dialect == "postgresql":
        lexemes = list(dict.fromkeys(session.execute(
            text("SELECT unnest(tsvector_to_array(to_tsvector('english', t))) "
                 "FROM unnest(CAST(:terms AS text[])) WITH ORDINALITY AS u(t, n) ORDER BY n"),
            {"terms": terms}).scalars()))
        if not lexemes:
            return []
        params["q"] = _tsquery(lexemes)
        params["sel"] = _tsquery(selective_lexemes(lexemes, *_lexeme_stats(session), cap=cap))
        join_documents = " JOIN documents d ON d.id = p.document_id" if outlets else ""
        # ts_rank (term counts) pre-ranks the hits; the costlier ts_rank_cd (cover density) orders the best
        sql = (
            "SELECT pre.id, ts_rank_cd(pre.search_vector, CAST(:q AS tsquery)) AS score FROM ("
            "SELECT hits.id, hits.search_vector FROM ("
            f"SELECT p.id, p.search_vector FROM passages p{join_documents} "
            f"WHERE p.search_vector @@ CAST(:sel AS tsquery){outlet_clause}"
            ") hits ORDER BY ts_rank(hits.search_vector, CAST(:q AS tsquery)) DESC, hits.id LIMIT :pre"
            ") pre ORDER BY score DESC, pre.id LIMIT :limit"
        )
        params["pre"] = PRE_RANK * limit
    else:
        stems = {t: _stem(t) for t in terms}
        distinct = list(dict.fromkeys(stems.values()))
        marks = ", ".join(f":s{i}" for i in range(len(distinct)))
        df = session.execute(text(f"SELECT term, doc FROM passages_fts_vocab WHERE term IN ({marks})"),
                             {f"s{i}": st for i, st in enumerate(distinct)}).all()
        chosen = set(selective_lexemes(distinct, 1.0, 0.0, {str(st): float(n) for st, n in df}, cap=cap))
        rare = " OR ".join(f'"{t}"' for t in terms if stems[t] in chosen)
        params["q"] = f"({rare}) AND (" + " OR ".join(f'"{t}"' for t in terms) + ")"
        sql = (
            "SELECT p.id, -bm25(passages_fts) AS score FROM passages_fts "
            "JOIN passages p ON p.id = passages_fts.rowid JOIN documents d ON d.id = p.document_id "
            f"WHERE passages_fts MATCH :q{outlet_clause} ORDER BY score DESC, p.id LIMIT :limit"
        )
    return [(int(row[0]), float(row[1])) for row in session.execute(text(sql), params)]
