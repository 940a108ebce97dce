"""Recall of gold evidence among a check's candidates: full-text search alone vs full-text + semantic.

    .venv/bin/python bench/retrieval_recall.py --dataset fnc1 --split test       # report (never tune here)
    .venv/bin/python bench/retrieval_recall.py --dataset arc --split test
    .venv/bin/python bench/retrieval_recall.py --dataset fnc1 --split train --sweep   # tune k, threshold, dims

Every body of the split is ingested (``service.ingest.ingest_many``, temporary SQLite, the
vectors computed at ingest as in production). Each distinct headline (FNC-1) or claim (ARC) is
a statement; for each *related* pair (agree, disagree, discuss) the question is whether any
passage of the gold body is among the passages a check would judge for that statement:

* ``fts``: the full-text candidates (``service.search.search_passages``, as many as the check
  asks for: ``min(400, max(100, 2 * limit))``);
* ``fts_semantic``: what the check judges with the semantic channel on
  (``service.checking.candidate_ids``: the full-text candidates, then the semantic ones they lack);
* ``fts_same_budget``: full-text alone given, for each statement, as many candidates as
  ``fts_semantic`` judged for it, to tell the channel's gain from merely judging more passages;
* ``semantic``: the semantic candidates alone.

Recall is reported over all related pairs and per gold stance, with how many of the pairs that
full-text search misses the semantic channel finds (``rescued_by_semantic``).

``--sweep`` also tries other candidate counts, similarity thresholds and model dimensions on
vectors computed here with the same code (``service.semantic.model.load(dim)``); use it on the
train splits only. ``--embedder onnx --onnx-model M --tokenizer T`` scores another model (a
mean-pooled ONNX transformer such as all-MiniLM-L6-v2) the same way, for the model comparison in
docs/checking.md. Progress goes to stderr, the results to stdout as JSON.

FNC-1 splits: ``test`` = competition test; ``train`` = the bodies of ``splits/training_ids.txt``;
``holdout`` = ``splits/hold_out_ids.txt``. ARC: ``train`` / ``test``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "datasets"
RELATED = ("agree", "disagree", "discuss")


def load(dataset: str, split: str, data: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Bodies by id and (Headline, Body ID, Stance) pairs of a split."""
    if dataset == "fnc1":
        root = data / "fnc-1"
        if split == "test":
            bodies_f, stances_f, keep = "competition_test_bodies.csv", "competition_test_stances.csv", None
        else:
            bodies_f, stances_f = "train_bodies.csv", "train_stances.csv"
            ids_file = "training_ids.txt" if split == "train" else "hold_out_ids.txt"
            keep = set((root / "splits" / ids_file).read_text().split())
    else:
        root = data / "arc"
        bodies_f, stances_f, keep = "arc_bodies.csv", f"arc_stances_{split}.csv", None
    with open(root / stances_f, encoding="utf-8") as fh:
        pairs = [r for r in csv.DictReader(fh) if keep is None or r["Body ID"] in keep]
    wanted = {p["Body ID"] for p in pairs}
    with open(root / bodies_f, encoding="utf-8") as fh:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(fh) if r["Body ID"] in wanted}
    return bodies, pairs


def recall(pairs: Sequence[tuple[str, str, str]], found: Callable[[str, str], bool]) -> dict[str, Any]:
    """Share of (statement, body, stance) pairs whose body ``found`` says is among the candidates."""
    hits: dict[str, list[bool]] = defaultdict(list)
    for statement, body, stance in pairs:
        hit = found(statement, body)
        hits[stance].append(hit)
        hits["all"].append(hit)
    return {key: round(sum(v) / len(v), 4) for key, v in sorted(hits.items())}


