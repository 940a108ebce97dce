"""Where a worker's memory goes: resident memory of a fresh query process after each step.

    .venv/bin/python bench/memory.py --url sqlite:///bench/out/corpus10k.db --checks 200 --pages 30
    .venv/bin/python bench/memory.py --url postgresql+psycopg://postgres@127.0.0.1/scale_10000 --json out.json
    .venv/bin/python bench/memory.py --url ... --tracemalloc 25     # the 25 largest allocation sites at the end

The steps are those of an API or queue worker's life: imports, ``create_app``, ``ops.warm_up``
(WordNet, with ``PROVENANCE_WARM_CACHE`` the feature cache), the first check and page (the
stance model, the embedding model, the passage-vector index), then ``--checks`` checks and
``--pages`` page annotations as ``bench/scale.py`` makes them (same seed: same statements).
Reported per step: resident memory now and the peak so far (MB). ``--responses FILE`` writes
the check responses, to compare two versions byte for byte.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    """Current resident memory of this process (MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _trim() -> None:
    """Collect garbage and hand freed heap back to the system (glibc), so RSS shows what is held."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass


def breakdown(step: Any) -> None:
    """Empty the per-process caches one by one; the RSS after each says what it held."""
    from service.checking import _refutations
    from service.core.stance import passage
    from service.core.stance.model import classifier, features
    from service.core.text import tokens, wordnet
    from service.provenance import feature_cache
    from service.semantic import index

    _trim()
    step("trimmed")
    caches: list[tuple[str, Any]] = [
        ("stance DOC_CACHE", classifier._cached_doc.cache_clear),
        ("features caches", lambda: [f.cache_clear() for f in vars(features).values() if hasattr(f, "cache_clear")]),
        ("passage caches", lambda: (passage.passage_words.cache_clear(), passage.analyse_passage.cache_clear())),
        ("refutations", _refutations.cache_clear),
        ("token caches", lambda: [f.cache_clear() for f in vars(tokens).values() if hasattr(f, "cache_clear")]),
        ("feature_cache", lambda: (feature_cache.FEATURES.clear(),)),
        ("wordnet caches", wordnet._clear_caches),
        ("vector index", lambda: index._INDEXES.clear()),
    ]
    for name, clear in caches:
        clear()
        _trim()
        step(f"- {name}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True)
    ap.add_argument("--checks", type=int, default=200)
    ap.add_argument("--pages", type=int, default=30)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--tracemalloc", type=int, default=0, help="show this many top allocation sites")
    ap.add_argument("--responses", type=Path, help="write the check responses here (JSON lines)")
    ap.add_argument("--breakdown", action="store_true",
                    help="at the end, empty each per-process cache in turn and report what it freed")
    ap.add_argument("--json", type=Path, help="write the steps here")
    args = ap.parse_args(argv)
    steps: list[dict[str, Any]] = []

    def step(name: str) -> None:
        steps.append({"step": name, "rss_mb": rss_mb(), "peak_mb": peak_mb()})
        print(f"{name:28s} rss {steps[-1]['rss_mb']:7.1f} MB  peak {steps[-1]['peak_mb']:7.1f} MB", file=sys.stderr)

    step("interpreter")
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start(1)
    import flask  # noqa: F401
    import numpy  # noqa: F401
    import sqlalchemy  # noqa: F401

    step("flask, numpy, sqlalchemy")
    from service import create_app
    from service.ops import warm_up

    step("import service")
    from bench.annotate_latency import build_page
    from bench.scale import page_sources, statements

    app = create_app({"DATABASE_URL": args.url, "TESTING": True, "AUTO_MIGRATE": False})
    step("create_app")
    warm_up(app)
    step("warm_up (WordNet, cache)")
    from service.db import session_scope

    rng = random.Random(args.seed)
    with app.app_context(), session_scope(app) as session:
        sample = statements(session, rng, args.checks)
        sources = page_sources(session, rng, args.pages)
    step("statements sampled")
    client = app.test_client()
    client.post("/v1/statements/check", json={"statement": "The council approved the budget on Monday."})
    step("first check")
    client.post("/v1/pages/annotate", json={"text": "Warm-up page about nothing in particular at all."})
    step("first page")
    out = args.responses.open("w") if args.responses else None
    t0 = time.perf_counter()
    for i, s in enumerate(sample):
        r = client.post("/v1/statements/check", json={"statement": s, "limit": 20})
        if out is not None:
            body = r.get_json()
            body.pop("request_id", None)
            out.write(json.dumps({"statement": s, "status": r.status_code, "body": body}, sort_keys=True) + "\n")
        if i + 1 in (10, 50) or i + 1 == len(sample):
            step(f"{i + 1} checks")
    check_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(args.pages):
        text, _expected = build_page(rng, rng.sample(sources, 6))
        r = client.post("/v1/pages/annotate", json={"text": text})
        assert r.status_code == 200, r.get_json()
        if out is not None:
            body = r.get_json()
            body.pop("request_id", None)
            out.write(json.dumps({"page": i, "body": body}, sort_keys=True) + "\n")
        if i + 1 == args.pages:
            step(f"{i + 1} pages")
    page_seconds = time.perf_counter() - t0
    if out is not None:
        out.close()
    print(f"checks {check_seconds:.1f} s, pages {page_seconds:.1f} s", file=sys.stderr)
    if args.breakdown:
        breakdown(step)
    if args.tracemalloc:
        import tracemalloc

        snapshot = tracemalloc.take_snapshot()
        for stat in snapshot.statistics("lineno")[: args.tracemalloc]:
            print(f"{stat.size / 2**20:8.1f} MB  {stat.count:9d}  {stat.traceback}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(steps, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
