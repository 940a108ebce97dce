"""Ingest speed with reuse detection, in-process on SQLite: docs/second and peak memory.

    .venv/bin/python bench/ingest_speed.py --docs 1000
    .venv/bin/python bench/ingest_speed.py --docs 10000 --keep bench/out/corpus10k.db
    .venv/bin/python bench/ingest_speed.py --docs 1000 --mode single

Documents come from ``bench/generate_corpus.py`` (generated in memory, same seed -> same
corpus) and go through the full ingest pipeline -- normalisation, segmentation, storage,
full-text index, fingerprints, candidate search, alignment and lineage -- minus HTTP and JSON:

* ``--mode bulk`` (default): ``service.ingest.pipeline.ingest_many``, the path of ``provenance ingest``
  and ``POST /v1/documents/batch`` (``--batch-size`` documents per transaction, text work in
  ``--workers`` processes);
* ``--mode single``: ``service.ingest.pipeline.ingest_document`` once per document, one session each,
  the path of ``POST /v1/documents``.

``--no-provenance`` measures the same pipeline without the reuse-detection calls, to show what
detection costs; ``--no-semantic`` without the passage vectors (computed in the workers, stored
by the storing process), to show what the semantic retrieval channel costs. Peak memory is the
largest resident set of this process and its workers.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate_corpus import Generator  # noqa: E402
from service.ingest.workers import default_workers  # noqa: E402


def payloads(n: int, seed: int) -> list[dict[str, object]]:
    """Generated documents as ingest payloads (no dates)."""
    gen = Generator(seed)
    gen.build(n)
    return [
        {"external_id": d.id, "title": d.title, "outlet": d.outlet.name,
         "url": f"https://{d.outlet.host}/news/{d.id}", "text": d.text()}
        for d in gen.docs
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--mode", choices=["bulk", "single"], default="bulk")
    ap.add_argument("--workers", type=int, default=default_workers(),
                    help="bulk mode: processes preparing text ahead of storing (0: in turn)")
    ap.add_argument("--batch-size", type=int, default=1000, help="bulk mode: documents per transaction")
    ap.add_argument("--no-provenance", action="store_true", help="disable the reuse-detection hook")
    ap.add_argument("--no-semantic", action="store_true", help="compute and store no passage vectors")
    ap.add_argument("--keep", type=Path, help="copy the resulting SQLite database here (for annotate_latency)")
    ap.add_argument("--profile", type=Path,
                    help="bulk mode: cProfile the storing of each batch (process time) and write the stats here")
    args = ap.parse_args()

    from service import create_app
    from service.db import session_scope
    from service.ingest import pipeline, store, workers

    if args.no_provenance:  # ingest calls the reuse index explicitly: replace those calls
        store.index_documents = lambda *a, **k: None  # type: ignore[assignment]
        workers.analyse_ahead = lambda *a, **k: None  # type: ignore[assignment]
    if args.no_semantic:
        store.add_documents = lambda *a, **k: 0  # type: ignore[assignment]
        workers.embed_ahead = lambda *a, **k: None  # type: ignore[assignment]
    profiler = None
    if args.profile:  # only the storing process's batches: the workers are forked outside the profiler
        import cProfile

        profiler = cProfile.Profile(time.process_time)
        store_batch = pipeline.store_batch

        def profiled(*a: object, **k: object) -> object:
            profiler.enable()
            try:
                return store_batch(*a, **k)  # type: ignore[arg-type]
            finally:
                profiler.disable()

        pipeline.store_batch = profiled  # type: ignore[assignment]
    docs = payloads(args.docs, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "speed.db"
        app = create_app({"DATABASE_URL": f"sqlite:///{db}", "TESTING": True})
        t0 = time.perf_counter()
        checkpoints: dict[int, float] = {}

        def checkpoint(done: int) -> None:
            for mark in (1000, 2000, 5000, 10000):
                if done >= mark and mark not in checkpoints:
                    checkpoints[mark] = round(time.perf_counter() - t0, 2)

        with app.app_context():
            if args.mode == "single":
                for i, payload in enumerate(tqdm(docs, desc="ingest", unit="doc"), 1):
                    with session_scope(app) as session:  # one session per document, as per request
                        pipeline.ingest_document(session, payload, app.config)
                    checkpoint(i)
            else:
                with session_scope(app) as session, tqdm(total=len(docs), desc="ingest", unit="doc") as bar:
                    def progress(done: int) -> None:
                        bar.update(done - bar.n)
                        checkpoint(done)

                    results = pipeline.ingest_many(session, docs, app.config, workers=args.workers,
                                                 batch_size=args.batch_size, progress=progress)
                failed = [r for r in results if r.error is not None]
                if failed:
                    raise SystemExit(f"{len(failed)} documents failed, e.g. {failed[0].error}")
        seconds = time.perf_counter() - t0
        usage = {who: resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)}
        peak_mb = max(resource.getrusage(who).ru_maxrss for who in
                      (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
        if args.keep:
            args.keep.parent.mkdir(parents=True, exist_ok=True)
            app.extensions["engine"].dispose()
            shutil.copy(db, args.keep)
    if profiler is not None:
        args.profile.parent.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(str(args.profile))
    report = {
        "documents": len(docs),
        "provenance": not args.no_provenance,
        "semantic": not args.no_semantic,
        "mode": args.mode,
        "workers": args.workers if args.mode == "bulk" else 0,
        "seconds": round(seconds, 2),
        "docs_per_second": round(len(docs) / seconds, 1),
        "seconds_at": checkpoints,
        "peak_memory_mb": round(peak_mb),
        # CPU time of the storing process and of the (finished) worker processes.
        "cpu_seconds": {"main": round(usage[resource.RUSAGE_SELF].ru_utime + usage[resource.RUSAGE_SELF].ru_stime, 1),
                        "workers": round(usage[resource.RUSAGE_CHILDREN].ru_utime
                                         + usage[resource.RUSAGE_CHILDREN].ru_stime, 1)},
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
