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

The same four figures per document *family* (``truth.json`` field ``family``: classic, viral,
wire-cut, versions, same-event, excerpt; see ``generate_corpus.py``), with the share of originals
left without a parent, and per date status (ok / missing / wrong, when dates are ingested). For
viral stories, per story size: the share of copies whose origin is the original, of copies
whose top parent is right, and whether the original stays an original (no parent). Tables go
to stdout after the JSON report; the ``--json`` file holds the same figures (``by_family``,
``by_dates``, ``viral_by_size``). Progress and timings go to stderr.

For iterating on the lineage rules: ``--db PATH`` keeps the ingested SQLite database, and
``--resolve-only`` (with ``--db`` of a kept database) skips the ingest and re-runs only the
lineage resolution from the stored pairwise evidence (``service/provenance/recompute``), which
takes a fraction of the ingest. It sees changes to ``service/core/lineage`` resolution rules, not
to what is stored per pair at ingest (alignment, the pair's own direction score): re-ingest for
those. The dates are those stored at ingest (``--no-dates`` must match how the database was made).
"""

from __future__ import annotations

import argparse
import json
import random
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


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _origin(answer: dict[str, Any]) -> str | None:
    return (answer.get("origin") or {}).get("document", {}).get("external_id")


def metrics(truth: dict[str, Any], answers: dict[str, dict[str, Any]], predicted: dict[str, list[str]],
            docs: list[str]) -> dict[str, Any]:
    """Parent precision and recall, direction and root accuracy over ``docs`` (a family, a date status...)."""
    with_parent = [d for d in docs if truth[d]["parents"]]
    tp = sum(1 for d in with_parent if predicted[d] and predicted[d][0] in truth[d]["acceptable"])
    n_pred = sum(1 for d in docs if predicted[d])
    linked = correct = 0
    for child in with_parent:
        for parent in truth[child]["acceptable"]:
            forward = parent in predicted[child]
            backward = child in predicted.get(parent, [])
            if forward or backward:
                linked += 1
                correct += forward and not backward
                break
    roots = [d for d in docs if truth[d]["kind"] != "aggregation"]
    root_ok = sum(1 for d in roots if _origin(answers[d]) == truth[d]["root"])
    originals = [d for d in docs if not truth[d]["parents"]]
    return {
        "documents": len(docs),
        "with_parent": len(with_parent),
        "parent_precision": _ratio(tp, n_pred),
        "parent_recall": _ratio(tp, len(with_parent)),
        "direction_accuracy": _ratio(correct, linked),
        "direction_pairs": linked,
        "root_accuracy": _ratio(root_ok, len(roots)),
        "originals": len(originals),
        "originals_kept_original": _ratio(sum(1 for d in originals if not predicted[d]), len(originals)),
        "wrong_top_parent": n_pred - tp,
        "missed_parent": sum(1 for d in with_parent if not predicted[d]),
    }


def viral_by_size(truth: dict[str, Any], answers: dict[str, dict[str, Any]],
                  predicted: dict[str, list[str]]) -> dict[str, Any]:
    """Per viral story size: do the copies lead back to the original, does the original stay one."""
    stories: dict[str, list[str]] = {}
    for d, t in truth.items():
        if t.get("family") == "viral" and t["parents"]:
            stories.setdefault(t["root"], []).append(d)
    out: dict[str, Any] = {}
    for size in sorted({truth[r].get("viral_size", len(c)) for r, c in stories.items()}):
        roots = [r for r, c in stories.items() if truth[r].get("viral_size", len(c)) == size]
        copies = [c for r in roots for c in stories[r]]
        credited = [c for c in copies if truth[c].get("credited")]
        uncredited = [c for c in copies if not truth[c].get("credited")]

        # The original and its whole (verbatim) copies: no text tells them apart.
        same_text = {r: {r} | {c for c in stories[r] if truth[c]["kind"] == "verbatim"} for r in roots}

        def origin_ok(docs: list[str]) -> float | None:
            return _ratio(sum(1 for c in docs if _origin(answers[c]) == truth[c]["root"]), len(docs))

        out[str(size)] = {
            "stories": len(roots),
            "copies": len(copies),
            "origin_is_original": origin_ok(copies),
            "origin_is_original_credited": origin_ok(credited),
            "origin_is_original_uncredited": origin_ok(uncredited),
            "origin_is_original_or_whole_copy": _ratio(
                sum(1 for c in copies if _origin(answers[c]) in same_text[truth[c]["root"]]), len(copies)),
            "top_parent_ok": _ratio(sum(1 for c in copies if predicted[c] and predicted[c][0]
                                        in truth[c]["acceptable"]), len(copies)),
            "copies_without_parent": sum(1 for c in copies if not predicted[c]),
            "original_kept_original": sum(1 for r in roots if not predicted[r]),
            "original_parents": {r: predicted[r][0] for r in roots if predicted[r]},
        }
    return out


def score(truth: dict[str, Any], answers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Compare predicted provenance with the truth."""
    predicted: dict[str, list[str]] = {
        ext: [p["document"]["external_id"] for p in a.get("parents", [])] for ext, a in answers.items()
    }
    families: dict[str, list[str]] = {}
    dates: dict[str, list[str]] = {}
    for d, t in truth.items():
        families.setdefault(t.get("family", "classic"), []).append(d)
        dates.setdefault(t.get("dates", "ok"), []).append(d)
        if t.get("date_inverted"):
            dates.setdefault("inverted", []).append(d)
    order = ["classic", "viral", "wire-cut", "versions", "same-event", "excerpt"]
    by_family = {f: metrics(truth, answers, predicted, families[f])
                 for f in sorted(families, key=lambda f: (order.index(f) if f in order else len(order), f))}
    by_dates = {s: metrics(truth, answers, predicted, dates[s])
                for s in ("ok", "missing", "wrong", "inverted") if s in dates}
    overall = metrics(truth, answers, predicted, list(truth))
    with_parent = [d for d, t in truth.items() if t["parents"]]
    fp_docs = [d for d in truth if predicted[d] and predicted[d][0] not in truth[d]["acceptable"]]

    def related(a: str, b: str) -> bool:
        ta, tb = truth[a], truth[b]
        if ta.get("family") == tb.get("family") == "same-event" and not ta["parents"] and not tb["parents"]:
            return False  # independent reports of one event: same story, no reuse
        return ta["story"] == tb["story"] or b in ta["parents"] or a in tb["parents"] or \
            bool(set(ta["parents"]) & set(tb["parents"]))

    false_links = [(c, p) for c, ps in predicted.items() for p in ps if not related(c, p)]
    boiler = [(c, p) for c, p in false_links if truth[c]["outlet"] == truth[p]["outlet"]]
    return {
        **{k: overall[k] for k in ("documents", "with_parent", "parent_precision", "parent_recall",
                                   "direction_accuracy", "direction_pairs", "root_accuracy",
                                   "originals_kept_original")},
        "false_links": len(false_links),
        "boilerplate_only_links": len(boiler),
        "false_links_by_family": _count(truth[c].get("family", "classic") for c, _ in false_links),
        "wrong_top_parent_by_kind": _count(truth[d]["kind"] for d in fp_docs),
        "missed_parent_by_kind": _count(truth[d]["kind"] for d in with_parent if not predicted[d]),
        "wrong_top_parent_by_relation": _count(_relation(truth, d, predicted[d][0]) for d in fp_docs),
        "wrong_top_parent_examples": [
            {"doc": d, "kind": truth[d]["kind"], "family": truth[d].get("family", "classic"),
             "predicted": predicted[d][0], "truth": truth[d]["parents"]}
            for d in fp_docs[:40]
        ],
        "by_family": by_family,
        "by_dates": by_dates,
        "viral_by_size": viral_by_size(truth, answers, predicted),
    }


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def table(rows: dict[str, dict[str, Any]], columns: list[tuple[str, str]], first: str) -> str:
    """A plain-text table: one row per key of ``rows``, ``columns`` as (key, header)."""
    header = [first] + [h for _, h in columns]
    body = [[name] + [_fmt(row.get(k)) for k, _ in columns] for name, row in rows.items()]
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in [header] + body]
    return "\n".join([lines[0], "-" * len(lines[0])] + lines[1:])