def onnx_embedder(model_path: str, tokenizer_path: str) -> Callable[[Sequence[str]], np.ndarray]:
    """A mean-pooled ONNX sentence transformer (for the model comparison only), one thread."""
    import onnxruntime as ort  # type: ignore[import-not-found]
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
    names = {i.name for i in session.get_inputs()}
    tokenizer = Tokenizer.from_file(tokenizer_path)
    tokenizer.enable_truncation(256)
    tokenizer.enable_padding()

    def embed(texts: Sequence[str]) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # batches of similar length
        out = np.zeros((len(texts), 0), dtype=np.float32)
        for start in range(0, len(order), 32):
            batch = order[start : start + 32]
            encodings = tokenizer.encode_batch([texts[i] for i in batch])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in names:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = session.run(None, feeds)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(1) / np.maximum(weights.sum(1), 1.0)
            if out.shape[1] == 0:
                out = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
            out[batch] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out

    return embed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", choices=["fnc1", "arc"], default="fnc1")
    ap.add_argument("--split", choices=["test", "train", "holdout"], default="test")
    ap.add_argument("--data", type=Path, default=DATA, help="folder holding fnc-1/ and arc/")
    ap.add_argument("--limit", type=int, default=20, help="the check's evidence limit (sets the full-text count)")
    ap.add_argument("--max-statements", type=int, help="only the first N statements (sorted)")
    ap.add_argument("--sweep", action="store_true", help="also try other k / thresholds / dimensions (train only)")
    ap.add_argument("--embedder", choices=["service", "onnx"], default="service",
                    help="the sweep's model: the service's (WordLlama) or an ONNX transformer")
    ap.add_argument("--onnx-model", help="with --embedder onnx: the model file")
    ap.add_argument("--tokenizer", help="with --embedder onnx: its tokenizer.json")
    args = ap.parse_args()
    if args.sweep and args.split == "test":
        ap.error("--sweep tunes: use a train split")

    from sqlalchemy import select

    from service import create_app
    from service.checking import MAX_CANDIDATES, MIN_CANDIDATES, candidate_ids
    from service.core.semantic.embed import quantize
    from service.core.semantic.vectors import VectorSet
    from service.db import session_scope
    from service.ingest.pipeline import ingest_many
    from service.ingest.workers import default_workers
    from service.models import Document, Passage
    from service.search import search_passages
    from service.semantic import index as semantic_index
    from service.semantic import model

    bodies, rows = load(args.dataset, args.split, args.data)
    pairs = [(r["Headline"], r["Body ID"], r["Stance"]) for r in rows if r["Stance"] in RELATED]
    statements = sorted({p[0] for p in pairs})
    if args.max_statements:
        statements = statements[: args.max_statements]
        chosen = set(statements)
        pairs = [p for p in pairs if p[0] in chosen]
    print(f"{len(bodies)} bodies, {len(statements)} statements, {len(pairs)} related pairs", file=sys.stderr)
    n_fts = min(MAX_CANDIDATES, max(MIN_CANDIDATES, 2 * args.limit))
    report: dict[str, Any] = {"dataset": args.dataset, "split": args.split, "bodies": len(bodies),
                              "statements": len(statements), "related_pairs": len(pairs), "limit": args.limit,
                              "fts_candidates": n_fts, "model": model.MODEL_NAME,
                              "semantic_candidates": semantic_index.SEMANTIC_CANDIDATES,
                              "min_similarity": semantic_index.MIN_SIMILARITY}
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/recall.db", "TESTING": True})
        payloads = [{"external_id": bid, "text": text} for bid, text in bodies.items()]
        t0 = time.perf_counter()
        with app.app_context(), session_scope(app) as session:
            with tqdm(total=len(payloads), desc="ingest", unit="doc", file=sys.stderr) as bar:
                results = ingest_many(session, payloads, app.config, workers=default_workers(),
                                             progress=lambda done: bar.update(done - bar.n))
            failed = [r for r in results if r.error is not None]
            if failed:
                print(f"{len(failed)} bodies failed to ingest, e.g. {failed[0].error}", file=sys.stderr)
        report["ingest_seconds"] = round(time.perf_counter() - t0, 1)

        with app.app_context(), session_scope(app) as session:
            body_of = {pid: ext for pid, ext in session.execute(
                select(Passage.id, Document.external_id).join(Document, Document.id == Passage.document_id))}
            report["passages"] = len(body_of)

            def bodies_of(ids: Sequence[int]) -> set[str]:
                return {body_of[pid] for pid in ids if pid in body_of}

            found: dict[str, dict[str, set[str]]] = defaultdict(dict)
            sizes: dict[str, list[int]] = defaultdict(list)
            fts_ranked: dict[str, list[int]] = {}
            latency: list[float] = []
            for statement in tqdm(statements, desc="statements", unit="stmt", file=sys.stderr):
                ranked = search_passages(session, statement, limit=MAX_CANDIDATES * 2)
                fts_ranked[statement] = [pid for pid, _ in ranked]
                fts = fts_ranked[statement][:n_fts]
                t = time.perf_counter()
                merged = candidate_ids(session, statement, limit=args.limit, semantic=True)
                latency.append(1000 * (time.perf_counter() - t))
                semantic = [pid for pid, _ in semantic_index.semantic_candidates(session, statement)]
                for name, ids in (("fts", fts), ("fts_semantic", merged), ("semantic", semantic)):
                    found[name][statement] = bodies_of(ids)
                    sizes[name].append(len(ids))
            for statement, budget in zip(statements, sizes["fts_semantic"], strict=True):
                ranked = fts_ranked[statement][:budget]  # as many as full-text + semantic judged
                found["fts_same_budget"][statement] = bodies_of(ranked)
                sizes["fts_same_budget"].append(len(ranked))
            for name in ("fts", "fts_semantic", "fts_same_budget", "semantic"):
                report[name] = {"recall": recall(pairs, lambda s, b, n=name: b in found[n][s]),
                                "mean_candidates": round(float(np.mean(sizes[name])), 1)}
            missed = [p for p in pairs if p[1] not in found["fts"][p[0]]]
            report["fts_misses"] = len(missed)
            report["rescued_by_semantic"] = sum(1 for s, b, _ in missed if b in found["fts_semantic"][s])
            report["candidate_ms"] = {"median": round(float(np.median(latency)), 2),
                                      "p95": round(float(np.percentile(latency, 95)), 2)}

            if args.sweep:
                ids = np.fromiter(body_of, dtype=np.int64)
                texts = list(session.scalars(select(Passage.text).where(Passage.id.in_(ids.tolist()))
                                             .order_by(Passage.id)))
                ids.sort()
                report["sweep"] = sweep(args, pairs, statements, ids, texts, body_of, fts_ranked, n_fts,
                                        quantize, VectorSet, model)
    print(json.dumps(report))
    return 0


