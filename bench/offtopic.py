"""Committed evidence from off-topic headlines: what the check says about OTHER claims' articles.

Emergent pairs every article headline with one rumour claim, and ``emergenteval.py`` scores only
a claim's own articles, so a "supports" or "contradicts" the check commits on another claim's
headline is never seen by it. This script ingests every headline of a split (as emergenteval
does), checks every claim, and counts the evidence committed (supports / contradicts) on
headlines of other claims: the share of claims with any, the count per claim, and the
``reason`` that committed it (``model`` is the learned headline stage). It also prints the
own-claim accuracy (emergenteval's scoring) from the same run, so one run shows both sides of a
change. Data is read from ``../shared/datasets`` at run time; nothing is copied.

    .venv/bin/python bench/offtopic.py --split train [--examples 20] [--json]

Tune on ``--split train``; ``--split test`` is for reporting.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = SHARED / "datasets" / "emergent" / "emergent_clean_with_split.csv"
TO_LABEL = {"supports": "for", "contradicts": "against", "mentions": "observing"}
COMMITTED = ("supports", "contradicts")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["train", "test"], default="train")
    ap.add_argument("--examples", type=int, default=0, help="print this many off-topic commitments")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(SHARED / "eval"))
    sys.path.insert(0, str(ROOT))
    from seedeval import Client  # in-process app on a temporary SQLite database

    rows = [r for r in csv.DictReader(open(DATA, encoding="utf-8")) if r["split"] == args.split]
    own: dict[str, set[str]] = defaultdict(set)
    headline = {}
    for r in rows:
        own[r["claimHeadline"]].add(r["articleId"])
        headline[r["articleId"]] = r["articleHeadline"]
    client = Client(None)
    for art, text in headline.items():
        client.call("POST", "/v1/documents", {"external_id": f"em-{art}", "text": text})
    per_claim: dict[str, int] = {}
    by: Counter[tuple[str, str]] = Counter()
    examples = []
    pred: dict[tuple[str, str], tuple[tuple[bool, float], str]] = {}
    for claim in sorted(own):
        _, js = client.call("POST", "/v1/statements/check", {"statement": claim, "limit": 200})
        off = set()
        for ev in (js or {}).get("evidence") or []:
            ext = (ev.get("document") or {}).get("external_id") or ""
            if not ext.startswith("em-"):
                continue
            art, stance = ext[3:], ev.get("stance")
            if art in own[claim]:
                label = TO_LABEL.get(stance)
                if label:
                    rank = (label != "observing", float(ev.get("confidence") or 0))
                    if (claim, art) not in pred or rank > pred[(claim, art)][0]:
                        pred[(claim, art)] = (rank, label)
            elif stance in COMMITTED and art not in off:
                off.add(art)
                by[(stance, ev.get("reason") or "?")] += 1
                examples.append({"claim": claim, "headline": headline[art], "stance": stance,
                                 "reason": ev.get("reason"), "confidence": ev.get("confidence")})
        per_claim[claim] = len(off)
    gold = [r["articleHeadlineStance"] for r in rows]
    got = [pred.get((r["claimHeadline"], r["articleId"]), ((False, 0.0), "observing"))[1] for r in rows]
    counts = list(per_claim.values())
    rep = {
        "split": args.split, "claims": len(counts), "headlines": len(headline),
        "own_accuracy": round(sum(g == p for g, p in zip(gold, got, strict=True)) / len(rows), 4),
        "offtopic_committed": sum(counts),
        "claims_with_any": round(sum(c > 0 for c in counts) / len(counts), 4),
        "per_claim_mean": round(statistics.mean(counts), 3),
        "per_claim_max": max(counts),
        "by_stance_reason": {f"{s}/{r}": n for (s, r), n in by.most_common()},
    }
    print(json.dumps(rep, indent=None if args.json else 2))
    for e in examples[: args.examples]:
        print(json.dumps(e, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
