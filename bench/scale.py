"""How ingest, the statement check and page annotation scale with the corpus, on SQLite and PostgreSQL.

    .venv/bin/python bench/scale.py                                   # 1,000 and 10,000 docs, both engines
    .venv/bin/python bench/scale.py --sizes 100000 --engines postgresql --json bench/out/scale100k.json
    .venv/bin/python bench/scale.py --plot bench/out/scale.json bench/out/scale100k.json --png docs/scale.png

For each engine and size: a corpus from ``bench/generate_corpus.py`` (all families, so viral
stories of up to 200 verbatim copies are in it) is ingested into a fresh database with
``service.ingest.pipeline.ingest_many`` (the path of ``provenance ingest`` and of queued batches;
1,000 documents per transaction, text work in one preparing process). Then a fresh process -- as
an API or queue worker would be -- checks ``--checks`` statements (sentences of stored articles,
a fifth with a changed figure) and annotates ``--pages`` pages of about 1,500 words
(``bench/annotate_latency.py``'s pages) through Flask's test client, and reports median and p95
latency and its own peak resident memory. Reported per run: ingest seconds and documents per
second (and CPU seconds), peak RSS of the ingesting process, check and annotate median/p95 (ms),
the query process's peak RSS, the database size. Each finished run is written to ``--json`` at
once, so a long run can be watched and a crash loses nothing already measured.

PostgreSQL runs use the server at ``--pg-url`` (a database ``scale_<size>`` is created, dropped
first if it exists; ``--db-prefix`` changes ``scale``); SQLite runs a file under ``--out``.
``--keep`` keeps the databases; ``--reuse`` skips the ingest of a kept database (queries only).
``--profile`` writes a cProfile of the query process's checks to ``--out``. ``--stages`` also
times each stage of a check (as ``bench/check_latency.py --stages``) and of an annotation
(candidate lookup, document loading, comparison, provenance hops). ``--dump FILE`` writes the
SHA-256 of every check's and page's whole response body, one line each (base vs branch identity),
and ``--code DIR`` measures another checkout's service on the same database. Timings on a shared
machine depend on other load:
the load average at the start and end of each run is recorded with it. While a corpus is being
ingested, ``<out>/ingest_<engine>_<size>.progress.json`` holds the documents done so far, the
seconds, CPU seconds and peak memory.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def payloads(n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` generated documents (all families) as ingest payloads, with their (partly wrong) dates."""
    from bench.generate_corpus import generate

    return [
        {"external_id": d.id, "title": d.title, "outlet": d.outlet.name,
         "url": f"https://{d.outlet.host}/news/{d.id}", "text": d.text(),
         "published_at": d.published_at.isoformat() if d.published_at else None}
        for d in generate(n, seed)
    ]


def database_url(engine: str, size: int, args: argparse.Namespace) -> str:
    if engine == "sqlite":
        return f"sqlite:///{(args.out / f'scale_{size}.db').resolve()}"
    from sqlalchemy.engine import make_url

    return make_url(args.pg_url).set(database=f"{args.db_prefix}_{size}").render_as_string(hide_password=False)