_COLUMNS = [("documents", "docs"), ("with_parent", "w/parent"), ("parent_precision", "precision"),
            ("parent_recall", "recall"), ("direction_accuracy", "direction"), ("root_accuracy", "root"),
            ("originals_kept_original", "orig.kept"), ("wrong_top_parent", "wrong"),
            ("missed_parent", "missed")]
_VIRAL_COLUMNS = [("stories", "stories"), ("copies", "copies"), ("origin_is_original", "origin=orig"),
                  ("origin_is_original_credited", "credited"), ("origin_is_original_uncredited", "uncredited"),
                  ("origin_is_original_or_whole_copy", "orig|copy"),
                  ("top_parent_ok", "parent ok"), ("copies_without_parent", "no parent"),
                  ("original_kept_original", "orig.kept")]


def report_tables(report: dict[str, Any], dates: bool = True) -> str:
    """The per-family, per-date-status and viral tables of a report."""
    overall = {k: report.get(k) for k, _ in _COLUMNS}
    overall["wrong_top_parent"] = sum(r["wrong_top_parent"] for r in report["by_family"].values())
    overall["missed_parent"] = sum(r["missed_parent"] for r in report["by_family"].values())
    parts = ["Per family", table({**report["by_family"], "overall": overall}, _COLUMNS, "family")]
    if dates and report.get("by_dates"):
        parts += ["", "Per date status (inverted: dated before a true parent)",
                  table(report["by_dates"], _COLUMNS, "dates")]
    if report.get("viral_by_size"):
        parts += ["", "Viral stories by size (origin=orig: share of copies whose origin is the original, also "
                      "among credited and uncredited copies; orig|copy: the original or a whole copy of it; "
                      "orig.kept: originals left without a parent)",
                  table(report["viral_by_size"], _VIRAL_COLUMNS, "size")]
    return "\n".join(parts)


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


