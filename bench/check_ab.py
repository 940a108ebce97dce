"""Statement-check latency of two checkouts, interleaved request by request (an A/B on a shared machine).

Each checkout runs in its own worker process (this file, ``--serve``), on one already-ingested
SQLite database (``check_latency.py --db FILE`` makes it); the parent sends each sampled FNC-1
test headline to both, in alternating order, and one waits while the other works. Other load on
the machine so weighs on both alike, which separate runs back to back cannot promise. Prints, per
checkout, the median and p95 of the wall and CPU (process) time per check, the first ``--cold``
checks' median apart, the median of the per-headline differences B - A and the ratio of the
totals B / A (paired, far less noisy than two medians), and whether every response body was the
same in both (SHA-256 of the whole JSON, a 422 problem's random request id left out).

    .venv/bin/python bench/check_ab.py --db /tmp/fnc.db --a /path/to/base --b . [--warm 1000]
"""

from __future__ import annotations

import argparse
import csv
import gc
import hashlib
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "fnc-1"


def _serve(code: Path, db: Path, warm: int | None, limit: int) -> None:
    """Worker: build the app of checkout ``code``; check each headline read from stdin, answer one JSON line."""
    sys.path.insert(0, str(code))
    from service import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{db}", "TESTING": True})
    if warm is not None:  # as the gunicorn master does before it forks
        from service.ops import warm_up

        app.config["WARM_CACHE"] = warm
        warm_up(app)
        gc.collect()
        gc.freeze()
    client = app.test_client()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        headline = json.loads(line)
        wall, cpu = time.perf_counter(), time.process_time()
        r = client.post("/v1/statements/check", json={"statement": headline, "limit": limit})
        out = {"wall": 1000 * (time.perf_counter() - wall), "cpu": 1000 * (time.process_time() - cpu)}
        body = r.get_json()
        if isinstance(body, dict) and isinstance(body.get("instance"), str):
            body = {**body, "instance": body["instance"].split("#request-")[0]}
        out["hash"] = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        print(json.dumps(out), flush=True)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", type=Path, required=True, help="checkout A (e.g. the base)")
    ap.add_argument("--b", type=Path, default=ROOT, help="checkout B (default: this one)")
    ap.add_argument("--db", type=Path, required=True, help="the ingested SQLite database (check_latency.py --db)")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--headlines", type=int, default=300)
    ap.add_argument("--limit", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cold", type=int, default=30)
    ap.add_argument("--warm", type=int, help="warm_up with WARM_CACHE=N, gc.collect, gc.freeze (as gunicorn)")
    ap.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve is not None:
        _serve(args.serve, args.db, args.warm, args.limit)
        return 0

    with open(args.data / "competition_test_stances.csv", encoding="utf-8") as fh:
        headlines = sorted({r["Headline"] for r in csv.DictReader(fh)})
    sample = random.Random(args.seed).sample(headlines, min(args.headlines, len(headlines)))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--db", str(args.db), "--a", "-", "--limit", str(args.limit)]
    if args.warm is not None:
        cmd += ["--warm", str(args.warm)]
    workers = {name: subprocess.Popen([*cmd, "--serve", str(code)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      text=True, encoding="utf-8")
               for name, code in (("a", args.a), ("b", args.b))}
    for w in workers.values():  # started one after the other: each loads while the other waits
        assert w.stdout is not None and json.loads(w.stdout.readline())["ready"]
    results: dict[str, list[dict[str, Any]]] = {"a": [], "b": []}
    for i, headline in enumerate(sample):
        for name in ("a", "b") if i % 2 == 0 else ("b", "a"):
            w = workers[name]
            assert w.stdin is not None and w.stdout is not None
            w.stdin.write(json.dumps(headline) + "\n")
            w.stdin.flush()
            results[name].append(json.loads(w.stdout.readline()))
        if (i + 1) % 50 == 0:
            print(f"{i + 1}/{len(sample)}", file=sys.stderr, flush=True)
    for w in workers.values():
        assert w.stdin is not None
        w.stdin.close()
        w.wait()
    summary: dict[str, Any] = {}
    for name, rows in results.items():
        wall, cpu = [r["wall"] for r in rows], [r["cpu"] for r in rows]
        summary[name] = {
            "median_ms": round(statistics.median(wall), 1), "p95_ms": round(_percentile(wall, 0.95), 1),
            "cpu_median_ms": round(statistics.median(cpu), 1), "cpu_p95_ms": round(_percentile(cpu, 0.95), 1),
            "first_check_ms": round(wall[0], 1),
            f"first_{args.cold}_median_ms": round(statistics.median(wall[: args.cold]), 1),
            "rest_median_ms": round(statistics.median(wall[args.cold :] or wall), 1),
        }
    for kind in ("wall", "cpu"):  # paired per headline: far less noisy than the two medians' difference
        diffs = [rb[kind] - ra[kind] for ra, rb in zip(results["a"], results["b"], strict=True)]
        summary[f"{kind}_b_minus_a_median_ms"] = round(statistics.median(diffs), 2)
        summary[f"{kind}_b_over_a_total"] = round(sum(r[kind] for r in results["b"]) /
                                                 max(1e-9, sum(r[kind] for r in results["a"])), 3)
    same = sum(ra["hash"] == rb["hash"] for ra, rb in zip(results["a"], results["b"], strict=True))
    summary["identical_responses"] = f"{same}/{len(sample)}"
    summary["differing"] = [h for h, ra, rb in zip(sample, results["a"], results["b"], strict=True)
                            if ra["hash"] != rb["hash"]]
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