def fresh_database(url: str) -> None:
    """An empty database at ``url``, migrated to the latest schema."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from service import migrate

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
        admin.dispose()
    migrate.upgrade(url)


def database_bytes(url: str) -> int:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return sum(Path(f"{parsed.database}{s}").stat().st_size for s in ("", "-wal")
                   if Path(f"{parsed.database}{s}").exists())
    engine = create_engine(url)
    with engine.connect() as conn:
        size = int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
    engine.dispose()
    return size


def ingest(url: str, docs: list[dict[str, Any]], batch_size: int, workers: int, progress_file: Path
           ) -> dict[str, Any]:
    """Ingest ``docs`` into ``url`` in a child process; its time, CPU and peak memory."""
    cmd = [sys.executable, __file__, "_ingest", "--url", url, "--batch-size", str(batch_size),
           "--workers", str(workers), "--progress-file", str(progress_file)]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdin is not None and proc.stdout is not None
    for d in docs:
        proc.stdin.write(json.dumps(d) + "\n")
    proc.stdin.close()
    out = proc.stdout.read()
    proc.stdout.close()
    if proc.wait() != 0:
        raise SystemExit(f"ingest failed ({proc.returncode})")
    return dict(json.loads(out.strip().splitlines()[-1]))


def _ingest_child(args: argparse.Namespace) -> int:
    """Child: read payloads from stdin, ingest them, print one JSON line."""
    from service import create_app
    from service.db import session_scope
    from service.ingest import pipeline
    from service.schemas.documents import DocumentCreateSchema

    schema = DocumentCreateSchema()
    docs = [schema.load(json.loads(line)) for line in sys.stdin]  # as ``provenance ingest`` validates
    app = create_app({"DATABASE_URL": args.url, "TESTING": True, "AUTO_MIGRATE": False})
    t0 = time.perf_counter()
    with app.app_context(), session_scope(app) as session, \
            tqdm(total=len(docs), desc=f"ingest {len(docs)}", unit="doc", file=sys.stderr) as bar:
        def progress(done: int) -> None:
            bar.update(done - bar.n)
            if args.progress_file:  # a long run can be read while it goes
                usage = resource.getrusage(resource.RUSAGE_SELF)
                Path(args.progress_file).write_text(json.dumps({
                    "done": done, "seconds": round(time.perf_counter() - t0, 1),
                    "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
                    "peak_rss_mb": round(usage.ru_maxrss / 1024), "load": os.getloadavg()[0]}))

        results = pipeline.ingest_many(session, docs, app.config, workers=args.workers,
                                       batch_size=args.batch_size, progress=progress)
    seconds = time.perf_counter() - t0
    failed = [r for r in results if r.error is not None]
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "seconds": round(seconds, 1),
        "docs_per_second": round(len(docs) / seconds, 1),
        "ms_per_doc": round(1000 * seconds / len(docs), 2),
        "failed": len(failed),
        "cpu_seconds": round(own.ru_utime + own.ru_stime, 1),
        "worker_cpu_seconds": round(children.ru_utime + children.ru_stime, 1),
        "peak_rss_mb": round(own.ru_maxrss / 1024),
        "preparing_worker_peak_rss_mb": round(children.ru_maxrss / 1024),
    }))
    return 0


def page_sources(session: Any, rng: random.Random, pages: int) -> list[list[str]]:
    """Body sentences (12+ words, not the first or last two) of random stored articles, six
    articles per page to annotate: the text the annotated pages are built from."""
    from sqlalchemy import func, select

    from service.models import Passage

    total = session.scalar(select(func.max(Passage.document_id))) or 0
    sources: list[list[str]] = []
    while len(sources) < 6 * max(1, pages):
        doc_id = rng.randint(1, total)
        texts = list(session.scalars(select(Passage.text).where(Passage.document_id == doc_id)
                                     .order_by(Passage.seq)))
        body = [t for t in texts[2:-2] if len(t.split()) >= 12]
        if len(body) >= 4:
            sources.append(body)
    return sources


def statements(session: Any, rng: random.Random, count: int) -> list[str]:
    """Sentences of stored articles (not titles, bylines or disclaimers); a fifth with a figure changed."""
    from sqlalchemy import func, select

    from service.models import Passage

    total = session.scalar(select(func.max(Passage.document_id))) or 0
    out: list[str] = []
    while len(out) < count:
        doc_id = rng.randint(1, total)
        texts = list(session.scalars(select(Passage.text).where(Passage.document_id == doc_id).order_by(Passage.seq)))
        body = [t for t in texts[2:-2] if 10 <= len(t.split()) <= 40]
        if not body:
            continue
        sentence = rng.choice(body)
        number = _NUMBER.search(sentence)
        if number and rng.random() < 0.2:
            sentence = sentence[: number.start()] + str(int(float(number.group()) * 3) + 7) + sentence[number.end():]
        out.append(sentence)
    return out


def _wrap_annotate_stages(stage_times: dict[str, list[float]]) -> None:
    """Time the stages of a page annotation by wrapping what ``service.provenance.annotate`` calls."""
    from bench.check_latency import wrap_functions
    from service.provenance import annotate

    wrap_functions(annotate, {"candidates": "BatchIndex", "load": "load_documents", "compare": "compare",
                              "provenance": "passage_chains"}, stage_times)


def _stage_summary(stage_times: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    return {name: {"median": round(statistics.median(v), 1), "p95": round(percentile(v, 0.95), 1)}
            for name, v in stage_times.items() if v}


def _digest(body: Any) -> str:
    """SHA-256 of a response body, keys sorted (a problem's random request id left out)."""
    import hashlib

    from bench.check_latency import _without_request_id

    text = json.dumps(_without_request_id(body), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _query_child(args: argparse.Namespace) -> int:
    """Child: time checks and annotations on a filled database, print one JSON line."""
    if args.code:
        sys.path.insert(0, str(args.code.resolve()))
    from bench.annotate_latency import build_page
    from service import create_app
    from service.db import session_scope

    rng = random.Random(args.seed)
    app = create_app({"DATABASE_URL": args.url, "TESTING": True, "AUTO_MIGRATE": False})
    with app.app_context(), session_scope(app) as session:
        sample = statements(session, rng, args.checks)
        sources = page_sources(session, rng, args.pages)
    client = app.test_client()
    # first requests load WordNet, the stance model and the vector index: not what is measured
    client.post("/v1/statements/check", json={"statement": "The council approved the budget on Monday."})
    client.post("/v1/pages/annotate", json={"text": "Warm-up page about nothing in particular at all."})
    # as a served worker starts: gunicorn's master (docker/gunicorn.conf.py ``when_ready``) and the
    # RQ worker freeze what start-up loaded, so the collector does not walk it in every full pass
    gc.collect()
    gc.freeze()
    check_stages: dict[str, list[float]] = {}
    page_stages: dict[str, list[float]] = {}
    if args.stages:
        from bench.check_latency import _wrap_stages

        _wrap_stages(check_stages, args.code or ROOT)
        _wrap_annotate_stages(page_stages)
    dumped: list[str] = []
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    checks: list[float] = []
    statuses: dict[int, int] = {}
    evidence: list[int] = []
    for s in tqdm(sample, desc="check", unit="stmt", file=sys.stderr):
        for values in check_stages.values():
            values.append(0.0)
        t0 = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        r = client.post("/v1/statements/check", json={"statement": s, "limit": 20})
        if profiler is not None:
            profiler.disable()
        elapsed = (time.perf_counter() - t0) * 1000
        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        dumped.append(f"check\t{_digest(r.get_json())}\t{s}")
        if r.status_code == 200:
            checks.append(elapsed)
            evidence.append(len(r.get_json()["evidence"]))
    if profiler is not None:
        profiler.dump_stats(str(args.profile))
    pages: list[float] = []
    for _ in tqdm(range(args.pages), desc="annotate", unit="page", file=sys.stderr):
        text, _expected = build_page(rng, rng.sample(sources, 6))
        for values in page_stages.values():
            values.append(0.0)
        t0 = time.perf_counter()
        r = client.post("/v1/pages/annotate", json={"text": text})
        pages.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, r.get_json()
        dumped.append(f"page\t{_digest(r.get_json())}\t{text[:60]}")
    if args.dump:
        Path(args.dump).write_text("".join(f"{line}\n" for line in dumped), encoding="utf-8")
    print(json.dumps({
        "check_median_ms": round(statistics.median(checks), 1) if checks else None,
        "check_p95_ms": round(percentile(checks, 0.95), 1) if checks else None,
        "check_max_ms": round(max(checks), 1) if checks else None,
        "check_status": statuses,
        "check_evidence_mean": round(statistics.mean(evidence), 1) if evidence else None,
        "annotate_median_ms": round(statistics.median(pages), 1) if pages else None,
        "annotate_p95_ms": round(percentile(pages, 0.95), 1) if pages else None,
        "query_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        **({"check_stages_ms": _stage_summary(check_stages),
            "annotate_stages_ms": _stage_summary(page_stages)} if args.stages else {}),
    }))
    return 0


