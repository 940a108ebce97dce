"""The ``provenance`` command: serve, migrate the database, ingest files, rebuild the lineage, print the spec."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import yaml
from flask import Flask

from service import create_app
from service.cli_keys import keys
from service.ingest.pipeline import ingest_many
from service.ingest.rebuild import reanalyse
from service.ingest.workers import default_workers
from service.ops import warm_up

INGESTIBLE = {".txt", ".html", ".htm", ".json", ".jsonl"}


def _app(auto_migrate: bool = True) -> Flask:
    return create_app({"AUTO_MIGRATE": auto_migrate})


@click.group()
def main() -> None:
    """Citation-provenance service for newsrooms."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--load",
    "load_paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Ingest these files or folders before serving (repeatable).",
)
@click.option("--debug/--no-debug", default=False)
def serve(host: str, port: int, load_paths: tuple[Path, ...], debug: bool) -> None:
    """Run the development server (use gunicorn in production); warms the feature cache first if configured."""
    app = _app()
    if load_paths:
        _ingest_paths(app, load_paths)
    warm_up(app)
    app.run(host=host, port=port, debug=debug, use_reloader=False)


@main.group()
def db() -> None:
    """Database schema management."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations (a release step on PostgreSQL)."""
    from service import migrate
    from service.config import load_config

    config = load_config()
    url = config.get("DATABASE_URL")
    if not url:
        app = _app(auto_migrate=False)
        url = app.config["DATABASE_URL"]
    migrate.upgrade(str(url), revision)
    click.echo(f"database at {revision}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Processes preparing text ahead of storing; 0 prepares in turn [default: CPUs - 1, at least 1].")
