"""Gunicorn settings for the provenance API: a CPU-bound service on sync workers.

Every setting can be overridden from the environment (``WEB_CONCURRENCY``, ``PORT``,
``GUNICORN_TIMEOUT``, ...) so one image serves a laptop, CI and production.

- One sync worker per CPU: statement checks are CPU-bound, threads would only contend for the GIL.
- The app is preloaded in the master (fast forks, shared read-only memory); every worker then
  disposes the inherited SQLAlchemy pool so no two processes share a database socket.
- Workers are recycled after ``max_requests`` (with jitter, so they do not restart together) to
  bound slow memory growth in long-lived processes.
- With ``PROVENANCE_WARM_CACHE`` the master computes the features of that many stored documents
  before it forks (``when_ready``), so every worker starts with them.
- Prometheus metrics are aggregated across workers through ``PROMETHEUS_MULTIPROC_DIR``; the
  directory is emptied at start and a dead worker's live gauges are dropped.
- Access and error logs are JSON lines on stdout/stderr, ready for a log shipper.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gunicorn import glogging


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# The metrics directory must be in the environment before prometheus_client is imported by the
# preloaded app; without one, each worker would report only its own counters.
# It must exist by then too: the preloaded app creates its metric files before ``on_starting`` runs.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="provenance-metrics-")
Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)

bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = _int_env("WEB_CONCURRENCY", _cpu_count())
worker_class = "sync"
timeout = _int_env("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int_env("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int_env("GUNICORN_KEEPALIVE", 5)
max_requests = _int_env("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int_env("GUNICORN_MAX_REQUESTS_JITTER", 100)
preload_app = True
# Heartbeat files on tmpfs: a disk-backed /tmp can stall workers into spurious timeouts.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# No runtime control socket: worker count comes from WEB_CONCURRENCY, and several servers on one
# host (tests, CI) would otherwise fight over the same default socket path.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


class JsonFormatter(logging.Formatter):
    """Render gunicorn's own log records (start-up, worker lifecycle, errors) as JSON lines."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
            "pid": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


class JsonLogger(glogging.Logger):
    """Gunicorn logger whose access log is one JSON object per request.

    Built with ``json.dumps`` rather than an ``access_log_format`` template, so quotes or
    backslashes in paths and user agents cannot break the JSON.
    """

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not getattr(self, "access_log_enabled", True):
            return
        atoms = self.atoms(resp, req, environ, request_time)
        status = atoms.get("s")
        entry = {
            "timestamp": datetime.now(UTC).isoformat(),
            "level": "info",
            "logger": "gunicorn.access",
            "event": "request",
            "remote_addr": atoms.get("h"),
            "method": atoms.get("m"),
            "path": atoms.get("U"),
            "query": atoms.get("q") or None,
            "status": int(status) if str(status).isdigit() else status,
            "bytes": atoms.get("B"),
            "duration_ms": round(request_time.total_seconds() * 1000, 3),
            "request_id": atoms.get("{x-request-id}o"),
            "user_agent": atoms.get("a"),
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(entry))
        except Exception:
            self.exception("could not write the access log entry")


logger_class = JsonLogger


def on_starting(server: Any) -> None:
    """Start from an empty metrics directory: stale files from a previous run would be summed in.

    This also drops the files the master wrote while preloading; workers write their own.
    """
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def when_ready(server: Any) -> None:
    """In the master, before the first worker is forked: warm the feature cache, then freeze the heap.

    gunicorn calls this once the master listens and before it spawns any worker; with
    ``preload_app`` the app is already built. Features computed here (``service.ops.warm_up``,
    ``PROVENANCE_WARM_CACHE`` documents) are inherited through copy-on-write by every worker,
    including the ones forked later to replace workers recycled after ``max_requests``, instead
    of being recomputed by each worker on its first requests. Requests arriving meanwhile wait
    in the listen backlog. A failed warm-up is logged and the workers start cold.

    The master serves no requests, so the database connections it opened are closed: it would
    otherwise hold a PostgreSQL connection for its whole life.

    ``gc.freeze()`` then moves every object the master holds (the app, its modules, the cache)
    into the collector's permanent generation. CPython's cyclic collector writes into the header
    of each object it examines; without the freeze, the first full collection in a worker would
    walk the inherited heap and copy every page holding a container object (about 230 MB of a
    10,000-document cache, measured), though the worker reads few of them. One collection first,
    so garbage left by the start-up is freed rather than kept forever in the permanent generation.
    """
    from service.ops import warm_up
    from service.wsgi import app

    warm_up(app)
    for name in ("engine", "read_engine"):
        engine = app.extensions.get(name)
        if engine is not None:
            engine.dispose()
    gc.collect()
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    """Drop the database connections inherited from the master; the worker opens its own."""
    from service.wsgi import app

    for name in ("engine", "read_engine"):
        engine = app.extensions.get(name)
        if engine is not None:
            engine.dispose(close=False)


def child_exit(server: Any, worker: Any) -> None:
    """Remove a dead worker's live gauges from the aggregated metrics."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
