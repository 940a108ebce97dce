"""Ingest speed with reuse detection, in-process on SQLite: docs/second and peak memory.

    .venv/bin/python bench/ingest_speed.py --docs 1000
    .venv/bin/python bench/ingest_speed.py --docs 10000 --keep bench/out/corpus10k.db

Documents come from ``bench/generate_corpus.py`` (generated in memory, same seed -> same
corpus) and go through ``service.ingest.ingest_document`` -- the full pipeline behind
``POST /v1/documents``: normalisation, segmentation, storage, full-text index, fingerprints,
candidate search, alignment and lineage -- minus HTTP and JSON. ``--no-provenance`` measures
the same pipeline without the reuse-detection hook, to show what detection costs.
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
    ap.add_argument("--no-provenance", action="store_true", help="disable the reuse-detection hook")
    ap.add_argument("--keep", type=Path, help="copy the resulting SQLite database here (for annotate_latency)")
    args = ap.parse_args()

    from service import create_app, ingest
    from service.db import session_scope

    if args.no_provenance:
        ingest.AFTER_STORE.clear()
        ingest.BEFORE_DELETE.clear()
    docs = payloads(args.docs, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "speed.db"
        app = create_app({"DATABASE_URL": f"sqlite:///{db}", "TESTING": True})
        t0 = time.perf_counter()
        checkpoints = {}
        with app.app_context():
            for i, payload in enumerate(tqdm(docs, desc="ingest", unit="doc"), 1):
                with session_scope(app) as session:  # one session per document, as per request
                    ingest.ingest_document(session, payload, app.config)
                if i in (1000, 2000, 5000, 10000):
                    checkpoints[i] = round(time.perf_counter() - t0, 2)
        seconds = time.perf_counter() - t0
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if args.keep:
            args.keep.parent.mkdir(parents=True, exist_ok=True)
            app.extensions["engine"].dispose()
            shutil.copy(db, args.keep)
    report = {
        "documents": len(docs),
        "provenance": not args.no_provenance,
        "seconds": round(seconds, 2),
        "docs_per_second": round(len(docs) / seconds, 1),
        "seconds_at": checkpoints,
        "peak_memory_mb": round(peak_mb),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
