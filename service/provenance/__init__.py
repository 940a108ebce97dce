"""Reuse detection and document lineage over the stored corpus (database side).

Write side, called explicitly by ``service.ingest``: ``on_ingest.index_documents`` indexes new
documents, compares each with its candidates, stores the pairwise evidence and recomputes the
lineage around it (``recompute``); ``on_delete`` forgets documents. Read side: ``read``
(a document's provenance, passage chains for statement checks), ``graph``, ``annotate``
(an unsaved page, for the browser extension). The pure logic they run lives in
``service.core.reuse`` and ``service.core.lineage``; ``index_sql`` holds the only
hand-written SQL; ``feature_cache`` the bounded per-process caches.
"""
