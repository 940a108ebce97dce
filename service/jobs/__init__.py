"""Background jobs on Redis with RQ: queued batch ingests and rebuilds, and the worker that runs them.

``queue`` enqueues jobs and reads their state (the API and the CLI use it); ``tasks`` holds what a
worker runs; ``worker`` is the ``provenance worker`` process. Without ``PROVENANCE_QUEUE_URL`` or
``PROVENANCE_REDIS_URL`` there is no queue and everything runs synchronously.
"""
