"""The semantic retrieval channel: passage vectors computed at ingest, stored, and searched per process.

``model`` loads the embedding model that the ``wordllama`` package ships (no network), ``store``
writes and forgets the vectors inside ingest's and delete's transactions (called explicitly by
``service.ingest``), and ``index`` keeps a per-process copy of them in step with the database
and answers ``semantic_candidates`` for ``service.checking``.
"""
