#!/usr/bin/env python3
"""Calibrate the confidences a statement check reports, on held-out train data, and report their ECE.

Each held-out part of the train splits (FNC-1 hold_out_ids bodies, the claim-disjoint 20% of ARC
and Emergent train claims that ``bench/train_stance.py`` holds out: the model never fitted on them)
is ingested into a temporary SQLite service, and every claim is checked through the public API
(``limit`` 200), with the calibration switched off so the raw scores come back. Then:

* every evidence item from a labelled (claim, document) pair is right when annotators gave its
  document that stance towards the claim (supports = agree, contradicts = disagree, mentions =
  discuss; items from pairs nobody labelled are left out); one monotone map per source
  (the rules or the model) and stance is fitted by isotonic regression;
* every verdict is right when it matches the verdict the gold labels give the corpus (supported:
  some document agrees and none disagrees; contradicted: the reverse; mixed: both; unverified:
  neither); one map per verdict.

The expected calibration error (ECE, 10 equal-width bins) is reported before (raw scores) and after,
the "after" figure by 2-fold cross-fitting over claims (maps fitted on one half, measured on the
other), so it is not measured on the rows it was fitted on. The maps written are fitted on all
held-out rows. Usage (from the project root; a few minutes, progress on stderr):

    .venv/bin/python bench/calibrate_check.py             # writes service/core/stance/model/check_calibration.json
    .venv/bin/python bench/calibrate_check.py --no-write --json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import stance_data as sd  # noqa: E402

from service import checking, create_app  # noqa: E402
from service.core.stance import calibration as cal  # noqa: E402

STANCE_TO_LABEL = {"supports": "agree", "contradicts": "disagree", "mentions": "discuss"}
SEED = 13
BATCH = 100

Row = tuple[str, float, bool, str]  # (map name, raw score, right?, claim)


def gold_verdict(labels: set[str]) -> str:
    """The verdict the gold labels give a claim over the corpus it was checked against."""
    agree, disagree = "agree" in labels, "disagree" in labels
    if agree and disagree:
        return "mixed"
    return "supported" if agree else "contradicted" if disagree else "unverified"


# Claims the service refused as no claim (422), by set: reported, not fitted.
refused: dict[str, int] = {}


def collect(st: sd.StanceSet, t0: float) -> list[Row]:
    """Check every claim of ``st`` through the service with raw scores; one row per evidence item and verdict."""
    sources: dict[int, str] = {}
    original = checking._calibrate

    def recording(candidates: list[Any], by_model: set[int], calibration: cal.Calibration) -> dict[int, float]:
        for c in candidates:
            sources[c.passage_id] = "model" if c.passage_id in by_model else "rule"
        return original(candidates, by_model, cal.Calibration())

    checking._calibrate = recording  # type: ignore[assignment]
    checking.load_calibration = lambda path=None: cal.Calibration()  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/calibrate.db", "TESTING": True})
            client = app.test_client()
            items = [{"external_id": k, "text": " ".join(v)} for k, v in sorted(st.documents.items())]
            for i in range(0, len(items), BATCH):
                client.post("/v1/documents/batch", json=items[i : i + BATCH])
            gold = {(c, k): label for c, k, label, _ in st.pairs}
            claims = sorted({c for c, _, _, _ in st.pairs})
            by_claim: dict[str, set[str]] = defaultdict(set)
            for c, _, label, _ in st.pairs:
                by_claim[c].add(label)
            rows: list[Row] = []
            for n, claim in enumerate(claims):
                if n % 200 == 0:
                    progress(t0, f"{st.name}: claim {n} of {len(claims)}")
                response = client.post("/v1/statements/check", json={"statement": claim, "limit": 200})
                js = response.get_json()
                if response.status_code != 200:
                    # a headline the service refuses as no claim (422 not-a-claim): no confidence to fit
                    refused[st.name] = refused.get(st.name, 0) + 1
                    continue
                for ev in js["evidence"]:
                    key = (claim, ev["document"]["external_id"])
                    if key not in gold:
                        continue  # a pair nobody labelled (FNC-1 pairs a claim with a sample of the bodies)
                    right = gold[key] == STANCE_TO_LABEL[ev["stance"]]
                    source = sources.get(ev["passage"]["id"], "rule")
                    rows.append((f"{source}.{ev['stance']}", float(ev["confidence"]), right, claim))
                verdict = js["verdict"]
                right = verdict == gold_verdict(by_claim[claim])
                rows.append((f"verdict.{verdict}", float(js["confidence"]), right, claim))
            return rows
    finally:
        checking._calibrate = original  # type: ignore[assignment]
        checking.load_calibration = cal.load_calibration


def fit(rows: list[Row]) -> dict[str, cal.MonotoneMap]:
    """One isotonic map per name."""
    by_name: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_name[r[0]].append(r)
    return {name: cal.fit_isotonic([r[1] for r in rs], [r[2] for r in rs]) for name, rs in by_name.items()}


def ece_of(rows: list[Row], maps: dict[str, cal.MonotoneMap] | None) -> float:
    """ECE of the rows' scores, mapped through ``maps`` when given."""
    conf = [maps[r[0]](r[1]) if maps and r[0] in maps else r[1] for r in rows]
    return round(cal.expected_calibration_error(conf, [r[2] for r in rows]), 4)


