#!/usr/bin/env python3
"""Calibrate the lineage confidences on generated corpora of known lineage, and report their ECE.

For each seed, a corpus of ``--docs`` documents (every family) is generated, ingested with and
without dates (``--dates both``; Flask test client, temporary SQLite) and every document's stored
lineage is read back. Three kinds of rows come out, each a raw stored score and whether the choice
it scores is right by ``truth.json``:

* ``parent``   -- every listed parent's stored score; right when it is an acceptable parent
  (the true parent or a verbatim copy of it);
* ``original`` -- every document the lineage calls original, with links to others; right when
  it truly has no parent;
* ``origin``   -- every derivative (aggregations aside, as in ``lineage.py``): the product of its
  chain's calibrated hop probabilities; right when the chain ends at the true original.

Maps are fitted by isotonic regression on the ``--fit-seeds`` corpora (the ``origin`` map after the
``parent`` map, since its input is made of calibrated hops) and the expected calibration error
(10 equal-width bins) is reported before and after on the ``--eval-seeds`` corpora, which the maps
never saw. The benchmark seeds (7, 21, 3) are not fitting seeds. Writes
``service/core/lineage/lineage_calibration.json`` unless ``--no-write``. Usage (from the project
root; ~2 minutes per corpus and date setting on 2 idle cores, progress on stderr):

    .venv/bin/python bench/calibrate_lineage.py                       # fit on seeds 11, 12; report on 7
    .venv/bin/python bench/calibrate_lineage.py --no-write --eval-seeds 7,21
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate_corpus as gc  # noqa: E402
import lineage as lb  # noqa: E402
from sqlalchemy import select  # noqa: E402

from service import create_app  # noqa: E402
from service.core.lineage import calibration as lcal  # noqa: E402
from service.core.reuse.records import parents_from_json  # noqa: E402
from service.core.stance import calibration as cal  # noqa: E402
from service.db import get_session  # noqa: E402
from service.models import Document, LineageNode  # noqa: E402

# (map name, raw score or hop scores, right?)
Row = tuple[str, Any, bool]


def progress(t0: float, message: str) -> None:
    """One progress line on stderr (stdout carries the JSON report)."""
    print(f"[{time.perf_counter() - t0:6.1f}s] {message}", file=sys.stderr, flush=True)


def collect(corpus: Path, dates: bool, batch: int) -> list[Row]:
    """Ingest ``corpus`` and read every stored lineage choice with whether it is right."""
    truth = json.loads((corpus / "truth.json").read_text())
    docs = lb.load(corpus, dates=dates, metadata=True)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/lineage.db", "TESTING": True, "BATCH_LIMIT": 1000})
        client = app.test_client()
        for i in tqdm(range(0, len(docs), batch), desc=f"ingest {corpus.name} dates={dates}", unit="batch"):
            r = client.post("/v1/documents/batch", json=docs[i : i + batch])
            if r.status_code != 200:
                raise SystemExit(f"ingest failed: {r.status_code} {r.get_data(as_text=True)[:300]}")
        with app.app_context():
            session = get_session()
            ext = dict(session.execute(select(Document.id, Document.external_id)).tuples().all())
            nodes = {n.document_id: n for n in session.scalars(select(LineageNode))}
        linked_originals: set[int] = set()
        for node in nodes.values():
            for choice in parents_from_json(node.parents):
                linked_originals.add(choice.parent)
        for doc_id, node in nodes.items():
            name = ext[doc_id]
            t = truth[name]
            parents = parents_from_json(node.parents)
            for choice in parents:
                rows.append(("parent", choice.confidence, ext[choice.parent] in t["acceptable"]))
            if not parents and (doc_id in linked_originals or node.original_confidence > 0):
                rows.append(("original", node.original_confidence, not t["parents"]))
            if parents and t["kind"] != "aggregation":
                hops, seen, cur = [], {doc_id}, doc_id
                while True:
                    chosen = parents_from_json(nodes[cur].parents) if cur in nodes else []
                    if not chosen or chosen[0].parent in seen:
                        break
                    hops.append(chosen[0].confidence)
                    cur = chosen[0].parent
                    seen.add(cur)
                rows.append(("origin", hops, ext[cur] == t["root"]))
    return rows


def corpus_for(seed: int, docs: int, out: Path) -> Path:
    """Generate (or reuse) the corpus of ``seed`` under ``out``."""
    path = out / f"calib_{docs}_{seed}"
    if not (path / "truth.json").is_file():
        gc.write(gc.generate(docs, seed), path, dates=True)
    return path


def scores_of(rows: list[Row], parent_map: Callable[[float], float]) -> list[tuple[str, float, bool]]:
    """Rows with a single score each: an origin's is the product of its calibrated hops."""
    out = []
    for name, raw, right in rows:
        if name == "origin":
            product = 1.0
            for hop in raw:
                product *= parent_map(hop)
            out.append((name, product, right))
        else:
            out.append((name, float(raw), right))
    return out