def ingest(client: Any, docs: list[dict[str, Any]], batch: int) -> dict[str, int]:
    """Ingest ``docs`` in batches through the API; external id -> document id."""
    ids: dict[str, int] = {}
    for i in tqdm(range(0, len(docs), batch), desc="ingest", unit="batch"):
        r = client.post("/v1/documents/batch", json=docs[i : i + batch])
        for item in r.get_json()["items"]:
            if item["document"] is None:
                raise SystemExit(f"ingest failed: {item}")
            ids[item["document"]["external_id"]] = item["document"]["id"]
    return ids


def resolve_again(app: Any) -> dict[str, int]:
    """Re-run the lineage resolution of every stored document from the stored pairwise evidence
    (the code of today's ``service/core/lineage``); external id -> document id."""
    from sqlalchemy import select

    from service.db import session_scope
    from service.models import Document
    from service.provenance.recompute import recompute

    with app.app_context(), session_scope(app) as session:
        ids = {str(ext): doc_id for doc_id, ext in session.execute(select(Document.id, Document.external_id))}
        recompute(session, sorted(ids.values()))
    return ids


def count_links(app: Any) -> int:
    """How many pairwise reuse links are stored (what the candidate search cost, in comparisons kept)."""
    from sqlalchemy import func, select

    from service.db import session_scope
    from service.models import ReuseLink

    with app.app_context(), session_scope(app) as session:
        return int(session.scalar(select(func.count()).select_from(ReuseLink)) or 0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--no-dates", action="store_true", help="ingest without published_at")
    ap.add_argument("--no-metadata", action="store_true", help="ingest text only (no title, outlet, url)")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--reverse", action="store_true",
                    help="ingest the corpus in reverse order (copies before their sources: the stored links "
                         "must not depend on ingest order)")
    ap.add_argument("--shuffle", type=int, metavar="SEED",
                    help="ingest the corpus in a random order drawn with this seed (crawlers and backfills "
                         "find copies before their source; applied before --reverse)")
    ap.add_argument("--json", type=Path, help="also write the report here")
    ap.add_argument("--predictions", type=Path,
                    help="also write each document's predicted parents and origin here (JSON), for error analysis")
    ap.add_argument("--db", type=Path,
                    help="keep the ingested SQLite database at this path (removed first unless --resolve-only)")
    ap.add_argument("--resolve-only", action="store_true",
                    help="with --db of a kept database: skip the ingest, re-run only the lineage resolution")
    args = ap.parse_args()
    if args.resolve_only and not (args.db and args.db.exists()):
        ap.error("--resolve-only needs --db PATH of a database kept by an earlier run")

    from service import create_app

    truth = json.loads((args.corpus / "truth.json").read_text())
    docs = load(args.corpus, dates=not args.no_dates, metadata=not args.no_metadata)
    if args.shuffle is not None:
        random.Random(args.shuffle).shuffle(docs)
    if args.reverse:
        docs.reverse()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db.resolve() if args.db else Path(tmp) / "lineage.db"
        if args.db and not args.resolve_only and db.exists():
            db.unlink()
        app = create_app({"DATABASE_URL": f"sqlite:///{db}", "TESTING": True, "BATCH_LIMIT": 1000})
        client = app.test_client()
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        if args.resolve_only:
            ids = resolve_again(app)
            print(f"resolved {len(ids)} documents again in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        else:
            ids = ingest(client, docs, args.batch)
            print(f"{len(docs)} documents from {args.corpus} ingested in {time.perf_counter() - t0:.1f} s",
                  file=sys.stderr)
        ingest_s = time.perf_counter() - t0
        ingest_cpu = time.process_time() - cpu0
        stored_links = count_links(app)
        answers = {}
        t1 = time.perf_counter()
        for ext, doc_id in tqdm(ids.items(), desc="provenance", unit="doc"):
            answers[ext] = client.get(f"/v1/documents/{doc_id}/provenance").get_json()
        provenance_s = time.perf_counter() - t1
        report = score(truth, answers)
        report["ingest_seconds"] = round(ingest_s, 2)
        report["ingest_cpu_seconds"] = round(ingest_cpu, 2)
        report["stored_links"] = stored_links
        report["ingest_docs_per_second"] = round(len(docs) / ingest_s, 1)
        report["provenance_seconds"] = round(provenance_s, 2)
        report["resolve_only"] = args.resolve_only
        report["reversed"] = args.reverse
        report["shuffle_seed"] = args.shuffle
        report["dates_ingested"] = not args.no_dates
        report["metadata_ingested"] = not args.no_metadata
        report["total_seconds"] = round(time.perf_counter() - t0, 2)
    print(f"done in {report['total_seconds']:.1f} s; ingest CPU {report['ingest_cpu_seconds']:.1f} s; "
          f"{stored_links} stored links", file=sys.stderr)
    print(json.dumps(report, indent=2))
    print()
    print(report_tables(report, dates=not args.no_dates))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    if args.predictions:
        args.predictions.write_text(json.dumps(
            {ext: {"parents": [p["document"]["external_id"] for p in a.get("parents", [])],
                   "relations": [p.get("relation") for p in a.get("parents", [])],
                   "origin": _origin(a)} for ext, a in answers.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
