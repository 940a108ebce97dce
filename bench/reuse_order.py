"""Does lineage on real text reuse depend on the order documents arrive in? In-process, SQLite.

    .venv/bin/python bench/reuse_order.py                       # every order, with and without dates
    .venv/bin/python bench/reuse_order.py --orders answers-first --no-dates

The data is the corpus of plagiarised short answers (``../shared/datasets/short-answers``, read
at run time, never copied; ``$SHORTANSWERS_DIR`` overrides): five source texts and 95 answers
that copy, revise or ignore them. ``../shared/eval/reuseeval.py`` always stores the sources
first; a newsroom's crawler does not (it finds a copy before the report it copied, or backfills
an archive). The stored graph is meant to be a function of the documents, not of their arrival,
so this script ingests the same documents in several orders and reads the same figures from
each:

* ``sources-first``  the five sources in one batch, then the answers in one batch (reuseeval's order);
* ``answers-first``  the answers in one batch, then the sources;
* ``shuffled``       all 100 one by one in a seeded random order (``--seed``).

Figures per order: ``derived_accuracy`` (an answer has a parent and is not original exactly when
it is plagiarised), ``source_right`` (of plagiarised answers, the origin -- else the first parent
that is a source -- is the answer's own task source), ``sources_original`` (of 5) and
``answers_as_source_parents`` (links that make an answer a source's parent: inverted). With
dates, sources are dated 2008-01-01 and answers 2008-06-01, as in reuseeval; ``--no-dates``
leaves them out, so only the text decides. Progress goes to stderr, the table to stdout;
``--wrong`` lists, per order, the answers read wrongly (not derived though plagiarised or the
reverse, or another source named) with their parents and origin.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = Path(os.environ.get("SHORTANSWERS_DIR", str(ROOT.parent / "shared" / "datasets" / "short-answers")))
ORDERS = ("sources-first", "answers-first", "shuffled")


def read_text(path: Path) -> str:
    """One file of the corpus as text (some are cp1252), newlines normalised."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def load(dates: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, tuple[str, str]]]:
    """The sources and answers as ingest payloads, and each answer's (category, task source id)."""
    rows = list(csv.DictReader(open(DATA / "file_information.csv", encoding="utf-8")))
    sources, answers, gold = [], [], {}
    for row in rows:
        name, task, category = (row[k].strip() for k in ("File", "Task", "Category"))
        doc: dict[str, Any] = {"external_id": Path(name).stem, "text": read_text(DATA / name)}
        if category == "orig":
            doc.update(outlet="Reference", title=f"Source text {task}")
            if dates:
                doc["published_at"] = "2008-01-01"
            sources.append(doc)
        else:
            doc.update(outlet=f"writer {name[:4]}", title=f"Answer on topic {task}")
            if dates:
                doc["published_at"] = "2008-06-01"
            answers.append(doc)
            gold[doc["external_id"]] = (category, f"orig_task{task}")
    return sources, answers, gold


def batches(order: str, sources: list, answers: list, seed: int) -> list[list[dict[str, Any]]]:
    """The ingest batches of one arrival order."""
    if order == "sources-first":
        return [sources, answers]
    if order == "answers-first":
        return [answers, sources]
    docs = sources + answers
    random.Random(seed).shuffle(docs)
    return [[d] for d in docs]


def run(order: str, dates: bool, seed: int) -> dict[str, Any]:
    """Ingest in one order into a fresh database and score the stored lineage."""
    from service import create_app

    sources, answers, gold = load(dates)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/order.db", "TESTING": True})
        client = app.test_client()
        ids: dict[str, int] = {}
        started = time.perf_counter()
        plan = batches(order, sources, answers, seed)
        for batch in tqdm(plan, desc=f"{order}{'' if dates else ', no dates'}", unit="batch", file=sys.stderr):
            reply = client.post("/v1/documents/batch", json=batch).get_json()
            for item, result in zip(batch, reply["items"], strict=True):
                ids[item["external_id"]] = result["document"]["id"]
        seconds = time.perf_counter() - started

        def provenance(ext: str) -> dict[str, Any]:
            return client.get(f"/v1/documents/{ids[ext]}/provenance").get_json()

        def ext_of(ref: dict[str, Any] | None) -> str:
            return str(((ref or {}).get("document") or {}).get("external_id") or "")

        right_derived = right_source = plagiarised = 0
        wrong: list[str] = []
        for ext, (category, own) in gold.items():
            prov = provenance(ext)
            parents = prov.get("parents") or []
            derived = bool(parents) and not prov.get("is_original", False)
            right_derived += derived == (category != "non")
            hit = True
            if category != "non":
                plagiarised += 1
                named = [ext_of(prov.get("origin"))] + [ext_of(p) for p in parents]
                hit = next((n for n in named if n.startswith("orig_task")), None) == own
                right_source += hit
            if derived != (category != "non") or not hit:
                wrong.append(f"{ext} ({category}): parents {[ext_of(p) for p in parents][:3]}, "
                             f"origin {ext_of(prov.get('origin')) or '-'}")
        kept = inverted = 0
        for source in sources:
            prov = provenance(source["external_id"])
            parents = prov.get("parents") or []
            kept += not parents or bool(prov.get("is_original"))
            inverted += sum(ext_of(p) in gold for p in parents)
    return {"order": order, "dates": dates, "derived_accuracy": round(right_derived / len(gold), 3),
            "source_right": round(right_source / max(plagiarised, 1), 3), "sources_original": kept,
            "answers_as_source_parents": inverted, "ingest_seconds": round(seconds, 2), "wrong": wrong}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", nargs="+", choices=ORDERS, default=list(ORDERS))
    parser.add_argument("--no-dates", action="store_true", help="only without dates (default: with and without)")
    parser.add_argument("--dates-only", action="store_true", help="only with dates")
    parser.add_argument("--seed", type=int, default=1, help="the shuffled order's seed")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--wrong", action="store_true", help="list each order's wrongly read answers")
    args = parser.parse_args(argv)
    if not (DATA / "file_information.csv").is_file():
        print(f"short-answer corpus absent at {DATA}", file=sys.stderr)
        return 1
    date_runs = [False] if args.no_dates else [True] if args.dates_only else [True, False]
    results = [run(order, dates, args.seed) for dates in date_runs for order in args.orders]
    print("| order | dates | derived accuracy | source right | sources original | answers as source parents |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['order']} | {'yes' if r['dates'] else 'no'} | {r['derived_accuracy']:.3f} | "
              f"{r['source_right']:.3f} | {r['sources_original']} of 5 | {r['answers_as_source_parents']} |")
    if args.wrong:
        for r in results:
            print(f"\n{r['order']}, {'dates' if r['dates'] else 'no dates'}: {len(r['wrong'])} answers wrong")
            for line in r["wrong"]:
                print("  " + line)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