def fit(rows: list[Row]) -> dict[str, cal.MonotoneMap]:
    """The parent and original maps, then the origin map on calibrated hops."""
    maps: dict[str, cal.MonotoneMap] = {}
    for name in ("parent", "original"):
        rs = [(float(raw), right) for n, raw, right in rows if n == name]
        if rs:
            maps[name] = cal.fit_isotonic([r[0] for r in rs], [r[1] for r in rs])
    parent_map = maps.get("parent", lambda s: s)
    origin = [(s, right) for n, s, right in scores_of(rows, parent_map) if n == "origin"]
    if origin:
        maps["origin"] = cal.fit_isotonic([r[0] for r in origin], [r[1] for r in origin])
    return maps


def report(rows: list[Row], maps: dict[str, cal.MonotoneMap] | None) -> dict[str, Any]:
    """ECE, accuracy and mean confidence per map, raw (``maps`` None) or calibrated."""
    identity: Callable[[float], float] = lambda s: s  # noqa: E731
    parent_map = (maps or {}).get("parent", identity)
    out: dict[str, Any] = {}
    for name in lcal.MAP_NAMES:
        scored = [(s, right) for n, s, right in scores_of(rows, parent_map if maps else identity) if n == name]
        if not scored:
            continue
        fn = (maps or {}).get(name, identity) if maps else identity
        conf = [fn(s) for s, _ in scored]
        out[name] = {
            "rows": len(scored),
            "accuracy": round(sum(r for _, r in scored) / len(scored), 4),
            "mean_confidence": round(sum(conf) / len(conf), 4),
            "ece": round(cal.expected_calibration_error(conf, [r for _, r in scored]), 4),
        }
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--fit-seeds", default="11,12")
    ap.add_argument("--eval-seeds", default="7")
    ap.add_argument("--dates", choices=["both", "yes", "no"], default="both")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out", help="where generated corpora are kept")
    ap.add_argument("--out", type=Path, default=lcal.default_lineage_calibration_path())
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    settings = {"both": (True, False), "yes": (True,), "no": (False,)}[args.dates]
    rows: dict[str, list[Row]] = {"fit": [], "eval": []}
    for part, seeds in (("fit", args.fit_seeds), ("eval", args.eval_seeds)):
        for seed in (int(s) for s in seeds.split(",") if s.strip()):
            corpus = corpus_for(seed, args.docs, args.work)
            for dates in settings:
                got = collect(corpus, dates, args.batch)
                rows[part] += got
                progress(t0, f"{part} seed {seed} dates={dates}: {len(got)} rows")
    maps = fit(rows["fit"])
    result = {
        "fit_seeds": args.fit_seeds, "eval_seeds": args.eval_seeds, "docs": args.docs, "dates": args.dates,
        "eval_raw": report(rows["eval"], None),
        "eval_calibrated": report(rows["eval"], maps),
        "fit_calibrated": report(rows["fit"], maps),
        "maps": {k: m.to_json() for k, m in maps.items()},
    }
    if not args.no_write:
        meta = {
            "fitted_on": f"generated corpora, {args.docs} documents, seeds {args.fit_seeds}, dates {args.dates} "
                         "(bench/calibrate_lineage.py); the benchmark seeds 7, 21 and 3 are not among them",
            "eval_seeds": args.eval_seeds,
            "eval_ece_raw": {k: v["ece"] for k, v in result["eval_raw"].items()},
            "eval_ece_calibrated": {k: v["ece"] for k, v in result["eval_calibrated"].items()},
        }
        args.out.write_text(json.dumps(cal.Calibration(maps, meta).to_json(), separators=(",", ":")) + "\n",
                            encoding="utf-8")
        progress(t0, f"wrote {args.out}")
    result["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
