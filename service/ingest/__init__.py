"""Ingesting articles: source -> clean text -> passages -> store -> reuse index, idempotently.

``pipeline`` turns payloads into prepared text and drives single and bulk ingest; ``workers``
prepares text in worker processes; ``store`` writes a batch in one transaction and calls the
reuse index (``service.provenance.on_ingest``) on what it stored; ``rebuild`` recomputes the
derived data of the whole stored corpus; ``types`` holds what they pass around.
"""