def query(url: str, args: argparse.Namespace, profile: Path | None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "_query", "--url", url, "--checks", str(args.checks),
           "--pages", str(args.pages), "--seed", str(args.seed)]
    if profile is not None:
        cmd += ["--profile", str(profile)]
    if args.stages:
        cmd.append("--stages")
    if args.dump:
        cmd += ["--dump", str(args.dump.resolve())]
    if args.code:
        cmd += ["--code", str(args.code.resolve())]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def run(args: argparse.Namespace) -> int:
    args.out.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, Any]] = []
    if args.json.exists() and args.append:
        results = json.loads(args.json.read_text())
    for size in args.sizes:
        docs: list[dict[str, Any]] | None = None
        for engine in args.engines:
            url = database_url(engine, size, args)
            row: dict[str, Any] = {"engine": engine, "documents": size, "load_start": os.getloadavg()[0],
                                   "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
            if not args.reuse:
                if docs is None:
                    docs = payloads(size, args.seed)
                fresh_database(url)
                progress_file = args.out / f"ingest_{engine}_{size}.progress.json"
                row["ingest"] = ingest(url, docs, args.batch_size, args.workers, progress_file)
                print(f"{engine} {size}: ingest {row['ingest']}", file=sys.stderr)
            row["database_mb"] = round(database_bytes(url) / 2**20)
            if not args.no_queries:
                profile = args.out / f"check_{engine}_{size}.prof" if args.profile else None
                row["queries"] = query(url, args, profile)
                print(f"{engine} {size}: {row['queries']}", file=sys.stderr)
            row["load_end"] = os.getloadavg()[0]
            results.append(row)
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(results, indent=1))
            if not args.keep and engine == "sqlite":
                Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    print(json.dumps(results, indent=1))
    return 0


