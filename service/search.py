"""Full-text candidate retrieval over passages, behind one interface for both databases.

SQLite uses an FTS5 table kept in sync by triggers (migration ``0001_documents``); PostgreSQL
uses a generated ``tsvector`` column with a GIN index. Both take the statement's content words
as an OR query and rank with the engine's own relevance (BM25 / ``ts_rank_cd``), so a check
touches only the passages that share vocabulary with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from service.core.text.lexicon import STOPWORDS
from service.core.text.tokens import fts_terms

MAX_TERMS = 32


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
    outlet_clause = ""
    if outlets:
        names = {f"o{i}": name for i, name in enumerate(outlets)}
        params.update(names)
        outlet_clause = " AND d.outlet IN (" + ", ".join(f":{k}" for k in names) + ")"
    if dialect == "postgresql":
        params["q"] = " | ".join(terms)
        sql = (
            "SELECT p.id, ts_rank_cd(p.search_vector, q) AS score "
            "FROM passages p JOIN documents d ON d.id = p.document_id, to_tsquery('english', :q) q "
            f"WHERE p.search_vector @@ q{outlet_clause} ORDER BY score DESC, p.id LIMIT :limit"
        )
    else:
        params["q"] = " OR ".join(f'"{t}"' for t in terms)
        sql = (
            "SELECT p.id, -bm25(passages_fts) AS score FROM passages_fts "
            "JOIN passages p ON p.id = passages_fts.rowid JOIN documents d ON d.id = p.document_id "
            f"WHERE passages_fts MATCH :q{outlet_clause} ORDER BY score DESC, p.id LIMIT :limit"
        )
    return [(int(row[0]), float(row[1])) for row in session.execute(text(sql), params)]
