"""Latency of POST /v1/statements/check on the FNC-1 competition test corpus.

Ingests the 904 FNC-1 test bodies into a temporary SQLite database (or ``--db``: a SQLite file,
or a database URL such as ``postgresql+psycopg://...``, migrated to the code's schema and
ingested into only when it holds no documents) through the public API
(an app built by ``create_app``), then times checks of a seeded sample of the test headlines
through Flask's test client (the whole request path: validation, retrieval, judgement,
learned layer, serialisation). Prints the median, p95 and max in milliseconds.

    .venv/bin/python bench/check_latency.py                   # 300 headlines
    .venv/bin/python bench/check_latency.py --headlines 1000 --limit 200
    PROVENANCE_SEMANTIC_SEARCH=false .venv/bin/python bench/check_latency.py   # full-text candidates only
    .venv/bin/python bench/check_latency.py --compare-semantic   # also off vs on, interleaved per headline

Targets on the reference machine (2 cores): median <= 50 ms, p95 <= 150 ms.

``--stages`` also reports the median and p95 time per check spent in each stage of
``service.checking`` (full-text retrieval, semantic retrieval, judgement, learned layer,
provenance hops), by wrapping
those functions with timers: it tells which stage a latency regression comes from.

``--dump FILE`` writes one line per checked headline: the headline and the SHA-256 of its whole
JSON response body (keys sorted; a 422 problem's request id left out, the one part that differs
from run to run). Two dumps, of a base
and a branch, compared with ``cmp`` or ``diff`` prove that a speed-up left every output as it was.
``--profile FILE`` runs cProfile over the timed checks (after the warm-up) and writes the stats.
The summary also gives the CPU (process) time per check, less sensitive to other load than the
wall time, the first ``--cold`` checks' median apart (a restarted worker's first checks), the
untimed warm-up check's own latency (the first check of a fresh app) and the time per check
spent in the cyclic garbage collector. ``--warm N`` starts the app as the gunicorn master does
(``service.ops.warm_up`` with ``WARM_CACHE=N``, then ``gc.collect`` and ``gc.freeze``).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import gc
import hashlib
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "fnc-1"


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def wrap_functions(module: Any, stages: dict[str, str], stage_times: dict[str, list[float]]) -> None:
    """Time each named function of ``module`` (stage -> function name) by wrapping it in place: its
    milliseconds are added to the last entry of ``stage_times[stage]`` (the caller appends a 0.0 per
    request), so a stage called several times in one request counts once, in total."""
    for stage, name in stages.items():
        original = getattr(module, name, None)
        if original is None:
            continue
        stage_times[stage] = []

        def timed(*a: Any, _f: Any = original, _stage: str = stage, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return _f(*a, **kw)
            finally:
                times = stage_times[_stage]
                if times:
                    times[-1] += 1000 * (time.perf_counter() - t)

        setattr(module, name, timed)


def _wrap_stages(stage_times: dict[str, list[float]], code: Path) -> None:
    """Time the stages of a check by wrapping the functions ``service.checking`` calls."""
    sys.path.insert(0, str(code))
    from service import checking

    wrap_functions(checking, {
        "search": "search_passages",
        "semantic": "semantic_candidates",
        "judge": "_candidates",
        "learned": "_apply_document_stance",
        "provenance": "passage_chains",
    }, stage_times)


def _without_request_id(body: Any) -> Any:
    """A response body without what differs from run to run: a problem's ``instance`` names the
    request id (``...#request-<id>``), which is random."""
    if isinstance(body, dict) and isinstance(body.get("instance"), str):
        return {**body, "instance": body["instance"].split("#request-")[0]}
    return body


def _time_collections() -> list[float]:
    """Milliseconds spent in the cyclic garbage collector from now on (one running total, in a list)."""
    total = [0.0]
    started = [0.0]

    def callback(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            total[0] += 1000 * (time.perf_counter() - started[0])

    gc.callbacks.append(callback)
    return total


def _has_documents(app: Any) -> bool:
    """Whether the app's database already holds documents (a database URL given to ``--db`` is
    ingested into only when it is empty)."""
    from sqlalchemy import func, select

    from service.db import session_scope
    from service.models import Document

    with app.app_context(), session_scope(app) as session:
        return bool(session.scalar(select(func.count()).select_from(Document)))


def _compare_semantic(app: Any, client: Any, sample: list[str], limit: int) -> dict[str, Any]:
    """Each headline checked with the semantic channel off and on, in alternating order, so that
    other load on a shared machine weighs on both alike: wall and CPU (process) time per check."""
    times: dict[str, dict[str, list[float]]] = {"off": {"wall": [], "cpu": []}, "on": {"wall": [], "cpu": []}}
    for i, headline in enumerate(tqdm(sample, desc="off/on", unit="stmt", file=sys.stderr)):
        for mode in (("off", "on") if i % 2 == 0 else ("on", "off")):
            app.config["SEMANTIC_SEARCH"] = mode == "on"
            wall, cpu = time.perf_counter(), time.process_time()
            client.post("/v1/statements/check", json={"statement": headline, "limit": limit})
            times[mode]["cpu"].append(1000 * (time.process_time() - cpu))
            times[mode]["wall"].append(1000 * (time.perf_counter() - wall))
    app.config["SEMANTIC_SEARCH"] = True
    return {mode: {f"{kind}_{stat}_ms": round(f(values), 1)
                   for kind, values in by_kind.items()
                   for stat, f in (("median", statistics.median), ("p95", lambda v: percentile(v, 0.95)))}
            for mode, by_kind in times.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA, help="folder holding the FNC-1 csv files")
    ap.add_argument("--headlines", type=int, default=300, help="how many distinct headlines to check")
    ap.add_argument("--limit", type=int, default=20, help="the request's evidence limit")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true", help="print the summary as JSON only")
    ap.add_argument("--stages", action="store_true", help="also time each stage of a check")
    ap.add_argument("--code", type=Path, help="the checkout whose service is measured (default: this one), "
                    "to run one version of the bench against a base")
    ap.add_argument("--warm", type=int, help="start as a gunicorn worker does: warm_up with WARM_CACHE=N "
                    "stored documents, then gc.collect and gc.freeze, before the first check")
    ap.add_argument("--db", help="SQLite file, or database URL (postgresql+psycopg://...), holding the ingested "
                    "bodies: ingested into when "
                    "missing, reused as it is when present (runs of a base and a branch on one database)")
    ap.add_argument("--dump", type=Path, help="write each headline and the hash of its response body here")
    ap.add_argument("--profile", type=Path, help="cProfile the timed checks, write the stats here")
    ap.add_argument("--cold", type=int, default=30, help="report the median of the first this many checks apart")
    ap.add_argument("--compare-semantic", action="store_true",
                    help="also check each headline with the semantic channel off and on, interleaved")
    args = ap.parse_args()

    bodies_file = args.data / "competition_test_bodies.csv"
    stances_file = args.data / "competition_test_stances.csv"
    if not bodies_file.exists():
        print(f"FNC-1 data not found under {args.data}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(args.code or ROOT))
    from service import create_app

    with open(bodies_file, encoding="utf-8") as fh:
        bodies = [(r["Body ID"], r["articleBody"]) for r in csv.DictReader(fh)]
    with open(stances_file, encoding="utf-8") as fh:
        headlines = sorted({r["Headline"] for r in csv.DictReader(fh)})
    sample = random.Random(args.seed).sample(headlines, min(args.headlines, len(headlines)))

    stage_times: dict[str, list[float]] = {}
    if args.stages:
        _wrap_stages(stage_times, args.code or ROOT)

    with tempfile.TemporaryDirectory() as tmp:
        url = args.db if args.db is not None and "://" in args.db else None
        db_file = Path(args.db) if args.db is not None and url is None else Path(tmp) / "bench.db"
        reuse = args.db is not None and url is None and db_file.exists()  # before create_app makes the file
        if url is not None:  # the app migrates SQLite only (``provenance db upgrade`` does the others)
            from service import migrate

            migrate.upgrade(url)
        app = create_app({"DATABASE_URL": url or f"sqlite:///{db_file}", "TESTING": True})
        client = app.test_client()
        reuse = reuse or (url is not None and _has_documents(app))
        t0 = time.perf_counter()
        for bid, text in tqdm([] if reuse else bodies, desc="ingest", unit="doc", disable=args.json):
            r = client.post("/v1/documents", json={"external_id": f"fnc-{bid}", "text": text})
            if r.status_code not in (200, 201):
                print(f"ingest of body {bid} failed: {r.status_code} {r.get_json()}", file=sys.stderr)
        ingest_s = time.perf_counter() - t0

        warm_s = None
        if args.warm is not None:  # as the gunicorn master does before it forks (docker/gunicorn.conf.py)
            from service.ops import warm_up

            t = time.perf_counter()
            app.config["WARM_CACHE"] = args.warm
            warm_up(app)
            gc.collect()
            gc.freeze()
            warm_s = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        client.post("/v1/statements/check", json={"statement": sample[0], "limit": args.limit})  # warm-up
        first_ms = 1000 * (time.perf_counter() - t)
        gc_ms = _time_collections()
        latencies: list[float] = []
        cpu_times: list[float] = []
        dumped: list[str] = []
        profiler = cProfile.Profile() if args.profile else None
        verdicts: dict[str, int] = {}
        for values in stage_times.values():
            values.clear()
        for headline in tqdm(sample, desc="check", unit="stmt", disable=args.json):
            for values in stage_times.values():
                values.append(0.0)
            if profiler is not None:
                profiler.enable()
            t, cpu = time.perf_counter(), time.process_time()
            r = client.post("/v1/statements/check", json={"statement": headline, "limit": args.limit})
            latencies.append(1000 * (time.perf_counter() - t))
            cpu_times.append(1000 * (time.process_time() - cpu))
            if profiler is not None:
                profiler.disable()
            body = json.dumps(_without_request_id(r.get_json()), sort_keys=True, ensure_ascii=False)
            dumped.append(f"{hashlib.sha256(body.encode()).hexdigest()}\t{headline}")
            if r.status_code != 200:
                print(f"check failed: {r.status_code} {r.get_json()}", file=sys.stderr)
                continue
            verdict = r.get_json()["verdict"]
            verdicts[verdict] = verdicts.get(verdict, 0) + 1
        compared = _compare_semantic(app, client, sample, args.limit) if args.compare_semantic else None

    summary = {
        "bodies": len(bodies),
        "checks": len(latencies),
        "limit": args.limit,
        "ingest_seconds": round(ingest_s, 1),
        "median_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "max_ms": round(max(latencies), 1),
        "warm_seconds": warm_s,
        "first_check_ms": round(first_ms, 1),
        "gc_ms_per_check": round(gc_ms[0] / max(1, len(latencies)), 2),
        "cpu_median_ms": round(statistics.median(cpu_times), 1),
        "cpu_p95_ms": round(percentile(cpu_times, 0.95), 1),
        f"first_{args.cold}_median_ms": round(statistics.median(latencies[: args.cold]), 1),
        "rest_median_ms": round(statistics.median(latencies[args.cold :] or latencies), 1),
        "verdicts": verdicts,
    }
    if compared is not None:
        summary["semantic_off_on"] = compared
    if stage_times:
        summary["stages_ms"] = {
            name: {"median": round(statistics.median(v), 1), "p95": round(percentile(v, 0.95), 1)}
            for name, v in stage_times.items()
        }
    if args.dump is not None:
        args.dump.write_text("".join(f"{line}\n" for line in dumped), encoding="utf-8")
    if profiler is not None:
        profiler.dump_stats(str(args.profile))
    if args.json:
        print(json.dumps(summary))
    else:
        for key, value in summary.items():
            print(f"{key:>15}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
