"""Score document lineage against a generated corpus's ground truth, in-process.

    .venv/bin/python bench/generate_corpus.py --docs 2000 --seed 7 --out bench/out/corpus2k
    .venv/bin/python bench/lineage.py bench/out/corpus2k --no-dates

Ingests the corpus through ``POST /v1/documents/batch`` (Flask test client, temporary SQLite
file), reads ``GET /v1/documents/<id>/provenance`` for every document and reports:

* parent precision / recall -- the top parent is the true parent or a verbatim copy of it;
* direction accuracy -- of the true (child, parent) pairs the service linked, the share it
  oriented child -> parent;
* root accuracy -- the chain ends at the true original;
* false links, and how many of them join two articles of one outlet that share only its
  boilerplate (byline, disclaimer) -- "boilerplate-only links".
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load(corpus: Path, dates: bool, metadata: bool) -> list[dict[str, Any]]:
    """The manifest as ingest payloads."""
    docs = []
    for line in (corpus / "corpus.jsonl").read_text().splitlines():
        meta = json.loads(line)
        body = {"external_id": meta["id"], "text": (corpus / meta["path"]).read_text(), "language": "en"}
        if metadata:
            body.update({k: meta[k] for k in ("title", "outlet", "url") if meta.get(k)})
        if dates and meta.get("published_at"):
            body["published_at"] = meta["published_at"]
        docs.append(body)
    return docs


def _count(kinds: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for kind in kinds:
        out[kind] = out.get(kind, 0) + 1
    return out


def score(truth: dict[str, Any], answers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Compare predicted provenance with the truth."""
    predicted: dict[str, list[str]] = {
        ext: [p["document"]["external_id"] for p in a.get("parents", [])] for ext, a in answers.items()
    }
    with_parent = [d for d, t in truth.items() if t["parents"]]
    tp = sum(1 for d in with_parent if predicted[d] and predicted[d][0] in truth[d]["acceptable"])
    n_pred = sum(1 for d in truth if predicted[d])
    fp_docs = [d for d in truth if predicted[d] and predicted[d][0] not in truth[d]["acceptable"]]

    linked = correct = 0
    for child in with_parent:
        for parent in truth[child]["acceptable"]:
            forward = parent in predicted[child]
            backward = child in predicted.get(parent, [])
            if forward or backward:
                linked += 1
                correct += forward and not backward
                break
    roots = [d for d, t in truth.items() if t["kind"] != "aggregation"]
    root_ok = sum(1 for d in roots if (answers[d].get("origin") or {}).get("document", {}).get("external_id")
                  == truth[d]["root"])

    def related(a: str, b: str) -> bool:
        ta, tb = truth[a], truth[b]
        return ta["story"] == tb["story"] or b in ta["parents"] or a in tb["parents"] or \
            bool(set(ta["parents"]) & set(tb["parents"]))

    false_links = [(c, p) for c, ps in predicted.items() for p in ps if not related(c, p)]
    boiler = [(c, p) for c, p in false_links if truth[c]["outlet"] == truth[p]["outlet"]]
    originals = [d for d, t in truth.items() if not t["parents"]]
    return {
        "documents": len(truth),
        "with_parent": len(with_parent),
        "parent_precision": round(tp / n_pred, 4) if n_pred else None,
        "parent_recall": round(tp / len(with_parent), 4) if with_parent else None,
        "direction_accuracy": round(correct / linked, 4) if linked else None,
        "direction_pairs": linked,
        "root_accuracy": round(root_ok / len(roots), 4) if roots else None,
        "originals_kept_original": round(sum(1 for d in originals if not predicted[d]) / len(originals), 4),
        "false_links": len(false_links),
        "boilerplate_only_links": len(boiler),
        "wrong_top_parent_by_kind": _count(truth[d]["kind"] for d in fp_docs),
        "missed_parent_by_kind": _count(truth[d]["kind"] for d in with_parent if not predicted[d]),
        "wrong_top_parent_by_relation": _count(_relation(truth, d, predicted[d][0]) for d in fp_docs),
        "wrong_top_parent_examples": [
            {"doc": d, "kind": truth[d]["kind"], "predicted": predicted[d][0], "truth": truth[d]["parents"]}
            for d in fp_docs[:40]
        ],
    }


def _ancestors(truth: dict[str, Any], doc: str) -> set[str]:
    out: set[str] = set()
    todo = list(truth[doc]["parents"])
    while todo:
        d = todo.pop()
        if d not in out:
            out.add(d)
            todo.extend(truth[d]["parents"])
    return out


def _relation(truth: dict[str, Any], doc: str, predicted: str) -> str:
    """How a wrongly predicted parent is really related to the document.

    ``grandparent``: an earlier ancestor (the chain was short-cut); ``descendant``: a document
    derived from this one (direction reversed); ``sibling``: they share an ancestor; ``other``.
    """
    ancestors = _ancestors(truth, doc)
    if predicted in ancestors:
        return "grandparent"
    if doc in _ancestors(truth, predicted):
        return "descendant"
    if ancestors & (_ancestors(truth, predicted) | {predicted}) or truth[doc]["story"] == truth[predicted]["story"]:
        return "sibling"
    return "other"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--no-dates", action="store_true", help="ingest without published_at")
    ap.add_argument("--no-metadata", action="store_true", help="ingest text only (no title, outlet, url)")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--json", type=Path, help="also write the report here")
    args = ap.parse_args()

    from service import create_app

    truth = json.loads((args.corpus / "truth.json").read_text())
    docs = load(args.corpus, dates=not args.no_dates, metadata=not args.no_metadata)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/lineage.db", "TESTING": True, "BATCH_LIMIT": 1000})
        client = app.test_client()
        ids: dict[str, int] = {}
        t0 = time.perf_counter()
        for i in tqdm(range(0, len(docs), args.batch), desc="ingest", unit="batch"):
            r = client.post("/v1/documents/batch", json=docs[i : i + args.batch])
            for item in r.get_json()["items"]:
                if item["document"] is None:
                    raise SystemExit(f"ingest failed: {item}")
                ids[item["document"]["external_id"]] = item["document"]["id"]
        ingest_s = time.perf_counter() - t0
        answers = {}
        for ext, doc_id in tqdm(ids.items(), desc="provenance", unit="doc"):
            answers[ext] = client.get(f"/v1/documents/{doc_id}/provenance").get_json()
        report = score(truth, answers)
        report["ingest_seconds"] = round(ingest_s, 2)
        report["ingest_docs_per_second"] = round(len(docs) / ingest_s, 1)
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