@click.option("--batch-size", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Documents stored per transaction.")
def ingest(paths: tuple[Path, ...], workers: int | None, batch_size: int) -> None:
    """Ingest .txt/.html/.json/.jsonl files or folders of them (a .jsonl manifest like seeds.jsonl works)."""
    app = _app()
    created, existing, failed = _ingest_paths(app, paths, workers=default_workers() if workers is None else workers,
                                              batch_size=batch_size)
    click.echo(f"created {created}, existing {existing}, failed {failed}")
    if failed:
        sys.exit(1)


@main.command()
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Processes analysing text ahead; 0 analyses in turn [default: CPUs - 1, at least 1].")
@click.option("--batch-size", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Documents analysed per pass over the reuse index.")
@click.option("--async", "run_async", is_flag=True,
              help="Queue the rebuild for a `provenance worker` and print the job's id and URL path.")
def rebuild(workers: int | None, batch_size: int, run_async: bool) -> None:
    """Recompute the reuse index, links and lineage of every stored document (after an upgrade or many deletes).

    Stored documents are not touched; the old graph stays readable until the new one is committed.
    Ingest and deletes wait for it (they take the same lock).
    """
    from tqdm import tqdm

    from service.db import session_scope

    app = _app()
    if run_async:
        from service.jobs.queue import QueueUnavailable, enqueue_rebuild, get_queue

        queue = get_queue(app.config)
        if queue is None:
            raise click.ClickException("--async needs the job queue: set PROVENANCE_REDIS_URL or PROVENANCE_QUEUE_URL.")
        try:
            job = enqueue_rebuild(queue, app.config, workers=0 if workers is None else workers,
                                  batch_size=batch_size)
        except QueueUnavailable as exc:
            raise click.ClickException(f"the job queue is unreachable: {exc}") from exc
        click.echo(f"queued rebuild job {job.id}: GET /v1/jobs/{job.id}")
        return
    with app.app_context(), session_scope(app) as session, \
            tqdm(desc="rebuild", unit="doc", file=sys.stderr) as bar:
        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        count = reanalyse(session, workers=default_workers() if workers is None else workers, batch_size=batch_size,
                          progress=progress)
    click.echo(f"rebuilt the lineage of {count} documents")


@main.command()
@click.option("--burst", is_flag=True, help="Quit once the queue is empty (for scripts and tests).")
@click.option("--name", default=None, help="Worker name in Redis [default: HOST.PID].")
def worker(burst: bool, name: str | None) -> None:
    """Run a job worker: queued batch ingests and rebuilds (needs PROVENANCE_REDIS_URL or PROVENANCE_QUEUE_URL).

    SIGTERM (or Ctrl+C) stops it after the current job; run as many as you like, on any host.
    """
    from service.jobs.queue import queue_url
    from service.jobs.worker import run_worker

    app = _app()
    if queue_url(app.config) is None:
        raise click.ClickException("no job queue: set PROVENANCE_REDIS_URL (or PROVENANCE_QUEUE_URL).")
    run_worker(app, burst=burst, name=name)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
def openapi(fmt: str) -> None:
    """Print the OpenAPI document generated from the code."""
    click.echo(render_openapi(fmt), nl=False)


main.add_command(keys)


def render_openapi(fmt: str = "yaml") -> str:
    """The OpenAPI spec as YAML or JSON text (the same renderer writes ``openapi.yaml``)."""
    app = create_app({"DATABASE_URL": "sqlite://", "AUTO_MIGRATE": False})
    spec = app.extensions["api"].spec.to_dict()
    if fmt == "json":
        return json.dumps(spec, indent=2, sort_keys=True) + "\n"
    return str(yaml.safe_dump(spec, sort_keys=True, allow_unicode=True))


def iter_payloads(paths: tuple[Path, ...]) -> Iterator[tuple[str, dict[str, Any] | None, str | None]]:
    """Yield ``(label, payload, error)`` for every document found in ``paths``."""
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in INGESTIBLE) if path.is_dir() else [path]
        if path.is_dir() and any(p.suffix == ".jsonl" for p in files):
            files = [p for p in files if p.suffix == ".jsonl"]  # a manifest names its own files
        for file in files:
            yield from _file_payloads(file)


def _file_payloads(file: Path) -> Iterator[tuple[str, dict[str, Any] | None, str | None]]:
    suffix = file.suffix.lower()
    if suffix == ".txt":
        yield str(file), {"text": file.read_text(encoding="utf-8"), "external_id": file.stem}, None
    elif suffix in {".html", ".htm"}:
        yield str(file), {"html": file.read_text(encoding="utf-8"), "external_id": file.stem}, None
    elif suffix == ".json":
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except ValueError as exc:
            yield str(file), None, f"invalid JSON: {exc}"
            return
        for i, item in enumerate(data if isinstance(data, list) else [data]):
            yield f"{file}[{i}]", _manifest_item(item, file.parent), None
    elif suffix == ".jsonl":
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError as exc:
                yield f"{file}:{number}", None, f"invalid JSON: {exc}"
                continue
            try:
                yield f"{file}:{number}", _manifest_item(item, file.parent), None
            except OSError as exc:
                yield f"{file}:{number}", None, str(exc)
    else:
        yield str(file), None, f"unsupported file type {suffix}"


def _manifest_item(item: Any, base: Path) -> dict[str, Any]:
    """A manifest record: metadata plus inline ``text``/``html`` or a ``path``; ``id`` is the external id."""
    if not isinstance(item, dict):
        raise OSError("a manifest record must be a JSON object")
    payload = {k: v for k, v in item.items() if v is not None and k not in {"id", "path"}}
    if "id" in item and "external_id" not in payload:
        payload["external_id"] = str(item["id"])
    if item.get("path"):
        source = base / str(item["path"])
        content = source.read_text(encoding="utf-8")
        payload["html" if source.suffix.lower() in {".html", ".htm"} else "text"] = content
    return payload


def _ingest_paths(app: Flask, paths: tuple[Path, ...], *, workers: int = 0,
                  batch_size: int = 1000) -> tuple[int, int, int]:
    """Ingest every document found in ``paths`` in batches, with a progress bar; returns counts."""
    import marshmallow as ma
    from tqdm import tqdm

    from service.db import session_scope
    from service.schemas.documents import DocumentCreateSchema

    schema = DocumentCreateSchema()
    valid: list[tuple[str, dict[str, Any]]] = []
    failed = 0
    for label, payload, error in iter_payloads(paths):
        if payload is not None:
            try:
                valid.append((label, schema.load(payload)))
                continue
            except ma.ValidationError as exc:
                error = json.dumps(exc.messages)
        failed += 1
        click.echo(f"skipped {label}: {error}", err=True)
    with app.app_context(), session_scope(app) as session, \
            tqdm(total=len(valid), desc="ingest", unit="doc", file=sys.stderr) as bar:
        results = ingest_many(session, [p for _, p in valid], app.config, workers=workers, batch_size=batch_size,
                              progress=lambda done: bar.update(done - bar.n))
    created = existing = 0
    for (label, _), result in zip(valid, results, strict=True):
        if result.error is not None:
            failed += 1
            click.echo(f"skipped {label}: {result.error.detail}", err=True)
        elif result.created:
            created += 1
        else:
            existing += 1
    return created, existing, failed