def cross_fitted(rows: list[Row], seed: int) -> list[tuple[Row, float]]:
    """Each row with its score mapped by maps fitted on the other half of the claims (2-fold)."""
    claims = sorted({r[3] for r in rows})
    random.Random(seed).shuffle(claims)
    half = set(claims[: len(claims) // 2])
    out: list[tuple[Row, float]] = []
    for fold in (True, False):
        train = [r for r in rows if (r[3] in half) != fold]
        maps = fit(train)
        out += [(r, maps[r[0]](r[1]) if r[0] in maps else r[1]) for r in rows if (r[3] in half) == fold]
    return out


def summary(rows: list[Row], fitted: list[tuple[Row, float]], prefix: str) -> dict[str, object]:
    """Raw and cross-fitted ECE, accuracy and mean confidence of the rows whose name starts with ``prefix``."""
    sel = [r for r in rows if r[0].startswith(prefix)]
    sel_fit = [(r, p) for r, p in fitted if r[0].startswith(prefix)]
    if not sel:
        return {"rows": 0}
    return {
        "rows": len(sel),
        "share_right": round(sum(r[2] for r in sel) / len(sel), 4),
        "mean_raw_confidence": round(sum(r[1] for r in sel) / len(sel), 4),
        "ece_raw": ece_of(sel, None),
        "ece_calibrated_cross_fitted": round(
            cal.expected_calibration_error([p for _, p in sel_fit], [r[2] for r, _ in sel_fit]), 4
        ),
    }


def progress(t0: float, message: str) -> None:
    """One progress line on stderr (stdout carries the JSON report)."""
    print(f"[{time.perf_counter() - t0:6.1f}s] {message}", file=sys.stderr, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "service" / "core" / "stance" / "model" / cal.CALIBRATION_FILE)
    ap.add_argument("--seed", type=int, default=SEED, help="the held-out claims (as train_stance.py) and the folds")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    sets = {
        "fnc_hold": sd.fnc("hold"),
        "arc_hold": sd.arc("hold", args.seed),
        "em_hold": sd.emergent("hold", args.seed),
    }
    rows_by_set = {name: collect(st, t0) for name, st in sets.items()}
    rows = [r for rs in rows_by_set.values() for r in rs]
    fitted = cross_fitted(rows, args.seed)
    evidence = [r for r in rows if not r[0].startswith("verdict.")]
    report: dict[str, Any] = {"by_set": {}, "by_map": {}, "refused_as_no_claim": dict(refused)}
    report["evidence"] = summary(evidence, [(r, p) for r, p in fitted if not r[0].startswith("verdict.")], "")
    report["verdict"] = summary(rows, fitted, "verdict.")
    for name, rs in rows_by_set.items():
        keys = {id(r) for r in rs}
        sub = [(r, p) for r, p in fitted if id(r) in keys]
        report["by_set"][name] = {
            "evidence": summary([r for r in rs if not r[0].startswith("verdict.")],
                                [(r, p) for r, p in sub if not r[0].startswith("verdict.")], ""),
            "verdict": summary(rs, sub, "verdict."),
        }
    for name in sorted({r[0] for r in rows}):
        report["by_map"][name] = summary(rows, fitted, name)
    maps = fit(rows)
    if not args.no_write:
        meta = {
            "fitted_on": "evidence and verdicts of checks on FNC-1 hold_out_ids and the claim-disjoint held-out 20% "
            f"of ARC and Emergent train claims (seed {args.seed}); test splits never used",
            "evidence_ece_raw": report["evidence"]["ece_raw"],
            "evidence_ece_calibrated_cross_fitted": report["evidence"]["ece_calibrated_cross_fitted"],
            "verdict_ece_raw": report["verdict"]["ece_raw"],
            "verdict_ece_calibrated_cross_fitted": report["verdict"]["ece_calibrated_cross_fitted"],
        }
        calib = cal.Calibration(maps, meta)
        args.out.write_text(json.dumps(calib.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
    report["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(report, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