def table(results: list[dict[str, Any]]) -> str:
    """The results as a Markdown table."""
    lines = ["| engine | documents | ingest s | docs/s | ms/doc | ingest RSS MB | check median / p95 ms | "
             "annotate median / p95 ms | query RSS MB | database MB | load |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in sorted(results, key=lambda r: (r["engine"], r["documents"])):
        i, q = r.get("ingest", {}), r.get("queries", {})
        lines.append(
            f"| {r['engine']} | {r['documents']:,} | {i.get('seconds', '-')} | {i.get('docs_per_second', '-')} | "
            f"{i.get('ms_per_doc', '-')} | {i.get('peak_rss_mb', '-')} | "
            f"{q.get('check_median_ms', '-')} / {q.get('check_p95_ms', '-')} | "
            f"{q.get('annotate_median_ms', '-')} / {q.get('annotate_p95_ms', '-')} | "
            f"{q.get('query_peak_rss_mb', '-')} | "
            f"{r.get('database_mb', '-')} | {r['load_start']:.1f}-{r['load_end']:.1f} |")
    return "\n".join(lines)


def plot(files: list[Path], png: Path) -> int:
    """Plot ingest cost per document, check and annotate p95 against corpus size, per engine."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = [r for f in files for r in json.loads(f.read_text())]
    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    panels = [("ingest ms per document", lambda r: r.get("ingest", {}).get("ms_per_doc")),
              ("check p95 ms", lambda r: r.get("queries", {}).get("check_p95_ms")),
              ("annotate p95 ms", lambda r: r.get("queries", {}).get("annotate_p95_ms"))]
    for ax, (title, value) in zip(axes, panels, strict=True):
        for engine in sorted({r["engine"] for r in results}):
            points = sorted((r["documents"], value(r)) for r in results
                            if r["engine"] == engine and value(r) is not None)
            if points:
                ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=engine)
        ax.set_xscale("log")
        ax.set_xlabel("documents")
        ax.set_title(title)
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend()
    fig.tight_layout()
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=100)
    print(table(results))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", nargs="?", default="run", choices=["run", "_ingest", "_query"],
                    help=argparse.SUPPRESS)
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 10000])
    ap.add_argument("--engines", type=lambda s: s.split(","), default=["sqlite", "postgresql"])
    ap.add_argument("--pg-url", default=os.environ.get("SCALE_PG_URL", DEFAULT_PG))
    ap.add_argument("--db-prefix", default="scale", help="databases are <prefix>_<size> (own names for parallel runs)")
    ap.add_argument("--checks", type=int, default=200)
    ap.add_argument("--pages", type=int, default=30)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=1, help="processes preparing text ahead of storing")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "scale")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "scale.json")
    ap.add_argument("--append", action="store_true", help="add to the runs already in --json")
    ap.add_argument("--keep", action="store_true", help="keep the SQLite databases")
    ap.add_argument("--reuse", action="store_true", help="measure queries on kept databases, no ingest")
    ap.add_argument("--no-queries", action="store_true", help="ingest only")
    ap.add_argument("--profile", nargs="?", const=True, default=None, help="cProfile the checks")
    ap.add_argument("--stages", action="store_true", help="time each stage of a check and of an annotation")
    ap.add_argument("--dump", type=Path, help="write the hash of every check's and page's response here")
    ap.add_argument("--code", type=Path, help="the checkout whose service answers the queries (default: this one)")
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--progress-file", help=argparse.SUPPRESS)
    ap.add_argument("--plot", type=Path, nargs="+", help="plot these result files instead of running")
    ap.add_argument("--png", type=Path, default=ROOT / "docs" / "scale.png")
    args = ap.parse_args(argv)
    if args.mode == "_ingest":
        return _ingest_child(args)
    if args.mode == "_query":
        return _query_child(args)
    if args.plot:
        return plot(args.plot, args.png)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