def sweep(args: Any, pairs: list[tuple[str, str, str]], statements: list[str], ids: np.ndarray, texts: list[str],
          body_of: dict[int, str], fts_ranked: dict[str, list[int]], n_fts: int, quantize: Any, vector_set: Any,
          model: Any) -> list[dict[str, Any]]:
    """Recall of full-text + semantic over candidate counts, thresholds and models (train splits only)."""
    if args.embedder == "onnx":
        embedders = {"onnx": onnx_embedder(args.onnx_model, args.tokenizer)}
    else:
        embedders = {f"wordllama-{dim}": model.load(dim).embed for dim in (64, 128, 256)}
    out = []
    for name, embed in embedders.items():
        t = time.process_time()
        passage_vectors = np.concatenate([quantize(embed(texts[i : i + 512])) for i in range(0, len(texts), 512)])
        cpu_per_1000 = 1000 * (time.process_time() - t) / max(1, len(texts))
        vectors = vector_set(passage_vectors.shape[1])
        vectors.add(ids.tolist(), passage_vectors)
        queries = quantize(embed(statements))
        neighbours = {s: vectors.nearest(q, 100) for s, q in zip(statements, queries, strict=True)}
        print(f"{name}: {cpu_per_1000:.2f} CPU s per 1,000 passages", file=sys.stderr)
        for k in (10, 20, 30, 50, 100):
            for threshold in (0.0, 0.3, 0.4, 0.5, 0.6):
                found: dict[str, set[str]] = {}
                extra = []
                for s in statements:
                    fts = fts_ranked[s][:n_fts]
                    seen = set(fts)
                    sem = [pid for pid, sim in neighbours[s][:k] if sim >= threshold and pid not in seen]
                    extra.append(len(sem))
                    found[s] = {body_of[pid] for pid in fts + sem}
                out.append({"model": name, "k": k, "min_similarity": threshold,
                            "embed_cpu_s_per_1000": round(cpu_per_1000, 3),
                            "recall": recall(pairs, lambda s, b, f=found: b in f[s])["all"],
                            "mean_extra_candidates": round(float(np.mean(extra)), 1)})
    return out


if __name__ == "__main__":
    sys.exit(main())
